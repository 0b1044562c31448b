/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What one room cost Redis: the commands counted while its members exchanged {@code messages} room
 * messages, and while {@code joins} new members joined it, with {@code nodes} nodes and
 * {@code members} members spread over them.
 */
record Cost(
        int nodes, int members, long messages, CommandStats messageCommands, long joins, CommandStats joinCommands) {

    private static final long SETTLE_MILLIS = 10_000;

    /**
     * Measures {@code room} (its members just joined, as the only ones): resets the counts, sends the messages and waits
     * until every other member has each; then resets again, joins new members and waits until every
     * member saw each join. Each time it also waits until Redis counts nothing more.
     */
    static Cost measure(RedisProcess redis, Room room, int nodes, int messages, int joins) throws Exception {
        int members = room.size();
        // Each pair of members sees at least one's join notice: wait for those, then for Redis to go
        // quiet, so that the members' own joins are not counted against the messages.
        await(room::joins, (long) members * (members - 1) / 2, "the members' join notices");
        settled(redis);
        redis.resetStats();
        long before = room.messages();
        for (int i = 0; i < messages; i++) {
            room.send(i, "m" + i);
        }
        await(() -> room.messages() - before, (long) (members - 1) * messages, "room messages");
        CommandStats messageCommands = settled(redis);
        redis.resetStats();
        long joinsBefore = room.joins();
        room.join(joins, "joiner" + System.nanoTime() + "_", false);
        await(() -> room.joins() - joinsBefore, (long) members * joins, "join notices");
        CommandStats joinCommands = settled(redis);
        return new Cost(nodes, members, messages, messageCommands, joins, joinCommands);
    }

    /**
     * What the nodes send Redis with no traffic at all, over {@code seconds}: each node's clock ticks
     * once a second (one PUBLISH), which also lands in the message and join windows.
     */
    static CommandStats idle(RedisProcess redis, int seconds) throws InterruptedException {
        redis.resetStats();
        Thread.sleep(seconds * 1000L); // the idle window itself
        return redis.commandStats();
    }

    /** Waits until {@code count} reaches {@code expected}, failing after ten seconds. */
    static void await(LongSupplier count, long expected, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        while (count.getAsLong() < expected) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        "only " + count.getAsLong() + " of " + expected + " " + what + " arrived within 10 s");
            }
            Thread.sleep(10); // counters bumped on event loops; nothing to wait on
        }
    }

    /** The counts once two reads 300 ms apart agree: what the nodes do after the last delivery counts too. */
    static CommandStats settled(RedisProcess redis) throws InterruptedException {
        CommandStats last = redis.commandStats();
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(300);
            CommandStats now = redis.commandStats();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** Redis commands per room message, all commands together. */
    double perMessage() {
        return (double) messageCommands.total() / messages;
    }

    /** Redis commands per join, all commands together. */
    double perJoin() {
        return (double) joinCommands.total() / joins;
    }

    String describe() {
        return String.format(
                Locale.ROOT,
                "nodes %d, members %d: per message %s; per join %s",
                nodes,
                members,
                messageCommands.describePer(messages),
                joinCommands.describePer(joins));
    }
}
