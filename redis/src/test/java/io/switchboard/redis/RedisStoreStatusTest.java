/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.engine.StoreStatus;
import io.switchboard.session.Message;
import io.switchboard.testkit.EngineContract;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's and the history's {@link StoreStatus}, against a real redis-server the tests stop, freeze and start. */
class RedisStoreStatusTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisServer redis;
    private RedisSettings settings;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Set<String> calls = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        settings = RedisSettings.of(redis.uri())
                .withPrefix("status" + PREFIXES.incrementAndGet() + ":")
                .withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(500))
                .withCommandTimeout(Duration.ofMillis(300));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable each : opened) {
            each.close();
        }
        redis.close();
    }

    private RedisEngine engine() {
        RedisEngine engine = RedisEngine.connect(settings);
        opened.add(engine);
        engine.onCall((operation, nanos, failed) -> calls.add(operation + (failed ? " failed" : " ok")));
        return engine;
    }

    private RedisHistory history() {
        RedisHistory history = RedisHistory.connect(settings);
        opened.add(history);
        history.onCall((operation, nanos, failed) -> calls.add(operation + (failed ? " failed" : " ok")));
        return history;
    }

    @Test
    void theEngineNamesEachCallByWhatItDid() {
        RedisEngine engine = engine();
        TestNode node = EngineContract.testNode(engine, WAIT);
        node.connect("ann").join("room");
        engine.broadcast("room", Message.text("hello"), null);
        await(engine.members("room"));

        eventually(() -> calls.containsAll(Set.of("join ok", "publish ok", "presence ok", "heartbeat ok")), true);
        assertThat(calls).doesNotContain("join failed", "publish failed");
        assertThat(engine.available()).isTrue();
    }

    @Test
    void theEngineIsUnavailableWhileRedisIsStoppedAndAvailableWhenItIsBack() {
        RedisEngine engine = engine();
        TestNode node = EngineContract.testNode(engine, WAIT);

        redis.stop();
        eventually(engine::available, false);
        engine.broadcast("room", Message.text("lost"), null);
        eventually(() -> calls.contains("publish failed"), true);

        redis.launch();
        eventually(engine::available, true);
        node.connect("ann").join("room");
        assertThat(calls).contains("join ok");
    }

    @Test
    void aRedisThatStopsAnsweringMakesTheEngineUnavailableUntilItAnswersAgain() {
        RedisEngine engine = engine();
        EngineContract.testNode(engine, WAIT);

        redis.freeze();
        // The heartbeat's call times out: the link is hung.
        eventually(engine::available, false);
        eventually(() -> calls.contains("heartbeat failed"), true);

        redis.unfreeze();
        eventually(engine::available, true);
    }

    @Test
    void theHistoryIsUnavailableWhileRedisIsStoppedAndAvailableWhenItIsBack() {
        RedisHistory history = history();
        await(history.latest("s", 1));
        assertThat(calls).contains("history ok");
        assertThat(history.available()).isTrue();

        redis.stop();
        eventually(history::available, false);
        history.latest("s", 1).exceptionally(e -> null);
        eventually(() -> calls.contains("history failed"), true);

        redis.launch();
        eventually(history::available, true);
    }

    /** Retries {@code probe} until it yields {@code expected}, failing after {@link #WAIT}. */
    private static <T> void eventually(Supplier<T> probe, T expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (expected.equals(last)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // paces the probe; the deadline decides
        }
        throw new AssertionError("still not " + expected + " after " + WAIT.toMillis() + " ms; last: " + last);
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
