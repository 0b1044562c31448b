/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.json.Json;
import io.switchboard.security.JwtVerifier;
import io.switchboard.security.TokenAuthenticator;
import io.switchboard.security.TokenIssuer;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With a secret configured, the chat's users come from verified tokens, never from the query. */
class ChatTokenTest {

    private static final byte[] SECRET = "a-secret-of-at-least-32-bytes!!!".getBytes(StandardCharsets.UTF_8);
    private final TokenIssuer jwt = TokenIssuer.hmac(SECRET);
    private TestServer server;
    private Application app;

    @BeforeEach
    void start() {
        app = new Application(ChatSettings.defaults(), new InMemoryHistory(), Clock.systemUTC());
        server = TestServer.start(b -> b.router(app.router())
                .authenticator(app.authenticator(new TokenAuthenticator(
                        JwtVerifier.builder().hmacSecret(SECRET).build()))));
    }

    @AfterEach
    void stop() {
        server.close();
        app.close();
    }

    private String token(String user, long expiresIn) {
        return jwt.issue(Map.of("sub", user, "exp", System.currentTimeMillis() / 1000 + expiresIn));
    }

    @Test
    void theUserComesFromTheTokenNotTheQuery() {
        TestClient byQuery = server.connect("/ws/chat/lobby?user=mallory&access_token=" + token("ann", 60));
        assertThat(Json.read(byQuery.expectText(), JsonNode.class).get("user").asText())
                .isEqualTo("ann");

        TestClient byHeader =
                server.connect("/ws/chat/lobby", Map.of("Authorization", "Bearer " + token("bob", 60)), List.of());
        JsonNode welcome = Json.read(byHeader.expectText(), JsonNode.class);
        assertThat(welcome.get("user").asText()).isEqualTo("bob");
        assertThat(welcome.get("members").toString()).isEqualTo("[\"ann\",\"bob\"]");
        assertThat(byQuery.expectText()).contains("\"type\":\"join\"").contains("\"user\":\"bob\"");
    }

    @Test
    void missingExpiredForgedOrUnfitTokensAreRefused() {
        assertThat(server.refusedStatus("/ws/chat/lobby?user=ann")).isEqualTo(401);
        assertThat(server.refusedStatus("/ws/chat/lobby?access_token=" + token("ann", -60)))
                .isEqualTo(401);
        TokenIssuer forger = TokenIssuer.hmac("another-secret-of-32-bytes-long!".getBytes(StandardCharsets.UTF_8));
        assertThat(server.refusedStatus("/ws/chat/lobby?access_token=" + forger.issue(Map.of("sub", "ann"))))
                .isEqualTo(401);
        assertThat(server.refusedStatus("/ws/chat/lobby?access_token=" + token("no spaces allowed", 60)))
                .isEqualTo(400);
    }

    @Test
    void aTokenWithoutExpiryOrWithACriticalHeaderIsRefused() {
        assertThat(server.refusedStatus("/ws/chat/lobby?access_token=" + jwt.issue(Map.of("sub", "ann"))))
                .isEqualTo(401);
        String valid = token("ann", 60);
        String crit = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        "{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}".getBytes(StandardCharsets.UTF_8));
        String payload = valid.substring(valid.indexOf('.') + 1, valid.lastIndexOf('.'));
        try (RawClient raw = server.raw()) {
            RawClient.HttpHead answer =
                    raw.upgrade("/ws/chat/lobby?access_token=" + signed(crit + "." + payload), Map.of());
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.body()).isEqualTo("unsupported critical token header parameters\n");
        }
    }

    /** A browser offers the token as its only subprotocol and fails a 101 that names none. */
    @Test
    void aTokenInASubprotocolIsAnsweredWithThatSubprotocol() {
        String offered = "bearer." + token("ann", 60);
        try (RawClient raw = server.raw()) {
            RawClient.HttpHead answer = raw.upgrade("/ws/chat/lobby", Map.of("Sec-WebSocket-Protocol", offered));
            assertThat(answer.status()).isEqualTo(101);
            assertThat(answer.header("Sec-WebSocket-Protocol")).isEqualTo(offered);
            assertThat(raw.readFrame().text()).contains("\"type\":\"welcome\"").contains("\"user\":\"ann\"");
        }
        try (RawClient raw = server.raw()) {
            RawClient.HttpHead answer = raw.upgrade(
                    "/ws/chat/lobby?access_token=" + token("bob", 60), Map.of("Sec-WebSocket-Protocol", "bearer.x"));
            assertThat(answer.status()).isEqualTo(101);
            assertThat(answer.header("Sec-WebSocket-Protocol"))
                    .as("the token came from the query, not the subprotocol")
                    .isNull();
        }
    }

    /** HS256 over {@code input} with the test secret, appended. */
    private static String signed(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(
                    "a-secret-of-at-least-32-bytes!!!".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "."
                    + Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void otherEndpointsStayOpen() {
        TestClient echo = server.connect("/ws/echo");
        echo.sendText("hi");
        assertThat(echo.expectText()).isEqualTo("hi");
    }
}
