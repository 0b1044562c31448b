/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.engine.StoreStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The store's call meters: time and errors by operation, and a bound on how many operations become labels. */
class StoreMetersTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void callsAreTimedAndFailuresCountedByOperation() {
        StoreMeters meters = StoreMeters.bind(registry, List.of());
        meters.call("presence", 2_000_000, false);
        meters.call("presence", 4_000_000, true);
        meters.call("join", 1_000_000, false);

        Exposition scraped = Exposition.parse(registry.scrape());
        assertThat(scraped.value("switchboard_engine_call_seconds_count", Map.of("operation", "presence")))
                .isEqualTo(2);
        assertThat(scraped.value("switchboard_engine_call_seconds_sum", Map.of("operation", "presence")))
                .isEqualTo(0.006);
        assertThat(scraped.value(
                        "switchboard_engine_call_seconds_bucket", Map.of("operation", "presence", "le", "0.002")))
                .as("one call within 2 ms")
                .isEqualTo(1);
        assertThat(scraped.value("switchboard_engine_errors_total", Map.of("operation", "presence")))
                .isEqualTo(1);
        assertThat(scraped.value("switchboard_engine_errors_total", Map.of("operation", "join")))
                .isZero();
        assertThat(scraped.value("switchboard_engine_up")).as("no store: up").isEqualTo(1);
    }

    @Test
    void aCallRefusedUnsentIsAnErrorWithNoTime() {
        StoreMeters meters = StoreMeters.bind(registry, List.of());
        meters.call("heartbeat", 1_000_000, false);
        meters.call("heartbeat", StoreStatus.CallListener.NOT_SENT, true);
        meters.call("heartbeat", StoreStatus.CallListener.NOT_SENT, true);

        Exposition scraped = Exposition.parse(registry.scrape());
        Map<String, String> heartbeat = Map.of("operation", "heartbeat");
        assertThat(scraped.value("switchboard_engine_call_seconds_count", heartbeat))
                .as("only the call sent is timed")
                .isEqualTo(1);
        assertThat(scraped.value("switchboard_engine_errors_total", heartbeat)).isEqualTo(2);
    }

    @Test
    void publishesAreNotTimedOnlyTheirFailuresCounted() {
        StoreMeters meters = StoreMeters.bind(registry, List.of());
        meters.call("publish", 2_000_000, false);
        meters.call("publish", 3_000_000, true);

        Exposition scraped = Exposition.parse(registry.scrape());
        assertThat(scraped.samples("switchboard_engine_call_seconds_count"))
                .noneMatch(sample -> "publish".equals(sample.labels().get("operation")));
        assertThat(scraped.value("switchboard_engine_errors_total", Map.of("operation", "publish")))
                .isEqualTo(1);
    }

    @Test
    void operationsSeenFirstInParallelStillStopAtTheBound() throws Exception {
        StoreMeters meters = StoreMeters.bind(registry, List.of());
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int first = t * StoreMeters.MAX_OPERATIONS;
                pool.submit(() -> {
                    start.await();
                    for (int i = first; i < first + StoreMeters.MAX_OPERATIONS; i++) {
                        meters.call("op" + i, 1_000, false);
                    }
                    return null;
                });
            }
            start.countDown();
        }

        Exposition scraped = Exposition.parse(registry.scrape());
        assertThat(scraped.samples("switchboard_engine_errors_total"))
                .as("named operations, and other")
                .hasSize(StoreMeters.MAX_OPERATIONS + 1);
        assertThat(scraped.sum("switchboard_engine_call_seconds_count", Map.of()))
                .isEqualTo(threads * StoreMeters.MAX_OPERATIONS);
    }

    @Test
    void operationsPastTheBoundCountAsOther() {
        StoreMeters meters = StoreMeters.bind(registry, List.of());
        for (int i = 0; i < StoreMeters.MAX_OPERATIONS + 10; i++) {
            meters.call("op" + i, 1_000, false);
        }

        Exposition scraped = Exposition.parse(registry.scrape());
        Set<String> operations = scraped.samples("switchboard_engine_call_seconds_count").stream()
                .map(sample -> sample.labels().get("operation"))
                .collect(Collectors.toSet());
        assertThat(operations).hasSize(StoreMeters.MAX_OPERATIONS + 1).contains("op0", "other");
        assertThat(scraped.value("switchboard_engine_call_seconds_count", Map.of("operation", "other")))
                .isEqualTo(10);
    }
}
