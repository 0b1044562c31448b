package io.switchboard.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
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

    private final Executor executor;
    private final Consumer<T> target;

    Mailbox(Executor executor, Consumer<T> target) {
        this.executor = executor;
        this.target = target;
    }

    /** Queues {@code signal}; starts a drain if none is running. */
    void post(T signal) {
        queue.offer(signal);
        if (pending.getAndIncrement() == 0) {
            executor.execute(this);
        }
    }

    /** Lets signals through, starting with those posted so far. Call once. */
    void start() {
        if (pending.decrementAndGet() != 0) {
            executor.execute(this);
        }
    }

    @Override
    public void run() {
        do {
            target.accept(queue.poll());
        } while (pending.decrementAndGet() != 0);
    }
}
