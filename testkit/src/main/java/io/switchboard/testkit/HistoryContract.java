package io.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.engine.History;
import io.switchboard.engine.History.Entry;
import io.switchboard.engine.History.Recovery;
import java.time.Duration;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link History} keeps, as one test suite: extend it, say how to make the histories
 * of a cluster's nodes, and every test runs against that implementation. Stream and queue names are
 * new in every test, so the histories may be shared between tests.
 */
public abstract class HistoryContract {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private final List<History> opened = new ArrayList<>();

    /** For the test class of one implementation. */
    protected HistoryContract() {}

    /**
     * The histories of {@code count} nodes of one cluster: they share streams and queues. A history
     * that serves one node only may return the same instance {@code count} times.
     */
    protected abstract List<History> newCluster(int count);

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

    /** One node's history. */
    protected final History history() {
        return histories(1).get(0);
    }

    /** The histories of {@code count} nodes of one cluster. */
    protected final List<History> histories(int count) {
        List<History> cluster = newCluster(count);
        opened.addAll(cluster);
        return cluster;
    }

    /** A stream or queue name no other test uses. */
    protected static String name(String kind) {
        return kind + ":" + NAMES.incrementAndGet();
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

    @Test
    void aStreamIsForgottenAfterItsTimeToLiveAndBeginsAgainUnderANewEpoch() {
        History history = expiring(shortTtl(), shortTtl().multipliedBy(1000));
        opened.add(history);
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
        History history = expiring(shortTtl().multipliedBy(1000), shortTtl().multipliedBy(1000));
        opened.add(history);
        String stream = name("stream");
        String first = get(history.since(stream, 0)).epoch();
        append(history, stream, "m", 10);
        assertEquals(first, get(history.since(stream, 1)).epoch());
        assertNotEquals(first, get(history.since(name("stream"), 0)).epoch(), "each stream has its own");
    }

    @Test
    void aQueueIsForgottenAfterItsTimeToLive() {
        History history = expiring(shortTtl(), shortTtl());
        opened.add(history);
        String queue = name("queue");
        get(history.enqueue(queue, "p1", 10));
        String witness = name("stream"); // written after the queue with the same time to live
        append(history, witness, "w", 10);
        advance(shortTtl());
        eventually("the witness stream is forgotten", () -> get(history.latest(witness, 10))
                .isEmpty());
        assertEquals(List.of(), get(history.drain(queue)), "the queue went before the stream written after it");
    }

    /** Waits until {@code condition} holds, asking again every few milliseconds, up to the timeout. */
    protected final void eventually(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout() + ": " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Appends {@code prefix + id} and waits for the entry. */
    protected final Entry append(History history, String stream, String prefix, int keep) {
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
