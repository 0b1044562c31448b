/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.redis.RedisSettings;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Redis that hangs (its process stopped with SIGSTOP, its connections open) is an outage like an
 * unreachable one: noticed within the command timeout and logged once, the node's own clients keep
 * talking and joining, and everything works through Redis again once it answers (SIGCONT).
 */
class RedisHangTest {

    /** Far less than the freeze would last if nobody noticed it, and at least the command timeout. */
    private static final Duration SOON = Duration.ofSeconds(5);

    @Test
    void aFrozenRedisIsAnOutageUntilItAnswersAgain() throws Exception {
        LogWatch log = new LogWatch();
        PrintStream originalErr = System.err;
        try (RedisServer redis = RedisServer.start()) {
            RedisSettings settings = RedisSettings.of(redis.uri())
                    .withPrefix("hang:")
                    .withCommandTimeout(Duration.ofSeconds(1))
                    .withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(2));
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try (ClusterNode node = ClusterNode.start(settings, ChatSettings.defaults())) {
                ChatClient ann = node.join("lobby", "ann");
                ann.welcome();
                ChatClient bob = node.join("lobby", "bob");
                bob.welcome();
                ann.next("join");
                ann.say("before");
                String epoch = ann.next("message").get("epoch").asText();
                bob.next("message");

                redis.freeze();
                try {
                    // Waiting out the timeout once per message would take 10 command timeouts: all
                    // of them must arrive within SOON, after one timeout.
                    long deadline = System.nanoTime() + SOON.toNanos();
                    for (int i = 0; i < 10; i++) {
                        ann.say("frozen " + i);
                    }
                    for (ChatClient client : List.of(ann, bob)) {
                        for (int i = 0; i < 10; i++) {
                            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                            assertThat(client.next(left).path("message").asText())
                                    .isEqualTo("frozen " + i);
                        }
                    }
                    ChatClient cid = node.join("lobby", "cid", 1, epoch);
                    JsonNode welcome = cid.next(SOON);
                    assertThat(welcome.path("type").asText()).isEqualTo("welcome");
                    assertThat(welcome.get("recovered").asBoolean()).isFalse();
                    assertThat(ann.next(SOON).path("type").asText()).isEqualTo("join");
                    assertThat(bob.next(SOON).path("type").asText()).isEqualTo("join");
                    cid.socket.close();

                    // A fresh client's welcome carries the epoch the node numbers under meanwhile, so
                    // the next message does not look like a new epoch (a false `missed`).
                    ChatClient dan = node.join("lobby", "dan");
                    String told = dan.welcome().get("epoch").asText();
                    ann.say("frozen after");
                    JsonNode after = nextMessage(dan);
                    assertThat(after.path("message").asText()).isEqualTo("frozen after");
                    assertThat(after.get("epoch").asText()).isEqualTo(told);
                    dan.socket.close();
                } finally {
                    redis.unfreeze();
                }
                awaitRedisNumbering(ann, bob, epoch);
                log.await("Redis engine at ", "answers again");
                log.await("Redis history at ", "answers again");
            } finally {
                System.setErr(originalErr);
                System.err.print(log.text());
            }
        }
        List<String> lines = log.text().lines().toList();
        for (String role : List.of("engine", "history")) {
            assertThat(lines.stream()
                            .filter(line -> line.contains("Redis " + role + " at ") && line.contains("did not answer")))
                    .as("the hang of the " + role + "'s connection, logged once")
                    .hasSize(1);
            assertThat(lines.stream()
                            .filter(line -> line.contains("Redis " + role + " at ") && line.contains("answers again")))
                    .hasSize(1);
        }
    }

    /**
     * Ann says probes until one comes back numbered in Redis's {@code epoch} (it kept its data),
     * delivered through Redis to both clients; passes over what they still had to read.
     */
    private static void awaitRedisNumbering(ChatClient ann, ChatClient bob, String epoch) {
        // Bounded by time, not by a count of probes: on a fast machine fifty round trips are over
        // before the link's first probe of Redis (every 100 ms) finds it answering.
        long deadline = System.nanoTime() + SOON.toNanos();
        for (int probe = 0; System.nanoTime() < deadline; probe++) {
            ann.say("probe " + probe);
            JsonNode got = nextMessage(ann);
            if (got.get("epoch").asText().equals(epoch)) {
                while (!nextMessage(bob).get("message").asText().equals("probe " + probe)) {
                    // an earlier probe, numbered by the node alone
                }
                return;
            }
        }
        throw new AssertionError("Redis did not number messages again after it answered");
    }

    /** What is written to it, kept; {@link #await} waits for a line, woken by each write. */
    private static final class LogWatch extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] data, int offset, int length) {
            bytes.write(data, offset, length);
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** Waits up to {@link #SOON} for a line that holds both {@code parts}. */
        synchronized void await(String first, String second) throws InterruptedException {
            long deadline = System.nanoTime() + SOON.toNanos();
            while (text().lines().noneMatch(line -> line.contains(first) && line.contains(second))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no log line with '" + first + "' and '" + second + "' in:\n" + text());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private static JsonNode nextMessage(ChatClient client) {
        while (true) {
            JsonNode next = client.next(SOON);
            if (next.path("type").asText().equals("message")) {
                return next;
            }
        }
    }
}
