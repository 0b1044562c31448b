/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.Server;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.scenario.BroadcastScenario;
import io.switchboard.bench.scenario.EchoScenario;
import io.switchboard.bench.scenario.Options;
import io.switchboard.bench.scenario.Result;
import io.switchboard.bench.server.ServerHandle;
import io.switchboard.routing.Router;
import io.switchboard.session.Decision;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scenarios' own correctness, against a real in-process server: a faithful server shows no loss,
 * and a server that drops or repeats messages on purpose is caught, message for message.
 */
class ScenarioRunTest {

    /** A broadcast server that skips every message whose number is a multiple of {@code dropEvery}, and repeats every {@code repeatEvery}th. */
    private static Server server(int dropEvery, int repeatEvery) {
        AtomicLong repeated = new AtomicLong();
        WebSocketHandler publisher = new WebSocketHandler() {
            @Override
            public void onBinary(Session session, byte[] data) {
                long seq = ByteBuffer.wrap(data).getLong(0);
                if (dropEvery > 0 && seq % dropEvery == 0 && seq > 0) {
                    return;
                }
                session.hub().broadcast("bench", Message.binary(data));
                if (repeatEvery > 0 && seq % repeatEvery == 1) {
                    repeated.incrementAndGet();
                    session.hub().broadcast("bench", Message.binary(data));
                }
            }
        };
        WebSocketHandler subscriber = new WebSocketHandler() {
            @Override
            public Decision onConnect(Session session) {
                session.join("bench");
                return Decision.accept();
            }
        };
        return Server.builder()
                .host("127.0.0.1")
                .port(0)
                // Thousands of messages a second on one connection: what a load generator does.
                .limits(Limits.defaults().withRateLimit(RateLimit.OFF))
                .router(Router.builder()
                        .websocket("/ws/pub", () -> publisher)
                        .websocket("/ws/sub", () -> subscriber)
                        .websocket("/ws/echo", () -> new WebSocketHandler() {
                            @Override
                            public void onBinary(Session session, byte[] data) {
                                long seq = ByteBuffer.wrap(data).getLong(0);
                                for (int i = echoes(seq, dropEvery, repeatEvery); i > 0; i--) {
                                    session.send(data);
                                }
                            }

                            @Override
                            public void onText(Session session, String text) {
                                long seq = Long.parseUnsignedLong(text, 0, 16, 16);
                                for (int i = echoes(seq, dropEvery, repeatEvery); i > 0; i--) {
                                    session.send(text);
                                }
                            }
                        })
                        .build())
                .start();
    }

    /**
     * How many times the echo server answers message {@code seq}: none for a multiple of {@code
     * dropEvery}, twice for the number after a multiple of {@code repeatEvery}, so that the
     * generator's window neither dries up nor grows when both are the same.
     */
    private static int echoes(long seq, int dropEvery, int repeatEvery) {
        if (dropEvery > 0 && seq % dropEvery == 0 && seq > 0) {
            return 0;
        }
        return repeatEvery > 0 && seq % repeatEvery == 1 ? 2 : 1;
    }

    private static Result echo(Server server, String frames) throws Exception {
        String[] args = {
            "echo", "--connections", "4", "--window", "2", "--duration", "1", "--warmup", "0", "--frames", frames
        };
        try (Connector connector = new Connector(1);
                ServerHandle handle = ServerHandle.existing(
                        "127.0.0.1", server.port(), ProcessHandle.current().pid())) {
            return new EchoScenario().run(handle, new Options(args, 1), connector);
        }
    }

    private static Result broadcast(Server server, String rate, String... more) throws Exception {
        String[] base = {"broadcast", "--subscribers", "5", "--duration", "1", "--warmup", "0", "--rate", rate};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        try (Connector connector = new Connector(1);
                ServerHandle handle = ServerHandle.existing(
                        "127.0.0.1", server.port(), ProcessHandle.current().pid())) {
            return new BroadcastScenario().run(handle, new Options(args, 1), connector);
        }
    }

    @Test
    void aFaithfulServerLosesNothing() throws Exception {
        Server server = server(0, 0);
        try {
            Result result = broadcast(server, "2000");
            long published = (Long) result.get("published");
            assertThat(published).isGreaterThan(100);
            assertThat(result.get("lost")).isEqualTo(0L);
            assertThat(result.get("duplicated")).isEqualTo(0L);
            assertThat(((Map<?, ?>) result.get("latency_us")).containsKey("p99"))
                    .isTrue();
        } finally {
            server.close();
        }
    }

    @Test
    void droppedAndRepeatedMessagesAreCountedExactly() throws Exception {
        Server server = server(10, 7);
        try {
            Result result = broadcast(server, "max");
            long published = (Long) result.get("published");
            long dropped = (published - 1) / 10; // 10, 20, ... below published
            long repeats = (published + 5) / 7; // 1, 8, 15, ... below published
            long droppedRepeats = java.util.stream.LongStream.range(1, published)
                    .filter(s -> s % 10 == 0 && s % 7 == 1)
                    .count();
            assertThat(result.get("lost")).isEqualTo(5 * dropped);
            assertThat(result.get("duplicated")).isEqualTo(5 * (repeats - droppedRepeats));
        } finally {
            server.close();
        }
    }

    @Test
    void subscribersInSeveralProcessesAreCountedTogether() throws Exception {
        Server server = server(10, 0);
        try {
            Result result = broadcast(server, "max", "--subscribers", "6", "--processes", "2");
            long published = (Long) result.get("published");
            assertThat(result.get("generator_processes")).isEqualTo(2);
            assertThat(result.get("lost")).isEqualTo(6 * ((published - 1) / 10));
            assertThat(result.get("duplicated")).isEqualTo(0L);
        } finally {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary", "text"})
    void echoTimesEveryMessageAndLosesNone(String frames) throws Exception {
        Server server = server(0, 0);
        try {
            Result result = echo(server, frames);
            long messages = (Long) result.get("messages");
            assertThat(messages).isPositive();
            assertThat(((Map<?, ?>) result.get("latency_us")).get("count")).isEqualTo(messages);
            assertThat(result.get("frames")).isEqualTo(frames);
            assertThat(result.get("lost")).isEqualTo(0L);
            assertThat(result.get("duplicated")).isEqualTo(0L);
        } finally {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary", "text"})
    void echoCountsSkippedAndRepeatedEchoes(String frames) throws Exception {
        Server server = server(10, 10); // each tenth number dropped, the one after it echoed twice
        try {
            Result result = echo(server, frames);
            long messages = (Long) result.get("messages");
            // Of every ten numbers one is lost and one repeated, give or take one per connection at the end.
            assertThat((Long) result.get("lost")).isBetween(messages / 10 - 8, messages / 10 + 8);
            assertThat((Long) result.get("duplicated")).isBetween(messages / 10 - 8, messages / 10 + 8);
        } finally {
            server.close();
        }
    }
}
