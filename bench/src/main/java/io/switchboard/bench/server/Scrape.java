/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.switchboard.stats.ServerStats;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads every {@link ServerStats} number once a second, as a metrics scrape does, so that a bench run
 * with counting on pays for being read too (the sums of the striped counters, the maps by code and
 * reason). What it reads is kept, so the reads are not optimized away.
 */
final class Scrape {

    private final ServerStats stats;
    private volatile long last;

    private Scrape(ServerStats stats) {
        this.stats = stats;
    }

    /** Starts reading {@code stats} every second on a daemon thread, for the life of the process. */
    static void everySecond(ServerStats stats) {
        Scrape scrape = new Scrape(stats);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "bench-scrape");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(scrape::read, 1, 1, TimeUnit.SECONDS);
    }

    private void read() {
        long sum = stats.openConnections()
                + stats.connectionsOpened()
                + stats.messagesIn()
                + stats.bytesIn()
                + stats.messagesOut()
                + stats.bytesOut()
                + stats.deliveries()
                + stats.slowConsumerCloses()
                + stats.slowConsumerDrops()
                + stats.rateLimited();
        for (Map.Entry<Integer, Long> closed : stats.closedByCode().entrySet()) {
            sum += closed.getValue();
        }
        for (long refused : stats.refusedByReason().values()) {
            sum += refused;
        }
        last = sum;
    }
}
