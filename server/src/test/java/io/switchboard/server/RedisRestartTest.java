package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.redis.RedisSettings;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redis restarts (losing its data) while two nodes chat: each node keeps serving its own clients,
 * service across nodes resumes without restarting them, and the gap shows as {@code recovered:false}.
 */
class RedisRestartTest {

    private static final Duration PROBE_WAIT = Duration.ofMillis(300);
    private static final Duration GIVE_UP = Duration.ofSeconds(15);

    @Test
    void serviceResumesAfterARedisRestartAndTheGapIsReported() {
        try (RedisServer redis = RedisServer.start()) {
            RedisSettings settings = RedisSettings.of(redis.uri())
                    .withPrefix("restart:")
                    .withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(2));
            try (ClusterNode a = ClusterNode.start(settings, ChatSettings.defaults());
                    ClusterNode b = ClusterNode.start(settings, ChatSettings.defaults())) {
                ChatClient ann = a.join("lobby", "ann");
                ann.welcome();
                ChatClient bob = b.join("lobby", "bob");
                bob.welcome();
                ann.next("join");
                ann.say("before");
                assertThat(ann.next("message").get("id").asLong()).isEqualTo(1);
                assertThat(bob.next("message").get("id").asLong()).isEqualTo(1);

                redis.stop();
                ann.say("during");
                JsonNode during = ann.next("message");
                assertThat(during.get("message").asText()).isEqualTo("during");
                assertThat(during.get("id").asLong())
                        .as("numbered by node a alone")
                        .isEqualTo(2);
                redis.launch();

                awaitCrossing(ann, bob);
                ann.say("after");
                assertThat(readUntil(ann, "after").get("id").asLong()).isGreaterThan(2);
                readUntil(bob, "after");

                ChatClient bobAgain = b.join("lobby", "bob", 1);
                JsonNode welcome = bobAgain.welcome();
                assertThat(welcome.get("recovered").asBoolean())
                        .as("the outage left a gap")
                        .isFalse();
                assertThat(ChatClient.texts(welcome.get("members"))).containsExactly("ann", "bob");
                List.of(a, b).forEach(ClusterNode::assertNoUnreadEvents);
            }
        }
    }

    /** Ann says probes until one reaches bob on the other node; fails after {@link #GIVE_UP}. */
    private static void awaitCrossing(ChatClient ann, ChatClient bob) {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        for (int probe = 0; System.nanoTime() < deadline; probe++) {
            ann.say("probe " + probe);
            assertThat(ann.next("message").get("message").asText()).isEqualTo("probe " + probe);
            try {
                if (bob.next(PROBE_WAIT).path("message").asText().startsWith("probe")) {
                    return;
                }
            } catch (AssertionError nothingYet) {
                // not across yet: the node is still reconnecting
            }
        }
        throw new AssertionError("messages did not cross nodes again within " + GIVE_UP.toMillis() + " ms");
    }

    /** Reads messages (probes that were still on their way) up to the one saying {@code text}. */
    private static JsonNode readUntil(ChatClient client, String text) {
        while (true) {
            JsonNode message = client.next("message");
            if (message.get("message").asText().equals(text)) {
                return message;
            }
        }
    }
}
