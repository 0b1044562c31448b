/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.switchboard.bench.client.ClientFrames;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.scenario.BroadcastScenario;
import io.switchboard.bench.scenario.EchoScenario;
import io.switchboard.bench.scenario.Options;
import io.switchboard.bench.scenario.Result;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bench's peer servers (the naive and the well-written Netty server, Vert.x) over real sockets
 * through the bench's own client: echo gives back each frame as sent, a broadcast reaches every
 * subscriber in order, the scenarios count no loss, and closing ends every connection and the port.
 */
class PeerServersTest {

    /** A peer server started in this JVM. */
    private record Peer(int port, Runnable closer) implements AutoCloseable {
        static Peer start(String kind) throws Exception {
            return switch (kind) {
                case "baseline" -> {
                    BaselineServer server = new BaselineServer("127.0.0.1", 0, 1);
                    yield new Peer(server.port(), server::close);
                }
                case "netty" -> {
                    NettyServer server = new NettyServer("127.0.0.1", 0, 1);
                    yield new Peer(server.port(), server::close);
                }
                case "vertx", "vertx-bus" -> {
                    VertxServer server = new VertxServer("127.0.0.1", 0, 1, kind.equals("vertx-bus"));
                    yield new Peer(server.port(), server::close);
                }
                default -> throw new IllegalArgumentException(kind);
            };
        }

        URI ws(String path) {
            return URI.create("ws://127.0.0.1:" + port + path);
        }

        @Override
        public void close() {
            closer.run();
        }
    }

    /** A frame as the client saw it. */
    private record Seen(int opcode, String payload) {}

    private static Channel open(Connector connector, URI uri, BlockingQueue<Seen> seen) throws Exception {
        return connector
                .connect(
                        uri,
                        null,
                        (ctx, opcode, buf, index, length) ->
                                seen.add(new Seen(opcode, buf.toString(index, length, StandardCharsets.ISO_8859_1))))
                .get(10, TimeUnit.SECONDS);
    }

    private static void send(Channel channel, int opcode, String payload) {
        channel.writeAndFlush(
                ClientFrames.frame(channel.alloc(), opcode, payload.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static Seen next(BlockingQueue<Seen> seen) throws InterruptedException {
        Seen frame = seen.poll(10, TimeUnit.SECONDS);
        assertThat(frame).as("a frame within 10 s").isNotNull();
        return frame;
    }

    @ParameterizedTest
    @ValueSource(strings = {"baseline", "netty", "vertx"})
    void echoGivesBackEachFrameAsSent(String kind) throws Exception {
        try (Peer peer = Peer.start(kind);
                Connector connector = new Connector(1)) {
            BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
            Channel channel = open(connector, peer.ws("/ws/echo"), seen);
            String large = "x".repeat(1000) + "end";
            send(channel, ClientFrames.TEXT, "hello");
            send(channel, ClientFrames.BINARY, "\u0000\u00ff\u0001");
            send(channel, ClientFrames.BINARY, large);
            assertThat(next(seen)).isEqualTo(new Seen(ClientFrames.TEXT, "hello"));
            assertThat(next(seen)).isEqualTo(new Seen(ClientFrames.BINARY, "\u0000\u00ff\u0001"));
            assertThat(next(seen)).isEqualTo(new Seen(ClientFrames.BINARY, large));
            assertThat(seen.poll(100, TimeUnit.MILLISECONDS)).as("nothing more").isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"baseline", "netty", "vertx", "vertx-bus"})
    void aBroadcastReachesEverySubscriberInOrder(String kind) throws Exception {
        try (Peer peer = Peer.start(kind);
                Connector connector = new Connector(1)) {
            List<BlockingQueue<Seen>> subscribers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                subscribers.add(new LinkedBlockingQueue<>());
                open(connector, peer.ws("/ws/sub"), subscribers.get(i));
            }
            awaitSubscribers(connector, peer, subscribers);
            Channel publisher = open(connector, peer.ws("/ws/pub"), new LinkedBlockingQueue<>());
            String large = "y".repeat(70_000 / 2);
            for (int i = 0; i < 50; i++) {
                send(publisher, ClientFrames.BINARY, "message " + i);
            }
            send(publisher, ClientFrames.TEXT, large);
            for (BlockingQueue<Seen> seen : subscribers) {
                List<Seen> expected = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    expected.add(new Seen(ClientFrames.BINARY, "message " + i));
                }
                expected.add(new Seen(ClientFrames.TEXT, large));
                List<Seen> actual = new ArrayList<>();
                for (int i = 0; i < expected.size(); i++) {
                    actual.add(next(seen));
                }
                assertThat(actual).isEqualTo(expected);
            }
        }
    }

    /**
     * A server may add a subscriber just after its handshake: a probe message, once every subscriber
     * has seen it, shows they all count.
     */
    private static void awaitSubscribers(Connector connector, Peer peer, List<BlockingQueue<Seen>> subscribers)
            throws Exception {
        Channel probe = open(connector, peer.ws("/ws/pub"), new LinkedBlockingQueue<>());
        send(probe, ClientFrames.TEXT, "probe");
        for (BlockingQueue<Seen> seen : subscribers) {
            assertThat(next(seen)).isEqualTo(new Seen(ClientFrames.TEXT, "probe"));
        }
        probe.close().sync();
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "vertx"})
    void theScenariosCountNoLoss(String kind) throws Exception {
        try (Peer peer = Peer.start(kind);
                Connector connector = new Connector(1);
                ServerHandle handle = ServerHandle.existing(
                        kind, "127.0.0.1", peer.port(), ProcessHandle.current().pid())) {
            String[] broadcast = {"broadcast", "--subscribers", "5", "--duration", "1", "--warmup", "0"};
            Result result = new BroadcastScenario().run(handle, new Options(broadcast, 1), connector);
            assertThat((Long) result.get("published")).isGreaterThan(100);
            assertThat(result.get("lost")).isEqualTo(0L);
            assertThat(result.get("duplicated")).isEqualTo(0L);
            assertThat(result.get("generator_limited")).isNotNull();
            String[] echo = {"echo", "--connections", "4", "--window", "2", "--duration", "1", "--warmup", "0"};
            Result echoed = new EchoScenario().run(handle, new Options(echo, 1), connector);
            assertThat((Long) echoed.get("messages")).isPositive();
            assertThat((Double) echoed.get("generator_cpu_s")).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"baseline", "netty", "vertx", "vertx-bus"})
    void closingEndsEveryConnectionAndThePort(String kind) throws Exception {
        try (Connector connector = new Connector(1)) {
            Peer peer = Peer.start(kind);
            Channel subscriber = open(connector, peer.ws("/ws/sub"), new LinkedBlockingQueue<>());
            Channel echo = open(connector, peer.ws("/ws/echo"), new LinkedBlockingQueue<>());
            peer.close();
            assertThat(subscriber.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(echo.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> new Socket("127.0.0.1", peer.port()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }
}
