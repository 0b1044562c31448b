/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.engine.UnavailableException;
import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import io.switchboard.testkit.EngineContract;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestMember;
import io.switchboard.testkit.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history's queues and streams when Redis hangs, refuses or loses keys one by one, against a
 * real redis-server: nothing a node gave up on takes effect later, and no (epoch, id) names two
 * entries.
 */
class RedisHistoryFaultsTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisServer redis;
    private RedisSettings settings;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        settings = RedisSettings.of(redis.uri())
                .withPrefix("hfaults" + PREFIXES.incrementAndGet() + ":")
                .withCommandTimeout(Duration.ofMillis(500));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable each : opened) {
            each.close();
        }
        redis.close();
    }

    private RedisHistory history() {
        RedisHistory history = RedisHistory.connect(settings);
        opened.add(history);
        return history;
    }

    @Test
    void aTakeOrEnqueueThatTimedOutWhileRedisWasFrozenNeverTakesEffectLater() {
        RedisHistory history = history();
        await(history.enqueue("q", "a", 10));
        await(history.enqueue("q", "b", 10));
        redis.freeze();
        try {
            assertThat(failure(history.take("q", 1000))).isInstanceOf(UnavailableException.class);
            assertThat(failure(history.enqueue("q", "c", 10))).isInstanceOf(UnavailableException.class);
        } finally {
            redis.unfreeze();
        }
        History.Page after = eventually(() -> await(history.take("q", 1000)));
        assertEquals(
                List.of("a", "b"), after.payloads(), "the take Redis ran late took nothing, the enqueue kept nothing");
    }

    @Test
    void aRemoveThatTimedOutWhileRedisWasFrozenIsUnavailableAndNeverTakesEffectLater() {
        RedisHistory history = history();
        await(history.append("s", id -> "m" + id, 10, entry -> {}));
        await(history.append("s", id -> "m" + id, 10, entry -> {}));
        redis.freeze();
        try {
            assertThat(failure(history.remove("s"))).isInstanceOf(UnavailableException.class);
        } finally {
            redis.unfreeze();
        }
        List<History.Entry> after = eventually(() -> await(history.latest("s", 10)));
        assertThat(after).extracting(History.Entry::id).containsExactly(1L, 2L);
        assertEquals(
                3, await(history.append("s", id -> "m" + id, 10, entry -> {})).id(), "the stream's life goes on");
    }

    @Test
    void aStreamWhoseCounterAloneWasLostBeginsANewLife() {
        RedisHistory history = history();
        TestNode node = node();
        TestMember ann = node.connect("ann");
        ann.join("room");
        History.Template template = new History.Template("m ", " ", "");
        History.Entry first = await(history.appendAndBroadcast("s", template, 10, node.engine(), "room"));
        await(history.appendAndBroadcast("s", template, 10, node.engine(), "room"));
        String before = await(history.since("s", 0)).epoch();

        redis(redis -> redis.sync().del((settings.prefix() + "history-top:{s}").getBytes())); // as an eviction would

        History.Entry again = await(history.appendAndBroadcast("s", template, 10, node.engine(), "room"));
        assertEquals(1, again.id());
        assertNotEquals(first.payload(), again.payload(), "(epoch, 1) names one entry only");
        History.Recovery after = await(history.since("s", 2));
        assertNotEquals(before, after.epoch());
        assertThat(after.complete()).isFalse();
        assertThat(await(history.since("s", 0)).entries())
                .extracting(History.Entry::payload)
                .containsExactly(again.payload());
    }

    @Test
    void whileRedisHangsAReaderGetsTheEpochThisNodeNumbersUnder() {
        RedisHistory history = history();
        TestNode node = node();
        TestMember ann = node.connect("ann");
        ann.join("room");
        redis.freeze();
        try {
            assertEquals("", await(history.since("s", 0)).epoch(), "nothing known");
            String told = history.currentEpoch("s");
            History.Entry sent = await(
                    history.appendAndBroadcast("s", new History.Template("m ", " ", ""), 10, node.engine(), "room"));
            assertEquals("m " + told + " 1", sent.payload());
        } finally {
            redis.unfreeze();
        }
    }

    @Test
    void whileRedisHangsAnEntryWithAKeyReachesThisNodesMembersWithIt() {
        RedisHistory history = history();
        TestNode node = node();
        TestMember ann = node.connect("ann");
        ann.join("ticker");
        redis.freeze();
        try {
            History.Entry sent = await(history.appendAndBroadcast(
                    "t", new History.Template("m ", " ", ""), 10, node.engine(), "ticker", "AAPL"));
            assertEquals(new TestMember.Latest("AAPL", Message.text(sent.payload())), ann.next());
        } finally {
            redis.unfreeze();
        }
    }

    @Test
    void anErrorRedisAnswersIsUnavailableNotAnOutage() {
        RedisHistory history = history();
        TestNode node = node();
        TestMember ann = node.connect("ann");
        ann.join("room");
        redis(redis -> redis.sync().configSet("maxmemory", "1"));
        try {
            assertThat(failure(history.enqueue("q", "x", 10))).isInstanceOf(UnavailableException.class);
            assertThat(failure(history.appendAndBroadcast(
                            "s", new History.Template("m ", " ", ""), 10, node.engine(), "room")))
                    .isInstanceOf(UnavailableException.class);
            assertEquals(0, ann.pending(), "nothing delivered");
        } finally {
            redis(redis -> redis.sync().configSet("maxmemory", "0"));
        }
    }

    @Test
    void noPerStreamStateGrowsWithTheNamesClientsMakeUp() {
        RedisHistory history = history();
        Hub nobody = new InMemoryEngine(); // no node: broadcasts reach no one
        History.Template template = new History.Template("m ", " ", "");
        for (int i = 0; i < 100; i++) {
            await(history.since("made-up-" + i, 0));
            await(history.appendAndBroadcast("made-up-" + i, template, 10, nobody, "room"));
            await(history.latest("made-up-" + i, 10));
        }
        assertEquals(0, history.trackedStreams(), "nothing kept per stream while Redis answers");
        redis.freeze();
        try {
            String first = epochOf(await(history.appendAndBroadcast("outage-0", template, 10, nobody, "room")));
            String last = first;
            for (int i = 1; i <= OutageNumbers.MAX_STREAMS; i++) {
                last = epochOf(await(history.appendAndBroadcast("outage-" + i, template, 10, nobody, "room")));
            }
            assertThat(history.trackedStreams()).isLessThanOrEqualTo(OutageNumbers.MAX_STREAMS);
            assertNotEquals(first, last, "past the bound, a new outage epoch");
        } finally {
            redis.unfreeze();
        }
    }

    private static String epochOf(History.Entry entry) {
        return entry.payload().split(" ")[1];
    }

    private TestNode node() {
        RedisEngine engine = RedisEngine.connect(settings.withCommandTimeout(Duration.ofSeconds(2)));
        opened.add(engine);
        return EngineContract.testNode(engine, WAIT);
    }

    private void redis(Consumer<StatefulRedisConnection<byte[], byte[]>> command) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<byte[], byte[]> connection =
                client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
            command.accept(connection);
        } finally {
            client.shutdown();
        }
    }

    private static Throwable failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    /** Retries {@code probe} until it answers (Redis answers again), failing after {@link #WAIT}. */
    private static <T> T eventually(java.util.function.Supplier<T> probe) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return probe.get();
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // paces the probe; the deadline decides
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
