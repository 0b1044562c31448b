package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.json.Json;
import io.switchboard.security.Jwt;
import io.switchboard.security.TokenAuthenticator;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With a secret configured, the chat's users come from verified tokens, never from the query. */
class ChatTokenTest {

    private final Jwt jwt =
            new Jwt("a-secret-of-at-least-32-bytes!!!".getBytes(StandardCharsets.UTF_8), Clock.systemUTC(), 0);
    private TestServer server;
    private Application app;

    @BeforeEach
    void start() {
        app = new Application(ChatSettings.defaults(), new InMemoryHistory(), Clock.systemUTC());
        server = TestServer.start(
                b -> b.router(app.router()).authenticator(app.authenticator(new TokenAuthenticator(jwt))));
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
        Jwt forger = new Jwt("another-secret-of-32-bytes-long!".getBytes(StandardCharsets.UTF_8), Clock.systemUTC(), 0);
        assertThat(server.refusedStatus("/ws/chat/lobby?access_token=" + forger.issue(Map.of("sub", "ann"))))
                .isEqualTo(401);
        assertThat(server.refusedStatus("/ws/chat/lobby?access_token=" + token("no spaces allowed", 60)))
                .isEqualTo(400);
    }

    @Test
    void otherEndpointsStayOpen() {
        TestClient echo = server.connect("/ws/echo");
        echo.sendText("hi");
        assertThat(echo.expectText()).isEqualTo("hi");
    }
}
