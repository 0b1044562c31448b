package io.switchboard.engine;

import io.switchboard.engine.Kept.Queue;
import io.switchboard.engine.Kept.Stream;
import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * {@link History} in this process's memory: gone when the process ends, which the random
 * {@link #epoch()} tells clients. Each stream and queue has its own lock; {@code publish} runs under
 * the stream's lock, so a broadcast from it leaves in id order.
 *
 * <p>Bounded by its {@link Retention}: what outlived its time to live is forgotten when next touched
 * and by {@link #sweep()} (which a history made with a sweeper runs periodically: no thread per
 * stream), and past the memory budget the least recently written streams and queues are forgotten
 * whole, so the budget holds whatever names clients make up.
 */
public final class InMemoryHistory implements History {

    private final String epoch =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final Retention retention;
    private final InstantSource clock;
    private final ScheduledExecutorService sweeper;
    /** Every stream and queue, least recently written first. Guarded by itself. */
    private final LinkedHashMap<Key, Kept> kept = new LinkedHashMap<>();

    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong births = new AtomicLong();

    /** The default {@link Retention}, on the system clock, forgetting lazily (no sweeper thread). */
    public InMemoryHistory() {
        this(Retention.defaults(), InstantSource.system());
    }

    /** {@code retention} on {@code clock}, forgetting lazily; call {@link #sweep()} to forget eagerly. */
    public InMemoryHistory(Retention retention, InstantSource clock) {
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = null;
    }

    private InMemoryHistory(Retention retention, ScheduledExecutorService sweeper) {
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = InstantSource.system();
        this.sweeper = sweeper;
        long every = sweepInterval(retention).toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * {@code retention} on the system clock, with one daemon thread that sweeps out what expired every
     * half of the shorter time to live (at most every minute, at least every 10 ms); {@link #close()}
     * stops it.
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
            String stream, LongFunction<String> payload, int keep, Consumer<Entry> publish) {
        return append(stream, (streamEpoch, id) -> payload.apply(id), keep, publish);
    }

    /** Fills the template with the stream's epoch (as {@link #since} reports it) and the entry's id. */
    @Override
    public CompletionStage<Entry> appendAndBroadcast(
            String stream, Template payload, int keep, Hub hub, String group, String key) {
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

    private CompletionStage<Entry> append(String stream, Stamped payload, int keep, Consumer<Entry> publish) {
        requirePositive(keep);
        while (true) {
            Stream target = (Stream) written(new Key(stream, false), this::newStream);
            long grown;
            Entry entry;
            synchronized (target) {
                if (target.gone) {
                    continue; // forgotten between finding and locking it: start a new one
                }
                entry = new Entry(target.top + 1, payload.payload(streamEpoch(target), target.top + 1));
                target.top = entry.id();
                long before = target.bytes;
                target.add(entry, keep);
                grown = target.bytes - before;
                publish.accept(entry);
            }
            account(grown);
            return CompletableFuture.completedFuture(entry);
        }
    }

    @Override
    public CompletionStage<List<Entry>> latest(String stream, int count) {
        if (!(find(new Key(stream, false)) instanceof Stream target) || count <= 0) {
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
            Stream target = (Stream) found(new Key(stream, false), this::newStream);
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

    @Override
    public CompletionStage<Void> enqueue(String queue, String payload, int keep) {
        requirePositive(keep);
        Objects.requireNonNull(payload, "payload");
        while (true) {
            Queue target = (Queue) written(new Key(queue, true), Queue::new);
            long grown;
            synchronized (target) {
                if (target.gone) {
                    continue;
                }
                long before = target.bytes;
                target.add(payload, keep);
                grown = target.bytes - before;
            }
            account(grown);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Takes under the queue's lock; a queue left empty is forgotten (an enqueue racing it finds it gone and makes a new one). */
    @Override
    public CompletionStage<Page> take(String queue, long maxBytes) {
        Key key = new Key(queue, true);
        if (!(find(key) instanceof Queue target)) {
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
        account(shrunk);
        if (!page.more()) {
            synchronized (kept) {
                synchronized (target) {
                    if (target.payloads.isEmpty() && kept.get(key) == target) {
                        kept.remove(key);
                        target.gone = true;
                        bytes.addAndGet(-target.bytes);
                        target.bytes = 0;
                    }
                }
            }
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

    /** The bytes kept now, as counted against {@link Retention#maxBytes()}. */
    public long keptBytes() {
        return bytes.get();
    }

    /** How many streams and queues are kept now. */
    public int keptCount() {
        synchronized (kept) {
            return kept.size();
        }
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        List<Kept> all;
        synchronized (kept) {
            all = new ArrayList<>(kept.values());
            kept.clear();
        }
        all.forEach(this::forget);
    }

    private Stream newStream(String name) {
        return new Stream(name, births.incrementAndGet());
    }

    /**
     * The stream or queue {@code key} names, made if missing or expired, and moved to the most
     * recently written end.
     */
    private Kept written(Key key, Function<String, Kept> make) {
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
            target.lastWrite = now;
            kept.put(key, target);
        }
        if (stale != null) {
            forget(stale);
        }
        return target;
    }

    /** As {@link #written}, for a read: made if missing, but not moved and its time not renewed. */
    private Kept found(Key key, Function<String, Kept> make) {
        Kept target = find(key);
        if (target != null) {
            return target;
        }
        Kept made = make.apply(key.name());
        made.lastWrite = clock.millis();
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
    private Kept find(Key key) {
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

    private boolean expired(Kept target, long now) {
        Duration ttl = target instanceof Queue ? retention.queueTtl() : retention.streamTtl();
        return now - target.lastWrite >= ttl.toMillis();
    }

    /** Counts {@code grown} bytes and, past the budget, forgets the least recently written first. */
    private void account(long grown) {
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

    /** Marks {@code target} gone, uncounts it and returns what it held. Call it out of the map first. */
    private List<String> forget(Kept target) {
        synchronized (target) {
            if (target.gone) {
                return List.of();
            }
            target.gone = true;
            bytes.addAndGet(-target.bytes);
            target.bytes = 0;
            return target.clear();
        }
    }

    private static void requirePositive(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, not " + keep);
        }
    }

    /** A stream or a queue by name: the two have separate names. */
    private record Key(String name, boolean queue) {}
}
