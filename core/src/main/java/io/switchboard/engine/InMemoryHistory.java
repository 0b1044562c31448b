package io.switchboard.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * {@link History} in this process's memory: gone when the process ends, which the random
 * {@link #epoch()} tells clients. Each stream and queue has its own lock; {@code publish} runs under
 * the stream's lock, so a broadcast from it leaves in id order.
 */
public final class InMemoryHistory implements History {

    private final String epoch =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final Map<String, ArrayDeque<String>> queues = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Entry> append(
            String stream, LongFunction<String> payload, int keep, Consumer<Entry> publish) {
        requirePositive(keep);
        Stream target = streams.computeIfAbsent(stream, name -> new Stream());
        synchronized (target) {
            long id = ++target.top;
            Entry entry = new Entry(id, payload.apply(id));
            target.entries.addLast(entry);
            while (target.entries.size() > keep) {
                target.entries.removeFirst();
            }
            publish.accept(entry);
            return CompletableFuture.completedFuture(entry);
        }
    }

    @Override
    public CompletionStage<List<Entry>> latest(String stream, int count) {
        Stream target = streams.get(stream);
        if (target == null || count <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        synchronized (target) {
            List<Entry> all = new ArrayList<>(target.entries);
            return CompletableFuture.completedFuture(
                    List.copyOf(all.subList(Math.max(0, all.size() - count), all.size())));
        }
    }

    @Override
    public CompletionStage<Recovery> since(String stream, long after) {
        Stream target = streams.get(stream);
        if (target == null) {
            return CompletableFuture.completedFuture(new Recovery(List.of(), after == 0));
        }
        synchronized (target) {
            if (after > target.top || after < 0) {
                return CompletableFuture.completedFuture(new Recovery(List.of(), false));
            }
            List<Entry> found =
                    target.entries.stream().filter(e -> e.id() > after).toList();
            return CompletableFuture.completedFuture(new Recovery(found, found.size() == target.top - after));
        }
    }

    @Override
    public CompletionStage<Void> enqueue(String queue, String payload, int keep) {
        requirePositive(keep);
        queues.compute(queue, (name, kept) -> {
            ArrayDeque<String> target = kept == null ? new ArrayDeque<>() : kept;
            target.addLast(payload);
            while (target.size() > keep) {
                target.removeFirst();
            }
            return target;
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<String>> drain(String queue) {
        ArrayDeque<String> taken = queues.remove(queue);
        return CompletableFuture.completedFuture(taken == null ? List.of() : List.copyOf(taken));
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public void close() {
        streams.clear();
        queues.clear();
    }

    private static void requirePositive(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, not " + keep);
        }
    }

    private static final class Stream {
        long top;
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
    }
}
