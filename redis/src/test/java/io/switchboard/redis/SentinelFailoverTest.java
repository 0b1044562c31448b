/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.switchboard.engine.History;
import io.switchboard.session.Message;
import io.switchboard.testkit.EngineContract;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.RedisSentinelSetup;
import io.switchboard.testkit.TestMember;
import io.switchboard.testkit.TestNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Redis Sentinel's failures: bad settings fail the start with one clear message, and a failover under
 * traffic (the primary killed) is an outage the nodes recover from. One setup for the class; the
 * failover runs last, as it leaves the setup without a replica. The data nodes require a password.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelFailoverTest {

    private static final String PASSWORD = "s3cret";
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The bound on a failover: the sentinels notice in 1 s, agree and promote; reconnects back off to 2 s. */
    private static final Duration FAILOVER = Duration.ofSeconds(20);

    private static RedisSentinelSetup sentinel;
    private static final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startSentinel() {
        sentinel = RedisSentinelSetup.start(PASSWORD);
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AutoCloseable each : opened) {
            each.close();
        }
        sentinel.close();
    }

    @Test
    @Order(1)
    void unreachableSentinelsFailTheStartNamingThem() throws IOException {
        RedisSettings settings = RedisSettings.of("redis-sentinel://127.0.0.1:" + freePort() + "#switchboard");
        long start = System.nanoTime();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> RedisEngine.connect(settings));
        assertThat(error.getMessage()).contains("cannot reach Redis at redis-sentinel://127.0.0.1:");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(settings.connectTimeout().plus(WAIT));
    }

    @Test
    @Order(1)
    void anUnknownMasterNameFailsTheStartNamingIt() {
        RedisSettings settings = RedisSettings.of(sentinel.uri().replace("#switchboard", "#nosuchmaster"))
                .withPassword(PASSWORD);
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> RedisHistory.connect(settings));
        assertThat(error.getMessage()).contains("#nosuchmaster");
    }

    @Test
    @Order(1)
    void aWrongPasswordFailsTheStart() {
        RedisSettings settings = RedisSettings.of(sentinel.uri()).withPassword("wrong");
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> RedisEngine.connect(settings));
        assertThat(error.getMessage()).startsWith("cannot reach Redis at redis-sentinel://");
    }

    @Test
    @Order(1)
    void aSentinelUriNamesItsPrimary() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> RedisSettings.of("redis-sentinel://127.0.0.1:26379"));
        assertThat(error.getMessage()).contains("after a '#'");
        assertEquals(
                "redis-sentinel://127.0.0.1:1,127.0.0.1:2/3#m",
                RedisSettings.of("redis-sentinel://:secret@127.0.0.1:1,127.0.0.1:2/3#m")
                        .display());
    }

    @Test
    @Order(2)
    void afterTheSentinelsPromoteTheReplicaEveryNodeHearsTheOthersAgainAndTheGapIsSignalled() throws Exception {
        RedisSettings settings = RedisSettings.of(sentinel.uri())
                .withPassword(PASSWORD) // as --redis-password: the data nodes', the sentinels need none
                .withPrefix("failover:")
                .withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(5));
        TestNode one = node(settings);
        TestNode two = node(settings);
        TestMember ann = one.connect("ann");
        TestMember bob = two.connect("bob");
        ann.join("room");
        bob.join("room");
        RedisHistory history = RedisHistory.connect(settings);
        opened.add(history);
        History.Entry before = await(history.append("s", id -> "m" + id, 10, entry -> {}));
        one.engine().broadcast("room", Message.text("before"));
        assertEquals(Message.text("before"), bob.next());
        assertEquals(Message.text("before"), ann.next());
        String epoch = await(history.since("s", 0)).epoch();

        int oldPrimary = sentinel.primaryPort();
        long killed = System.nanoTime();
        sentinel.killPrimary();
        // During the failover the history numbers under an outage epoch of its own: the gap's signal.
        Eventually.until("the history to notice the primary is gone", WAIT, () -> !history.available());
        History.Entry during = await(
                history.appendAndBroadcast("s", new History.Template("live ", " ", ""), 10, one.engine(), "room"));
        assertEquals(Message.text(during.payload()), ann.next()); // its own node's client still hears it
        assertThat(during.payload())
                .as("numbered under an outage epoch, which tells clients they may miss something")
                .startsWith("live ")
                .doesNotStartWith("live " + epoch + " ");
        assertThat(await(history.since("s", before.id())).complete()).isFalse();

        sentinel.awaitFailover(oldPrimary);
        Eventually.until("messages to flow both ways again", FAILOVER, () -> crosses(one, bob) && crosses(two, ann));
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(FAILOVER);
        Eventually.until("the history to number through Redis again", FAILOVER, history::available);
        History.Entry after = await(history.append("s", id -> "m" + id, 10, entry -> {}));
        assertThat(after.id()).isGreaterThan(before.id());
        assertEquals(epoch, await(history.since("s", 0)).epoch(), "the replica had the stream's epoch");
        Eventually.until(
                "both members listed on both nodes",
                FAILOVER,
                () -> await(one.engine().members("room")).size() == 2);
    }

    /** Sends from {@code from}'s node; true once {@code to} hears it (draining older copies). */
    private static boolean crosses(TestNode from, TestMember to) {
        String text = "across " + System.nanoTime();
        from.engine().broadcast("room", Message.text(text));
        try {
            while (true) {
                Object next = to.next(Duration.ofMillis(300));
                if (Message.text(text).equals(next)) {
                    return true;
                }
            }
        } catch (AssertionError | RuntimeException e) {
            return false;
        }
    }

    private static TestNode node(RedisSettings settings) {
        RedisEngine engine = RedisEngine.connect(settings);
        opened.add(engine);
        return EngineContract.testNode(engine, WAIT);
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
