/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.ScriptOutputType;
import io.switchboard.engine.History.Entry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The legacy {@link RedisHistory#append}'s numbering while Redis is unreachable: a provisional id
 * after the highest this node has seen for the stream, and, when Redis is back, the burn that moves
 * the stream's counter past every provisional id (see {@code history-lib.lua}'s {@code burn}).
 *
 * <p>Thread-safe.
 */
final class ProvisionalIds {

    private static final Script BURN = Script.load("history-lib", "burn", "append");

    private final HistoryScripts scripts;
    private final String streamTtl;
    private final Consumer<String> sawEpoch;
    private final Map<String, Long> tops = new ConcurrentHashMap<>();
    private final Map<String, Long> provisional = new ConcurrentHashMap<>();
    private final AtomicBoolean settleScheduled = new AtomicBoolean();
    private volatile boolean closed;

    /** {@code sawEpoch} takes the stream epoch each burn's reply carries. */
    ProvisionalIds(HistoryScripts scripts, String streamTtl, Consumer<String> sawEpoch) {
        this.scripts = scripts;
        this.streamTtl = streamTtl;
        this.sawEpoch = sawEpoch;
    }

    /** An entry numbered by this node alone while Redis is unreachable; the gap is settled later. */
    Entry next(String stream, LongFunction<String> payload) {
        long id = tops.merge(stream, 1L, (top, one) -> top + one);
        provisional.merge(stream, id, Math::max);
        return new Entry(id, payload.apply(id));
    }

    /** Redis numbered {@code top} for {@code stream}: provisional ids start after it. */
    void seen(String stream, long top) {
        tops.merge(stream, top, Math::max);
    }

    /** Redis lost its data and ids restarted: what this node saw no longer counts. */
    void forgetSeen() {
        tops.clear();
    }

    /** {@code stream} was removed: neither the ids this node saw nor those it numbered count any more. */
    void forget(String stream) {
        tops.remove(stream);
        provisional.remove(stream);
    }

    /** How many streams this node keeps a number for. */
    int size() {
        return tops.size() + provisional.size();
    }

    /**
     * If {@code stream} was numbered during an outage, sends the burn. Every read and append of the
     * stream calls this first, so the burn reaches Redis before them on the one connection (stream
     * scripts are sent in the order they came, see {@link KnownEpoch}).
     */
    CompletionStage<Void> settle(String stream) {
        Long highest = provisional.get(stream);
        if (highest == null) {
            return CompletableFuture.completedFuture(null);
        }
        return scripts.<List<Object>>stream(BURN, ScriptOutputType.MULTI, stream, String.valueOf(highest), streamTtl)
                .thenAccept(reply -> {
                    provisional.remove(stream, highest);
                    seen(stream, (Long) reply.get(0));
                    sawEpoch.accept(Keys.text(reply.get(1)));
                });
    }

    /**
     * Redis is back: moves every stream numbered during the outage past its provisional ids; while the
     * connection is not ready for commands yet, tries all of them again once, shortly.
     */
    void settleAll() {
        for (String stream : provisional.keySet()) {
            settle(stream).exceptionally(error -> {
                if (!closed && settleScheduled.compareAndSet(false, true)) {
                    CompletableFuture.delayedExecutor(RedisLink.FIRST_RETRY_MS * 4, TimeUnit.MILLISECONDS)
                            .execute(() -> {
                                settleScheduled.set(false);
                                settleAll();
                            });
                }
                return null;
            });
        }
    }

    /** The history closed: no more retries. */
    void close() {
        closed = true;
    }
}
