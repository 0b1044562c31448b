/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import io.switchboard.stats.ServerStats;
import java.util.ArrayList;
import java.util.List;

/**
 * The last minutes of a server's figures, one sample a second in a fixed ring: what the page's charts
 * show on load. Thread-safe: the sampler adds, any request reads.
 */
final class StatsRing {

    /** Ten minutes of one sample a second. */
    static final int CAPACITY = 600;

    private final Sample[] samples;
    private long added;

    StatsRing(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a ring needs room for two samples, not " + capacity);
        }
        this.samples = new Sample[capacity];
    }

    /** Takes {@code stats} as they stand at {@code millis}. */
    synchronized void add(long millis, ServerStats stats) {
        samples[(int) (added % samples.length)] = new Sample(
                millis, stats.openConnections(), stats.messagesIn(), stats.messagesOut(), stats.deliveries());
        added++;
    }

    /** The rates between consecutive samples taken after {@code afterMillis}, oldest first. */
    synchronized List<Point> pointsAfter(long afterMillis) {
        int kept = (int) Math.min(added, samples.length);
        List<Point> points = new ArrayList<>(kept);
        for (long i = added - kept + 1; i < added; i++) {
            Sample now = samples[(int) (i % samples.length)];
            if (now.millis() > afterMillis) {
                points.add(now.rateSince(samples[(int) ((i - 1) % samples.length)]));
            }
        }
        return points;
    }

    /** The newest point, or null before two samples. */
    synchronized Point newest() {
        if (added < 2) {
            return null;
        }
        Sample now = samples[(int) ((added - 1) % samples.length)];
        return now.rateSince(samples[(int) ((added - 2) % samples.length)]);
    }

    /** Cumulative figures at one moment. */
    record Sample(long millis, long connections, long messagesIn, long messagesOut, long deliveries) {

        Point rateSince(Sample before) {
            double seconds = Math.max(1, millis - before.millis) / 1000.0;
            return new Point(
                    millis,
                    connections,
                    (messagesIn - before.messagesIn) / seconds,
                    (messagesOut - before.messagesOut) / seconds,
                    (deliveries - before.deliveries) / seconds);
        }
    }

    /**
     * One point of the charts.
     *
     * @param at when, in milliseconds since the epoch
     * @param connections open connections then
     * @param inPerSecond messages received per second since the sample before
     * @param outPerSecond messages sent per second
     * @param deliveriesPerSecond broadcast deliveries per second
     */
    record Point(long at, long connections, double inPerSecond, double outPerSecond, double deliveriesPerSecond) {}
}
