/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.Server;
import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import io.switchboard.security.Tls;
import io.switchboard.session.Handlers;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.TestTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code https://} and {@code wss://} on one port, against a real server with a certificate made
 * for the test run, and clients (the JDK's) that trust that certificate and nothing else.
 */
class TlsServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Router ROUTER = Router.builder()
            .http("/scheme", request -> HttpResponse.text(200, request.scope().scheme()))
            .websocket(
                    "/ws/echo",
                    Handlers.of(ws -> ws.onText(
                            (session, text) -> session.send(session.scope().scheme() + " " + text))))
            .build();

    private static Tls tls;
    private static HttpClient client;

    /** The test run's certificate, and the JDK's client trusting it and nothing else. */
    @BeforeAll
    static void certificate() {
        tls = TestTls.certificate();
        client = HttpClient.newBuilder()
                .sslContext(TestTls.trusting(tls, "TLS"))
                .connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    private static Server start() {
        return Server.builder()
                .host("127.0.0.1")
                .port(0)
                .ioThreads(1)
                .router(ROUTER)
                .tls(tls)
                .start();
    }

    @Test
    void httpsAndWssShareThePort() throws Exception {
        try (Server server = start()) {
            assertThat(server.secure()).isTrue();
            assertThat(get(server, "/scheme").body()).isEqualTo("https");

            Echo echo = Echo.connect(server);
            echo.socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
            assertThat(echo.next()).isEqualTo("wss hello");
            String big = "é".repeat(30_000); // 60,000 bytes: several TLS records each way
            echo.socket.sendText(big, true).get(10, TimeUnit.SECONDS);
            assertThat(echo.next()).isEqualTo("wss " + big);
            echo.close();
        }
    }

    @Test
    void theTestServerServesTlsWithItsOwnCertificate() {
        try (TestServer server = TestServer.startTls(builder -> builder.router(ROUTER))) {
            assertThat(server.ws("/x").getScheme()).isEqualTo("wss");
            assertThat(server.get("/scheme").body()).isEqualTo("https");
            TestClient client = server.connect("/ws/echo");
            client.sendText("hi");
            assertThat(client.expectText()).isEqualTo("wss hi");
        }
    }

    @Test
    void overTlsAPageServedWithoutTlsFromTheSameHostIsNotTheServersOwn() {
        try (TestServer server = TestServer.startTls(builder -> builder.router(ROUTER))) {
            String self = "127.0.0.1:" + server.port();
            assertThat(TestClient.refusedStatus(server.ws("/ws/echo"), Map.of("Origin", "http://" + self)))
                    .isEqualTo(403);
            TestClient client = server.connect("/ws/echo", Map.of("Origin", "https://" + self), List.of());
            client.sendText("hi");
            assertThat(client.expectText()).isEqualTo("wss hi");
        }
    }

    @Test
    void closingTheServerSaysGoingAwayOverTls() throws Exception {
        Server server = start();
        Echo echo = Echo.connect(server);
        echo.socket.sendText("before", true).get(10, TimeUnit.SECONDS);
        assertThat(echo.next()).isEqualTo("wss before");
        long started = System.nanoTime();
        server.close(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(echo.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        try (Server server = start()) {
            HttpClient untrusting =
                    HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            assertThatThrownBy(() -> untrusting.send(
                            HttpRequest.newBuilder(uri(server, "https", "/scheme"))
                                    .timeout(TIMEOUT)
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void plainHttpAndGarbageAreRefusedWithOneLogLineEachWhileOthersCarryOn() throws Exception {
        try (LogCapture log = LogCapture.start();
                Server server = start()) {
            Echo echo = Echo.connect(server);

            refused(server, "GET /scheme HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] garbage = new byte[600];
            new Random(20261123L).nextBytes(garbage);
            refused(server, garbage);

            echo.socket.sendText("still here", true).get(10, TimeUnit.SECONDS);
            assertThat(echo.next()).isEqualTo("wss still here");
            assertThat(get(server, "/scheme").statusCode()).isEqualTo(200);
            echo.close();
            assertThat(log.linesWith("TLS handshake failed")).hasSize(2);
            assertThat(log.linesWith("Exception")).allMatch(line -> line.contains("TLS handshake failed"));
        }
    }

    @Test
    void aTlsRecordCutShortDoesNotLeakOrHang() throws Exception {
        try (Server server = start()) {
            // a TLS handshake record header that promises more than is sent, then the client leaves
            byte[] partial = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00};
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                socket.getOutputStream().write(partial);
                socket.getOutputStream().flush();
            }
            assertThat(get(server, "/scheme").body()).isEqualTo("https");
        }
    }

    /** Writes {@code bytes} to the TLS port and expects the server to end the connection. */
    private static void refused(Server server, byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1024];
            StringBuilder read = new StringBuilder();
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not close the connection within " + TIMEOUT);
            } catch (IOException e) {
                // a reset also ends it
            }
            assertThat(read.toString()).as("no HTTP answer over plain TCP").doesNotContain("HTTP/1.1");
        }
    }

    private static java.net.http.HttpResponse<String> get(Server server, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri(server, "https", path))
                        .timeout(TIMEOUT)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(Server server, String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.port() + path);
    }

    /** A {@code wss://} client of the echo route that queues what it receives. */
    private record Echo(WebSocket socket, BlockingQueue<String> received, CompletableFuture<Integer> closed) {

        static Echo connect(Server server) throws Exception {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket socket = client.newWebSocketBuilder()
                    .connectTimeout(TIMEOUT)
                    .buildAsync(uri(server, "wss", "/ws/echo"), new WebSocket.Listener() {
                        private final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                received.add(partial.toString());
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                            closed.complete(status);
                            return null;
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            return new Echo(socket, received, closed);
        }

        String next() throws InterruptedException {
            String text = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                throw new AssertionError("no message within " + TIMEOUT);
            }
            return text;
        }

        void close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }
}
