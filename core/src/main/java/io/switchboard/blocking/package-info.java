/**
 * The blocking style: a function that owns a connection, waits for messages and returns when done
 * (the dwebsocket pattern), on a virtual thread.
 */
package io.switchboard.blocking;
