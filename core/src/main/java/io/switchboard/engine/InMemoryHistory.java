/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import io.switchboard.engine.Keeper.Key;
import io.switchboard.engine.Kept.Queue;
import io.switchboard.engine.Kept.Stream;
import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * {@link History} in this process's memory: gone when the process ends, which the random
 * {@link #epoch()} tells clients. Each stream and queue has its own lock; {@code publish} runs under
 * the stream's lock, so a broadcast from it leaves in id order.
 *
 * <p>Bounded by its {@link Retention} and each append's {@link Keep}, on the clock it was given (the
 * {@link Keeper} keeps the books): what outlived its time to live is forgotten when next touched
 * and by {@link #sweep()} (which a history made with a sweeper runs periodically: no thread per
 * stream), and past the memory budget the least recently written streams and queues are forgotten
 * whole, so the budget holds whatever names clients make up.
 */
public final class InMemoryHistory implements History {

    private final String epoch =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final Retention retention;
    private final ScheduledExecutorService sweeper;
    private final Keeper keeper;
    private final AtomicLong births = new AtomicLong();

    /** The default {@link Retention}, on the system clock, forgetting lazily (no sweeper thread). */
    public InMemoryHistory() {
        this(Retention.defaults(), InstantSource.system());
    }

    /** {@code retention} on {@code clock}, forgetting lazily; call {@link #sweep()} to forget eagerly. */
    public InMemoryHistory(Retention retention, InstantSource clock) {
        this.retention = Objects.requireNonNull(retention, "retention");
        this.sweeper = null;
        this.keeper = new Keeper(retention, Objects.requireNonNull(clock, "clock"));
    }

    private InMemoryHistory(Retention retention, ScheduledExecutorService sweeper) {
        this.retention = Objects.requireNonNull(retention, "retention");
        this.sweeper = sweeper;
        this.keeper = new Keeper(retention, InstantSource.system());
        long every = sweepInterval(retention).toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * {@code retention} on the system clock, with one daemon thread that sweeps out what expired every
     * half of the shorter time to live (at most every minute, at least every 10 ms); {@link #close()}
     * stops it. A stream appended to with a shorter {@link Keep#ttl()} of its own may be swept later
     * than that, but is never found after its deadline.
     */
    public static InMemoryHistory sweeping(Retention retention) {
        return new InMemoryHistory(retention, Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "switchboard-history-sweeper");
            thread.setDaemon(true);
            return thread;
        }));
    }

    static Duration sweepInterval(Retention retention) {
        Duration half = (retention.streamTtl().compareTo(retention.queueTtl()) < 0
                        ? retention.streamTtl()
                        : retention.queueTtl())
                .dividedBy(2);
        Duration least = Duration.ofMillis(10);
        Duration most = Duration.ofMinutes(1);
        return half.compareTo(least) < 0 ? least : half.compareTo(most) > 0 ? most : half;
    }

    @Override
    public CompletionStage<Entry> append(
            String stream, LongFunction<String> payload, Keep keep, Consumer<Entry> publish) {
        return append(stream, (streamEpoch, id) -> payload.apply(id), keep, publish);
    }

    /** Fills the template with the stream's epoch (as {@link #since} reports it) and the entry's id. */
    @Override
    public CompletionStage<Entry> appendAndBroadcast(
            String stream, Template payload, Keep keep, Hub hub, String group, String key) {
        return append(stream, payload::fill, keep, entry -> broadcast(hub, group, key, entry));
    }

    /** A history's broadcast of {@code entry}: with its conflation key, if it has one. */
    static void broadcast(Hub hub, String group, String key, Entry entry) {
        Message message = Message.text(entry.payload());
        if (key == null) {
            hub.broadcast(group, message);
        } else {
            hub.broadcastLatest(group, key, message);
        }
    }

    /** A payload made from the epoch of the stream's current life and the entry's id. */
    private interface Stamped {
        String payload(String streamEpoch, long id);
    }

