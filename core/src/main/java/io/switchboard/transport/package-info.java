/**
 * The Netty side, and the only package that sees Netty: bootstrap, the HTTP dispatcher and upgrade,
 * WebSocket connections, and the node's registry of sessions and groups. Not an API: its public
 * types exist only so that {@link io.switchboard.Server} can start them.
 */
package io.switchboard.transport;
