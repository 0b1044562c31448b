/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.switchboard.engine.UnavailableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link RedisHistory} talks to Redis: runs its scripts with the keys they declare (a stream's
 * three, in one slot, or a queue's one) and the arguments a stream script takes (the history epoch
 * this node knows, a fresh birth: see {@link KnownEpoch}), stamps deadlines in Redis's time, and
 * turns what went wrong into {@link UnavailableException}, each kind of trouble logged once.
 *
 * <p>Thread-safe.
 */
final class HistoryScripts {

    private static final Logger log = LoggerFactory.getLogger(RedisHistory.class);

    private final RedisSettings settings;
    private final RedisLink link;
    private final Keys keys;
    private final RedisClock clock;
    private final KnownEpoch epoch;
    private final Consumer<String> adopt;
    private final AtomicBoolean lateLogged = new AtomicBoolean();
    private final AtomicBoolean refusalLogged = new AtomicBoolean();

    /**
     * Scripts on {@code link} under {@code keys}; {@code adopt} is given the history epoch read last
     * when a call went through, before its caller hears of it: so a node learns that Redis lost its
     * data by asking, as {@link io.switchboard.engine.History#epoch()} readers expect.
     */
    HistoryScripts(RedisSettings settings, RedisLink link, Keys keys, Consumer<String> adopt) {
        this.settings = settings;
        this.link = link;
        this.keys = keys;
        this.clock = new RedisClock(link, settings.commandTimeout().toMillis());
        this.epoch = new KnownEpoch(link, keys.epoch());
        this.adopt = adopt;
    }

    /** The clock of the Redis these scripts run on. */
    RedisClock clock() {
        return clock;
    }

    /** The history epoch this node knows (see {@link KnownEpoch}). */
    KnownEpoch epoch() {
        return epoch;
    }

    /**
     * Runs the stream script {@code script} on {@code stream}'s keys with ARGV: the known history
     * epoch, a fresh birth, then {@code more} (texts or bytes); in order, after the epoch is known.
     */
    <T> CompletionStage<T> stream(Script script, ScriptOutputType type, String stream, Object... more) {
        return answered(epoch.send(known -> script.run(link, type, streamKeys(keys, stream), args(known, more))));
    }

    /** Runs {@code script} (which needs no epoch) on {@code stream}'s keys, in order with the stream scripts. */
    <T> CompletionStage<T> streamWithoutEpoch(Script script, ScriptOutputType type, String stream, Object... more) {
        return answered(epoch.send(known -> script.run(link, type, streamKeys(keys, stream), args(more))));
    }

    /** Runs the queue script {@code script} on {@code queue}'s key with ARGV {@code more}. */
    <T> CompletionStage<T> queue(Script script, ScriptOutputType type, String queue, Object... more) {
        return answered(script.run(link, type, new byte[][] {keys.queue(queue)}, args(more)));
    }

    private <T> CompletionStage<T> answered(CompletionStage<T> call) {
        return call.whenComplete((result, error) -> {
            if (error == null && epoch.current() != null) {
                adopt.accept(epoch.current());
            }
        });
    }

    /** The keys a stream script declares: {@code history:S}, {@code history-top:S}, {@code history-birth:S}, one slot. */
    static byte[][] streamKeys(Keys keys, String stream) {
        return new byte[][] {keys.history(stream), keys.historyTop(stream), keys.historyBirth(stream)};
    }

    /**
     * On Redis Cluster a script publishes only to the subscribers of its own shard, so the group's
     * channel must be in the stream's slot: refuses a pair that is not.
     */
    static void requireOneSlot(Keys keys, String stream, String group) {
        if (keys.sharded() && SlotHash.getSlot(keys.history(stream)) != SlotHash.getSlot(keys.groupChannel(group))) {
            throw new IllegalArgumentException("stream " + stream + " and group " + group
                    + " are in different slots: on Redis Cluster a stream and the group it broadcasts to must"
                    + " share a hash tag, e.g. s:{room} and g:{room}");
        }
    }

    private static byte[][] args(String known, Object[] more) {
        byte[][] args = new byte[2 + more.length][];
        args[0] = Keys.bytes(known);
        args[1] = KnownEpoch.randomHex();
        System.arraycopy(args(more), 0, args, 2, more.length);
        return args;
    }

    private static byte[][] args(Object[] more) {
        byte[][] args = new byte[more.length][];
        for (int i = 0; i < more.length; i++) {
            args[i] = more[i] instanceof byte[] data ? data : Keys.bytes((String) more[i]);
        }
        return args;
    }

    /** The deadline a script sent now carries (see {@link RedisClock}). */
    String deadline() {
        return String.valueOf(clock.deadline(System.currentTimeMillis()));
    }

    /** A script answered that it ran past its deadline: the clocks may have drifted; read Redis's again. */
    UnavailableException late(String what) {
        if (lateLogged.compareAndSet(false, true)) {
            log.warn(
                    "Redis history at {} ran {} after its deadline: reading its clock again (logged once)",
                    settings.display(),
                    what);
        }
        clock.read();
        return new UnavailableException("Redis ran the " + what + " after its deadline", null);
    }

    /** Rethrows {@code error} as {@link UnavailableException}: an error Redis answered logged once (see {@link #refused}). */
    void unavailable(Throwable error) {
        if (error == null) {
            return;
        }
        refused(error);
        Throwable cause = cause(error);
        throw new CompletionException(new UnavailableException(
                "the history in Redis at " + settings.display() + " is unreachable: " + cause.getMessage(), cause));
    }

    /**
     * If Redis answered {@code error} (out of memory under {@code noeviction}, say), logs it once
     * until an append succeeds again ({@link #accepted}) and rethrows it as {@link UnavailableException}.
     */
    void refused(Throwable error) {
        if (!(cause(error) instanceof RedisCommandExecutionException refusal)) {
            return;
        }
        if (refusalLogged.compareAndSet(false, true)) {
            log.warn(
                    "Redis history at {} refused a command: {} (logged once)",
                    settings.display(),
                    refusal.getMessage());
        }
        throw new CompletionException(new UnavailableException(
                "Redis at " + settings.display() + " refused: " + refusal.getMessage(), refusal));
    }

    /** An append went through: the next refusal is news again. */
    void accepted() {
        refusalLogged.set(false);
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
