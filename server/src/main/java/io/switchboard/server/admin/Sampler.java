/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import io.switchboard.stats.ServerStats;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the server's figures once a second into the {@link StatsRing} and shares this node's newest
 * with the cluster every other second. One daemon thread; {@link #close()} stops it.
 */
final class Sampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);

    private final StatsRing ring = new StatsRing(StatsRing.CAPACITY);
    private final ClusterFigures cluster;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "admin-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String nodeId = "";
    private long ticks;
    private boolean failing; // on the timer's thread only

    Sampler(ClusterFigures cluster, Clock clock) {
        this.cluster = cluster;
        this.clock = clock;
    }

    /** Starts sampling {@code stats} of node {@code node}. */
    void start(ServerStats stats, String node) {
        this.nodeId = node;
        ring.add(clock.millis(), stats);
        timer.scheduleAtFixedRate(() -> tick(stats), 1, 1, TimeUnit.SECONDS);
    }

    /**
     * One sample, which never throws: the executor would cancel every later run. A failure is logged
     * once, when it starts, not every second while it lasts.
     */
    void tick(ServerStats stats) {
        try {
            sample(stats);
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("admin: a sample of this node's figures failed; still trying every second", e);
            }
            failing = true;
        }
    }

    private void sample(ServerStats stats) {
        ring.add(clock.millis(), stats);
        if (ticks++ % 2 == 0) {
            NodeFigures figures = figures();
            if (figures != null) {
                cluster.share(figures).exceptionally(e -> {
                    LOG.debug("admin: could not share this node's figures: {}", e.toString());
                    return null;
                });
            }
        }
    }

    StatsRing ring() {
        return ring;
    }

    String nodeId() {
        return nodeId;
    }

    /** This node's newest figures, or null before two samples. */
    NodeFigures figures() {
        StatsRing.Point newest = ring.newest();
        return newest == null ? null : NodeFigures.of(nodeId, newest);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
