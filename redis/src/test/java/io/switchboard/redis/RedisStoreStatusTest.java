/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.switchboard.engine.StoreStatus;
import io.switchboard.session.Message;
import io.switchboard.testkit.EngineContract;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.Recorder;
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
    private volatile Recorder<String> outcomes = new Recorder<>("store calls");

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
        assertThat(calls).noneMatch(outcome -> outcome.contains("yet") || outcome.contains("negative"));
        for (AutoCloseable each : opened) {
            each.close();
        }
        redis.close();
    }

    private RedisEngine engine() {
        RedisEngine engine = RedisEngine.connect(settings);
        opened.add(engine);
        engine.onCall(this::record);
        return engine;
    }

    private RedisHistory history() {
        RedisHistory history = RedisHistory.connect(settings);
        opened.add(history);
        history.onCall(this::record);
        return history;
    }

    private void record(String operation, long nanos, boolean failed) {
        String outcome = operation + " " + outcome(nanos, failed);
        calls.add(outcome);
        outcomes.record(outcome);
    }

    /** ok, failed (sent and failed), unsent (refused without being sent), or what is wrong with the report. */
    private static String outcome(long nanos, boolean failed) {
        if (nanos == StoreStatus.CallListener.NOT_SENT) {
            return failed ? "unsent" : "ok yet unsent";
        }
        return nanos < 0 ? "negative time" : failed ? "failed" : "ok";
    }

    /** Waits for calls reported as each of {@code expected} ("publish failed"), in any order, passing over others. */
    private void awaitCalls(String... expected) {
        List<String> missing = new ArrayList<>(List.of(expected));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!missing.isEmpty()) {
            missing.remove(outcomes.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
        }
    }

    /**
     * Waits until {@code store}'s availability is {@code expected}. A poll: availability changes with
     * the client's connection state, which emits no event a test can wait on.
     */
    private static void awaitAvailable(StoreStatus store, boolean expected) {
        Eventually.until("available() to be " + expected, WAIT, store::available, now -> now == expected);
    }

    @Test
    void theEngineNamesEachCallByWhatItDid() {
        RedisEngine engine = engine();
        TestNode node = EngineContract.testNode(engine, WAIT);
        node.connect("ann").join("room");
        engine.broadcast("room", Message.text("hello"), null);
        await(engine.members("room"));

        awaitCalls("join ok", "publish ok", "presence ok", "heartbeat ok");
        assertThat(calls).doesNotContain("join failed", "publish failed");
        assertThat(engine.available()).isTrue();
    }

    @Test
    void theEngineIsUnavailableWhileRedisIsStoppedAndAvailableWhenItIsBack() {
        RedisEngine engine = engine();
        TestNode node = EngineContract.testNode(engine, WAIT);

        redis.stop();
        awaitAvailable(engine, false);
        awaitCalls("heartbeat unsent"); // the client refuses calls at once now: they are not timed
        engine.broadcast("room", Message.text("lost"), null);
        awaitCalls("publish unsent");

        redis.launch();
        awaitAvailable(engine, true);
        node.connect("ann").join("room");
        assertThat(calls).contains("join ok");
    }

    @Test
    void aRedisThatStopsAnsweringMakesTheEngineUnavailableUntilItAnswersAgain() {
        RedisEngine engine = engine();
        EngineContract.testNode(engine, WAIT);

        redis.freeze();
        // The heartbeat's call times out: the link is hung.
        awaitAvailable(engine, false);
        awaitCalls("heartbeat failed");
        engine.broadcast("room", Message.text("lost"), null);
        awaitCalls("publish unsent"); // refused while hung, not sent: no latency to report

        redis.unfreeze();
        awaitAvailable(engine, true);
    }

    @Test
    void theHistoryIsUnavailableWhileRedisIsStoppedAndAvailableWhenItIsBack() {
        RedisHistory history = history();
        await(history.latest("s", 1));
        assertThat(calls).contains("history ok");
        assertThat(history.available()).isTrue();

        redis.stop();
        awaitAvailable(history, false);
        history.latest("s", 1).exceptionally(e -> null);
        awaitCalls("history unsent");

        redis.launch();
        awaitAvailable(history, true);
    }

    @Test
    void theEngineIsUnavailableWhileItsPubSubConnectionIsLost() {
        RedisEngine engine = engine();
        EngineContract.testNode(engine, WAIT);
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> admin = client.connect()) {
            // Connections already open stay logged in; the pub/sub one cannot come back while this holds.
            admin.sync().configSet("requirepass", "pubsub-locked-out");
            assertThat(admin.sync().clientKill(KillArgs.Builder.typePubsub())).isEqualTo(1);
            awaitAvailable(engine, false);
            engine.broadcast("room", Message.text("to others"), null);
            awaitCalls("publish ok"); // the command connection is fine: only the pub/sub one is lost

            outcomes = new Recorder<>("store calls after the pub/sub connection is back");
            admin.sync().configSet("requirepass", "");
            awaitAvailable(engine, true);
            awaitCalls("subscribe ok"); // its channels are listened to again
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aListenerThatThrowsLeavesTheCallsItWatchesCompletingNormally() {
        RedisHistory history = history();
        history.onCall((operation, nanos, failed) -> {
            throw new IllegalStateException("a listener that breaks its promise");
        });
        history.onCall((operation, nanos, failed) -> {
            throw new AssertionError("an Error, even");
        });
        history.onCall(this::record);

        assertThat(await(history.latest("s", 1))).isEmpty();
        awaitCalls("history ok", "history ok"); // the listeners before and after the broken ones
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
