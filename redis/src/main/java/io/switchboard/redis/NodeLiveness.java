/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.session.Address;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's heartbeat, on a thread of its own. Every heartbeat interval it
 *
 * <ol>
 *   <li>listens on its channels again, if the pub/sub connection came back since the last beat;
 *   <li>refreshes its {@code alive} key (expiring after the node expiry) and, if Redis had forgotten
 *       the node (it was reaped while cut off, or Redis lost its data) or the node changed presence
 *       while Redis was unreachable, writes the node's whole presence back;
 *   <li>reaps: forgets every node whose key expired, removing its sessions from presence, and tells
 *       the engine's departure listeners on this node. Several nodes may reap one dead node at once,
 *       but each of its members of a group is removed by one atomic script on the group's slot, so
 *       each departure is reported by exactly one node (see {@link NodeRecords}).
 * </ol>
 *
 * <p>A node that dies without saying goodbye is thus gone from presence between one node expiry and
 * one expiry plus one heartbeat after its last beat.
 */
final class NodeLiveness {

    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    private final RedisEngine engine;
    private final NodeRecords records;
    private final String nodeId;
    private final long expiryMillis;
    private final long intervalMillis;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean resyncNeeded = new AtomicBoolean();
    private final AtomicBoolean resubscribeNeeded = new AtomicBoolean();
    private final AtomicBoolean beating = new AtomicBoolean();

    NodeLiveness(RedisEngine engine, String nodeId) {
        this.engine = engine;
        this.records = new NodeRecords(engine.link(), engine.keys());
        this.nodeId = nodeId;
        RedisSettings settings = engine.settings();
        this.expiryMillis = settings.nodeExpiry().toMillis();
        this.intervalMillis = settings.heartbeat().toMillis();
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("switchboard-redis-" + nodeId).factory());
    }

    /** Registers the node (waiting for Redis) and starts beating. */
    void start() {
        try {
            records.beat(nodeId, expiryMillis).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis did not register node " + nodeId + ": " + e, e);
        }
        thread.scheduleAtFixedRate(this::beat, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** The command connection came back: write presence back at the next beat, which is now. */
    void resyncSoon() {
        resyncNeeded.set(true);
        beatSoon();
    }

    /** The pub/sub connection came back, or a subscription failed: listen again, now. */
    void resubscribeSoon() {
        resubscribeNeeded.set(true);
        beatSoon();
    }

    private void beatSoon() {
        try {
            thread.execute(this::beat);
        } catch (RuntimeException e) {
            // stopped: nothing to catch up with
        }
    }

    void stop() {
        thread.shutdownNow();
    }

    /** The node is closing: forget it in Redis now and report what that removed. Waits briefly. */
    void goodbye() {
        try {
            List<Object> removed =
                    records.forget(nodeId, true).toCompletableFuture().get(2, TimeUnit.SECONDS);
            engine.departed(departures(removed));
            engine.link()
                    .call("ping", redis -> redis.ping())
                    .toCompletableFuture()
                    .get(2, TimeUnit.SECONDS); // the departures' sends left
        } catch (Exception e) {
            log.debug("node {} could not say goodbye; the others will reap it", nodeId, e);
        }
    }

    private void beat() {
        if (!beating.compareAndSet(false, true)) {
            return;
        }
        if (resubscribeNeeded.getAndSet(false)) {
            engine.resubscribe().exceptionally(e -> {
                resubscribeNeeded.set(true);
                return null;
            });
        }
        records.beat(nodeId, expiryMillis)
                .thenCompose(known -> {
                    if (!known) {
                        log.warn("node {} had been forgotten by Redis; writing its presence back", nodeId);
                        resyncNeeded.set(true);
                    }
                    return resyncNeeded.getAndSet(false) ? resync() : done();
                })
                .thenCompose(ignored -> records.reap(nodeId))
                .whenComplete((removed, error) -> {
                    beating.set(false);
                    if (error == null && !removed.isEmpty()) {
                        beatThread(() -> engine.departed(departures(removed)));
                    }
                });
    }

    /**
     * Makes Redis hold exactly this node's presence: reads what it holds of the node, then replaces
     * it under the engine's lock, so joins and leaves made meanwhile are part of what is written.
     */
    private CompletionStage<Object> resync() {
        return records.read(nodeId)
                .thenCompose(old -> engine.withLocalState(local -> records.rewrite(nodeId, old, local)))
                .<Object>thenApply(done -> null)
                .exceptionally(e -> {
                    resyncNeeded.set(true);
                    return null;
                });
    }

    private static CompletionStage<Object> done() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    private void beatThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RuntimeException e) {
            task.run(); // closing: report on this thread rather than not at all
        }
    }

    /** The departures in a reap or goodbye reply: {group, address, user, changed, count} each. */
    static List<DepartureListeners.Departure> departures(List<Object> removed) {
        List<DepartureListeners.Departure> out = new ArrayList<>(removed.size());
        for (Object each : removed) {
            List<?> fields = (List<?>) each;
            String user = Keys.text(fields.get(2));
            out.add(new DepartureListeners.Departure(
                    Keys.text(fields.get(0)),
                    new MemberInfo(new Address(Keys.text(fields.get(1))), user.isEmpty() ? null : user),
                    new MembershipChange((Long) fields.get(3) == 1L, ((Long) fields.get(4)).intValue())));
        }
        return out;
    }
}
