/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.http.HttpResponse;
import io.switchboard.routing.RouteMatch;
import io.switchboard.settings.Limits;
import io.switchboard.stats.Refusal;
import io.switchboard.transport.http.Handshake;
import io.switchboard.transport.http.RequestChecks;
import io.switchboard.transport.http.Responses;
import io.switchboard.transport.http.Scopes;
import io.switchboard.transport.websocket.ConnectionLog;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of one connection: one request at a time, in order. Each request meets the
 * {@link RequestChecks}, then the router: 404 for an unknown path, a {@link PlainHttp} route, an
 * {@link Upgrade} on a WebSocket path, or 426 for a plain request on a WebSocket-only path. Requests
 * that arrive while one is served wait here (pipelining), up to {@link #MAX_WAITING}. An upgrade
 * request stops HTTP parsing at once: the bytes that follow it are WebSocket frames, held here (up
 * to the inbound buffer limit) until the 101, then handed to the WebSocket pipeline. On the event
 * loop; one per connection, gone after the 101.
 */
final class HttpDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);

    /** Pipelined requests waiting for an answer, at most; a client sending more is disconnected. */
    private static final int MAX_WAITING = 16;

    /** The longest WebSocket frame header: 2 bytes, an 8-byte length and a 4-byte mask. */
    private static final int MAX_FRAME_HEADER = 14;

    private final ServerContext server;
    private final PlainHttp plainHttp;
    private final Upgrade upgrade;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    /** A plain request is being served. */
    private boolean busy;
    /** An upgrade is being decided: nothing more is dispatched. */
    private boolean upgrading;
    /** What followed an upgrade request, once one stopped HTTP parsing; null before. */
    private CompositeByteBuf held;

    HttpDispatcher(ServerContext server, PlainHttp plainHttp, Upgrade upgrade) {
        this.server = server;
        this.plainHttp = plainHttp;
        this.upgrade = upgrade;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case FullHttpRequest request -> {
                if (upgrading) {
                    request.release();
                } else if (busy) {
                    queue(ctx, request);
                } else {
                    dispatch(ctx, request);
                }
            }
            case ByteBuf bytes -> hold(ctx, bytes);
            default -> ReferenceCountUtil.release(msg);
        }
    }

    /**
     * Keeps bytes that followed an upgrade request until its handshake completes, up to the inbound
     * buffer limit (at least one largest frame): a client that keeps sending before the 101 is closed
     * rather than buffered without end.
     */
    private void hold(ChannelHandlerContext ctx, ByteBuf bytes) {
        if (held == null) {
            bytes.release();
            return;
        }
        int limit = Math.max(
                server.limits().buffers().inboundBufferBytes(),
                server.limits().messages().maxFrameBytes() + MAX_FRAME_HEADER);
        if ((long) held.readableBytes() + bytes.readableBytes() > limit) {
            bytes.release();
            releaseHeld();
            releaseWaiting(); // nothing more is dispatched on a connection being closed
            ConnectionLog.peer(log.atInfo(), ctx.channel().remoteAddress())
                    .log(
                            "closing {}: more than {} sent before its WebSocket handshake completed",
                            ctx.channel().remoteAddress(),
                            Limits.bytes(limit));
            ctx.close();
            return;
        }
        held.addComponent(true, bytes);
    }

    private void queue(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (waiting.size() >= MAX_WAITING) {
            request.release();
            ConnectionLog.peer(log.atInfo(), ctx.channel().remoteAddress())
                    .log(
                            "closing {}: more than {} pipelined requests",
                            ctx.channel().remoteAddress(),
                            MAX_WAITING);
            ctx.close();
            return;
        }
        waiting.add(request);
        if (Handshake.isAttempt(request)) {
            holdWhatFollows(ctx); // the bytes after a pipelined upgrade are frames, not requests
        }
    }

    /**
     * Stops HTTP parsing: what follows an upgrade request on this connection is WebSocket frames, to
     * be held until the handshake completes. Removing the decoder hands the bytes it has not parsed
     * yet to this handler, so frames sent in the same write as the request are kept.
     */
    private void holdWhatFollows(ChannelHandlerContext ctx) {
        if (held != null) {
            return;
        }
        held = ctx.alloc().compositeBuffer();
        ChannelSetup.stopHttpParsing(ctx.pipeline());
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request) {
        try {
            boolean attempt = Handshake.isAttempt(request); // only upgrades count as refused
            if (RequestChecks.refused(ctx, request, server.allowedHosts())) {
                countRefusal(attempt, Refusal.BAD_REQUEST);
                return;
            }
            String rawPath = Scopes.rawPath(request.uri());
            Optional<RouteMatch> found = server.router().match(rawPath);
            if (found.isEmpty()) {
                countRefusal(attempt, Refusal.NOT_FOUND);
                respond(ctx, request, HttpResponse.notFound());
                return;
            }
            RouteMatch match = found.get();
            if (attempt && match.acceptsWebSocket()) {
                upgrade.start(ctx, this, request, rawPath, match);
            } else if (match.acceptsHttp()) {
                busy = true;
                ctx.channel().config().setAutoRead(false); // one request at a time; the next waits in the socket
                plainHttp.serve(ctx, this, request, rawPath, match);
            } else {
                respond(ctx, request, Responses.upgradeRequired());
            }
        } finally {
            request.release();
        }
    }

    private void countRefusal(boolean attempt, Refusal reason) {
        if (attempt) {
            server.counters().onRefused(reason);
        }
    }

    /** {@link PlainHttp} has the answer to the request being served; on the event loop. */
    void answered(ChannelHandlerContext ctx, HttpResponse response, boolean keepAlive, boolean head) {
        write(ctx, response, keepAlive, head);
        busy = false;
        dispatchWaiting(ctx);
    }

    /**
     * Dispatches the waiting requests in order until one keeps the connection busy (a plain request
     * on a virtual thread, an upgrade): a request answered at once must not strand the ones behind
     * it. Reading resumes only when nothing waits and no bytes are held for an upgrade.
     */
    private void dispatchWaiting(ChannelHandlerContext ctx) {
        FullHttpRequest next;
        while (!busy && !upgrading && ctx.channel().isActive() && (next = waiting.poll()) != null) {
            dispatch(ctx, next);
        }
        if (!busy && !upgrading && held == null && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponse response) {
        write(ctx, response, HttpUtil.isKeepAlive(request), request.method().equals(HttpMethod.HEAD));
    }

    private void write(ChannelHandlerContext ctx, HttpResponse response, boolean keepAlive, boolean head) {
        // Once a pipelined upgrade request stopped HTTP parsing, its plain answer (it asked a path
        // that speaks no WebSocket) is the last one this connection can give.
        boolean lastReadable = held != null && waiting.isEmpty();
        Responses.write(ctx, response, head, keepAlive && !server.closing() && !lastReadable);
    }

    // ---- the upgrade's side ----

    /**
     * {@link Upgrade} is deciding: nothing more is read or dispatched, the requests waiting behind
     * are dropped, and what follows the request is held for the WebSocket pipeline.
     */
    void upgrading(ChannelHandlerContext ctx) {
        upgrading = true;
        releaseWaiting();
        ctx.channel().config().setAutoRead(false);
        holdWhatFollows(ctx);
    }

    /**
     * The 101 is written: the pipeline turns WebSocket, the session opens with the handler's
     * {@code subprotocol}, the frames held since the request reach it, and this dispatcher leaves.
     */
    void switched(ChannelHandlerContext ctx, WebSocketConnection connection, String subprotocol) {
        ChannelSetup.toWebSocket(ctx.pipeline(), ctx.name(), connection, server);
        upgrading = false;
        connection.opened(subprotocol);

        CompositeByteBuf early = held;
        held = null;
        if (early.isReadable()) {
            ctx.fireChannelRead(early);
            ctx.fireChannelReadComplete(); // ends the read, as the socket would: replies get flushed
        } else {
            early.release();
        }
        ctx.pipeline().remove(this);
        connection.startReading(); // its inbound flow decides from now on
    }

    void releaseHeld() {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    private void releaseWaiting() {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) {
            request.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            ConnectionLog.peer(log.atWarn(), ctx.channel().remoteAddress())
                    .setCause(cause)
                    .log(
                            "unexpected error on connection {}; closing it",
                            ctx.channel().remoteAddress());
        }
        ctx.close();
    }
}
