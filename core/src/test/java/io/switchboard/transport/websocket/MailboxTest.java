/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One connection's callbacks: in order, one at a time, and held back until started. */
class MailboxTest {

    /** Runs tasks on the calling thread and counts them. */
    private static final class CountingExecutor implements Executor {
        final AtomicInteger executed = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            executed.incrementAndGet();
            task.run();
        }
    }

    @Test
    void postsBeforeStartWaitAndThenRunInOrder() {
        CountingExecutor executor = new CountingExecutor();
        List<String> seen = new ArrayList<>();
        Mailbox<String> mailbox = new Mailbox<>(executor, seen::add);

        mailbox.post("a");
        mailbox.post("b");
        mailbox.post("c");
        assertThat(seen).isEmpty();
        assertThat(executor.executed).hasValue(0);

        mailbox.start();
        assertThat(seen).containsExactly("a", "b", "c");
        assertThat(executor.executed).as("one drain for the backlog").hasValue(1);

        mailbox.post("d");
        assertThat(seen).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aDrainClaimedInlineKeepsOrderWithWhatItsHandlingPosts() {
        CountingExecutor executor = new CountingExecutor();
        List<String> seen = new ArrayList<>();
        Mailbox<String> mailbox = new Mailbox<>(executor, seen::add, () -> true);
        assertThat(mailbox.tryEnter()).as("not started yet").isFalse();
        mailbox.start();

        assertThat(mailbox.tryEnter()).isTrue();
        seen.add("inline");
        mailbox.post("posted while inline");
        assertThat(seen).as("waits for the inline signal to end").containsExactly("inline");
        assertThat(mailbox.tryEnter()).as("one drain at a time").isFalse();
        mailbox.leave();

        assertThat(seen).containsExactly("inline", "posted while inline");
        assertThat(executor.executed)
                .as("drained by leave, on this thread, without a task")
                .hasValue(0);
        assertThat(new Mailbox<String>(executor, seen::add).tryEnter())
                .as("a mailbox on other threads never runs inline")
                .isFalse();
    }

    @Test
    void startingAnEmptyMailboxRunsNothing() {
        CountingExecutor executor = new CountingExecutor();
        Mailbox<String> mailbox = new Mailbox<>(executor, s -> {});

        mailbox.start();

        assertThat(executor.executed).hasValue(0);
    }

    @Test
    void aPostFromInsideTheTargetRunsAfterItReturnsNotInsideIt() {
        CountingExecutor executor = new CountingExecutor();
        List<String> seen = new ArrayList<>();
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger deepest = new AtomicInteger();
        AtomicReference<Mailbox<String>> box = new AtomicReference<>();
        box.set(new Mailbox<>(executor, signal -> {
            deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
            seen.add(signal);
            if (signal.length() < 3) {
                box.get().post(signal + "+");
            }
            depth.decrementAndGet();
        }));
        box.get().start();

        box.get().post("x");

        assertThat(seen).containsExactly("x", "x+", "x++");
        assertThat(deepest).as("never re-entered").hasValue(1);
        assertThat(executor.executed).hasValue(1);
    }

    @Test
    void signalsFromOneThreadArriveInOrderOnAnotherThread() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            int count = 10_000;
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(count);
            Mailbox<Integer> mailbox = new Mailbox<>(pool, n -> {
                seen.add(n);
                done.countDown();
            });
            mailbox.start();

            for (int i = 0; i < count; i++) {
                mailbox.post(i);
            }

            assertThat(done.await(10, TimeUnit.SECONDS))
                    .as("every signal processed")
                    .isTrue();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add(i);
            }
            assertThat(seen).isEqualTo(expected);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void signalsFromManyThreadsAreNeverProcessedConcurrentlyAndKeepEachSendersOrder() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ExecutorService posters = Executors.newFixedThreadPool(4);
        try {
            int perPoster = 5_000;
            int posterCount = 4;
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            Map<Integer, List<Integer>> bySender = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(perPoster * posterCount);
            Mailbox<int[]> mailbox = new Mailbox<>(pool, signal -> {
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                // Plain lists: safe only because the mailbox never runs two signals at once.
                bySender.computeIfAbsent(signal[0], k -> new ArrayList<>()).add(signal[1]);
                inside.decrementAndGet();
                done.countDown();
            });
            CountDownLatch go = new CountDownLatch(1);
            for (int p = 0; p < posterCount; p++) {
                int sender = p;
                posters.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perPoster; i++) {
                        mailbox.post(new int[] {sender, i});
                    }
                });
            }
            go.countDown();
            mailbox.start();

            assertThat(done.await(10, TimeUnit.SECONDS))
                    .as("every signal processed")
                    .isTrue();
            assertThat(overlaps).hasValue(0);
            for (int p = 0; p < posterCount; p++) {
                List<Integer> received = bySender.get(p);
                assertThat(received).as("sender %d", p).hasSize(perPoster);
                for (int i = 0; i < perPoster; i++) {
                    assertThat(received.get(i)).isEqualTo(i);
                }
            }
        } finally {
            pool.shutdownNow();
            posters.shutdownNow();
        }
    }

    @Test
    void aFirstSignalGivenAtStartRunsAheadOfThosePostedBeforeAndTheMailboxThenWorksAsUsual() {
        CountingExecutor executor = new CountingExecutor();
        List<String> seen = new ArrayList<>();
        Mailbox<String> mailbox = new Mailbox<>(executor, seen::add);

        mailbox.post("a");
        mailbox.start("first");
        assertThat(seen).containsExactly("first", "a");
        mailbox.post("b");
        assertThat(seen).containsExactly("first", "a", "b");
        assertThat(executor.executed).hasValue(2);

        List<String> alone = new ArrayList<>();
        Mailbox<String> empty = new Mailbox<>(executor, alone::add);
        empty.start("first");
        empty.post("c");
        assertThat(alone).containsExactly("first", "c");
    }
}
