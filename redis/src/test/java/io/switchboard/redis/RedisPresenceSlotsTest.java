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
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestMember;
import io.switchboard.testkit.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Redis command the engine's presence sends touches the keys of one slot, and every script
 * declares the keys it touches, as a Redis Cluster with several primaries needs (a Redis in cluster
 * mode with one primary does not object to a script crossing slots). Redis itself shows each command
 * it ran, scripts' commands included ({@code MONITOR}), and names its keys ({@code COMMAND GETKEYS}).
 */
class RedisPresenceSlotsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisServer redis;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> raw;
    private RedisMonitor monitor;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.uri());
        raw = client.connect(ByteArrayCodec.INSTANCE);
        try {
            monitor = new RedisMonitor(redis.port());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable each : opened) {
            each.close();
        }
        monitor.close();
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
        Eventually.until("node one wrote its presence back", WAIT, () -> !raw.sync()
                .hgetall(Keys.bytes("slots:members:{room}"))
                .isEmpty());
        two.engine().close(); // goodbye

        raw.sync().echo(Keys.bytes("end of scenario"));
        Eventually.until("the monitor saw the end", WAIT, () -> monitor.commands().stream()
                .anyMatch(c -> c.name().equals("echo")));
        assertThat(checkSlots(monitor.commands()))
                .contains("evalsha", "hset", "hdel", "sadd", "srem", "smembers", "hgetall", "set", "del")
                .contains("lua hsetnx", "lua hincrby", "lua hkeys", "lua hexists", "lua publish");
    }

    /**
     * Checks that each command's keys share a slot, that each script declares its keys and touches
     * no other key; returns the names of the commands checked.
     */
    private Set<String> checkSlots(List<RedisMonitor.Command> commands) {
        Set<String> checked = new TreeSet<>();
        Set<String> declared = Set.of();
        for (RedisMonitor.Command command : commands) {
            Set<String> keys = keysOf(command.args()).stream().map(Keys::text).collect(Collectors.toSet());
            if (command.fromScript()) {
                assertThat(declared)
                        .as("keys declared by the script running %s", command)
                        .containsAll(keys);
                checked.add("lua " + command.name());
                continue;
            }
            declared = keys;
            if (command.name().startsWith("eval")) {
                assertThat(keys).as("keys declared by %s", command).isNotEmpty();
            }
            if (!keys.isEmpty()) {
                assertThat(keys.stream().map(SlotHash::getSlot).distinct())
                        .as("slots of %s", command)
                        .hasSize(1);
                checked.add(command.name());
            }
        }
        return checked;
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
