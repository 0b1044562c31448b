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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
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
 *       the engine's departure listeners on this node. One node claims each dead node's reap; should
 *       two still forget it at once (a claim expired), each of its members of a group is removed by
 *       one atomic script on the group's slot, so each departure is reported by exactly one node
 *       (see {@link NodeRecords}).
 * </ol>
 *
 * <p>A node that dies without saying goodbye is thus gone from presence between one node expiry and
 * one expiry plus one heartbeat after its last beat.
 */
final class NodeLiveness {

    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    /** How much longer than the command timeout a goodbye waits for its scripts to answer. */
    static final long GOODBYE_MARGIN_MS = 1000;

    /** Marks, among a goodbye's answers, that the forget settled (compared by identity). */
    private static final List<Object> SETTLED = new ArrayList<>();

    private final RedisEngine engine;
    private final NodeRecords records;
    private final String nodeId;
    private final long expiryMillis;
    private final long intervalMillis;
    private final long commandTimeoutMillis;
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
        this.commandTimeoutMillis = settings.commandTimeout().toMillis();
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("switchboard-redis-" + nodeId).factory());
    }

    /** Registers the node (waiting for Redis) and starts beating. */
    void start() {
        await(records.beat(nodeId, expiryMillis), "register node " + nodeId);
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
        execute(this::beat);
    }

    /** Runs {@code task} on the liveness thread; not at all once stopped. */
    void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (RuntimeException e) {
            // stopped: the engine is closing, its subscriptions with it
        }
    }

    void stop() {
        thread.shutdownNow();
    }

    /**
     * The node is closing: forgets it in Redis now, reporting each group's departures as its script
     * answers. Waits up to the command timeout plus {@value #GOODBYE_MARGIN_MS} ms, then starts no more
     * scripts and waits for those in flight to settle (each within the command timeout), so none is
     * cut off by the link closing with its departures unreported. What is left the others reap.
     */
    void goodbye() {
        BlockingQueue<List<Object>> answers = new LinkedBlockingQueue<>();
        AtomicBoolean stopped = new AtomicBoolean();
        CompletableFuture<Boolean> forgot =
                records.forget(nodeId, true, answers::add, stopped::get).toCompletableFuture();
        forgot.whenComplete((done, error) -> answers.add(SETTLED));
        try {
            boolean settled = report(answers, commandTimeoutMillis + GOODBYE_MARGIN_MS);
            stopped.set(true);
            if (!settled) {
                report(answers, commandTimeoutMillis);
            }
            engine.link()
                    .call("ping", redis -> redis.ping())
                    .toCompletableFuture()
                    .get(commandTimeoutMillis, TimeUnit.MILLISECONDS); // the departures' sends left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("node {} could not finish its goodbye; the others will reap the rest", nodeId, e);
        }
    }

    /** Reports the departures in {@code answers} until the forget settled or {@code millis} passed; replies which. */
    private boolean report(BlockingQueue<List<Object>> answers, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            List<Object> answer = answers.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (answer == null) {
                return false;
            }
            if (answer == SETTLED) {
                return true;
            }
            if (!answer.isEmpty()) {
                engine.departed(departures(answer));
            }
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
                .thenCompose(ignored -> records.reap(nodeId, expiryMillis))
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
                .thenCompose(old -> engine.withLocalState(local -> rewrite(old, local)))
                .<Object>thenApply(done -> null)
                .exceptionally(e -> {
                    resyncNeeded.set(true);
                    return null;
                });
    }

    /**
     * Rewrites the node's presence, the groups whose writes failed or are still in flight included (a
     * group just left here may yet get a late join's member back: it must stay listed for a reaper);
     * marks the failed ones again if it fails.
     */
    private CompletionStage<Void> rewrite(NodeRecords.Written old, LocalState local) {
        Set<String> dirty = local.takeDirty();
        Set<String> repair = new HashSet<>(dirty);
        repair.addAll(engine.groupsInFlight());
        return records.rewrite(nodeId, old, local, repair).whenComplete((done, error) -> {
            if (error != null) {
                local.markDirty(dirty);
            }
        });
    }

    private static CompletionStage<Object> done() {
        return CompletableFuture.completedFuture(null);
    }

    private void beatThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RuntimeException e) {
            task.run(); // closing: report on this thread rather than not at all
        }
    }

    /** Waits for {@code stage} at start; fails naming {@code what} Redis did not do. */
    static <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Redis did not " + what + ": " + e, e);
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
