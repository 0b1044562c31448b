/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Vert.x 5 peer of issue 16, written as Vert.x's documentation shows: one {@link HttpServer} per
 * event loop on the same port (Vert.x spreads the connections over them), {@code /ws/echo} answers
 * each message with {@code writeBinaryMessage} / {@code writeTextMessage}, and a message on
 * {@code /ws/pub} is written to each {@code /ws/sub} socket directly. The other idiom for a fan-out,
 * the event bus (each subscriber a local consumer of one address, the publisher publishing to it),
 * is here too ({@code eventBus}, ServerMain's {@code vertx-bus}) so that the two can be compared; it
 * adds a message and a handler call per subscriber in front of the same write. Native transport
 * (epoll) where present.
 */
public final class VertxServer implements AutoCloseable {

    private static final int MAX_FRAME = 65536;
    private static final long TIMEOUT_SECONDS = 30;
    private static final String BINARY = "bench.broadcast.binary";
    private static final String TEXT = "bench.broadcast.text";

    private final Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ServerWebSocket> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    private final boolean eventBus;

    /** A server that broadcasts by writing to each subscriber's socket. */
    public VertxServer(String host, int port, int threads) throws Exception {
        this(host, port, threads, false);
    }

    /** A server that broadcasts through the event bus when {@code eventBus}, else by direct writes. */
    public VertxServer(String host, int port, int threads, boolean eventBus) throws Exception {
        this.eventBus = eventBus;
        vertx = Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(threads).setPreferNativeTransport(true))
                .build();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setTcpNoDelay(true)
                .setAcceptBacklog(4096)
                .setMaxWebSocketFrameSize(MAX_FRAME)
                .setMaxWebSocketMessageSize(MAX_FRAME);
        int bound = port;
        for (int i = 0; i < threads; i++) {
            HttpServer server =
                    vertx.createHttpServer(options).requestHandler(this::stats).webSocketHandler(this::route);
            bound = await(server.listen(bound, host)).actualPort();
            servers.add(server);
        }
    }

    /** Whether Vert.x runs on the native transport (epoll) rather than NIO. */
    public boolean nativeTransport() {
        return vertx.isNativeTransportEnabled();
    }

    public int port() {
        return servers.getFirst().actualPort();
    }

    @Override
    public void close() {
        try {
            await(vertx.close());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Vert.x did not close: " + e.getMessage(), e);
        }
    }

    private void route(ServerWebSocket socket) {
        String path = socket.path();
        connections.incrementAndGet();
        socket.closeHandler(closed -> connections.decrementAndGet());
        if (path.startsWith("/ws/echo")) {
            socket.binaryMessageHandler(socket::writeBinaryMessage);
            socket.textMessageHandler(socket::writeTextMessage);
        } else if (path.startsWith("/ws/pub")) {
            publisher(socket);
        } else if (path.startsWith("/ws/sub")) {
            subscriber(socket);
        } else {
            socket.close();
        }
    }

    private void publisher(ServerWebSocket socket) {
        if (eventBus) {
            socket.binaryMessageHandler(message -> vertx.eventBus().publish(BINARY, message));
            socket.textMessageHandler(message -> vertx.eventBus().publish(TEXT, message));
        } else {
            socket.binaryMessageHandler(message -> subscribers.forEach(s -> s.writeBinaryMessage(message)));
            socket.textMessageHandler(message -> subscribers.forEach(s -> s.writeTextMessage(message)));
        }
    }

    private void subscriber(ServerWebSocket socket) {
        if (eventBus) {
            MessageConsumer<Buffer> binary =
                    vertx.eventBus().localConsumer(BINARY, message -> socket.writeBinaryMessage(message.body()));
            MessageConsumer<String> text =
                    vertx.eventBus().localConsumer(TEXT, message -> socket.writeTextMessage(message.body()));
            socket.closeHandler(closed -> {
                connections.decrementAndGet();
                binary.unregister();
                text.unregister();
            });
        } else {
            subscribers.add(socket);
            socket.closeHandler(closed -> {
                connections.decrementAndGet();
                subscribers.remove(socket);
            });
        }
    }

    /** {@code GET /stats}, as the other bench servers answer it. */
    private void stats(HttpServerRequest request) {
        if (request.path().startsWith("/stats")) {
            boolean gc = request.query() != null && request.query().contains("gc=1");
            request.response().putHeader("content-type", "application/json").end(Stats.json(gc, connections.get()));
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private static <T> T await(Future<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
