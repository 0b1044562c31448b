/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.blocking;

import io.switchboard.session.CloseStatus;
import io.switchboard.session.Decision;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link BlockingHandler} for one connection: callbacks put messages on a bounded queue (a
 * full queue blocks the callback, which makes the server stop reading from the socket), and the
 * function takes them on its own virtual thread.
 */
final class BlockingAdapter implements WebSocketHandler, BlockingSession {

    private static final Logger log = LoggerFactory.getLogger(BlockingAdapter.class);

    private final BlockingHandler function;
    private final int capacity;
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Set by disconnect, in callback order: every message before it is already queued. */
    private CloseStatus closed; // guarded by lock
    /** Set as soon as the socket is gone, out of callback order: a put must stop waiting. */
    private boolean gone; // guarded by lock

    private volatile Session session;

    BlockingAdapter(BlockingHandler function, int capacity) {
        this.function = function;
        this.capacity = capacity;
    }

    @Override
    public Decision onConnect(Session opened) {
        this.session = opened;
        // Learn of the close outside the callback order: a put blocked on a full queue must wake up.
        opened.closeFuture().thenAccept(status -> markGone());
        Thread.ofVirtual().name("switchboard-blocking-" + opened.address()).start(this::run);
        return Decision.accept();
    }

    private void run() {
        try {
            function.handle(this);
            session.close();
        } catch (SessionClosedException e) {
            // The client went away while the function waited: nothing to report.
        } catch (InterruptedException e) {
            session.close(CloseStatus.GOING_AWAY);
        } catch (Exception | Error e) {
            log.warn("blocking handler for {} failed; closing with 1011", session.address(), e);
            session.close(CloseStatus.INTERNAL_ERROR);
        }
    }

    @Override
    public void onText(Session s, String text) throws InterruptedException {
        put(Message.text(text));
    }

    @Override
    public void onBinary(Session s, byte[] data) throws InterruptedException {
        put(Message.binary(data));
    }

    private void put(Message message) throws InterruptedException {
        lock.lock();
        try {
            while (queue.size() >= capacity && !gone) {
                notFull.await();
            }
            // Once the client is gone nothing more can arrive, so what did arrive is kept, even past
            // the capacity: the function may still take it before it learns of the close.
            queue.add(message);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onDisconnect(Session s, CloseStatus status) {
        markClosed(status);
    }

    private void markClosed(CloseStatus status) {
        lock.lock();
        try {
            if (closed == null) {
                closed = status;
            }
            gone = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void markGone() {
        lock.lock();
        try {
            gone = true;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Message receive() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                failIfClosed();
                notEmpty.await();
            }
            return take();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Message> receive(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (queue.isEmpty()) {
                failIfClosed();
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return Optional.of(take());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Message> poll() {
        lock.lock();
        try {
            if (queue.isEmpty()) {
                failIfClosed();
                return Optional.empty();
            }
            return Optional.of(take());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int pending() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private Message take() {
        Message next = queue.poll();
        notFull.signal();
        return next;
    }

    private void failIfClosed() {
        if (closed != null) {
            throw new SessionClosedException(closed);
        }
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public Iterator<Message> iterator() {
        return new Iterator<>() {
            private Message next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                try {
                    next = receive();
                    return true;
                } catch (SessionClosedException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }

            @Override
            public Message next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the connection is closed");
                }
                Message taken = next;
                next = null;
                return taken;
            }
        };
    }
}
