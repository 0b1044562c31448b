/** JSON messages: the shared mapper and a handler that receives typed values. */
package io.switchboard.json;
