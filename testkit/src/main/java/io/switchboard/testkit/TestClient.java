/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.json.Json;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client (the JDK's) that records everything it receives. Expectations take events
 * in order with a timeout; {@link #assertNoUnreadEvents()} fails on anything left over.
 *
 * <p>One limit of the JDK's client: bytes that reach it in a later read while it switches from HTTP
 * to WebSocket, right behind the 101 response, can be lost (its HTTP/1 reader is stopped with them
 * still queued). A small greeting sent in {@code onConnect} travels with the 101 and is safe; for a
 * large first message, or a burst from another thread the moment the session opens, let the client
 * speak first, or use {@link RawClient}.
 */
public final class TestClient implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final WebSocket socket;
    private final Recorder<ClientEvent> events;
    private final Duration timeout = Recorder.DEFAULT_TIMEOUT;

    private TestClient(WebSocket socket, Recorder<ClientEvent> events) {
        this.socket = socket;
        this.events = events;
    }

    /**
     * Connects to {@code uri}; fails the test if the handshake fails. A {@code wss://} address is
     * reached through a client that trusts {@link TestTls#certificate()}.
     */
    public static TestClient connect(URI uri) {
        return connect(uri, Map.of(), List.of());
    }

    /** Connects with extra headers (such as Origin or Cookie) and offered subprotocols. */
    public static TestClient connect(URI uri, Map<String, String> headers, List<String> subprotocols) {
        Recorder<ClientEvent> events = new Recorder<>("client " + uri.getPath());
        try {
            return new TestClient(open(uri, headers, subprotocols, events).get(30, TimeUnit.SECONDS), events);
        } catch (ExecutionException e) {
            throw new AssertionError("cannot connect to " + uri + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("cannot connect to " + uri + ": " + e, e);
        }
    }

    /** Tries to connect and expects the server to refuse; returns the HTTP status it answered. */
    public static int refusedStatus(URI uri) {
        return refusedStatus(uri, Map.of());
    }

    /** As {@link #refusedStatus(URI)}, with extra headers. */
    public static int refusedStatus(URI uri, Map<String, String> headers) {
        Recorder<ClientEvent> events = new Recorder<>("refused client");
        try {
            WebSocket socket = open(uri, headers, List.of(), events).get(30, TimeUnit.SECONDS);
            socket.abort();
            throw new AssertionError("the server accepted " + uri + " but was expected to refuse it");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            if (cause instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new AssertionError("expected an HTTP refusal from " + uri + " but got " + cause, cause);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer from " + uri, e);
        }
    }

    private static CompletableFuture<WebSocket> open(
            URI uri, Map<String, String> headers, List<String> subprotocols, Recorder<ClientEvent> events) {
        HttpClient http = "wss".equalsIgnoreCase(uri.getScheme()) ? TestTls.client() : HTTP;
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(
                    subprotocols.get(0),
                    subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        return builder.buildAsync(uri, new Listener(events));
    }

    /** The subprotocol the server chose, or "" for none. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public void sendText(String text) {
        join(socket.sendText(text, true));
    }

    /** Sends {@code value} as JSON text. */
    public void sendJson(Object value) {
        sendText(Json.write(value));
    }

    public void sendBinary(byte[] data) {
        join(socket.sendBinary(ByteBuffer.wrap(data), true));
    }

    /** Starts the closing handshake with {@code code}. */
    public void sendClose(int code, String reason) {
        join(socket.sendClose(code, reason));
    }

    /** The next event must be a text message; returns it. */
    public String expectText() {
        return events.next(ClientEvent.Text.class, timeout).text();
    }

    /** As {@link #expectText()}, waiting up to {@code wait}. */
    public String expectText(Duration wait) {
        return events.next(ClientEvent.Text.class, wait).text();
    }

    /** The next event must be a text message holding JSON; returns it read as {@code kind}. */
    public <T> T expectJson(Class<T> kind) {
        return Json.read(expectText(), kind);
    }

    /** The next event must be a binary message; returns it. */
    public byte[] expectBinary() {
        return events.next(ClientEvent.Binary.class, timeout).data();
    }

    /** The next event must be the end of the connection; returns the close code and reason. */
    public ClientEvent.Closed expectClosed() {
        return events.next(ClientEvent.Closed.class, timeout);
    }

    /** The next event, whatever it is. */
    public ClientEvent nextEvent() {
        return events.next(timeout);
    }

    /** Fails if anything arrives within {@code quiet}. */
    public void expectNothing(Duration quiet) {
        events.expectNothing(quiet);
    }

    /** How many events wait unread. */
    public int pending() {
        return events.size();
    }

    /** Fails if anything arrived that the test did not read. */
    public void assertNoUnreadEvents() {
        events.assertEmpty();
    }

    /** Whether the client has sent and received close frames, or dropped. */
    public boolean isClosed() {
        return socket.isInputClosed() && socket.isOutputClosed();
    }

    /** Drops the TCP connection without a close frame. */
    public void abort() {
        socket.abort();
    }

    /** Closes with 1000 if still open, and waits for the server's answer; does not check events. */
    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("send failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("send did not complete: " + e, e);
        }
    }

    /** Joins partial messages and records each whole one. */
    private static final class Listener implements WebSocket.Listener {
        private final Recorder<ClientEvent> events;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        Listener(Recorder<ClientEvent> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.record(new ClientEvent.Text(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                events.record(new ClientEvent.Binary(binary.toByteArray()));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.record(new ClientEvent.Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.record(new ClientEvent.Failed(error));
        }
    }
}
