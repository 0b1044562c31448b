/** Plain HTTP on the same port: request and response values, handlers and static files. */
package io.switchboard.http;
