/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import io.switchboard.engine.Kept.Queue;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Every stream and queue of an {@link InMemoryHistory} by name, least recently written first: finds
 * and makes them, forgets them when their time to live has passed, and counts their bytes against
 * the {@link Retention#maxBytes()} budget, forgetting the least recently written past it.
 *
 * <p>Each write gives its stream or queue a deadline of its own (a stream's from the append's
 * {@link History.Keep#ttl()}), so expiry is checked per name, not by order.
 *
 * <p>Thread-safe: the map is guarded by itself; a {@link Kept}'s contents by the {@code Kept}.
 */
final class Keeper {

    private final Retention retention;
    private final InstantSource clock;
    /** Every stream and queue, least recently written first. Guarded by itself. */
    private final LinkedHashMap<Key, Kept> kept = new LinkedHashMap<>();

    private final AtomicLong bytes = new AtomicLong();

    Keeper(Retention retention, InstantSource clock) {
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * The stream or queue {@code key} names, made if missing or expired, moved to the most recently
     * written end and forgotten {@code ttlMillis} from now.
     */
    Kept written(Key key, Function<String, Kept> make, long ttlMillis) {
        long now = clock.millis();
        Kept target;
        Kept stale = null;
        synchronized (kept) {
            target = kept.remove(key);
            if (target != null && expired(target, now)) {
                stale = target;
                target = null;
            }
            if (target == null) {
                target = make.apply(key.name());
                bytes.addAndGet(target.bytes);
            }
            target.expiresAt = deadline(now, ttlMillis);
            kept.put(key, target);
        }
        if (stale != null) {
            forget(stale);
        }
        return target;
    }

    /**
     * As {@link #written}, for a read: made if missing (then forgotten the history's stream time to
     * live from now), but not moved and its deadline not renewed.
     */
    Kept found(Key key, Function<String, Kept> make) {
        Kept target = find(key);
        if (target != null) {
            return target;
        }
        Kept made = make.apply(key.name());
        made.expiresAt = deadline(clock.millis(), retention.streamTtl().toMillis());
        synchronized (kept) {
            Kept raced = kept.putIfAbsent(key, made);
            if (raced != null) {
                return raced;
            }
        }
        account(made.bytes);
        return made;
    }

    /** The stream or queue {@code key} names, or null when missing or expired (then forgotten). */
    Kept find(Key key) {
        Kept target;
        synchronized (kept) {
            target = kept.get(key);
            if (target == null || !expired(target, clock.millis())) {
                return target;
            }
            kept.remove(key);
        }
        forget(target);
        return null;
    }

    /**
     * Forgets what {@code key} names at once, if anything: a writer or reader holding it finds it
     * gone under its lock and makes a new one, as after an expiry.
     */
    void remove(Key key) {
        Kept target;
        synchronized (kept) {
            target = kept.remove(key);
        }
        if (target != null) {
            forget(target);
        }
    }

    /** Forgets {@code queue}, if {@code key} still names it and it is empty: nothing left to keep. */
    void dropIfEmpty(Key key, Queue queue) {
        synchronized (kept) {
            synchronized (queue) {
                if (queue.payloads.isEmpty() && kept.get(key) == queue) {
                    kept.remove(key);
                    queue.gone = true;
                    bytes.addAndGet(-queue.bytes);
                    queue.bytes = 0;
                }
            }
        }
    }

    /** Forgets every stream and queue whose time to live has passed. */
    void sweep() {
        long now = clock.millis();
        List<Kept> expired = new ArrayList<>();
        synchronized (kept) {
            for (Iterator<Kept> each = kept.values().iterator(); each.hasNext(); ) {
                Kept candidate = each.next();
                if (expired(candidate, now)) {
                    each.remove();
                    expired.add(candidate);
                }
            }
        }
        expired.forEach(this::forget);
    }

    /** Forgets everything. */
    void clear() {
        List<Kept> all;
        synchronized (kept) {
            all = new ArrayList<>(kept.values());
            kept.clear();
        }
        all.forEach(this::forget);
    }

    /** The bytes kept now, as counted against the budget. */
    long bytes() {
        return bytes.get();
    }

    /** How many streams and queues are kept now. */
    int count() {
        synchronized (kept) {
            return kept.size();
        }
    }

    /** Counts {@code grown} bytes and, past the budget, forgets the least recently written first. */
    void account(long grown) {
        if (bytes.addAndGet(grown) <= retention.maxBytes()) {
            return;
        }
        List<Kept> evicted = new ArrayList<>();
        synchronized (kept) {
            long left = bytes.get();
            Iterator<Kept> each = kept.values().iterator();
            // The newest stays, whatever its size: the write that just happened is not undone.
            while (left > retention.maxBytes() && kept.size() > 1 && each.hasNext()) {
                Kept victim = each.next();
                each.remove();
                evicted.add(victim);
                left -= victim.bytes;
            }
        }
        evicted.forEach(this::forget);
    }

    private static boolean expired(Kept target, long now) {
        return now >= target.expiresAt;
    }

    /** {@code now + ttlMillis}, but never past the end of time. */
    private static long deadline(long now, long ttlMillis) {
        return ttlMillis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ttlMillis;
    }

    /** Marks {@code target} gone, uncounts and empties it. Call it out of the map first. */
    private void forget(Kept target) {
        synchronized (target) {
            if (target.gone) {
                return;
            }
            target.gone = true;
            bytes.addAndGet(-target.bytes);
            target.bytes = 0;
            target.clear();
        }
    }

    /** A stream or a queue by name: the two have separate names. */
    record Key(String name, boolean queue) {}
}
