/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.switchboard.stats.Refusal;
import io.switchboard.stats.ServerStats;
import io.switchboard.transport.websocket.OutboundCounts;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's counts ({@link ServerStats}), kept in striped counters so event loops and handler
 * threads add to them without contending. The {@code on...} methods count (the fan-out and the
 * WebSocket pieces reach them through {@link OutboundCounts}); when off, each returns at once.
 *
 * <p>Where each count is taken: a message in when the reader hands it to the handler's queue; a
 * message out on the connection's event loop when its frame is given to the channel, before the
 * flush that sends it, so the count never lags what a client has received: a send from the loop
 * when written, sends from other threads once per batch the loop writes, what was sent during
 * {@code onConnect} when the handshake's end writes it, a broadcast once per fan-out batch for the
 * members it was written to (at the batch's end, before its flush; only a member found backed up
 * mid-batch is flushed sooner), and a held or conflated one when it goes out. A message taken but
 * never written (its connection closed first, the upgrade was refused, or it was dropped past the
 * limit while connecting) is not counted as out. A close is counted when TCP has closed, with the
 * code of the closing handshake (1006 without one).
 */
public final class Counters implements ServerStats, OutboundCounts {

    /** The close code counted for a code a peer chose outside 1000–1015. */
    public static final int OTHER_CODE = 0;

    private static final int LOWEST_CODE = 1000;
    private static final int HIGHEST_CODE = 4999;

    private final boolean enabled;
    private final LongSupplier open;
    private final LongAdder opened = new LongAdder();
    /** One counter a code, made when the code is first seen; [0] is "other". */
    private final AtomicReferenceArray<LongAdder> closed = new AtomicReferenceArray<>(HIGHEST_CODE - LOWEST_CODE + 2);

    private final LongAdder[] refused = new LongAdder[Refusal.values().length];
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder slowCloses = new LongAdder();
    private final LongAdder slowDrops = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();

    /** Counts when {@code enabled}; {@code open} tells the sessions open now. */
    public Counters(boolean enabled, LongSupplier open) {
        this.enabled = enabled;
        this.open = open;
        for (int i = 0; i < refused.length; i++) {
            refused[i] = new LongAdder();
        }
    }

    /** Counters that count nothing and see no sessions: for pieces built without a server (tests). */
    public static Counters none() {
        return new Counters(false, () -> 0);
    }

    // ---- counting: each a no-op when off ----

    public void onOpened() {
        if (enabled) {
            opened.increment();
        }
    }

    /**
     * A session closed with {@code code}; {@code ours} when the server chose it (else the peer did,
     * and a code outside 1000–1015 is counted as {@link #OTHER_CODE}).
     */
    public void onClosed(int code, boolean ours) {
        if (!enabled) {
            return;
        }
        boolean known = code >= LOWEST_CODE && code <= HIGHEST_CODE && (ours || code <= 1015);
        int slot = known ? code - LOWEST_CODE + 1 : 0;
        LongAdder counter = closed.get(slot);
        if (counter == null) { // the first close with this code; a racing one may have made it
            closed.compareAndSet(slot, null, new LongAdder());
            counter = closed.get(slot);
        }
        counter.increment();
    }

    public void onRefused(Refusal reason) {
        if (enabled) {
            refused[reason.ordinal()].increment();
        }
    }

    public void onReceived(int payloadBytes) {
        if (enabled) {
            messagesIn.increment();
            bytesIn.add(payloadBytes);
        }
    }

    @Override
    public void onSent(int messages, long payloadBytes) {
        if (enabled) {
            messagesOut.add(messages);
            bytesOut.add(payloadBytes);
        }
    }

    @Override
    public void onDelivered(int members) {
        if (enabled) {
            deliveries.add(members);
        }
    }

    @Override
    public void onSlowConsumerClosed() {
        if (enabled) {
            slowCloses.increment();
        }
    }

    @Override
    public void onSlowConsumerDropped(int messages) {
        if (enabled) {
            slowDrops.add(messages);
        }
    }

    public void onRateLimited() {
        if (enabled) {
            rateLimited.increment();
        }
    }

    // ---- reading ----

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public long openConnections() {
        return open.getAsLong();
    }

    @Override
    public long connectionsOpened() {
        return opened.sum();
    }

    @Override
    public Map<Integer, Long> closedByCode() {
        Map<Integer, Long> counts = new TreeMap<>();
        for (int slot = 0; slot < closed.length(); slot++) {
            LongAdder counter = closed.get(slot);
            if (counter != null) {
                counts.put(slot == 0 ? OTHER_CODE : slot + LOWEST_CODE - 1, counter.sum());
            }
        }
        return counts;
    }

    @Override
    public Map<Refusal, Long> refusedByReason() {
        Map<Refusal, Long> counts = new EnumMap<>(Refusal.class);
        for (Refusal reason : Refusal.values()) {
            counts.put(reason, refused[reason.ordinal()].sum());
        }
        return counts;
    }

    @Override
    public long messagesIn() {
        return messagesIn.sum();
    }

    @Override
    public long bytesIn() {
        return bytesIn.sum();
    }

    @Override
    public long messagesOut() {
        return messagesOut.sum();
    }

    @Override
    public long bytesOut() {
        return bytesOut.sum();
    }

    @Override
    public long deliveries() {
        return deliveries.sum();
    }

    @Override
    public long slowConsumerCloses() {
        return slowCloses.sum();
    }

    @Override
    public long slowConsumerDrops() {
        return slowDrops.sum();
    }

    @Override
    public long rateLimited() {
        return rateLimited.sum();
    }
}
