/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.switchboard.engine.History;
import io.switchboard.engine.History.Entry;
import io.switchboard.engine.History.Keep;
import io.switchboard.engine.History.Recovery;
import io.switchboard.engine.InMemoryEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link History} contract's rules about time: a stream is forgotten its time to live after its
 * last append (the history's, or the one that append gave in {@link Keep}), a queue after its last
 * enqueue, and a forgotten stream begins again at id 1 under a new epoch. {@link HistoryContract}
 * extends it, so an implementation's contract test runs these too; it stands apart only so that
 * each file holds one concern.
 */
public abstract class HistoryExpiryContract {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private final List<History> opened = new ArrayList<>();

    /** For {@link HistoryContract}. */
    protected HistoryExpiryContract() {}

    /**
     * One node's history that forgets a stream {@code streamTtl} after its last append and a queue
     * {@code queueTtl} after its last enqueue. Its time is either injected (then {@link #advance}
     * moves it) or real (then keep the times short: the expiry tests poll, up to the timeout).
     */
    protected abstract History expiring(Duration streamTtl, Duration queueTtl);

    /**
     * Moves the time of the histories {@link #expiring} made by {@code duration}; with real time,
     * does nothing (the tests then wait for the expiry, polling).
     */
    protected void advance(Duration duration) {}

    /** The times to live the expiry tests use: short, for histories on real time. */
    protected Duration shortTtl() {
        return Duration.ofMillis(300);
    }

    /** How long an answer may take. */
    protected Duration timeout() {
        return Recorder.DEFAULT_TIMEOUT;
    }

    @AfterEach
    void closeHistories() {
        new HashSet<>(opened).forEach(History::close);
        opened.clear();
    }

    /** {@code history}, closed after the test. */
    protected final <T extends History> T closedAfterTheTest(T history) {
        opened.add(history);
        return history;
    }

    /** Times long enough that no test outlives them. */
    private Duration longTtl() {
        return shortTtl().multipliedBy(1000);
    }

    @Test
    void aStreamIsForgottenAfterItsTimeToLiveAndBeginsAgainUnderANewEpoch() {
        History history = closedAfterTheTest(expiring(shortTtl(), longTtl()));
        String stream = name("stream");
        for (int i = 0; i < 3; i++) {
            append(history, stream, "old", 10);
        }
        Recovery before = get(history.since(stream, 0));
        assertEquals(List.of(1L, 2L, 3L), ids(before.entries()));

        advance(shortTtl());
        eventually(
                "the stream is forgotten", () -> get(history.latest(stream, 10)).isEmpty());
        Recovery forgotten = get(history.since(stream, 3));
        assertFalse(forgotten.complete(), "a position from a forgotten stream is not complete");
        assertNotEquals(before.epoch(), forgotten.epoch());

        for (long expected = 1; expected <= 5; expected++) {
            assertEquals(expected, append(history, stream, "new", 10).id());
        }
        Recovery reborn = get(history.since(stream, 3));
        assertEquals(List.of("new4", "new5"), payloads(reborn.entries()));
        assertNotEquals(before.epoch(), reborn.epoch(), "the stream's epoch tells its old positions from the new ones");
        assertEquals(forgotten.epoch(), reborn.epoch(), "a read that started the stream named its life");
    }

    @Test
    void aStreamsEpochStaysWhileItLives() {
        History history = closedAfterTheTest(expiring(longTtl(), longTtl()));
        String stream = name("stream");
        String first = get(history.since(stream, 0)).epoch();
        append(history, stream, "m", 10);
        assertEquals(first, get(history.since(stream, 1)).epoch());
        assertNotEquals(first, get(history.since(name("stream"), 0)).epoch(), "each stream has its own");
    }

    @Test
    void aQueueIsForgottenAfterItsTimeToLive() {
        History history = closedAfterTheTest(expiring(shortTtl(), shortTtl()));
        String queue = name("queue");
        get(history.enqueue(queue, "p1", 10));
        String witness = name("stream"); // written after the queue with the same time to live
        append(history, witness, "w", 10);
        advance(shortTtl());
        eventually("the witness stream is forgotten", () -> get(history.latest(witness, 10))
                .isEmpty());
        assertEquals(List.of(), get(history.drain(queue)), "the queue went before the stream written after it");
    }

    @Test
    void aStreamAppendedWithAShortTtlIsForgottenWhileOnesWithLongerTtlsStay() {
        History history = closedAfterTheTest(expiring(longTtl(), longTtl()));
        String brief = name("stream");
        String lasting = name("stream");
        String usual = name("stream"); // the history's own time to live
        append(history, brief, "b", new Keep(10, shortTtl()));
        append(history, brief, "b", new Keep(10, shortTtl()));
        append(history, lasting, "l", new Keep(10, longTtl()));
        append(history, usual, "u", 10);
        String briefEpoch = get(history.since(brief, 0)).epoch();

        advance(shortTtl());
        eventually("the short-lived stream is forgotten", () -> get(history.latest(brief, 10))
                .isEmpty());
        assertEquals(List.of("l1"), payloads(get(history.latest(lasting, 10))));
        assertEquals(List.of("u1"), payloads(get(history.latest(usual, 10))));

        Entry reborn = append(history, brief, "again", new Keep(10, shortTtl()));
        assertEquals(1, reborn.id(), "a forgotten stream begins again at 1");
        assertNotEquals(briefEpoch, get(history.since(brief, 0)).epoch(), "under a new epoch");
    }

    @Test
    void aLaterAppendExtendsAStreamsLifeByItsOwnTtl() {
        History history = closedAfterTheTest(expiring(longTtl(), longTtl()));
        String stream = name("stream");
        append(history, stream, "m", new Keep(10, shortTtl()));
        String epoch = get(history.since(stream, 0)).epoch();
        String witness = name("stream"); // outlives the stream's first deadline by a little
        append(history, witness, "w", new Keep(10, shortTtl()));
        append(history, stream, "m", new Keep(10, longTtl()));

        advance(shortTtl());
        eventually("the witness is forgotten", () -> get(history.latest(witness, 10))
                .isEmpty());
        Recovery kept = get(history.since(stream, 0));
        assertEquals(List.of("m1", "m2"), payloads(kept.entries()));
        assertEquals(epoch, kept.epoch(), "the same life of the stream");
    }

    @Test
    void aLaterAppendWithAShorterTtlShortensAStreamsLife() {
        History history = closedAfterTheTest(expiring(longTtl(), longTtl()));
        String stream = name("stream");
        append(history, stream, "m", new Keep(10, longTtl()));
        append(history, stream, "m", new Keep(10, shortTtl()));
        advance(shortTtl());
        eventually(
                "the stream is forgotten", () -> get(history.latest(stream, 10)).isEmpty());
    }

    @Test
    void anAppendAndBroadcastKeepsItsStreamForItsOwnTtl() {
        History history = closedAfterTheTest(expiring(longTtl(), longTtl()));
        History.Template template = new History.Template("", ":", "");
        // one hash tag for both streams and the group: on a Redis Cluster they must share a slot
        String brief = name("stream") + ":{ttl}";
        String lasting = name("stream") + ":{ttl}";
        try (InMemoryEngine hub = new InMemoryEngine()) { // no members: the broadcasts reach nobody
            get(history.appendAndBroadcast(brief, template, new Keep(10, shortTtl()), hub, "g:{ttl}", null));
            get(history.appendAndBroadcast(lasting, template, new Keep(10, longTtl()), hub, "g:{ttl}", "key"));
        }
        advance(shortTtl());
        eventually("the short-lived stream is forgotten", () -> get(history.latest(brief, 10))
                .isEmpty());
        assertEquals(List.of(1L), ids(get(history.latest(lasting, 10))));
    }

    @Test
    void aTtlUnderAMillisecondIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Keep(10, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Keep(10, Duration.ofNanos(999_999)));
        assertThrows(IllegalArgumentException.class, () -> new Keep(10, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new Keep(0, Duration.ofSeconds(1)));
    }

    /** A stream or queue name no other test uses. */
    protected static String name(String kind) {
        return kind + ":" + NAMES.incrementAndGet();
    }

    /** Waits until {@code condition} holds, asking again every few milliseconds, up to the timeout. */
    protected final void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout() + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Appends {@code prefix + id}, keeping the newest {@code keep} for the history's time to live, and waits for the entry. */
    protected final Entry append(History history, String stream, String prefix, int keep) {
        return get(history.append(stream, id -> prefix + id, keep, entry -> {}));
    }

    /** Appends {@code prefix + id}, keeping what {@code keep} says, and waits for the entry. */
    protected final Entry append(History history, String stream, String prefix, Keep keep) {
        return get(history.append(stream, id -> prefix + id, keep, entry -> {}));
    }

    /** The value of {@code stage}, waiting up to the timeout. */
    protected final <T> T get(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the history did not answer: " + e, e);
        }
    }

    protected static List<Long> ids(List<Entry> entries) {
        return entries.stream().map(Entry::id).toList();
    }

    protected static List<String> payloads(List<Entry> entries) {
        return entries.stream().map(Entry::payload).toList();
    }
}
