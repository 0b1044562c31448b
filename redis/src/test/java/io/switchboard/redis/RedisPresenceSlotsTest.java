/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.switchboard.engine.Departures;
import io.switchboard.session.Message;
import io.switchboard.testkit.EngineContract;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestMember;
import io.switchboard.testkit.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Redis command the engine's presence sends touches the keys of one slot, and every script
 * declares its keys, as a Redis Cluster with several primaries needs. Redis itself lists each command
 * it ran (the slow log, with a threshold of zero) and names its keys ({@code COMMAND GETKEYS}); the
 * commands a script runs inside are checked by Redis in cluster mode (the cluster-mode contract suite).
 */
class RedisPresenceSlotsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisServer redis;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> raw;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start("--slowlog-log-slower-than", "0", "--slowlog-max-len", "100000");
        client = RedisClient.create(redis.uri());
        raw = client.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable each : opened) {
            each.close();
        }
        raw.close();
        client.shutdown();
        redis.close();
    }

    private TestNode node(Duration heartbeat, Duration expiry) {
        RedisEngine engine = RedisEngine.connect(
                RedisSettings.of(redis.uri()).withPrefix("slots:").withHeartbeat(heartbeat, expiry));
        opened.add(engine);
        return EngineContract.testNode(engine, WAIT);
    }

    @Test
    void everyPresenceCommandTouchesOneSlotAndEveryScriptDeclaresItsKeys() throws Exception {
        TestNode one = node(Duration.ofMillis(50), Duration.ofMillis(300));
        TestNode two = node(Duration.ofMillis(50), Duration.ofMillis(300));
        TestNode doomed = node(Duration.ofMillis(50), Duration.ofMillis(300));
        Recorder<String> departures = new Recorder<>("departures");
        for (TestNode survivor : List.of(one, two)) { // whichever reaps reports
            ((Departures) survivor.engine()).onDeparture((group, member, change) -> departures.record(group));
        }
        TestMember ann = one.connect("ann");
        TestMember bob = two.connect("bob");
        TestMember anonymous = two.connect(null);
        ann.join("room");
        bob.join("room");
        anonymous.join("{tagged}room");
        one.engine()
                .sendToUser("bob", Message.text("to bob"))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        one.engine()
                .sendTo(bob.info().address(), Message.text("to bob's session"))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        bob.leave("room");
        doomed.connect("cid").join("room");
        ((RedisEngine) doomed.engine()).crash();
        departures.next(WAIT); // reaped
        raw.sync().flushall(); // the nodes notice and write themselves back
        io.switchboard.testkit.Eventually.until("node one wrote its presence back", WAIT, () -> !raw.sync()
                .hgetall(Keys.bytes("slots:members:{room}"))
                .isEmpty());
        two.engine().close(); // goodbye

        Set<String> checked = new TreeSet<>();
        for (List<byte[]> command : commands()) {
            String name = Keys.text(command.get(0)).toLowerCase(Locale.ROOT);
            List<byte[]> keys = keysOf(command);
            if (name.startsWith("eval")) {
                assertThat(keys).as("keys declared by %s", text(command)).isNotEmpty();
            }
            if (!keys.isEmpty()) {
                assertThat(keys.stream().map(SlotHash::getSlot).distinct())
                        .as("slots of %s", text(command))
                        .hasSize(1);
                checked.add(name);
            }
        }
        assertThat(checked).contains("evalsha", "hset", "hdel", "sadd", "srem", "smembers", "hgetall", "set", "del");
    }

    @Test
    void aJoinCostsAFewCommandsAndAnotherMemberOfTheGroupFewer() {
        TestNode one = node(Duration.ofMinutes(1), Duration.ofMinutes(3)); // no beat while counting
        TestMember ann = one.connect("ann");
        TestMember bob = one.connect("bob");
        ann.join("warm-up"); // the scripts' first runs send their text

        long before = commandsRun();
        ann.join("room");
        long first = commandsRun() - before - 1; // the first count's INFO
        bob.join("room");
        long second = commandsRun() - before - first - 2;

        // SUBSCRIBE, SADD node-groups, EVALSHA and its HSETNX, HSET, HINCRBY
        assertThat(first).as("commands for a node's first member of a group").isEqualTo(6);
        // EVALSHA and its HSETNX, HSET, HINCRBY
        assertThat(second).as("commands for another member").isEqualTo(4);
    }

    /** How many commands Redis has run, scripts' commands included ({@code INFO commandstats}). */
    private long commandsRun() {
        long calls = 0;
        for (String line : raw.sync().info("commandstats").split("\r?\n")) {
            int start = line.indexOf("calls=");
            if (line.startsWith("cmdstat_") && start >= 0) {
                int end = line.indexOf(',', start);
                calls += Long.parseLong(line.substring(start + "calls=".length(), end));
            }
        }
        return calls;
    }

    /** Every command Redis ran since the start, oldest first, as its arguments. */
    private List<List<byte[]>> commands() {
        List<Object> log = raw.sync().slowlogGet(100000);
        List<List<byte[]>> out = new ArrayList<>();
        for (int i = log.size() - 1; i >= 0; i--) {
            List<?> entry = (List<?>) log.get(i);
            List<byte[]> args = new ArrayList<>();
            for (Object arg : (List<?>) entry.get(3)) {
                args.add(arg instanceof byte[] bytes ? bytes : Keys.bytes(String.valueOf(arg)));
            }
            out.add(args);
        }
        return out;
    }

    /** The keys of {@code command}, as Redis names them; none for a command without keys. */
    private List<byte[]> keysOf(List<byte[]> command) {
        RedisCommands<byte[], byte[]> sync = raw.sync();
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add("GETKEYS");
        command.forEach(args::add);
        try {
            return sync.dispatch(CommandType.COMMAND, new ValueListOutput<>(ByteArrayCodec.INSTANCE), args);
        } catch (RedisCommandExecutionException e) {
            return List.of(); // no key arguments (PING, PUBLISH, CLIENT, ...)
        }
    }

    private static String text(List<byte[]> command) {
        return command.stream().map(Keys::text).toList().toString();
    }
}
