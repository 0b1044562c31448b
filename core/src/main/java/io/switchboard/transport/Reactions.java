/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.transport.websocket.Closer;
import io.switchboard.transport.websocket.ConnectionLog;
import io.switchboard.transport.websocket.Dispatcher;
import io.switchboard.transport.websocket.Heartbeat;
import io.switchboard.transport.websocket.MessageReader;
import io.switchboard.transport.websocket.Outbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one connection's {@link MessageReader} and {@link Heartbeat} report, handed to the piece that
 * acts on it: whole messages to the {@link Dispatcher}, closes to the {@link Closer}, pongs and
 * replies to the {@link Outbound}. Owned by the channel's event loop, as both reporters are.
 */
final class Reactions implements MessageReader.Sink, Heartbeat.Probe {

    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    private final Channel channel;
    /** The connection, as log lines name it. */
    private final Object who;

    private final Dispatcher dispatcher;
    private final Closer closer;
    private final Outbound outbound;
    private final Counters counters;

    Reactions(Channel channel, Object who, Dispatcher dispatcher, Closer closer, Outbound outbound) {
        this(channel, who, dispatcher, closer, outbound, Counters.none());
    }

    /** @param counters where messages in and messages over the rate are counted (replies: by the outbound) */
    Reactions(Channel channel, Object who, Dispatcher dispatcher, Closer closer, Outbound outbound, Counters counters) {
        this.counters = counters;
        this.channel = channel;
        this.who = who;
        this.dispatcher = dispatcher;
        this.closer = closer;
        this.outbound = outbound;
    }

    @Override
    public void text(String text, int size) {
        counters.onReceived(size);
        dispatcher.text(text, size);
    }

    @Override
    public void binary(byte[] data) {
        counters.onReceived(data.length);
        dispatcher.binary(data);
    }

    @Override
    public void rateLimited() {
        counters.onRateLimited();
    }

    @Override
    public void tooBig(CloseStatus status) {
        closer.closeAfterQueued(status);
    }

    @Override
    public void fail(CloseStatus status) {
        closer.fail(status);
    }

    @Override
    public void ping(PingWebSocketFrame ping) {
        outbound.pong(ping);
    }

    @Override
    public void reply(Message message) {
        outbound.write(message, true); // counted as sent there, once written
    }

    @Override
    public void ping() {
        channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
    }

    @Override
    public void unresponsive(long pongTimeoutMillis) {
        // 1001 tells a live but stalled client to reconnect; TCP closes at once rather than wait for
        // a closing handshake that will not come.
        ConnectionLog.info(log, who)
                .addKeyValue(ConnectionLog.CODE, CloseStatus.GOING_AWAY.code())
                .log("closing {} with 1001: no answer to a ping within {} ms", who, pongTimeoutMillis);
        closer.unresponsive(CloseStatus.GOING_AWAY.withReason("ping timeout"));
    }
}
