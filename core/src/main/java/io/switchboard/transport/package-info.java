/**
 * The Netty side, and the only package that sees Netty: bootstrap, the HTTP dispatcher and upgrade,
 * WebSocket connections, and the node's registry of sessions and groups. Not an API: its public
 * types exist only so that {@link io.switchboard.Server} can start them.
 *
 * <p>A WebSocket connection is {@code WebSocketConnection}, the Netty wiring of small pieces: {@code
 * Lifecycle} (its phase, and every close decided after RFC 6455 section 7) carried out by {@code
 * Closer}; {@code MessageReader} (frames to messages within the size, fragment and rate limits);
 * {@code InboundFlow} (reading paused while the handler is behind); {@code Heartbeat} (pings on the
 * injected ticker); {@code Outbound} and {@code Outbox} (writes within the outbound buffer and the
 * slow-consumer policy); {@code Dispatcher} (the handler's callbacks, one at a time). The handler
 * talks to a {@link io.switchboard.session.ConnectionSession} over a {@code SessionLink}. Each piece
 * states which thread owns it; almost everything runs on the connection's event loop.
 */
package io.switchboard.transport;
