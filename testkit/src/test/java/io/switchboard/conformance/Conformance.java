/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.Decision;
import io.switchboard.session.Handlers;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * What the conformance tests share: an echo server as the Autobahn testsuite expects one (every
 * text and binary message comes back as it was), raw connections to it, and the checks on how the
 * server ends a connection: the exact close code on the wire, then TCP closed by the server, and
 * the server still serving others.
 */
final class Conformance {

    static final String ECHO = "/echo";

    /** Joins group "all" and broadcasts every text message it receives to it. */
    static final String BROADCAST = "/broadcast";

    private Conformance() {}

    static TestServer echoServer() {
        return echoServer(Limits.defaults());
    }

    static TestServer echoServer(Limits limits) {
        Router router = Router.builder()
                .websocket(ECHO, Handlers.of(ws -> ws.onText(Session::send).onBinary(Session::send)))
                .websocket(BROADCAST, Handlers.of(ws -> ws.onConnect(session -> {
                            session.join("all");
                            return Decision.accept();
                        })
                        .onText((session, text) -> session.hub().broadcast("all", Message.text(text)))))
                .build();
        return TestServer.start(b -> b.router(router).limits(limits));
    }

    /**
     * {@code base} for tests that send one message in thousands of tiny fragments, as sections 9, 10
     * and 12 of the Autobahn testsuite do. By default a message may come in at most 1,024 fragments
     * and every 16 fragments cost a message's worth of the rate limit (against fragment floods), so a testsuite run
     * raises both, and so do these tests: what they check is how fragments are joined.
     */
    static Limits manyFragments(Limits base) {
        return base.withMessages(m -> m.withMaxFragments(1 << 20)).withRateLimit(RateLimit.OFF);
    }

    /** A raw connection to the echo path, upgraded. */
    static RawClient open(TestServer server) {
        return open(server, ECHO, Map.of());
    }

    /** A raw connection upgraded with extra headers; fails unless the answer is 101. */
    static RawClient open(TestServer server, String path, Map<String, String> headers) {
        RawClient raw = server.raw();
        assertThat(raw.upgrade(path, headers).status()).isEqualTo(101);
        return raw;
    }

    /** A raw connection that offers permessage-deflate as {@code offer}; returns the agreed header too. */
    static Negotiated openDeflate(TestServer server, String path, String offer) {
        RawClient raw = server.raw();
        RawClient.HttpHead head = raw.upgrade(path, Map.of("Sec-WebSocket-Extensions", offer));
        assertThat(head.status()).isEqualTo(101);
        return new Negotiated(raw, head.header("Sec-WebSocket-Extensions"));
    }

    /** A connection and the server's {@code Sec-WebSocket-Extensions} answer (null for none). */
    record Negotiated(RawClient raw, String extensions) {}

    /**
     * The server's close frame carries {@code code}; it closes TCP after the client answers (or
     * without waiting, having failed the connection); and a new connection is still served.
     */
    static void expectClose(TestServer server, RawClient raw, int code) {
        RawClient.Frame close = raw.expectClose();
        assertThat(close.closeCode())
                .as("close code (reason '%s')", close.closeReason())
                .isEqualTo(code);
        try {
            raw.sendClose(code == 1005 ? 1000 : code, "");
        } catch (UncheckedIOException e) {
            // the server failed the connection and closed TCP already: fine
        }
        raw.expectEof();
        expectServing(server);
    }

    /** A fresh connection gets its echo: whatever happened to another one did not harm the server. */
    static void expectServing(TestServer server) {
        try (RawClient other = open(server)) {
            other.sendText("still serving");
            assertThat(other.readFrame().text()).isEqualTo("still serving");
        }
    }

    /** Reads the next frame and checks it is a final, uncompressed one with this opcode and payload. */
    static void expectFrame(RawClient raw, int opcode, byte[] payload) {
        RawClient.Frame frame = raw.readFrame();
        assertThat(frame.opcode()).as("opcode").isEqualTo(opcode);
        assertThat(frame.fin()).as("FIN").isTrue();
        assertThat(frame.rsv()).as("RSV").isZero();
        assertThat(frame.payload()).as("payload of %s", frame).isEqualTo(payload);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] filled(int length, char c) {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) c);
        return data;
    }

    /** Bytes that compress well but are not all alike: a repeating sentence with a counter. */
    static byte[] compressible(int length) {
        StringBuilder text = new StringBuilder(length + 64);
        for (int i = 0; text.length() < length; i++) {
            text.append("message ").append(i % 100).append(" of the conformance suite; ");
        }
        return utf8(text.substring(0, length));
    }

    /**
     * A message compressed as a client does (RFC 7692, 7.2.1): raw DEFLATE, sync flush, the final
     * {@code 00 00 FF FF} removed. {@code deflater} carries context between calls unless reset.
     */
    static byte[] deflate(Deflater deflater, byte[] data) {
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length);
        byte[] all = out.toByteArray();
        assertThat(Arrays.copyOfRange(all, all.length - 4, all.length)).containsExactly(0, 0, 0xFF, 0xFF);
        return Arrays.copyOf(all, all.length - 4);
    }

    /** A message compressed on its own. */
    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            return deflate(deflater, data);
        } finally {
            deflater.end();
        }
    }

    /** A compressed message's payload inflated on its own: the server never takes context over. */
    static byte[] inflate(byte[] payload) {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = Arrays.copyOf(payload, payload.length + 4);
            input[payload.length + 2] = (byte) 0xFF;
            input[payload.length + 3] = (byte) 0xFF;
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            int n;
            while ((n = inflater.inflate(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
            assertThat(inflater.needsDictionary()).isFalse();
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new AssertionError("the server sent invalid DEFLATE data", e);
        } finally {
            inflater.end();
        }
    }

    /** The next frame's payload, inflated when RSV1 is set; checks FIN and the opcode. */
    static byte[] readMessage(RawClient raw, int opcode) {
        RawClient.Frame frame = raw.readFrame();
        assertThat(frame.opcode()).as("opcode").isEqualTo(opcode);
        assertThat(frame.fin()).as("FIN").isTrue();
        assertThat(frame.rsv()).as("only RSV1 may be set").isIn(0, 4);
        return frame.rsv() == 4 ? inflate(frame.payload()) : frame.payload();
    }
}
