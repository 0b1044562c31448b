/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Events in arrival order, taken one at a time with a timeout. A test reads every event it causes;
 * {@link #assertEmpty()} fails when something was left unread, so nothing unexpected slips by.
 *
 * @param <E> the event type
 */
public final class Recorder<E> {

    /** How long an expectation waits unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<E> events = new LinkedBlockingQueue<>();
    private final String name;

    public Recorder(String name) {
        this.name = name;
    }

    /** Records an event; any thread. */
    public void record(E event) {
        events.add(event);
    }

    /** The next event, waiting up to {@code timeout}; fails when none comes. */
    public E next(Duration timeout) {
        try {
            E event = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError(name + ": no event within " + timeout.toMillis() + " ms");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted while waiting for an event", e);
        }
    }

    /** The next event of type {@code kind}; fails if the next event is of another type. */
    public <T extends E> T next(Class<T> kind, Duration timeout) {
        E event = next(timeout);
        if (!kind.isInstance(event)) {
            throw new AssertionError(name + ": expected " + kind.getSimpleName() + " but got " + event);
        }
        return kind.cast(event);
    }

    /** Fails if an event arrives within {@code quiet}. */
    public void expectNothing(Duration quiet) {
        try {
            E event = events.poll(quiet.toNanos(), TimeUnit.NANOSECONDS);
            if (event != null) {
                throw new AssertionError(name + ": expected nothing but got " + event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted", e);
        }
    }

    /** Fails if any event is waiting unread. */
    public void assertEmpty() {
        List<E> left = new ArrayList<>();
        events.drainTo(left);
        if (!left.isEmpty()) {
            throw new AssertionError(name + ": unread events " + left);
        }
    }

    /** How many events wait unread. */
    public int size() {
        return events.size();
    }
}
