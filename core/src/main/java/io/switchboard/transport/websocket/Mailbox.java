/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one connection's callbacks one at a time, in the order they were posted, on an executor
 * (a new virtual thread per burst, or the event loop), without a lock: a counter of unprocessed
 * signals decides who starts the drain. Posts before {@link #start()} wait; that is how callbacks
 * are held back until the handshake is complete.
 */
final class Mailbox<T> implements Runnable {

    /** Linked, not an array queue: an idle connection's empty mailbox should cost bytes, not kilobytes. */
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    /** Signals posted and not yet processed, plus one while not started. */
    private final AtomicInteger pending = new AtomicInteger(1);

    /** The signal {@link #start(Object)} put ahead of the queue, until the drain takes it. */
    private T head;

    private final Executor executor;
    private final Consumer<T> target;
    /** Whether the posting thread is the one the executor would run on (the event loop), or null. */
    private final BooleanSupplier onExecutor;

    Mailbox(Executor executor, Consumer<T> target) {
        this(executor, target, null);
    }

    /**
     * A mailbox whose executor runs tasks on the thread {@code onExecutor} recognises: a signal posted
     * there while nothing is queued runs at once, without a queue node or a task.
     */
    Mailbox(Executor executor, Consumer<T> target, BooleanSupplier onExecutor) {
        this.executor = executor;
        this.target = target;
        this.onExecutor = onExecutor;
    }

    /** Queues {@code signal}; starts a drain if none is running. */
    void post(T signal) {
        if (tryEnter()) {
            target.accept(signal); // nothing queued, nothing running: this is the drain
            leave();
            return;
        }
        queue.offer(signal);
        if (pending.getAndIncrement() == 0) {
            executor.execute(this);
        }
    }

    /**
     * Claims the drain when called on the executor's thread with nothing queued or running: the
     * caller then handles its signal itself, in order, with neither a queue node nor a signal
     * object, and calls {@link #leave}. False otherwise: post the signal.
     */
    boolean tryEnter() {
        return onExecutor != null && onExecutor.getAsBoolean() && pending.compareAndSet(0, 1);
    }

    /** Ends a drain claimed by {@link #tryEnter}, draining what the handling posted meanwhile. */
    void leave() {
        if (pending.decrementAndGet() != 0) {
            run(); // the callback posted more to this mailbox
        }
    }

    /** Lets signals through, starting with those posted so far. Call once, or {@link #start(Object)}. */
    void start() {
        if (pending.decrementAndGet() != 0) {
            executor.execute(this);
        }
    }

    /**
     * Lets signals through, {@code first} ahead of those posted so far. Call once, or {@link
     * #start()}. {@code first} takes the place of the count's "not started" unit, so a drain is due.
     */
    void start(T first) {
        head = first;
        executor.execute(this);
    }

    @Override
    public void run() {
        T first = head;
        if (first != null) {
            head = null;
            target.accept(first);
            if (pending.decrementAndGet() == 0) {
                return;
            }
        }
        do {
            target.accept(queue.poll());
        } while (pending.decrementAndGet() != 0);
    }
}
