/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.metrics.Exposition;
import io.switchboard.stats.Refusal;
import io.switchboard.stats.ServerStats;
import io.switchboard.testkit.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Starts {@code serve} for metrics tests and reads its {@code /metrics}, parsed. */
final class MetricsScrapes {

    static final Duration WAIT = Duration.ofSeconds(10);

    private MetricsScrapes() {}

    /** {@code serve --port 0} with {@code more}, its banner swallowed. */
    static Running serve(String... more) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--drain-timeout", "500ms"));
        args.addAll(List.of(more));
        Resolved settings = ServeChannelsTest.resolve(Map.of(), args.toArray(String[]::new));
        return Running.start(settings, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** {@code METHOD /metrics}. */
    static HttpResponse<String> request(Running node, String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.server().port() + "/metrics"))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(WAIT)
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** {@code GET /metrics}, which must answer 200, parsed. */
    static Exposition scrape(Running node) throws Exception {
        HttpResponse<String> response = request(node, "GET");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Exposition.parse(response.body());
    }

    /** Scrapes until {@code condition} holds, failing after {@link #WAIT}; returns that scrape. */
    static Exposition until(Running node, Predicate<Exposition> condition) {
        // A scrape is a poll by nature: the figures change with no event a test could wait on.
        return Eventually.until("the metrics to meet the condition", WAIT, () -> scrapeUnchecked(node), condition);
    }

    private static Exposition scrapeUnchecked(Running node) {
        try {
            return scrape(node);
        } catch (Exception e) {
            throw new AssertionError("cannot scrape " + node, e);
        }
    }

    /** Every server meter in {@code scraped} says what {@code stats} says (read after it, with no traffic between). */
    static void assertMatches(Exposition scraped, ServerStats stats) {
        assertThat(scraped.value("switchboard_connections")).isEqualTo(stats.openConnections());
        assertThat(scraped.value("switchboard_connections_opened_total")).isEqualTo(stats.connectionsOpened());
        stats.closedByCode().forEach((code, count) -> assertThat(
                        scraped.value("switchboard_connections_closed_total", Map.of("code", Integer.toString(code))))
                .isEqualTo(count.doubleValue()));
        for (Refusal reason : Refusal.values()) {
            assertThat(scraped.value("switchboard_handshakes_refused_total", Map.of("reason", reason.label())))
                    .isEqualTo(stats.refusedByReason().get(reason).doubleValue());
        }
        assertThat(scraped.value("switchboard_messages_received_total")).isEqualTo(stats.messagesIn());
        assertThat(scraped.value("switchboard_messages_sent_total")).isEqualTo(stats.messagesOut());
        assertThat(scraped.value("switchboard_received_bytes_total")).isEqualTo(stats.bytesIn());
        assertThat(scraped.value("switchboard_sent_bytes_total")).isEqualTo(stats.bytesOut());
        assertThat(scraped.value("switchboard_deliveries_total")).isEqualTo(stats.deliveries());
        assertThat(scraped.value("switchboard_slow_consumer_closes_total")).isEqualTo(stats.slowConsumerCloses());
        assertThat(scraped.value("switchboard_slow_consumer_drops_total")).isEqualTo(stats.slowConsumerDrops());
        assertThat(scraped.value("switchboard_rate_limited_total")).isEqualTo(stats.rateLimited());
    }
}
