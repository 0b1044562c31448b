/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.engine.History;
import io.switchboard.engine.History.Entry;
import io.switchboard.engine.History.Recovery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link History} keeps, as one test suite: extend it, say how to make the histories
 * of a cluster's nodes, and every test runs against that implementation. Stream and queue names are
 * new in every test, so the histories may be shared between tests. The rules about time (streams and
 * queues forgotten after their times to live) come with it from {@link HistoryExpiryContract}: say
 * there how to make a history that expires.
 */
public abstract class HistoryContract extends HistoryExpiryContract {

    /** For the test class of one implementation. */
    protected HistoryContract() {}

    /**
     * The histories of {@code count} nodes of one cluster: they share streams and queues. A history
     * that serves one node only may return the same instance {@code count} times.
     */
    protected abstract List<History> newCluster(int count);

    /** One node's history. */
    protected final History history() {
        return histories(1).get(0);
    }

    /** The histories of {@code count} nodes of one cluster. */
    protected final List<History> histories(int count) {
        List<History> cluster = newCluster(count);
        cluster.forEach(this::closedAfterTheTest);
        return cluster;
    }

    @Test
    void idsStartAtOneAndIncreaseByOneAndPayloadsAreMadeFromThem() {
        History history = history();
        String stream = name("stream");
        for (long expected = 1; expected <= 3; expected++) {
            Entry entry = append(history, stream, "m", 10);
            assertEquals(expected, entry.id());
            assertEquals("m" + expected, entry.payload());
        }
    }

