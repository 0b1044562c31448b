/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/OPERATIONS.md agrees with the server: its metrics table names every {@code switchboard_}
 * family a node serves (in memory and on Redis) and no other, and its Prometheus config and alert
 * rules pass Debian's {@code promtool}: the config checks, and the rules fire in the rule unit tests
 * ({@code metrics/switchboard-alerts-test.yml}) on what they are for and only on that.
 */
class OperationsMetricsDocTest {

    private static final Pattern TABLE_NAME = Pattern.compile("^\\| `(switchboard_[a-z_]+)` \\|", Pattern.MULTILINE);
    private static final Pattern YAML = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);
    private static final Path PROMTOOL = Path.of(System.getProperty("promtool", "/usr/bin/promtool"));

    @Test
    void theTableNamesEveryFamilyANodeServes() throws Exception {
        Set<String> served = new TreeSet<>();
        try (Running node = MetricsScrapes.serve();
                TestClient ann = TestClient.connect(
                        URI.create("ws://127.0.0.1:" + node.server().port() + "/ws/echo"))) {
            ann.sendClose(1000, "bye");
            ann.expectClosed();
            served.addAll(switchboardFamilies(
                    MetricsScrapes.until(node, e -> e.families().contains("switchboard_connections_closed_total"))
                            .families()));
        }
        try (RedisServer redis = RedisServer.start();
                Running node = MetricsScrapes.serve("--redis", redis.uri(), "--node-heartbeat", "100ms")) {
            served.addAll(switchboardFamilies(
                    MetricsScrapes.until(node, e -> e.families().contains("switchboard_engine_call_seconds"))
                            .families()));
        }
        served.remove("switchboard_engine_call_seconds_max"); // the histogram's row tells of it

        assertThat(new TreeSet<>(tableNames())).isEqualTo(served);
    }

    @Test
    void theScrapeConfigAndAlertRulesPassPromtool(@TempDir Path dir) throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            throw new AssertionError("promtool is not at " + PROMTOOL + ": install Debian's prometheus"
                    + " (apt-get install prometheus; .ci/run does) or set -Dpromtool=PATH.");
        }
        List<String> blocks = yamlBlocks();
        assertThat(blocks)
                .as("the section's prometheus.yml and switchboard-alerts.yml")
                .hasSize(2);
        Files.writeString(dir.resolve("prometheus.yml"), blocks.get(0));
        Files.writeString(dir.resolve("switchboard-alerts.yml"), blocks.get(1));
        try (InputStream tests = getClass().getResourceAsStream("/metrics/switchboard-alerts-test.yml")) {
            Files.write(dir.resolve("switchboard-alerts-test.yml"), tests.readAllBytes());
        }

        assertThat(promtool(dir, "check", "config", "prometheus.yml")).contains("SUCCESS: 4 rules found");
        assertThat(promtool(dir, "test", "rules", "switchboard-alerts-test.yml"))
                .contains("SUCCESS");
    }

    private static Set<String> switchboardFamilies(Set<String> families) {
        return families.stream().filter(f -> f.startsWith("switchboard_")).collect(Collectors.toSet());
    }

    private static List<String> tableNames() throws IOException {
        Matcher names = TABLE_NAME.matcher(section("## Metrics"));
        return names.results().map(match -> match.group(1)).toList();
    }

    private static List<String> yamlBlocks() throws IOException {
        return YAML.matcher(section("## Prometheus: a scrape config and alert rules"))
                .results()
                .map(match -> match.group(1))
                .toList();
    }

    /** The text of the section headed {@code heading}, up to the next section. */
    private static String section(String heading) throws IOException {
        String page = Files.readString(operations());
        int start = page.indexOf("\n" + heading + "\n");
        assertThat(start).as("OPERATIONS.md has a section %s", heading).isNotNegative();
        int end = page.indexOf("\n## ", start + heading.length() + 1);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    private static Path operations() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/OPERATIONS.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("a folder above %s with docs/OPERATIONS.md", Path.of("").toAbsolutePath())
                .isNotNull();
        return dir.resolve("docs/OPERATIONS.md");
    }

    private static String promtool(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("promtool finished")
                    .isTrue();
            assertThat(process.exitValue())
                    .as("promtool %s: %s", String.join(" ", args), output)
                    .isZero();
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
