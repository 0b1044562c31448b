/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.switchboard.engine.UnavailableException;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link RedisHistory} talks to Redis: runs its scripts with the arguments every one of them
 * takes (prefix, a fresh epoch, the stream or queue), stamps deadlines in Redis's time, and turns
 * what went wrong into {@link UnavailableException}, each kind of trouble logged once.
 *
 * <p>Thread-safe.
 */
final class HistoryScripts {

    private static final Logger log = LoggerFactory.getLogger(RedisHistory.class);

    private final RedisSettings settings;
    private final RedisLink link;
    private final RedisClock clock;
    private final byte[] prefix;
    private final AtomicBoolean lateLogged = new AtomicBoolean();
    private final AtomicBoolean refusalLogged = new AtomicBoolean();

    HistoryScripts(RedisSettings settings, RedisLink link) {
        this.settings = settings;
        this.link = link;
        this.clock = new RedisClock(link, settings.commandTimeout().toMillis());
        this.prefix = Keys.bytes(settings.prefix());
    }

    /** The history's key prefix, in bytes, as scripts take it. */
    byte[] prefix() {
        return prefix;
    }

    /** The clock of the Redis these scripts run on. */
    RedisClock clock() {
        return clock;
    }

    /** Runs {@code script} on the stream or queue {@code name}; {@code more} are texts or bytes. */
    <T> CompletionStage<T> run(Script script, ScriptOutputType type, String name, Object... more) {
        byte[][] args = new byte[3 + more.length][];
        args[0] = prefix;
        args[1] = freshEpoch();
        args[2] = Keys.bytes(name);
        for (int i = 0; i < more.length; i++) {
            args[3 + i] = more[i] instanceof byte[] data ? data : Keys.bytes((String) more[i]);
        }
        return script.run(link, type, args);
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

    /** A new epoch for Redis to adopt if it has none: after losing its data it must not reuse the old one. */
    static byte[] freshEpoch() {
        return Keys.bytes(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
