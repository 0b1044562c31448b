/**
 * The JSON mapper (Jackson, configured once) that messages, events, HTTP responses and tokens share.
 * Depends on nothing else in Switchboard; the handler that receives typed values is
 * {@link io.switchboard.session.JsonHandler}.
 */
package io.switchboard.json;
