/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.metrics.Exposition;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's meters on a {@code serve} node of a real redis-server: calls timed by operation, errors
 * counted, {@code switchboard_engine_up} 0 while Redis is stopped (and the scrape still answers) and 1
 * again once it is back.
 */
class ServeEngineMetricsTest {

    @Test
    void theEngineIsUpDownAndUpAgainWithItsCallsTimed() throws Exception {
        try (RedisServer redis = RedisServer.start();
                Running node = MetricsScrapes.serve(
                        "--redis", redis.uri(),
                        "--redis-prefix", "metrics-test:",
                        "--node-heartbeat", "100ms",
                        "--node-expiry", "1s",
                        "--redis-timeout", "300ms")) {
            TestClient ann = TestClient.connect(
                    URI.create("ws://127.0.0.1:" + node.server().port() + "/ws/chat/lobby?user=ann"));
            assertThat(ann.expectText()).contains("\"welcome\"");

            Exposition up = MetricsScrapes.until(node, e -> calls(e, "join") >= 1 && calls(e, "heartbeat") >= 1);
            assertThat(up.value("switchboard_engine_up")).isEqualTo(1);
            assertThat(up.type("switchboard_engine_call_seconds")).contains("histogram");
            assertThat(up.value("switchboard_engine_call_seconds_sum", Map.of("operation", "join")))
                    .isPositive();
            assertThat(up.value("switchboard_engine_call_seconds_bucket", Map.of("operation", "join", "le", "+Inf")))
                    .isEqualTo(calls(up, "join"));
            assertThat(up.sum("switchboard_engine_errors_total", Map.of())).isZero();

            redis.stop();
            MetricsScrapes.until(node, e -> e.value("switchboard_engine_up") == 0);
            // The link may drop before any call fails; the heartbeat's next call then does.
            Exposition failing =
                    MetricsScrapes.until(node, e -> e.sum("switchboard_engine_errors_total", Map.of()) > 0);
            assertThat(failing.value("switchboard_engine_up")).isZero();

            redis.launch();
            MetricsScrapes.until(node, e -> e.value("switchboard_engine_up") == 1);
            ann.close();
        }
    }

    private static double calls(Exposition scraped, String operation) {
        return scraped.sum("switchboard_engine_call_seconds_count", Map.of("operation", operation));
    }
}