    private CompletionStage<Entry> append(String stream, Stamped payload, Keep keep, Consumer<Entry> publish) {
        long ttl = (keep.ttl() != null ? keep.ttl() : retention.streamTtl()).toMillis();
        while (true) {
            Stream target = (Stream) keeper.written(new Key(stream, false), this::newStream, ttl);
            long grown;
            Entry entry;
            synchronized (target) {
                if (target.gone) {
                    continue; // forgotten between finding and locking it: start a new one
                }
                entry = new Entry(target.top + 1, payload.payload(streamEpoch(target), target.top + 1));
                target.top = entry.id();
                long before = target.bytes;
                target.add(entry, keep.entries());
                grown = target.bytes - before;
                publish.accept(entry);
            }
            keeper.account(grown);
            return CompletableFuture.completedFuture(entry);
        }
    }

    @Override
    public CompletionStage<List<Entry>> latest(String stream, int count) {
        if (!(keeper.find(new Key(stream, false)) instanceof Stream target) || count <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        synchronized (target) {
            List<Entry> all = target.gone ? List.of() : new ArrayList<>(target.entries);
            return CompletableFuture.completedFuture(
                    List.copyOf(all.subList(Math.max(0, all.size() - count), all.size())));
        }
    }

    @Override
    public CompletionStage<Recovery> since(String stream, long after) {
        while (true) {
            Stream target = (Stream) keeper.found(new Key(stream, false), this::newStream);
            synchronized (target) {
                if (target.gone) {
                    continue;
                }
                String streamEpoch = streamEpoch(target);
                if (after > target.top || after < 0) {
                    return CompletableFuture.completedFuture(new Recovery(List.of(), false, streamEpoch));
                }
                List<Entry> found =
                        target.entries.stream().filter(e -> e.id() > after).toList();
                return CompletableFuture.completedFuture(
                        new Recovery(found, found.size() == target.top - after, streamEpoch));
            }
        }
    }

    /** Forgets the stream whole: its next append or read makes a new one, with a new birth and so a new epoch. */
    @Override
    public CompletionStage<Void> remove(String stream) {
        keeper.remove(new Key(stream, false));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> enqueue(String queue, String payload, int keep) {
        requirePositive(keep);
        Objects.requireNonNull(payload, "payload");
        while (true) {
            Queue target = (Queue) keeper.written(
                    new Key(queue, true), Queue::new, retention.queueTtl().toMillis());
            long grown;
            synchronized (target) {
                if (target.gone) {
                    continue;
                }
                long before = target.bytes;
                target.add(payload, keep);
                grown = target.bytes - before;
            }
            keeper.account(grown);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Takes under the queue's lock; a queue left empty is forgotten (an enqueue racing it finds it gone and makes a new one). */
    @Override
    public CompletionStage<Page> take(String queue, long maxBytes) {
        Key key = new Key(queue, true);
        if (!(keeper.find(key) instanceof Queue target)) {
            return CompletableFuture.completedFuture(new Page(List.of(), false));
        }
        long shrunk;
        Page page;
        synchronized (target) {
            if (target.gone) {
                return CompletableFuture.completedFuture(new Page(List.of(), false));
            }
            long before = target.bytes;
            page = target.take(maxBytes);
            shrunk = target.bytes - before;
        }
        keeper.account(shrunk);
        if (!page.more()) {
            keeper.dropIfEmpty(key, target);
        }
        return CompletableFuture.completedFuture(page);
    }

    private String streamEpoch(Stream stream) {
        return epoch + "." + stream.birth;
    }

    @Override
    public String epoch() {
        return epoch;
    }

    /** Forgets every stream and queue whose time to live has passed. Any thread. */
    public void sweep() {
        keeper.sweep();
    }

    /** The bytes kept now, as counted against {@link Retention#maxBytes()}. */
    public long keptBytes() {
        return keeper.bytes();
    }

    /** How many streams and queues are kept now. */
    public int keptCount() {
        return keeper.count();
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        keeper.clear();
    }

    private Stream newStream(String name) {
        return new Stream(name, births.incrementAndGet());
    }

    private static void requirePositive(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, not " + keep);
        }
    }
}
