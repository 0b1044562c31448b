/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.json.Json;
import io.switchboard.security.FailedAttempts;
import io.switchboard.security.TokenIssuer;
import io.switchboard.server.ServedNode;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.TestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin page over HTTP: off without a password, the password and the session, and the CSRF and origin checks. */
class AdminHttpTest {

    private static final String PASSWORD = "correct-horse";
    private static final String SECRET = "an-admin-test-secret-of-at-least-32-bytes";

    private static ServedNode node;
    private static AdminHttp http;

    @BeforeAll
    static void start() {
        node = ServedNode.start(List.of("--admin-password", PASSWORD));
        http = new AdminHttp(node.http(""));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** Reads past what the chat sent until the close. */
    static ClientEvent.Closed closeOf(TestClient client) {
        while (true) {
            if (client.nextEvent() instanceof ClientEvent.Closed closed) {
                return closed;
            }
        }
    }

    @Test
    void withoutAPasswordThereIsNoAdminPage() {
        try (ServedNode off = ServedNode.start(List.of())) {
            AdminHttp plain = new AdminHttp(off.http(""));
            assertThat(plain.get("/admin").statusCode()).isEqualTo(404);
            assertThat(plain.get("/admin/admin.js").statusCode()).isEqualTo(404);
            assertThat(plain.get("/admin/api/stats", "Authorization", "Bearer " + PASSWORD)
                            .statusCode())
                    .isEqualTo(404);
            HttpResponse<String> login = plain.post("/admin/api/login", "password=" + PASSWORD);
            assertThat(login.statusCode()).isEqualTo(405); // the chat's static files take no POST
            assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void anAddressThatKeepsFailingIsRefusedWithoutACheck() {
        try (ServedNode own = ServedNode.start(List.of("--admin-password", PASSWORD))) {
            AdminHttp guesser = new AdminHttp(own.http(""));
            for (int i = 0; i < FailedAttempts.LIMIT; i++) {
                assertThat(guesser.get("/admin/api/stats", "Authorization", "Bearer guess" + i)
                                .statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> refused = guesser.post("/admin/api/login", "password=" + PASSWORD);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void withAnInternalPortThePageMovesThere() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (ServedNode inside =
                ServedNode.start(List.of("--admin-password", PASSWORD, "--internal-port", String.valueOf(port)))) {
            AdminHttp internal = new AdminHttp("http://127.0.0.1:" + port);
            assertThat(new AdminHttp(inside.http("")).get("/admin").statusCode())
                    .isEqualTo(404);
            assertThat(internal.get("/admin").statusCode()).isEqualTo(200);
            assertThat(internal.json("/admin/api/stats", "Authorization", "Bearer " + PASSWORD))
                    .containsKey("points");
        }
    }

    /** The server counts its traffic for the charts even when nothing is counted for /metrics. */
    @Test
    void withoutMetricsTheChartsStillMove() {
        try (ServedNode quiet = ServedNode.start(List.of("--no-metrics", "--admin-password", PASSWORD));
                TestClient echo = TestClient.connect(URI.create(quiet.ws("/ws/echo")))) {
            AdminHttp admin = new AdminHttp(quiet.http(""));
            assertThat(admin.get("/metrics").statusCode()).isEqualTo(404);
            for (int i = 0; i < 20; i++) {
                echo.sendText("ping " + i);
                assertThat(echo.expectText()).isEqualTo("ping " + i);
            }
            AdminHttp.eventually("a chart point with messages in", 10, () -> {
                List<?> points = (List<?>) admin.json("/admin/api/stats", "Authorization", "Bearer " + PASSWORD)
                        .get("points");
                return points.stream()
                        .anyMatch(point -> ((Number) ((Map<?, ?>) point).get("inPerSecond")).doubleValue() > 0);
            });
        }
    }

    @Test
    void thePageIsServedAndTheApiWantsALogin() {
        HttpResponse<String> page = http.get("/admin");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Switchboard admin</title>");
        assertThat(http.get("/admin/api/stats").statusCode()).isEqualTo(401);
        assertThat(http.get("/admin/api/session").statusCode()).isEqualTo(401);
        assertThat(http.get("/admin/api/stats", "Cookie", AdminGate.COOKIE + "=1.2.3")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void aWrongPasswordIs401() {
        HttpResponse<String> login =
                http.post("/admin/api/login", "password=wrong", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(login.statusCode()).isEqualTo(401);
        assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(http.get("/admin/api/stats", "Authorization", "Bearer wrong").statusCode())
                .isEqualTo(401);
        http.login(PASSWORD); // a success forgets the failures, so the other tests are not slowed
    }

    @Test
    void theRightPasswordGivesAStrictHttpOnlyCookieThatOpensTheApi() {
        AdminHttp.Session session = http.login(PASSWORD);

        assertThat(session.setCookie())
                .startsWith(AdminGate.COOKIE + "=")
                .contains("; HttpOnly", "; SameSite=Strict", "; Path=/admin")
                .doesNotContain("Secure"); // plain HTTP here; TLS adds it
        Map<String, Object> stats = http.json("/admin/api/stats", "Cookie", session.cookie());
        assertThat(stats.get("node")).isNotNull();
        assertThat(http.json("/admin/api/session", "Cookie", session.cookie()).get("csrf"))
                .isEqualTo(session.csrf());
        assertThat(http.json("/admin/api/rooms", "Authorization", "Bearer " + PASSWORD))
                .containsKeys("rooms", "channels");
    }

    @Test
    void aChangeWithTheCookieNeedsTheCsrfTokenAndTheSameOrigin() {
        AdminHttp.Session session = http.login(PASSWORD);
        String cookie = session.cookie();
        String csrf = AdminGate.CSRF_HEADER;

        assertThat(publish("Cookie", cookie)).isEqualTo(403);
        assertThat(publish("Cookie", cookie, csrf, "forged")).isEqualTo(403);
        assertThat(publish("Cookie", cookie, csrf, session.csrf(), "Origin", "http://evil.example"))
                .isEqualTo(403);
        assertThat(publish("Cookie", cookie, csrf, session.csrf(), "Origin", "http://127.0.0.1:" + node.port()))
                .isEqualTo(200);
        assertThat(publish("Cookie", cookie, csrf, session.csrf())).isEqualTo(200); // no Origin: the token suffices
        assertThat(publish("Authorization", "Bearer " + PASSWORD)).isEqualTo(200); // a script: no cookie to forge
    }

    /** The status of a post to the lobby with {@code headers}. */
    private static int publish(String... headers) {
        return http.post("/admin/api/publish", "{\"room\":\"lobby\",\"text\":\"from the admin\"}", headers)
                .statusCode();
    }

    @Test
    void aLoginFromAnotherOriginIsRefused() {
        HttpResponse<String> login = http.post(
                "/admin/api/login",
                "password=" + PASSWORD,
                "Content-Type",
                "application/x-www-form-urlencoded",
                "Origin",
                "http://evil.example");
        assertThat(login.statusCode()).isEqualTo(403);
    }

    @Test
    void aPostToAReadIs405AndBadInputIs400() {
        String bearer = "Bearer " + PASSWORD;
        assertThat(http.post("/admin/api/stats", "", "Authorization", bearer).statusCode())
                .isEqualTo(405);
        assertThat(http.get("/admin/api/publish", "Authorization", bearer).statusCode())
                .isEqualTo(405);
        assertThat(http.get("/admin/api/stats?after=soon", "Authorization", bearer)
                        .statusCode())
                .isEqualTo(400);
        assertThat(http.post("/admin/api/publish", "not json", "Authorization", bearer)
                        .statusCode())
                .isEqualTo(400);
        assertThat(http.post("/admin/api/publish", "{\"room\":\"no room!\",\"text\":\"x\"}", "Authorization", bearer)
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void aChatUserIsFoundAndDisconnected() {
        TestClient ann = TestClient.connect(URI.create(node.ws("/ws/chat/lobby?user=ann")));
        ann.expectText(); // the welcome
        String bearer = "Bearer " + PASSWORD;

        Map<String, Object> found = http.json("/admin/api/users/ann", "Authorization", bearer);
        List<?> connections = (List<?>) found.get("connections");
        assertThat(connections).hasSize(1);
        Map<?, ?> connection = (Map<?, ?>) connections.get(0);
        assertThat(connection.get("kind")).isEqualTo("chat");
        assertThat(connection.get("room")).isEqualTo("lobby");
        assertThat(http.json("/admin/api/rooms", "Authorization", bearer).get("rooms"))
                .isEqualTo(Map.of("lobby", 1));

        assertThat(http.post("/admin/api/users/ann/disconnect", "", "Authorization", bearer)
                        .statusCode())
                .isEqualTo(200);
        assertThat(closeOf(ann).code()).isEqualTo(4501);
        AdminHttp.eventually("ann's connection to be gone", 10, () -> ((List<?>)
                        http.json("/admin/api/users/ann", "Authorization", bearer)
                                .get("connections"))
                .isEmpty());
    }

    @Test
    void aChannelsUserIsFoundAndDisconnected() {
        try (ServedNode tokens = ServedNode.start(List.of("--admin-password", PASSWORD, "--jwt-secret", SECRET))) {
            findAndDisconnectChannelsUser(tokens, "dan");
        }
    }

    /** Channels users may have names the chat refuses: the admin skips the chat for them, and finds them. */
    @Test
    void aChannelsUserWithANameOutsideTheChatsRuleIsFoundAndDisconnected() {
        try (ServedNode tokens = ServedNode.start(List.of("--admin-password", PASSWORD, "--jwt-secret", SECRET))) {
            findAndDisconnectChannelsUser(tokens, "Zoë");
            findAndDisconnectChannelsUser(tokens, "ann smith");
        }
    }

    private static void findAndDisconnectChannelsUser(ServedNode tokens, String user) {
        try (TestClient client = TestClient.connect(URI.create(tokens.ws("/connection/websocket")))) {
            String token = TokenIssuer.hmac(SECRET.getBytes(StandardCharsets.UTF_8))
                    .issue(user, Instant.now(), Duration.ofHours(1), Map.of());
            client.sendText("{\"id\":1,\"connect\":{\"token\":" + Json.write(token) + "}}");
            assertThat(client.expectText()).contains("\"id\":1", "\"connect\":");
            AdminHttp admin = new AdminHttp(tokens.http(""));
            String bearer = "Bearer " + PASSWORD;
            String path = "/admin/api/users/"
                    + URLEncoder.encode(user, StandardCharsets.UTF_8).replace("+", "%20");

            Map<String, Object> found = admin.json(path, "Authorization", bearer);
            assertThat(found.get("user")).isEqualTo(user);
            List<?> connections = (List<?>) found.get("connections");
            assertThat(connections).hasSize(1);
            assertThat(((Map<?, ?>) connections.get(0)).get("kind")).isEqualTo("channels");

            assertThat(admin.post(path + "/disconnect", "", "Authorization", bearer)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(closeOf(client).code()).isEqualTo(3503); // force disconnect: the client does not come back
        }
    }
}
