/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a {@code serve} node's {@code /metrics} every second; its HTTP API's
 * {@code switchboard_connections} follows clients as they connect and disconnect.
 */
class PrometheusScrapeTest {

    @Test
    void prometheusSeesConnectionsComeAndGo(@TempDir Path dir) throws Exception {
        List<TestClient> clients = new ArrayList<>();
        try (Running node = MetricsScrapes.serve();
                PrometheusServer prometheus =
                        PrometheusServer.start(dir, "127.0.0.1:" + node.server().port())) {
            assertThat(prometheus.awaitValue("up{job=\"switchboard\"}", up -> up == 1))
                    .isEqualTo(1);
            assertThat(prometheus.awaitValue("switchboard_connections", open -> open == 0))
                    .isZero();

            for (int i = 0; i < 3; i++) {
                clients.add(TestClient.connect(
                        URI.create("ws://127.0.0.1:" + node.server().port() + "/ws/echo")));
            }
            assertThat(prometheus.awaitValue("switchboard_connections", open -> open == 3))
                    .isEqualTo(3);

            clients.removeFirst().close();
            clients.removeFirst().close();
            assertThat(prometheus.awaitValue("switchboard_connections", open -> open == 1))
                    .isEqualTo(1);
        } finally {
            clients.forEach(TestClient::close);
        }
    }
}
