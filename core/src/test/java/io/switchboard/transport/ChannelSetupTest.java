/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import static io.switchboard.transport.ChannelSetup.HTTP_AGGREGATOR;
import static io.switchboard.transport.ChannelSetup.HTTP_DECODER;
import static io.switchboard.transport.ChannelSetup.HTTP_DISPATCHER;
import static io.switchboard.transport.ChannelSetup.HTTP_ENCODER;
import static io.switchboard.transport.ChannelSetup.HTTP_TIMEOUT;
import static io.switchboard.transport.ChannelSetup.WS_CONNECTION;
import static io.switchboard.transport.ChannelSetup.WS_CORK;
import static io.switchboard.transport.ChannelSetup.WS_DECODER;
import static io.switchboard.transport.ChannelSetup.WS_DEFLATE;
import static io.switchboard.transport.ChannelSetup.WS_ENCODER;
import static io.switchboard.transport.ChannelSetup.WS_UTF8;
import static io.switchboard.transport.ChannelSetup.WS_UTF8_WIRE;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.session.Scope;
import io.switchboard.settings.Limits;
import io.switchboard.transport.websocket.PerMessageDeflate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipelines of a connection, as the diagram draws them, and requests through them without sockets. */
class ChannelSetupTest {

    private final EmbeddedNode node = new EmbeddedNode();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelSetup(node.context));

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
        node.close();
    }

    private List<String> names() {
        List<String> names = channel.pipeline().names();
        return names.subList(0, names.size() - 1); // Netty's tail
    }

    @Test
    void anAcceptedConnectionSpeaksHttp() {
        assertThat(names()).containsExactly(HTTP_DECODER, HTTP_ENCODER, HTTP_AGGREGATOR, HTTP_TIMEOUT, HTTP_DISPATCHER);
    }

    @Test
    void anUpgradedConnectionSpeaksWebSocketAndTheDispatcherIsLastToLeave() {
        upgrade(null);

        assertThat(names())
                .containsExactly(HTTP_DISPATCHER, WS_UTF8_WIRE, WS_DECODER, WS_ENCODER, WS_CORK, WS_CONNECTION);
    }

    @Test
    void withPermessageDeflateTextIsCheckedOnceInflated() {
        upgrade(PerMessageDeflate.negotiate(List.of("permessage-deflate")));

        assertThat(names())
                .containsExactly(
                        HTTP_DISPATCHER,
                        WS_UTF8_WIRE,
                        WS_DECODER,
                        WS_ENCODER,
                        WS_DEFLATE,
                        WS_UTF8,
                        WS_CORK,
                        WS_CONNECTION);
    }

    @Test
    void anUnknownPathIsAnsweredNotFoundAndTheConnectionKeptAlive() {
        channel.writeInbound(bytes("GET /nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n"));

        assertThat(response()).startsWith("HTTP/1.1 404 Not Found\r\n").contains("connection: keep-alive");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aRequestForAHostNotAllowedIsRefusedAndTheConnectionClosed() {
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n"));

        assertThat(response()).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aRequestLineTooLongIsRefusedWith414() {
        String path = "/" + "a".repeat(ChannelSetup.MAX_REQUEST_LINE);
        channel.writeInbound(bytes("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n"));

        assertThat(response()).startsWith("HTTP/1.1 414 ");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void headersTooLongAreRefusedWith431() {
        String header = "X-Filler: " + "a".repeat(ChannelSetup.MAX_HEADERS) + "\r\n";
        channel.writeInbound(bytes("GET / HTTP/1.1\r\nHost: localhost\r\n" + header + "\r\n"));

        assertThat(response()).startsWith("HTTP/1.1 431 ");
        assertThat(channel.isOpen()).isFalse();
    }

    /** What {@link HttpDispatcher} does to the pipeline for an accepted upgrade, from the request to the 101. */
    private void upgrade(PerMessageDeflate.Agreement deflate) {
        ChannelPipeline pipeline = channel.pipeline();
        ChannelSetup.stopHttpParsing(pipeline);
        WebSocketConnection connection = new WebSocketConnection(
                node.context,
                channel,
                Scope.builder("/ws").build(),
                new EmbeddedNode.RecordingHandler(),
                deflate,
                Limits.defaults().rateLimit(),
                null,
                "/ws");
        ChannelSetup.toWebSocket(pipeline, HTTP_DISPATCHER, connection, node.context);
        connection.opened(null);
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** Everything written so far, as text, released. */
    private String response() {
        StringBuilder text = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            text.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        return text.toString();
    }
}
