/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a server under test reports about itself at {@code GET /stats}: CPU time, heap, resident
 * memory and open connections. With {@code ?gc=1} the heap is measured after full collections.
 */
public final class Stats {

    private Stats() {}

    /** The report as a JSON object. */
    public static String json(boolean collect, long connections) {
        if (collect) {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("pid", ProcessHandle.current().pid());
        stats.put("cpuNanos", cpuNanos());
        stats.put(
                "heapUsed",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        stats.put("rss", rss());
        stats.put("connections", connections);
        StringBuilder out = new StringBuilder("{");
        stats.forEach((name, value) ->
                out.append('"').append(name).append("\":").append(value).append(','));
        out.setCharAt(out.length() - 1, '}');
        return out.toString();
    }

    /** CPU time this process has used, user and system, in nanoseconds. */
    public static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Resident set size in bytes, from /proc/self/status; -1 where there is none. */
    public static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }
}
