package io.switchboard.server.centrifuge;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.redis.RedisSettings;
import io.switchboard.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared suite of the real centrifuge client in Node ({@code src/test/centrifuge/*.test.mjs},
 * Node's own test runner), which the channels module runs against one node in memory, here against
 * two nodes on a real Redis: each test's clients on both nodes ({@code SWITCHBOARD_WS_URL} and
 * {@code SWITCHBOARD_WS_URL_2}). Fails naming Node's failing tests; Node's output goes to the log.
 */
class CentrifugeNodeSuiteOnRedisTest {

    private static final Logger LOG = LoggerFactory.getLogger(CentrifugeNodeSuiteOnRedisTest.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void theSharedNodeSuitePassesAcrossTwoNodesOnRedis() throws Exception {
        NodeLink.requireInstalled();
        try (RedisServer redis = RedisServer.start()) {
            RedisSettings settings = RedisSettings.of(redis.uri()).withCommandTimeout(Duration.ofSeconds(5));
            try (ChannelsNode a = ChannelsNode.start(settings);
                    ChannelsNode b = ChannelsNode.start(settings)) {
                assertThat(runSuite(a.url(), b.url()))
                        .as("the centrifuge client tests that failed across two nodes on Redis (see the log)")
                        .isEmpty();
            }
        }
    }

    private static List<String> runSuite(String first, String second) throws IOException, InterruptedException {
        String[] files = NodeLink.PROJECT.toFile().list((dir, name) -> name.endsWith(".test.mjs"));
        assertThat(files).as("Node test files in " + NodeLink.PROJECT).isNotEmpty();
        Arrays.sort(files);
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
        command.addAll(Arrays.asList(files));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(NodeLink.PROJECT.toFile()).redirectErrorStream(true);
        builder.environment().put("SWITCHBOARD_WS_URL", first);
        builder.environment().put("SWITCHBOARD_WS_URL_2", second);
        builder.environment().put("SWITCHBOARD_TOKEN_SECRET", Tokens.SECRET);
        Process node = builder.start();
        List<String> failed = new ArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> read(node, failed));
        if (!node.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            reader.join(Duration.ofSeconds(5));
            throw new AssertionError(
                    "node --test did not end within " + TIMEOUT.toSeconds() + " s; failed so far: " + failed);
        }
        reader.join(Duration.ofSeconds(5));
        synchronized (failed) {
            if (node.exitValue() != 0 && failed.isEmpty()) {
                failed.add("node --test exited with " + node.exitValue() + " (see the log)");
            }
            return List.copyOf(failed);
        }
    }

    /** Logs Node's report; collects the names of failing tests (the lines it marks ✖, before its summary). */
    private static void read(Process node, List<String> failed) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean summary = false;
            while ((line = lines.readLine()) != null) {
                LOG.info("node: {}", line);
                String trimmed = line.strip();
                summary |= trimmed.startsWith("✖ failing tests");
                if (!summary && trimmed.startsWith("✖ ")) {
                    synchronized (failed) {
                        failed.add(trimmed.substring(2));
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("reading node's output failed: {}", e.toString());
        }
    }
}
