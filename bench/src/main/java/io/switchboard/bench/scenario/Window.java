/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.switchboard.bench.server.ServerHandle;
import io.switchboard.bench.server.Stats;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The measured part of a run: after a warm-up, counts, server CPU time and latencies are taken over
 * a fixed number of seconds, with a progress line every second.
 *
 * @param seconds how long it measured
 * @param count events counted (and timed) in the window
 * @param serverCpuNanos the server's CPU time over the window
 * @param generatorCpuNanos this generator JVM's own CPU time over the window (not its worker processes')
 * @param latencyMicros latencies recorded in the window
 */
public record Window(double seconds, long count, long serverCpuNanos, long generatorCpuNanos, Histogram latencyMicros) {

    /**
     * Below this share of one core in a throughput scenario, the server was waiting for load: the
     * figures then measure the generator rather than the server.
     */
    public static final double SATURATED_CORES = 0.9;

    /** A recorder for latencies of 1 µs to 60 s at three significant digits. */
    public static Recorder latencyRecorder() {
        return new Recorder(60_000_000L, 3);
    }

    /** Warms up, then measures {@code counter} and the server for {@code duration} seconds. */
    public static Window measure(
            String label, ServerHandle server, int warmup, int duration, LongSupplier counter, Recorder latency)
            throws InterruptedException {
        return measure(label, server, warmup, duration, counter, latency, null);
    }

    /** As above, with {@code workers} (may be null) counting and timing deliveries too. */
    public static Window measure(
            String label,
            ServerHandle server,
            int warmup,
            int duration,
            LongSupplier localCounter,
            Recorder latency,
            Workers workers)
            throws InterruptedException {
        LongSupplier counter = workers == null ? localCounter : () -> localCounter.getAsLong() + workers.count();
        Thread.sleep(warmup * 1000L); // a timed warm-up: the load runs meanwhile
        latency.getIntervalHistogram(); // drop what the warm-up recorded
        if (workers != null) {
            workers.begin();
        }
        long cpu0 = server.cpuNanos();
        long generator0 = Stats.cpuNanos();
        long start = System.nanoTime();
        long last = counter.getAsLong();
        for (int second = 1; second <= duration; second++) {
            long due = start + second * 1_000_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long now = counter.getAsLong();
            System.err.printf("  %s %2ds: %,d/s%n", label, second, now - last);
            last = now;
        }
        long elapsed = System.nanoTime() - start;
        long cpu1 = server.cpuNanos();
        long generator1 = Stats.cpuNanos();
        Histogram window = latency.getIntervalHistogram();
        if (workers != null) {
            workers.end(window);
        }
        // Every counted event is also timed: the histogram's count is the window's exact count.
        return new Window(elapsed / 1e9, window.getTotalCount(), cpu1 - cpu0, generator1 - generator0, window);
    }

    /** Events per second. */
    public double rate() {
        return count / seconds;
    }

    /** Events per second of server CPU time. */
    public double perCpuSecond() {
        return serverCpuNanos == 0 ? Double.NaN : count / (serverCpuNanos / 1e9);
    }

    /** Server CPU seconds per wall second (1.0 = one core busy). */
    public double serverCores() {
        return serverCpuNanos / 1e9 / seconds;
    }

    /** The generator's CPU seconds per wall second. */
    public double generatorCores() {
        return generatorCpuNanos / 1e9 / seconds;
    }

    /**
     * For a throughput scenario: records in {@code result} whether the server stayed below
     * {@link #SATURATED_CORES} of a core, and says so in a warning line when it did.
     */
    public Result checkSaturated(Result result) {
        boolean limited = serverCores() < SATURATED_CORES;
        if (limited) {
            System.err.printf(
                    "  warning: the %s server used %.2f of a core (generator %.2f): the generator, not the server,"
                            + " is the limit%n",
                    result.get("server"), serverCores(), generatorCores());
        }
        return result.put("generator_limited", limited);
    }

    /** Puts the window's figures into {@code result} under {@code what} (e.g. "messages", "deliveries"). */
    public Result into(Result result, String what) {
        return result.put(what, count)
                .put(what + "_per_s", Math.round(rate()))
                .put("server_cpu_s", Math.round(serverCpuNanos / 1e6) / 1e3)
                .put("server_cores", Math.round(serverCores() * 100) / 100.0)
                .put("generator_cpu_s", Math.round(generatorCpuNanos / 1e6) / 1e3)
                .put("generator_cores", Math.round(generatorCores() * 100) / 100.0)
                .put(what + "_per_cpu_s", Math.round(perCpuSecond()))
                .put("measured_s", Math.round(seconds * 100) / 100.0)
                .latency(latencyMicros);
    }
}
