/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
 * {@code /ws/pub} is written to each {@code /ws/sub} socket directly. The event bus, the other idiom
 * for a fan-out, would add a message and a handler call per subscriber in front of the same write, so
 * the direct write is the faster of the two. Native transport (epoll) where present.
 */
public final class VertxServer implements AutoCloseable {

    private static final int MAX_FRAME = 65536;
    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ServerWebSocket> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong connections = new AtomicLong();

    public VertxServer(String host, int port, int threads) throws Exception {
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
            socket.binaryMessageHandler(message -> subscribers.forEach(s -> s.writeBinaryMessage(message)));
            socket.textMessageHandler(message -> subscribers.forEach(s -> s.writeTextMessage(message)));
        } else if (path.startsWith("/ws/sub")) {
            subscribers.add(socket);
            socket.closeHandler(closed -> {
                connections.decrementAndGet();
                subscribers.remove(socket);
            });
        } else {
            socket.close();
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