    @Test
    void publishRunsWithEachEntryInIdOrder() {
        History history = history();
        String stream = name("stream");
        List<Long> published = Collections.synchronizedList(new ArrayList<>());
        List<CompletionStage<Entry>> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(history.append(stream, id -> "m" + id, 100, entry -> published.add(entry.id())));
        }
        pending.forEach(this::get);
        List<Long> expected = new ArrayList<>();
        for (long id = 1; id <= 20; id++) {
            expected.add(id);
        }
        assertEquals(expected, published);
    }

    @Test
    void latestIsTheNewestOldestFirstAndOnlyTheKeptOnes() {
        History history = history();
        String stream = name("stream");
        for (int i = 0; i < 5; i++) {
            append(history, stream, "m", 3);
        }
        assertEquals(List.of(3L, 4L, 5L), ids(get(history.latest(stream, 10))));
        assertEquals(List.of(4L, 5L), ids(get(history.latest(stream, 2))));
        assertEquals(List.of("m5"), payloads(get(history.latest(stream, 1))));
        assertEquals(List.of(), get(history.latest(stream, 0)));
        assertEquals(List.of(), get(history.latest(name("empty"), 10)));
    }

    @Test
    void sinceReturnsEverythingAfterThePositionAndSaysItIsComplete() {
        History history = history();
        String stream = name("stream");
        for (int i = 0; i < 5; i++) {
            append(history, stream, "m", 10);
        }
        Recovery recovery = get(history.since(stream, 2));
        assertEquals(List.of(3L, 4L, 5L), ids(recovery.entries()));
        assertEquals(List.of("m3", "m4", "m5"), payloads(recovery.entries()));
        assertTrue(recovery.complete());

        Recovery upToDate = get(history.since(stream, 5));
        assertEquals(List.of(), upToDate.entries());
        assertTrue(upToDate.complete());
    }

    @Test
    void sinceIsIncompleteWhenEntriesFellOut() {
        History history = history();
        String stream = name("stream");
        for (int i = 0; i < 5; i++) {
            append(history, stream, "m", 3);
        }
        Recovery fromStart = get(history.since(stream, 0));
        assertEquals(List.of(3L, 4L, 5L), ids(fromStart.entries()));
        assertFalse(fromStart.complete());
        assertTrue(get(history.since(stream, 2)).complete());
        assertFalse(get(history.since(stream, 1)).complete());
    }

    @Test
    void aPositionNeverHandedOutIsNeverComplete() {
        History history = history();
        String stream = name("stream");
        append(history, stream, "m", 10);
        assertFalse(get(history.since(stream, 7)).complete());
        assertFalse(get(history.since(stream, -1)).complete());
        assertTrue(get(history.since(name("empty"), 0)).complete());
        assertFalse(get(history.since(name("empty"), 3)).complete());
    }

    @Test
    void streamsAreSeparate() {
        History history = history();
        String one = name("stream");
        String other = name("stream");
        append(history, one, "a", 10);
        append(history, one, "a", 10);
        assertEquals(1, append(history, other, "b", 10).id());
        assertEquals(List.of("b1"), payloads(get(history.latest(other, 10))));
    }

    @Test
    void aRemovedStreamsEntriesAreGoneOnEveryNode() {
        List<History> nodes = histories(2);
        String stream = name("stream");
        for (int i = 0; i < 3; i++) {
            append(nodes.get(0), stream, "m", 10);
        }
        get(nodes.get(1).remove(stream));
        assertEquals(List.of(), get(nodes.get(0).latest(stream, 10)));
        assertEquals(List.of(), get(nodes.get(1).since(stream, 0)).entries());
    }

    @Test
    void afterARemoveAPositionFromBeforeIsIncompleteUnderANewEpoch() {
        List<History> nodes = histories(2);
        String stream = name("stream");
        for (int i = 0; i < 3; i++) {
            append(nodes.get(0), stream, "m", 10);
        }
        Recovery before = get(nodes.get(0).since(stream, 3));
        assertTrue(before.complete());
        get(nodes.get(0).remove(stream));
        Recovery after = get(nodes.get(1).since(stream, 3));
        assertFalse(after.complete(), "position 3 belongs to the stream's life before the remove");
        assertNotEquals(before.epoch(), after.epoch());
    }

    @Test
    void anAppendAfterARemoveNumbersTheStreamsNewLifeFromOne() {
        List<History> nodes = histories(2);
        String stream = name("stream");
        append(nodes.get(0), stream, "m", 10);
        append(nodes.get(0), stream, "m", 10);
        String before = get(nodes.get(0).since(stream, 2)).epoch();
        get(nodes.get(1).remove(stream));
        Entry again = append(nodes.get(1), stream, "n", 10);
        assertEquals(new Entry(1, "n1"), again);
        Recovery life = get(nodes.get(0).since(stream, 0));
        assertEquals(List.of(again), life.entries());
        assertTrue(life.complete());
        assertNotEquals(before, life.epoch());
        assertEquals(2, append(nodes.get(0), stream, "n", 10).id());
    }

    @Test
    void removingAStreamNotKeptSucceedsAndStartsNothing() {
        History history = history();
        String stream = name("never");
        assertNull(get(history.remove(stream)));
        assertNull(get(history.remove(stream)), "twice");
        assertEquals(List.of(), get(history.latest(stream, 10)));
        assertEquals(1, append(history, stream, "m", 10).id());
    }

    @Test
    void aRemoveLeavesOtherStreamsAndQueuesAlone() {
        History history = history();
        String stream = name("stream");
        String other = name("stream");
        append(history, stream, "m", 10);
        append(history, other, "o", 10);
        append(history, other, "o", 10);
        get(history.enqueue(stream, "queued", 10)); // a queue of the same name is another thing
        String otherEpoch = get(history.since(other, 0)).epoch();
        get(history.remove(stream));
        Recovery kept = get(history.since(other, 0));
        assertEquals(List.of("o1", "o2"), payloads(kept.entries()));
        assertTrue(kept.complete());
        assertEquals(otherEpoch, kept.epoch());
        assertEquals(List.of("queued"), get(history.drain(stream)));
    }

    @Test
    void idsIncreaseByOneAcrossTheNodesOfACluster() throws Exception {
        List<History> nodes = histories(2);
        String stream = name("stream");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                History node = nodes.get(i % 2);
                ids.add(pool.submit(() -> {
                    start.await();
                    return append(node, stream, "m", 100).id();
                }));
            }
            start.countDown();
            Set<Long> seen = new HashSet<>();
            for (Future<Long> id : ids) {
                seen.add(id.get(timeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            Set<Long> expected = new HashSet<>();
            for (long id = 1; id <= 40; id++) {
                expected.add(id);
            }
            assertEquals(expected, seen);
        } finally {
            pool.shutdownNow();
        }
        Recovery everything = get(nodes.get(1).since(stream, 0));
        assertEquals(40, everything.entries().size());
        assertTrue(everything.complete());
    }

    @Test
    void theNodesOfAClusterShareOneEpoch() {
        List<History> nodes = histories(2);
        assertFalse(nodes.get(0).epoch().isEmpty());
        assertEquals(nodes.get(0).epoch(), nodes.get(1).epoch());
        assertEquals(nodes.get(0).epoch(), nodes.get(0).epoch());
    }

    @Test
    void aQueueKeepsItsNewestAndIsDrainedOnceOldestFirst() {
        List<History> nodes = histories(2);
        String queue = name("queue");
        for (int i = 1; i <= 5; i++) {
            get(nodes.get(0).enqueue(queue, "p" + i, 3));
        }
        assertEquals(List.of("p3", "p4", "p5"), get(nodes.get(1).drain(queue)));
        assertEquals(List.of(), get(nodes.get(0).drain(queue)));
        assertEquals(List.of(), get(nodes.get(0).drain(name("queue"))));
    }

    @Test
    void aTakeTakesTheOldestPageThatFitsAndLeavesTheRestInOrder() {
        List<History> nodes = histories(2);
        String queue = name("queue");
        for (String payload :
                List.of("aaaa", "bbbb", "é€x")) { // 4, 4 and 6 bytes in UTF-8 (3 characters), plus one each
            get(nodes.get(0).enqueue(queue, payload, 10));
        }
        assertEquals(
                new History.Page(List.of("aaaa", "bbbb"), true),
                get(nodes.get(1).take(queue, 14)));
        get(nodes.get(0).enqueue(queue, "dddd", 10));
        assertEquals(new History.Page(List.of("é€x"), true), get(nodes.get(0).take(queue, 2)), "at least one");
        assertEquals(new History.Page(List.of("dddd"), false), get(nodes.get(1).take(queue, 10)));
        assertEquals(new History.Page(List.of(), false), get(nodes.get(0).take(queue, 10)));
        get(nodes.get(0).enqueue(queue, "again", 10));
        assertEquals(new History.Page(List.of("again"), false), get(nodes.get(1).take(queue, 10)));
    }

    @Test
    void concurrentDrainsTakeEachPayloadExactlyOnce() throws Exception {
        List<History> nodes = histories(2);
        String queue = name("queue");
        for (int i = 0; i < 50; i++) {
            get(nodes.get(0).enqueue(queue, "p" + i, 100));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> drains = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                History node = nodes.get(i % 2);
                drains.add(pool.submit(() -> {
                    start.await();
                    return get(node.drain(queue));
                }));
            }
            start.countDown();
            List<String> taken = new ArrayList<>();
            for (Future<List<String>> drain : drains) {
                taken.addAll(drain.get(timeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            assertEquals(50, taken.size());
            assertEquals(50, new HashSet<>(taken).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void textSurvivesUnchanged() {
        History history = history();
        String stream = name("stream");
        String text = "{\"message\":\"héllo: 世界 🎉 \\\"quoted\\\"\\n\"}";
        append(history, stream, text, 10);
        assertEquals(List.of(text + "1"), payloads(get(history.latest(stream, 1))));
        String queue = name("queue");
        get(history.enqueue(queue, text, 10));
        assertEquals(List.of(text), get(history.drain(queue)));
    }

    @Test
    void keepBelowOneIsRefused() {
        History history = history();
        assertThrows(IllegalArgumentException.class, () -> history.append(name("s"), id -> "x", 0, entry -> {}));
        assertThrows(IllegalArgumentException.class, () -> history.enqueue(name("q"), "x", 0));
        assertNotEquals("", history.epoch());
    }
}
