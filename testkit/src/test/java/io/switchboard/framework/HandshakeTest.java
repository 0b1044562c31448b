/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The opening handshake, byte by byte (RFC 6455, section 4). Frames, control frames and the closing
 * handshake are tested section by section in {@code io.switchboard.conformance}.
 */
class HandshakeTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(Router.builder()
                .websocket(
                        "/ws/echo", Handlers.of(ws -> ws.onText(Session::send).onBinary(Session::send)))
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The answer to an upgrade of /ws/echo with {@code changes} to the correct headers (null removes). */
    private RawClient.HttpHead upgradeWith(String... changes) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < changes.length; i += 2) {
            headers.put(changes[i], changes[i + 1]);
        }
        try (RawClient raw = server.raw()) {
            return raw.upgrade("/ws/echo", headers);
        }
    }

    @Test
    void aCorrectUpgradeIsAnsweredWith101AndTheAcceptKey() throws Exception {
        try (RawClient raw = server.raw()) {
            String key = "dGhlIHNhbXBsZSBub25jZQ==";
            RawClient.HttpHead answer = raw.upgrade("/ws/echo", Map.of("Sec-WebSocket-Key", key));
            assertThat(answer.status()).isEqualTo(101);
            assertThat(answer.header("Upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(answer.header("Connection")).isEqualToIgnoringCase("upgrade");
            assertThat(answer.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            assertThat(answer.header("Sec-WebSocket-Accept"))
                    .isEqualTo(Base64.getEncoder().encodeToString(digest));
            assertThat(answer.header("Sec-WebSocket-Protocol")).isNull();
            raw.sendText("works");
            assertThat(raw.readFrame().text()).isEqualTo("works");
        }
    }

    @Test
    void headerNamesAndTokensAreNotCaseSensitive() {
        RawClient.HttpHead answer = upgradeWith("Upgrade", "WebSocket", "Connection", "keep-alive, Upgrade");
        assertThat(answer.status()).isEqualTo(101);
    }

    @Test
    void anUnsupportedVersionIs426NamingVersion13() {
        for (String version : new String[] {"8", "12", "14", "13, 8"}) {
            RawClient.HttpHead answer = upgradeWith("Sec-WebSocket-Version", version);
            assertThat(answer.status()).as(version).isEqualTo(426);
            assertThat(answer.header("Sec-WebSocket-Version")).isEqualTo("13");
        }
    }

    @Test
    void aMissingOrMalformedHeaderIs400() {
        String[][] cases = {
            {"Sec-WebSocket-Key", null},
            {"Sec-WebSocket-Key", "tooshort"},
            {"Sec-WebSocket-Key", "!!!!not-base64-at-all!!!"},
            {"Sec-WebSocket-Key", Base64.getEncoder().encodeToString(new byte[15]) + "="},
            {"Sec-WebSocket-Version", null},
            {"Connection", null},
            {"Connection", "keep-alive"},
            {"Upgrade", null},
            {"Upgrade", "h2c"},
            {"Host", null},
        };
        for (String[] change : cases) {
            RawClient.HttpHead answer = upgradeWith(change[0], change[1]);
            assertThat(answer.status()).as(change[0] + ": " + change[1]).isEqualTo(400);
        }
    }

    @Test
    void anUpgradeMustBeAnHttp11Get() {
        String key = RawClient.newKey();
        String headers = "Host: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n";
        try (RawClient raw = server.raw()) {
            assertThat(raw.request("POST /ws/echo HTTP/1.1\r\n" + headers + "Content-Length: 0\r\n\r\n")
                            .status())
                    .isEqualTo(400);
        }
        try (RawClient raw = server.raw()) {
            assertThat(raw.request("GET /ws/echo HTTP/1.0\r\n" + headers + "\r\n")
                            .status())
                    .isEqualTo(400);
        }
    }

    @Test
    void framesSentRightBehindTheUpgradeRequestAreNotLost() {
        try (RawClient raw = server.raw()) {
            String request = "GET /ws/echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + RawClient.newKey() + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(request.getBytes(StandardCharsets.ISO_8859_1));
            bytes.writeBytes(RawClient.encode(true, 0, RawClient.TEXT, "early".getBytes(StandardCharsets.UTF_8), true));
            bytes.writeBytes(RawClient.encode(true, 0, RawClient.TEXT, "bird".getBytes(StandardCharsets.UTF_8), true));
            raw.writeRaw(bytes.toByteArray());
            assertThat(raw.readResponse().status()).isEqualTo(101);
            assertThat(raw.readFrame().text()).isEqualTo("early");
            assertThat(raw.readFrame().text()).isEqualTo("bird");
        }
    }
}
