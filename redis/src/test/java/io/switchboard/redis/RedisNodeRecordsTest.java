/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.switchboard.engine.Departures;
import io.switchboard.session.Message;
import io.switchboard.testkit.EngineContract;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestMember;
import io.switchboard.testkit.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node's records in Redis as a whole. Forgetting a dead node group by group: however many nodes
 * reap it at once, each of its members is removed, and reported as a departure, exactly once, and
 * nothing of it is left. Writing a node back: Redis then holds exactly the node's presence.
 */
class RedisNodeRecordsTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisServer redis;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable each : opened) {
            each.close();
        }
        redis.close();
    }

    private RedisSettings settings(String prefix, Duration heartbeat, Duration expiry) {
        return RedisSettings.of(redis.uri()).withPrefix(prefix).withHeartbeat(heartbeat, expiry);
    }

    private TestNode node(RedisSettings settings) {
        RedisEngine engine = RedisEngine.connect(settings);
        opened.add(engine);
        return EngineContract.testNode(engine, WAIT);
    }

    @Test
    void twoSurvivorsReapingOneDeadNodeReportEachDepartureOnceBetweenThem() throws Exception {
        RedisSettings settings =
                settings("reap" + PREFIXES.incrementAndGet() + ":", Duration.ofMillis(50), Duration.ofMillis(300));
        TestNode one = node(settings);
        TestNode two = node(settings);
        TestNode doomed = node(settings);
        Recorder<String> departures = new Recorder<>("departures");
        for (TestNode survivor : List.of(one, two)) {
            ((Departures) survivor.engine())
                    .onDeparture((group, member, change) -> departures.record(group + " " + member.user() + " "
                            + change.userPresenceChanged() + " " + change.userSessions()));
        }
        one.connect("ann").join("a");
        populate(doomed);

        ((RedisEngine) doomed.engine()).crash();

        List<String> reported = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            reported.add(departures.next(WAIT));
        }
        assertThat(reported)
                .containsExactlyInAnyOrder(
                        "a ann false 1", "a bob true 0", "b ann true 0", "b null false 0", "c cid true 0");
        departures.expectNothing(Duration.ofMillis(500));
        assertEquals(0, await(one.engine().sendToUser("bob", Message.text("gone?"))));
    }

    @Test
    void manyReapsOfOneDeadNodeAtOnceRemoveEachMemberOnceAndLeaveNothingOfIt() throws Exception {
        String prefix = "reap" + PREFIXES.incrementAndGet() + ":";
        // Beats too rare to reap within the test: the reaps below are the only ones.
        RedisSettings settings = settings(prefix, Duration.ofSeconds(30), Duration.ofSeconds(60));
        TestNode doomed = node(settings);
        populate(doomed);
        ((RedisEngine) doomed.engine()).crash();
        Keys keys = new Keys(prefix, 0);
        try (RedisClient client = RedisClient.create(redis.uri());
                StatefulRedisConnection<byte[], byte[]> raw = client.connect(ByteArrayCodec.INSTANCE)) {
            raw.sync().del(keys.alive(doomed.id())); // as if it had expired

            List<CompletionStage<List<Object>>> reaps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RedisLink link = RedisLink.open(settings, "reaper" + i);
                opened.add(link);
                NodeRecords records = new NodeRecords(link, keys);
                reaps.add(records.reap("reaper" + i, 60_000));
                reaps.add(records.reap("reaper" + i, 60_000));
            }
            List<String> reported = new ArrayList<>();
            for (CompletionStage<List<Object>> reap : reaps) {
                NodeLiveness.departures(await(reap))
                        .forEach(d -> reported.add(d.group() + " " + d.member().user() + " "
                                + d.change().userPresenceChanged() + " "
                                + d.change().userSessions()));
            }
            assertThat(reported)
                    .containsExactlyInAnyOrder(
                            "a ann true 0", "a bob true 0", "b ann true 0", "b null false 0", "c cid true 0");
            Eventually.until("nothing of the dead node is left", WAIT, () -> raw.sync()
                    .keys(prefix + "*")
                    .isEmpty());
        }
    }

    @Test
    void aDeadNodeThatAnotherNodeClaimedIsLeftToItUntilTheClaimIsGone() throws Exception {
        String prefix = "reap" + PREFIXES.incrementAndGet() + ":";
        RedisSettings settings = settings(prefix, Duration.ofSeconds(30), Duration.ofSeconds(60));
        TestNode doomed = node(settings);
        populate(doomed);
        ((RedisEngine) doomed.engine()).crash();
        Keys keys = new Keys(prefix, 0);
        byte[] claim = Keys.bytes(prefix + "reaping:" + Keys.tagged(doomed.id()));
        try (RedisClient client = RedisClient.create(redis.uri());
                StatefulRedisConnection<byte[], byte[]> raw = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> sync = raw.sync();
            sync.del(keys.alive(doomed.id())); // as if it had expired
            sync.set(claim, Keys.bytes("1")); // another node reaps it
            RedisLink link = RedisLink.open(settings, "reaper");
            opened.add(link);
            NodeRecords records = new NodeRecords(link, keys);

            assertEquals(List.of(), await(records.reap("reaper", 60_000)));
            assertEquals(1, sync.exists(keys.members("a")));

            sync.del(claim); // that node died while reaping: its claim expired
            assertThat(await(records.reap("reaper", 60_000))).hasSize(5);
            assertEquals(List.of(), sync.keys(prefix + "*"));
        }
    }

    @Test
    void aNodeThatRedisForgotWritesBackExactlyItsPresenceAndNothingStale() throws Exception {
        String prefix = "reap" + PREFIXES.incrementAndGet() + ":";
        TestNode one = node(settings(prefix, Duration.ofMillis(50), Duration.ofMillis(300)));
        TestMember ann = one.connect("ann");
        TestMember bob = one.connect("bob");
        ann.join("room");
        ann.join("lobby");
        bob.join("room");
        bob.leave("room");
        Keys keys = new Keys(prefix, 0);
        String node = one.id();
        byte[] stale = Keys.bytes(node + ".999999");
        byte[] zed = Keys.bytes("zed");
        try (RedisClient client = RedisClient.create(redis.uri());
                StatefulRedisConnection<byte[], byte[]> raw = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> redis = raw.sync();
            for (String group : List.of("room", "gone")) { // what a lost write or an old run could leave
                redis.hset(keys.members(group), stale, zed);
                redis.hset(keys.nodeMembers(group, node), stale, zed);
                redis.hset(keys.users(group), zed, Keys.bytes("1"));
                redis.sadd(keys.nodeGroups(node), Keys.bytes(group));
            }
            redis.hset(keys.nodeSessions(node), stale, zed);
            redis.hset(keys.userNodes("zed"), Keys.bytes(node), Keys.bytes("1"));
            redis.srem(keys.nodes(), Keys.bytes(node)); // the next beat finds the node forgotten

            Eventually.until("the stale session is gone", WAIT, () -> redis.exists(keys.userNodes("zed")) == 0);
            Eventually.until("the stale member is gone", WAIT, () -> redis.exists(keys.members("gone")) == 0);
            Eventually.until(
                    "the stale member of a kept group is gone", WAIT, () -> redis.hexists(keys.members("room"), stale)
                            .equals(false));
            assertEquals(List.of(ann.info()), await(one.engine().members("room")));
            assertEquals(Map.of("ann", "1"), texts(redis.hgetall(keys.users("room"))));
            assertEquals(Map.of("ann", "1"), texts(redis.hgetall(keys.users("lobby"))));
            assertEquals(0, redis.exists(keys.users("gone"), keys.nodeMembers("gone", node)));
            assertEquals(Set.of("room", "lobby"), Set.copyOf(texts(redis.smembers(keys.nodeGroups(node)))));
            assertEquals(
                    Map.of(
                            ann.info().address().value(),
                            "ann",
                            bob.info().address().value(),
                            "bob"),
                    texts(redis.hgetall(keys.nodeSessions(node))));
            assertEquals(Map.of(node, "1"), texts(redis.hgetall(keys.userNodes("bob"))));
        }
    }

    @Test
    void aLeaveWhoseScriptFailedKeepsItsGroupListedAndIsWrittenBackOnceRedisTakesScriptsAgain() throws Exception {
        String prefix = "reap" + PREFIXES.incrementAndGet() + ":";
        TestNode one = node(settings(prefix, Duration.ofMillis(50), Duration.ofMillis(300)));
        TestMember ann = one.connect("ann");
        ann.join("room");
        Keys keys = new Keys(prefix, 0);
        String node = one.id();
        try (RedisClient client = RedisClient.create(redis.uri());
                StatefulRedisConnection<byte[], byte[]> raw = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> sync = raw.sync();
            // The group's primary refuses the LEAVE script; the node's own keys still take commands.
            redis.cli("acl", "setuser", "default", "-evalsha", "-eval");
            try {
                ann.leave("room");
                assertThat(texts(sync.smembers(keys.nodeGroups(node))))
                        .as("the room stays among the node's groups while its LEAVE failed")
                        .contains("room");
                assertEquals(Map.of(ann.info().address().value(), "ann"), texts(sync.hgetall(keys.members("room"))));
            } finally {
                redis.cli("acl", "setuser", "default", "+@all");
            }
            Eventually.until(
                    "the failed leave is written back",
                    WAIT,
                    () -> sync.exists(keys.members("room"), keys.users("room"), keys.nodeMembers("room", node)) == 0);
            assertEquals(List.of(), await(one.engine().members("room")));
        }
    }

    private static Map<String, String> texts(Map<byte[], byte[]> hash) {
        Map<String, String> out = new HashMap<>();
        hash.forEach((field, value) -> out.put(Keys.text(field), Keys.text(value)));
        return out;
    }

    private static List<String> texts(Collection<byte[]> values) {
        return values.stream().map(Keys::text).toList();
    }

    /** ann and bob in a, ann and an anonymous session in b, cid in c, with two sessions of ann. */
    private static void populate(TestNode node) {
        TestMember ann = node.connect("ann");
        TestMember annAgain = node.connect("ann");
        TestMember bob = node.connect("bob");
        TestMember anonymous = node.connect(null);
        TestMember cid = node.connect("cid");
        ann.join("a");
        bob.join("a");
        ann.join("b");
        annAgain.join("b");
        annAgain.leave("b");
        anonymous.join("b");
        cid.join("c");
        cid.join("c");
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
