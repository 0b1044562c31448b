/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import io.switchboard.testkit.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Debian's real {@code prometheus}, started by a test on a free loopback port with its own config and
 * storage in {@code dir}, scraping one target every second; queried through its HTTP API and stopped
 * by its PID.
 */
final class PrometheusServer implements AutoCloseable {

    static final Path BINARY = Path.of(System.getProperty("prometheus", "/usr/bin/prometheus"));
    static final Duration WAIT = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /** Starts Prometheus scraping {@code target} ({@code host:port}) and waits until it is ready. */
    static PrometheusServer start(Path dir, String target) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("prometheus is not at " + BINARY + ": install Debian's prometheus"
                    + " (apt-get install prometheus; .ci/run does) or set -Dprometheus=PATH.");
        }
        Path config = Files.writeString(dir.resolve("prometheus.yml"), config(target));
        Path log = dir.resolve("prometheus.log");
        String listen = "127.0.0.1:" + freePort();
        Process process = new ProcessBuilder(
                        BINARY.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=" + listen,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, log, URI.create("http://" + listen));
        try {
            server.awaitReady();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static String config(String target) {
        return """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: switchboard
                    scrape_interval: 1s
                    scrape_timeout: 1s
                    static_configs:
                      - targets: ['%s']
                """.formatted(target);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() {
        await("ready", () -> get("/-/ready").status() == 200, ready -> ready);
    }

    /**
     * Queries {@code query} (an instant vector with one series) until its value meets {@code expected},
     * failing after {@link #WAIT}; returns the value.
     */
    double awaitValue(String query, Predicate<Double> expected) {
        return await(query, () -> value(query), value -> value != null && expected.test(value));
    }

    /** The value of {@code query}'s only series now, or null while there is none. */
    Double value(String query) {
        Answer answer = get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        if (answer.status() != 200) {
            throw new AssertionError("query " + query + " answered " + answer);
        }
        JsonNode body = Json.read(answer.body(), JsonNode.class);
        JsonNode result = body.path("data").path("result");
        if (result.size() > 1) {
            throw new AssertionError("query " + query + " has more than one series: " + result);
        }
        return result.isEmpty()
                ? null
                : Double.valueOf(result.get(0).path("value").get(1).asText());
    }

    private <T> T await(String what, java.util.function.Supplier<T> probe, Predicate<T> done) {
        // Prometheus scrapes on its own schedule and tells no one: its answers are polled.
        try {
            return Eventually.until(
                    what,
                    WAIT,
                    () -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("prometheus exited: " + logText());
                        }
                        return probe.get();
                    },
                    done);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; log: " + logText(), e);
        }
    }

    /** An HTTP answer; status 0 when none came (not listening yet). */
    private record Answer(int status, String body) {}

    private Answer get(String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops Prometheus by its PID (SIGTERM, then SIGKILL if it lingers) and waits for it to exit. */
    @Override
    public void close() {
        http.close();
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
        if (handle == null) {
            return;
        }
        handle.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                handle.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
