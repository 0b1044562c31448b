/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HTML page of results: for each scenario and setting, throughput per server CPU-second and p99
 * latency, each server beside the baseline, as bar charts in inline SVG (no scripts, no downloads),
 * plus the table of every run. Only the newest run of each (scenario, setting, server) is charted.
 */
public final class Report {

    /** The servers that are not Switchboard (issue 16's peers beside the naive baseline). */
    private static final Set<String> PEERS = Set.of("baseline", "netty", "vertx", "vertx-bus");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SETTINGS =
            List.of("connections", "window", "payload", "subscribers", "rate", "rooms", "members", "concurrency");

    private Report() {}

    public static void write(Path in, Path out) throws IOException {
        List<JsonNode> runs = new ArrayList<>();
        for (String line : Files.readAllLines(in)) {
            if (!line.isBlank()) {
                runs.add(JSON.readTree(line));
            }
        }
        Map<String, Map<String, JsonNode>> groups = new LinkedHashMap<>();
        for (JsonNode run : runs) {
            groups.computeIfAbsent(groupOf(run), k -> new LinkedHashMap<>())
                    .put(run.path("server").asText(), run);
        }
        StringBuilder html = new StringBuilder("""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchboard benchmarks</title>
                <style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem}h2{margin-top:2rem}
                table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}
                .charts{display:flex;gap:2rem;flex-wrap:wrap}</style></head><body>
                <h1>Switchboard benchmarks</h1>
                <p>Throughput per second of server CPU time and p99 latency at the receivers, Switchboard beside
                the plain Netty baseline run in the same sitting. Method: docs/BENCHMARKS.md.</p>
                """);
        for (Map.Entry<String, Map<String, JsonNode>> group : groups.entrySet()) {
            html.append("<h2>").append(escape(group.getKey())).append("</h2><div class=\"charts\">");
            html.append(chart("per server CPU-second", group.getValue(), Report::perCpu));
            html.append(chart("p99 latency (µs)", group.getValue(), run -> run.path("latency_us")
                    .path("p99")
                    .asDouble()));
            html.append("</div>");
        }
        html.append("<h2>Every run</h2><table><tr><th>time</th><th>scenario</th><th>server</th><th>settings</th>")
                .append("<th>per s</th><th>per CPU-s</th><th>p50 µs</th><th>p99 µs</th><th>lost</th><th>dup</th></tr>");
        for (JsonNode run : runs) {
            html.append("<tr><td>")
                    .append(escape(run.path("time").asText()))
                    .append("</td><td>")
                    .append(escape(run.path("scenario").asText()))
                    .append("</td><td>")
                    .append(escape(run.path("server").asText()))
                    .append("</td><td>")
                    .append(escape(settings(run)))
                    .append("</td><td>")
                    .append(format(perSecond(run)))
                    .append("</td><td>")
                    .append(format(perCpu(run)))
                    .append("</td><td>")
                    .append(run.path("latency_us").path("p50").asText(""))
                    .append("</td><td>")
                    .append(run.path("latency_us").path("p99").asText(""))
                    .append("</td><td>")
                    .append(run.path("lost").asText(""))
                    .append("</td><td>")
                    .append(run.path("duplicated").asText(""))
                    .append("</td></tr>");
        }
        html.append("</table></body></html>\n");
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, html);
    }

    private static String groupOf(JsonNode run) {
        return run.path("scenario").asText() + " (" + settings(run) + ")";
    }

    private static String settings(JsonNode run) {
        List<String> parts = new ArrayList<>();
        for (String name : SETTINGS) {
            if (run.has(name)) {
                parts.add(name + " " + run.get(name).asText());
            }
        }
        return String.join(", ", parts);
    }

    private static double perCpu(JsonNode run) {
        for (String key : List.of("deliveries_per_cpu_s", "messages_per_cpu_s", "handshakes_per_cpu_s")) {
            if (run.has(key)) {
                return run.get(key).asDouble();
            }
        }
        return run.path("heap_bytes_per_connection").asDouble(Double.NaN);
    }

    private static double perSecond(JsonNode run) {
        for (String key : List.of("deliveries_per_s", "messages_per_s", "handshakes_per_s")) {
            if (run.has(key)) {
                return run.get(key).asDouble();
            }
        }
        return Double.NaN;
    }

    private interface Measure {
        double of(JsonNode run);
    }

    /** A horizontal bar chart, one bar per server. */
    private static String chart(String title, Map<String, JsonNode> byServer, Measure measure) {
        double max = byServer.values().stream()
                .mapToDouble(measure::of)
                .filter(v -> !Double.isNaN(v))
                .max()
                .orElse(1);
        int rowHeight = 24;
        int height = 30 + rowHeight * byServer.size();
        StringBuilder svg = new StringBuilder("<svg width=\"420\" height=\"" + height + "\" role=\"img\">")
                .append("<text x=\"0\" y=\"16\" font-weight=\"600\">")
                .append(escape(title))
                .append("</text>");
        int y = 26;
        for (Map.Entry<String, JsonNode> entry : byServer.entrySet()) {
            double value = measure.of(entry.getValue());
            int width = Double.isNaN(value) || max <= 0 ? 0 : (int) Math.round(value / max * 250);
            String color = PEERS.contains(entry.getKey()) ? "#999" : "#2457c5"; // the peers grey, Switchboard blue
            svg.append("<text x=\"0\" y=\"")
                    .append(y + 15)
                    .append("\">")
                    .append(escape(entry.getKey()))
                    .append("</text>")
                    .append("<rect x=\"80\" y=\"")
                    .append(y + 3)
                    .append("\" width=\"")
                    .append(width)
                    .append("\" height=\"16\" fill=\"")
                    .append(color)
                    .append("\"/>")
                    .append("<text x=\"")
                    .append(86 + width)
                    .append("\" y=\"")
                    .append(y + 15)
                    .append("\">")
                    .append(format(value))
                    .append("</text>");
            y += rowHeight;
        }
        return svg.append("</svg>").toString();
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
