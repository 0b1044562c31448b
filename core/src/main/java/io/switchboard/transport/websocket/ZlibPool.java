/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A few zlib streams kept for reuse by every thread. A stream holds tens to hundreds of KiB of
 * native memory, and with no context taken over between messages none needs to outlive a message:
 * a connection borrows one for a message and gives it back, instead of keeping one per connection.
 * More may exist for a moment under load; the surplus is freed when given back.
 */
final class ZlibPool<T> {

    private static final int KEPT = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    /** Raw DEFLATE compressors at the default level. */
    static final ZlibPool<Deflater> DEFLATERS =
            new ZlibPool<>(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true), Deflater::reset, Deflater::end);

    /** Raw DEFLATE decompressors (a 15-bit window, which inflates any smaller one). */
    static final ZlibPool<Inflater> INFLATERS =
            new ZlibPool<>(() -> new Inflater(true), Inflater::reset, Inflater::end);

    private final Queue<T> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final Supplier<T> create;
    private final Consumer<T> reset;
    private final Consumer<T> end;

    private ZlibPool(Supplier<T> create, Consumer<T> reset, Consumer<T> end) {
        this.create = create;
        this.reset = reset;
        this.end = end;
    }

    /** A fresh stream, pooled or new. Any thread. */
    T borrow() {
        T stream = idle.poll();
        if (stream == null) {
            return create.get();
        }
        idleCount.decrementAndGet();
        return stream;
    }

    /** Resets {@code stream} and keeps it, or frees it when enough are kept. Any thread. */
    void giveBack(T stream) {
        reset.accept(stream);
        if (idleCount.incrementAndGet() <= KEPT) {
            idle.offer(stream);
        } else {
            idleCount.decrementAndGet();
            end.accept(stream);
        }
    }
}
