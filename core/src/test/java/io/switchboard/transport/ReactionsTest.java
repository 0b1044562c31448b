/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.session.Address;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Execution;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.session.internal.ConnectionSession;
import io.switchboard.session.internal.RecordingLink;
import io.switchboard.settings.Limits;
import io.switchboard.transport.websocket.Closer;
import io.switchboard.transport.websocket.Dispatcher;
import io.switchboard.transport.websocket.EmbeddedWire;
import io.switchboard.transport.websocket.FakeTime;
import io.switchboard.transport.websocket.InboundFlow;
import io.switchboard.transport.websocket.Lifecycle;
import io.switchboard.transport.websocket.Outbound;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the reader and the heartbeat report reaches the piece that acts on it: messages the
 * handler, pings and replies the wire, closes the closer. Real pieces on an embedded channel.
 */
class ReactionsTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final FakeTime time = new FakeTime();
    private final InMemoryEngine engine = new InMemoryEngine();
    private final List<String> heard = new ArrayList<>();
    private final Limits limits = Limits.defaults();
    private final Lifecycle lifecycle = new Lifecycle(() -> true);
    private final InboundFlow flow = new InboundFlow(1000, on -> {}, channel.eventLoop());
    private final List<Runnable> queued = new ArrayList<>();
    private final Closer closer = new Closer(channel, lifecycle, time, limits, flow, queued::add);
    private final Outbound outbound = new Outbound(channel, lifecycle, limits, "test", closer::close);
    private final ConnectionSession session = ConnectionSession.create(
                    Address.next("node1"), Scope.builder("/ws").build(), engine, new RecordingLink())
            .session();
    private final Dispatcher dispatcher =
            new Dispatcher(new Recording(), session, flow, null, Runnable::run, () -> true, () -> heard.add("ended"));
    private final Reactions reactions = new Reactions(channel, session.address(), dispatcher, closer, outbound);

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
        engine.close();
    }

    /** What went out on the wire, each frame released. */
    private List<String> written() {
        List<String> out = new ArrayList<>();
        Object frame;
        while ((frame = channel.readOutbound()) != null) {
            try {
                out.add(
                        switch (frame) {
                            case PongWebSocketFrame pong ->
                                "pong:" + pong.content().toString(StandardCharsets.UTF_8);
                            case PingWebSocketFrame ping -> "ping";
                            case TextWebSocketFrame text -> "text:" + text.text();
                            case ByteBuf encoded -> EmbeddedWire.describe(encoded);
                            case CloseWebSocketFrame close -> "close:" + close.statusCode();
                            default -> frame.toString();
                        });
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }
        return out;
    }

    private void open() {
        lifecycle.opened();
        outbound.opened();
        dispatcher.open();
    }

    @Test
    void messagesGoToTheHandlerInOrder() {
        open();
        reactions.text("hello", 5);
        reactions.binary(new byte[] {1, 2});
        assertThat(heard).containsExactly("text hello", "binary 2");
    }

    @Test
    void pingsAndRepliesGoToTheWire() {
        open();
        reactions.ping(new PingWebSocketFrame(Unpooled.copiedBuffer("p", StandardCharsets.UTF_8)));
        reactions.reply(Message.text("slow down"));
        reactions.ping();
        assertThat(written()).containsExactly("pong:p", "text:slow down", "ping");
    }

    @Test
    void anUnresponsiveClientIsClosedWith1001AtOnce() {
        open();
        reactions.unresponsive(20_000);
        assertThat(written()).containsExactly("close:1001");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aMessageTooBigClosesAfterWhatTheHandlerHasQueued() {
        open();
        reactions.tooBig(CloseStatus.MESSAGE_TOO_BIG);
        assertThat(written()).isEmpty();
        queued.forEach(Runnable::run);
        assertThat(written()).containsExactly("close:1009");
    }

    private final class Recording implements WebSocketHandler {
        @Override
        public void onText(Session s, String text) {
            heard.add("text " + text);
        }

        @Override
        public void onBinary(Session s, byte[] data) {
            heard.add("binary " + data.length);
        }

        @Override
        public Execution execution() {
            return Execution.EVENT_LOOP;
        }
    }
}
