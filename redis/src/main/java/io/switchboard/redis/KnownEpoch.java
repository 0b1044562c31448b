/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The history epoch this node knows, which every stream script is given (it lives in a slot of its
 * own: see {@code history-lib.lua}), and the calls waiting for it. It is read with {@code epoch.lua}
 * at connect, again after each outage ({@link #refresh}), again before the next call once a call
 * failed for want of an answer (Redis may have lost its data meanwhile), so a call sent after Redis
 * came back runs under the epoch read after it came back, and when a reply shows a newer one
 * ({@link #behind}). Calls are sent in the order they came, also while a read is under way (a burn
 * must reach Redis before the reads of its stream).
 *
 * <p>It is also read every {@link #CHECK} without holding calls back: after restoring a snapshot (or
 * a failover that lost writes) an operator deletes the key while the nodes may already be connected
 * again, and they must take the new epoch soon, as they did when every script read the key itself.
 *
 * <p>Thread-safe.
 */
final class KnownEpoch {

    private static final Script EPOCH = Script.load("history-lib", "epoch", "epoch");
    private static final int TIME_DIGITS = 13;
    /** How often the epoch is read while nothing else made this node read it. */
    static final Duration CHECK = Duration.ofSeconds(1);

    private final RedisLink link;
    private final byte[] key;
    private volatile String current; // the epoch read last
    private CompletableFuture<String> read; // the latest read of the epoch; guarded by this
    private CompletableFuture<String> tail; // completes, with the epoch, once every call before is sent
    private volatile boolean closed;

    /** Reads the {@code key} through {@code link}. */
    KnownEpoch(RedisLink link, byte[] key) {
        this.link = link;
        this.key = key;
    }

    /** Reads the epoch again now (Redis is back from an outage); the calls after this one wait for it. */
    synchronized CompletionStage<String> refresh() {
        read = startRead();
        tail = read;
        return read;
    }

    /** The epoch read last; null before the first read. */
    String current() {
        return current;
    }

    /** A reply showed a newer epoch than this node's: reads it now, unless a read is under way. */
    synchronized void behind() {
        if (read == null || read.isDone()) {
            refresh();
        }
    }

    /** Reads the epoch every {@code period} until {@link #close}. */
    void checkEvery(Duration period) {
        CompletableFuture.delayedExecutor(period.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (!closed) {
                        check();
                        checkEvery(period);
                    }
                });
    }

    /** Reads the epoch while the calls go on under the one known; the calls after the answer get the answer. */
    private synchronized void check() {
        CompletableFuture<String> known = read;
        if (known == null || !known.isDone() || known.isCompletedExceptionally()) {
            return; // a read is due or under way anyway
        }
        startRead().thenAccept(epoch -> replace(known, epoch));
    }

    private synchronized void replace(CompletableFuture<String> known, String epoch) {
        if (read == known && !epoch.equals(known.join())) {
            read = CompletableFuture.completedFuture(epoch);
            tail = read; // the calls on the old one were all sent: it was done
        }
    }

    /** Stops the periodic reads. */
    void close() {
        closed = true;
    }

    /** Sends {@code call} with the known epoch, after the calls before it, reading the epoch first if needed. */
    synchronized <T> CompletionStage<T> send(Function<String, CompletionStage<T>> call) {
        if (read == null || read.isCompletedExceptionally()) {
            refresh();
        }
        CompletableFuture<String> used = read;
        CompletableFuture<T> result = new CompletableFuture<>();
        tail = tail.whenComplete((epoch, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            start(call, epoch).whenComplete((value, failure) -> {
                if (unanswered(failure)) {
                    forget(used);
                }
                settle(result, value, failure);
            });
        });
        return result;
    }

    private static <T> CompletionStage<T> start(Function<String, CompletionStage<T>> call, String epoch) {
        try {
            return call.apply(epoch);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A call under {@code used} got no answer: Redis may come back without its data, so read again first. */
    private synchronized void forget(CompletableFuture<String> used) {
        if (read == used) {
            read = null;
        }
    }

    private CompletableFuture<String> startRead() {
        CompletableFuture<String> next = new CompletableFuture<>();
        EPOCH.<byte[]>run(link, ScriptOutputType.VALUE, new byte[][] {key}, randomHex())
                .whenComplete((value, error) -> {
                    if (error != null) {
                        next.completeExceptionally(error);
                        return;
                    }
                    String epoch = Keys.text(value);
                    current = epoch;
                    next.complete(epoch);
                });
        return next;
    }

    /**
     * Whether the history epoch in front of {@code streamEpoch} is newer than {@code known}: another
     * node read a newer one, so this node should read it too. Compared as {@code history-lib.lua}'s
     * {@code older} does.
     */
    static boolean newer(String streamEpoch, String known) {
        int dot = streamEpoch.indexOf('.');
        return dot > 0 && known != null && older(known, streamEpoch.substring(0, dot));
    }

    /** Whether history epoch {@code a} is older than {@code b}: by the time in front, then by the rest. */
    static boolean older(String a, String b) {
        Long ta = time(a);
        Long tb = time(b);
        if (ta == null || tb == null) {
            return ta == null && tb != null;
        }
        return ta.equals(tb) ? a.compareTo(b) < 0 : ta < tb;
    }

    private static Long time(String epoch) {
        if (epoch.length() < TIME_DIGITS) {
            return null;
        }
        try {
            return Long.parseLong(epoch.substring(0, TIME_DIGITS));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean unanswered(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause != null && !(cause instanceof RedisCommandExecutionException);
    }

    private static <T> void settle(CompletableFuture<T> result, T value, Throwable failure) {
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(value);
        }
    }

    /** A fresh random hex, for a new epoch or a stream's birth. */
    static byte[] randomHex() {
        return Keys.bytes(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
    }
}
