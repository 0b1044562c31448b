/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.switchboard.time.Ticker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock and a scheduler that stand still until the test moves them: {@link #advance} runs, on the
 * test's thread, every task that has come due. Only one-shot schedules of runnables are supported,
 * which is all the connection's pieces use. Not thread-safe.
 */
public final class FakeTime extends AbstractExecutorService implements ScheduledExecutorService, Ticker {

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(Comparator.comparingLong(task -> task.at));
    private long now = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    /** Moves the time on by {@code millis}, running what comes due, in order. */
    public void advance(long millis) {
        long until = now + TimeUnit.MILLISECONDS.toNanos(millis);
        Task next;
        int ran = 0;
        while ((next = tasks.peek()) != null && next.at <= until) {
            if (++ran > 10_000) {
                throw new AssertionError("tasks keep coming due without time moving: a timer loop");
            }
            tasks.poll();
            now = next.at;
            next.run.run();
        }
        now = until;
    }

    /** How many tasks wait to run. */
    public int pending() {
        return tasks.size();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task task = new Task(now + unit.toNanos(delay), command);
        tasks.add(task);
        return task;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new AssertionError(
                "the connection schedules only plain tasks: this test clock has no repeating or value-returning ones");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new AssertionError(
                "the connection schedules only plain tasks: this test clock has no repeating or value-returning ones");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new AssertionError(
                "the connection schedules only plain tasks: this test clock has no repeating or value-returning ones");
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
        return new ArrayList<>();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object> {
        final long at;
        final Runnable run;

        Task(long at, Runnable run) {
            this.at = at;
            this.run = run;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            return tasks.remove(this);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return !tasks.contains(this);
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
