/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.engine.Departures;
import io.switchboard.engine.History;
import io.switchboard.session.MembershipChange;
import io.switchboard.session.Message;
import io.switchboard.testkit.EngineContract;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestMember;
import io.switchboard.testkit.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node death and Redis outages, against a real redis-server that each test may restart. */
class RedisFaultsTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final Duration EXPIRY = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisServer redis;
    private RedisSettings settings;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        settings = RedisSettings.of(redis.uri())
                .withPrefix("faults" + PREFIXES.incrementAndGet() + ":")
                .withHeartbeat(HEARTBEAT, EXPIRY);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable each : opened) {
            each.close();
        }
        redis.close();
    }

    private TestNode node() {
        RedisEngine engine = RedisEngine.connect(settings);
        opened.add(engine);
        return EngineContract.testNode(engine, WAIT);
    }

    @Test
    void aNodeThatDiesIsReapedAndItsMembersReportedOnceAsDepartures() throws Exception {
        TestNode survivor = node();
        TestNode doomed = node();
        Recorder<String> departures = new Recorder<>("departures");
        ((Departures) survivor.engine())
                .onDeparture((group, member, change) -> departures.record(group + " " + member.user() + " "
                        + change.userPresenceChanged() + " " + change.userSessions()));
        TestMember ann = survivor.connect("ann");
        TestMember annElsewhere = doomed.connect("ann");
        TestMember bob = doomed.connect("bob");
        ann.join("room");
        annElsewhere.join("room");
        bob.join("room");

        long start = System.nanoTime();
        ((RedisEngine) doomed.engine()).crash();

        Set<String> reported = Set.of(departures.next(WAIT), departures.next(WAIT));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(reported).containsExactlyInAnyOrder("room ann false 1", "room bob true 0");
        assertThat(tookMillis).as("reaped within expiry + heartbeat + slack").isLessThan(EXPIRY.toMillis() + 1500);
        assertEquals(List.of(ann.info()), await(survivor.engine().members("room")));
        assertEquals(0, await(survivor.engine().sendToUser("bob", Message.text("gone?"))));
        departures.expectNothing(HEARTBEAT.multipliedBy(3));
    }

    @Test
    void aClosingNodeSaysGoodbyeAtOnce() throws Exception {
        TestNode stays = node();
        TestNode leaves = node();
        TestMember cid = leaves.connect("cid");
        cid.join("room");
        leaves.engine().close();
        assertEquals(List.of(), await(stays.engine().members("room")));
    }

    @Test
    void afterARedisRestartNodesListenAgainAndWriteTheirPresenceBack() throws Exception {
        TestNode one = node();
        TestNode two = node();
        TestMember ann = one.connect("ann");
        TestMember bob = two.connect("bob");
        ann.join("room");
        bob.join("room");

        redis.stop();
        one.engine().broadcast("room", Message.text("local during the outage"));
        assertEquals(Message.text("local during the outage"), ann.next());
        assertEquals(new MembershipChange(false, 1), ann.join("room")); // decided locally
        assertEquals(List.of(ann.info()), await(one.engine().members("room")));
        redis.launch(); // empty: Redis lost every key and subscription

        eventually(() -> Set.copyOf(await(two.engine().members("room"))), Set.of(ann.info(), bob.info()));
        eventually(
                () -> {
                    one.engine().broadcast("room", Message.text("across again"));
                    return bob.next(Duration.ofMillis(300));
                },
                Message.text("across again"));
        while (ann.pending() > 0) {
            assertEquals(Message.text("across again"), ann.next());
        }
        while (bob.pending() > 0) {
            assertEquals(Message.text("across again"), bob.next());
        }
        two.engine().broadcast("room", Message.text("and back"));
        assertEquals(Message.text("and back"), ann.next());
    }

    @Test
    void historyNumbersProvisionallyDuringAnOutageAndReportsTheGapAfter() throws Exception {
        RedisHistory history = RedisHistory.connect(settings);
        opened.add(history);
        String stream = "chat:lobby";
        for (int i = 0; i < 3; i++) {
            await(history.append(stream, id -> "m" + id, 10, entry -> {}));
        }
        String epochBefore = history.epoch();

        redis.stop();
        List<Long> published = new ArrayList<>();
        History.Entry during = await(history.append(stream, id -> "m" + id, 10, entry -> published.add(entry.id())));
        assertEquals(4, during.id());
        assertEquals(List.of(4L), published);
        assertThat(await(history.since(stream, 3)).complete()).isFalse();
        redis.launch();

        eventually(() -> await(history.latest(stream, 10)).isEmpty(), true);
        History.Entry after = await(history.append(stream, id -> "m" + id, 10, entry -> {}));
        assertThat(after.id()).isGreaterThan(4);
        assertThat(await(history.since(stream, 4)).complete()).isFalse();
        assertThat(await(history.since(stream, 3)).complete()).isFalse();
        assertThat(history.epoch()).isNotEqualTo(epochBefore);
    }

    @Test
    void orderedAppendsComeBackThroughRedisAndOneThatTimedOutNeverLandsLater() throws Exception {
        settings = settings.withCommandTimeout(Duration.ofMillis(1000));
        TestNode one = node();
        TestNode two = node();
        TestMember ann = one.connect("ann");
        TestMember bob = two.connect("bob");
        ann.join("room");
        bob.join("room");
        RedisHistory history = RedisHistory.connect(settings);
        opened.add(history);
        History.Template live = new History.Template("live ", " ", "");

        assertEquals(
                1,
                await(history.appendAndBroadcast("s", live, 10, one.engine(), "room"))
                        .id());
        String epoch = await(history.since("s", 0)).epoch(); // the stream's epoch, which live entries carry
        assertEquals(Message.text("live " + epoch + " 1"), ann.next()); // its own node, from the channel
        assertEquals(Message.text("live " + epoch + " 1"), bob.next());

        History.Entry during;
        redis.freeze();
        try {
            during = await(history.appendAndBroadcast(
                    "s", new History.Template("frozen ", " ", ""), 10, one.engine(), "room"));
            assertEquals(Message.text(during.payload()), ann.next());
        } finally {
            redis.unfreeze();
        }
        assertEquals(1, during.id());
        assertThat(during.payload()).as("numbered under an outage epoch").isNotEqualTo("frozen " + epoch + " 1");

        eventually(
                () -> await(history.appendAndBroadcast("s", live, 10, one.engine(), "room"))
                        .payload()
                        .startsWith("live " + epoch + " "),
                true);
        assertThat(await(history.since("s", 0)).entries())
                .extracting(History.Entry::payload)
                .as("the append Redis ran after its deadline stored nothing")
                .noneMatch(payload -> payload.startsWith("frozen"))
                .first()
                .isEqualTo("live " + epoch + " 1");
        assertThat(await(history.since("s", 0)).complete()).isTrue();
    }

    /** Retries {@code probe} until it yields {@code expected}, failing after {@link #WAIT}. */
    private static <T> void eventually(Supplier<T> probe, T expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                if (expected.equals(last)) {
                    return;
                }
            } catch (AssertionError | RuntimeException e) {
                last = e;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // paces the probe; the deadline decides
        }
        throw new AssertionError("still not " + expected + " after " + WAIT.toMillis() + " ms; last: " + last);
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
