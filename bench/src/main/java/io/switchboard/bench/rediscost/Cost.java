/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What one room cost Redis: the commands counted on each primary while its members exchanged
 * {@code messages} room messages, and while {@code joins} new members joined it, with {@code nodes}
 * nodes and {@code members} members spread over them. Standalone Redis is one primary.
 */
record Cost(
        int nodes,
        int members,
        long messages,
        List<CommandStats> messagePerPrimary,
        long joins,
        List<CommandStats> joinPerPrimary) {

    private static final long SETTLE_MILLIS = 10_000;

    /**
     * A primary counts as touched by the messages (or joins) when it ran at least one command per two
     * of them, upkeep left out: what lands there regardless (each node's clock tick and history-epoch
     * read, once a second each) stays far below that.
     */
    static final double TOUCHED_PER_UNIT = 0.5;

    Cost {
        messagePerPrimary = List.copyOf(messagePerPrimary);
        joinPerPrimary = List.copyOf(joinPerPrimary);
    }

    /**
     * Measures {@code room} (its members just joined, as the only ones): resets the counts, sends the messages and waits
     * until every other member has each; then resets again, joins new members and waits until every
     * member saw each join. Each time it also waits until Redis counts nothing more but the
     * {@code background}: the commands the nodes send with no traffic at all (see {@link #idle}).
     */
    static Cost measure(MeasuredRedis redis, Room room, int nodes, int messages, int joins, Set<String> background)
            throws Exception {
        int members = room.size();
        // Each pair of members sees at least one's join notice: wait for those, then for Redis to go
        // quiet, so that the members' own joins are not counted against the messages.
        await(room::joins, (long) members * (members - 1) / 2, "the members' join notices");
        settled(redis, background);
        redis.resetStats();
        long before = room.messages();
        for (int i = 0; i < messages; i++) {
            room.send(i, "m" + i);
        }
        await(() -> room.messages() - before, (long) (members - 1) * messages, "room messages");
        List<CommandStats> messageCommands = settled(redis, background);
        redis.resetStats();
        long joinsBefore = room.joins();
        room.join(joins, "joiner" + System.nanoTime() + "_", false);
        await(() -> room.joins() - joinsBefore, (long) members * joins, "join notices");
        List<CommandStats> joinCommands = settled(redis, background);
        return new Cost(nodes, members, messages, messageCommands, joins, joinCommands);
    }

    /**
     * What the nodes send Redis with no traffic at all over {@code seconds}, per primary: each node's
     * clock ticks once a second (one publish), which also lands in the message and join windows.
     */
    static List<CommandStats> idle(MeasuredRedis redis, int seconds) throws InterruptedException {
        redis.resetStats();
        Thread.sleep(seconds * 1000L); // the idle window itself
        return redis.statsPerPrimary();
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

    /**
     * The counts of every primary once two reads 300 ms apart agree on all but the {@code background}
     * commands and the upkeep: what the nodes do after the last delivery counts too. The background
     * is left out of the comparison because each node sends it every second (its clock tick, its
     * history-epoch read, a cluster client's layout refresh): with several nodes, two reads that had
     * to agree on it would seldom do so and every window would last its full ten seconds, counting
     * ten seconds of background against the messages.
     */
    static List<CommandStats> settled(MeasuredRedis redis, Set<String> background) throws InterruptedException {
        List<CommandStats> last = redis.statsPerPrimary();
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(300);
            List<CommandStats> now = redis.statsPerPrimary();
            if (foreground(now, background).equals(foreground(last, background))) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static List<CommandStats> foreground(List<CommandStats> perPrimary, Set<String> background) {
        return work(perPrimary).stream().map(stats -> stats.without(background)).toList();
    }

    /** Each primary's counts without upkeep. */
    static List<CommandStats> work(List<CommandStats> perPrimary) {
        return perPrimary.stream().map(CommandStats::withoutUpkeep).toList();
    }

    /** The message window's counts, all primaries together. */
    CommandStats messageCommands() {
        return CommandStats.sum(messagePerPrimary);
    }

    /** The join window's counts, all primaries together. */
    CommandStats joinCommands() {
        return CommandStats.sum(joinPerPrimary);
    }

    /** Redis commands per room message, all commands on all primaries together. */
    double perMessage() {
        return (double) messageCommands().total() / messages;
    }

    /** Redis commands per join, all commands on all primaries together. */
    double perJoin() {
        return (double) joinCommands().total() / joins;
    }

    /** The clients' upkeep commands per room message, all primaries together (a cost per second, spread). */
    double upkeepPerMessage() {
        return (double) messageCommands().upkeepTotal() / messages;
    }

    /** The clients' upkeep commands per join, all primaries together. */
    double upkeepPerJoin() {
        return (double) joinCommands().upkeepTotal() / joins;
    }

    /** On how many primaries the messages ran commands (see {@link #TOUCHED_PER_UNIT}). */
    int primariesTouchedByMessages() {
        return touched(messagePerPrimary, messages);
    }

    /** On how many primaries the joins ran commands (see {@link #TOUCHED_PER_UNIT}). */
    int primariesTouchedByJoins() {
        return touched(joinPerPrimary, joins);
    }

    static int touched(List<CommandStats> perPrimary, long units) {
        return (int) perPrimary.stream()
                .filter(stats -> stats.withoutUpkeep().total() >= TOUCHED_PER_UNIT * units)
                .count();
    }

    String describe() {
        return String.format(
                Locale.ROOT,
                "nodes %d, members %d: per message %s (upkeep %.2f; primaries touched %d of %d);"
                        + " per join %s (upkeep %.2f; touched %d)",
                nodes,
                members,
                messageCommands().describePer(messages),
                upkeepPerMessage(),
                primariesTouchedByMessages(),
                messagePerPrimary.size(),
                joinCommands().describePer(joins),
                upkeepPerJoin(),
                primariesTouchedByJoins());
    }
}
