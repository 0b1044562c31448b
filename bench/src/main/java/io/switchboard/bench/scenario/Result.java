/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** One scenario run against one server: the JSON line printed at the end and kept in the results file. */
public final class Result {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public Result(String scenario, String server) {
        fields.put("scenario", scenario);
        fields.put("server", server);
        fields.put("time", Instant.now().toString());
    }

    public Result put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public Object get(String name) {
        return fields.get(name);
    }

    /** Latency percentiles in microseconds. */
    public Result latency(Histogram micros) {
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("count", micros.getTotalCount());
        latency.put("p50", micros.getValueAtPercentile(50));
        latency.put("p90", micros.getValueAtPercentile(90));
        latency.put("p99", micros.getValueAtPercentile(99));
        latency.put("p999", micros.getValueAtPercentile(99.9));
        latency.put("max", micros.getMaxValue());
        fields.put("latency_us", latency);
        return this;
    }

    public String json() {
        try {
            return JSON.writeValueAsString(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends this result as one line to {@code file}. */
    public void appendTo(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, json() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
