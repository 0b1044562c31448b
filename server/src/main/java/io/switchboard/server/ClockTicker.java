/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.session.Decision;
import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code /ws/clock}: every second, {@code {"type":"time","iso":"<ISO-8601 UTC>","epochMillis":N}} to
 * every watcher. One ticker per node broadcasts to the group of that node's watchers, so the time is
 * encoded once however many watch, and in a cluster each watcher gets its own node's ticks only; a
 * watcher joins its node's group when it connects.
 */
final class ClockTicker implements AutoCloseable {

    /** The group of the watchers on node {@code nodeId}. */
    static String group(String nodeId) {
        return "clock:" + nodeId;
    }

    private final Clock clock;
    private ScheduledExecutorService ticker;

    ClockTicker(Clock clock) {
        this.clock = clock;
    }

    /** Joins each watcher to the group; ignores what watchers send. */
    static final class Watcher implements WebSocketHandler {
        @Override
        public Decision onConnect(Session session) {
            session.join(group(session.address().node()));
            return Decision.accept();
        }

        @Override
        public void onText(Session session, String text) {}
    }

    /** The tick message for {@code now}. */
    static Message tick(Instant now) {
        Map<String, Object> time = new LinkedHashMap<>();
        time.put("type", "time");
        time.put("iso", now.toString());
        time.put("epochMillis", now.toEpochMilli());
        return Message.json(time);
    }

    synchronized void start(Hub hub, String nodeId) {
        if (ticker != null) {
            throw new IllegalStateException("the clock is already ticking");
        }
        start(
                hub,
                nodeId,
                Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().daemon().name("switchboard-clock").factory()));
    }

    /** Ticks on {@code scheduler}, which {@link #close} shuts down. */
    synchronized void start(Hub hub, String nodeId, ScheduledExecutorService scheduler) {
        ticker = scheduler;
        ticker.schedule(new Tick(hub, group(nodeId), ticker), untilNextSecond(clock.millis()), TimeUnit.MILLISECONDS);
    }

    /** Milliseconds from {@code millis} to the next whole second. */
    static long untilNextSecond(long millis) {
        return 1000 - Math.floorMod(millis, 1000);
    }

    /**
     * One tick, which schedules the next on the clock's next whole second. Unlike a fixed-rate
     * schedule, a tick that runs late (a slow start, a long pause) is followed by one tick on the next
     * second, not by a burst of catch-up ticks.
     */
    private final class Tick implements Runnable {
        private final Hub hub;
        private final String group;
        private final ScheduledExecutorService scheduler;

        Tick(Hub hub, String group, ScheduledExecutorService scheduler) {
            this.hub = hub;
            this.group = group;
            this.scheduler = scheduler;
        }

        @Override
        public void run() {
            Instant now = clock.instant(); // one reading: the time sent and the next second agree
            try {
                hub.broadcast(group, tick(now));
            } finally {
                try {
                    scheduler.schedule(this, untilNextSecond(now.toEpochMilli()), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // closed: that is how the ticks end
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }
}
