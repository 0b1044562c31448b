/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose one-shot tasks wait for the test to run them, with the delay they asked for:
 * the test decides when time passes, so code that schedules itself (a clock, a retry) is tested
 * without sleeping. A fixed-rate or fixed-delay schedule fails the test (an {@link AssertionError}):
 * the code under test would catch up on missed runs in a burst. Other {@code execute}/{@code submit} work runs on its one real thread.
 */
public final class SteppedScheduler extends ScheduledThreadPoolExecutor {

    /**
     * A task waiting to be run.
     *
     * @param task what to run
     * @param millis the delay it was scheduled with
     */
    public record Scheduled(Runnable task, long millis) {}

    private final BlockingQueue<Scheduled> scheduled = new LinkedBlockingQueue<>();

    /** A scheduler with nothing waiting. */
    public SteppedScheduler() {
        super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        scheduled.add(new Scheduled(task, unit.toMillis(delay)));
        return null;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        throw new AssertionError("a fixed rate catches up on missed runs in a burst");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
        throw new AssertionError("a fixed delay cannot follow the clock: schedule each run from the one before");
    }

    /**
     * The one task waiting, within 10 s (a task handed over from another thread may come late).
     *
     * @throws AssertionError when none comes, or when more than one waits: a backlog of runs
     */
    public Scheduled next() throws InterruptedException {
        Scheduled next = scheduled.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no task was scheduled within 10 s");
        }
        if (!scheduled.isEmpty()) {
            throw new AssertionError("more than one task waiting, a backlog: " + scheduled);
        }
        return next;
    }
}
