package io.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.Limits;
import io.switchboard.http.HttpHandler;
import io.switchboard.http.HttpRequest;
import io.switchboard.http.HttpResponse;
import io.switchboard.routing.RouteMatch;
import io.switchboard.security.Authentication;
import io.switchboard.security.Hosts;
import io.switchboard.session.Decision;
import io.switchboard.session.Scope;
import io.switchboard.session.WebSocketHandler;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each HTTP request: to an HTTP handler (on a virtual thread, answers in request order), to
 * a WebSocket upgrade, or to an error status (404 unknown path, 426 plain request on a
 * WebSocket-only path, 400 malformed). For an upgrade it stops HTTP parsing at once, holds any
 * bytes that follow (they are already WebSocket frames), asks the authenticator and the handler's
 * {@code onConnect} on a virtual thread, then either writes the 101 response and switches the
 * pipeline to WebSocket, or refuses with the chosen status.
 */
final class HttpDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);

    static final String WS_UTF8_WIRE = "ws-utf8-wire";
    static final String WS_DECODER = "ws-decoder";
    static final String WS_ENCODER = "ws-encoder";
    static final String WS_DEFLATE = "ws-deflate";
    static final String WS_UTF8 = "ws-utf8";
    static final String WS_CLOSE_GUARD = "ws-close-guard";
    static final String WS_CONNECTION = "ws-connection";

    /** Pipelined requests waiting for an answer, at most; a client sending more is disconnected. */
    private static final int MAX_WAITING = 16;

    /** The longest WebSocket frame header: 2 bytes, an 8-byte length and a 4-byte mask. */
    private static final int MAX_FRAME_HEADER = 14;

    private final ServerContext server;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;
    private WebSocketConnection upgrading;
    private CompositeByteBuf held;

    HttpDispatcher(ServerContext server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case FullHttpRequest request -> {
                if (upgrading != null) {
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
        int limit =
                Math.max(server.limits().inboundBufferBytes(), server.limits().maxFrameBytes() + MAX_FRAME_HEADER);
        if ((long) held.readableBytes() + bytes.readableBytes() > limit) {
            bytes.release();
            releaseHeld();
            releaseWaiting(); // nothing more is dispatched on a connection being closed
            log.info(
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
            log.info(
                    "closing {}: more than {} pipelined requests", ctx.channel().remoteAddress(), MAX_WAITING);
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
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(ChannelSetup.HTTP_AGGREGATOR);
        pipeline.remove(ChannelSetup.HTTP_DECODER);
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request) {
        try {
            if (!request.decoderResult().isSuccess()) {
                malformed(ctx, request);
                return;
            }
            String wrongHost = Hosts.problem(
                    request.headers().getAll(HttpHeaderNames.HOST),
                    request.protocolVersion().equals(HttpVersion.HTTP_1_1),
                    server.allowedHosts());
            if (wrongHost != null) {
                log.info(
                        "refusing a request from {} with 400: {}", ctx.channel().remoteAddress(), wrongHost);
                refuse(ctx, 400, wrongHost, Map.of());
                return;
            }
            String rawPath = Scopes.rawPath(request.uri());
            Optional<RouteMatch> found = server.router().match(rawPath);
            if (found.isEmpty()) {
                respond(ctx, request, HttpResponse.notFound());
                return;
            }
            RouteMatch match = found.get();
            if (Handshake.isAttempt(request) && match.route().acceptsWebSocket()) {
                upgrade(ctx, request, rawPath, match);
            } else if (match.route().acceptsHttp()) {
                serve(ctx, request, rawPath, match);
            } else {
                respond(ctx, request, upgradeRequired());
            }
        } finally {
            request.release();
        }
    }

    private static HttpResponse upgradeRequired() {
        return HttpResponse.text(426, "Upgrade Required: this path speaks WebSocket only")
                .withHeader("Upgrade", "websocket")
                .withHeader("Sec-WebSocket-Version", Handshake.VERSION);
    }

    private void malformed(ChannelHandlerContext ctx, FullHttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpLineException
                ? 414
                : cause instanceof TooLongHttpHeaderException
                        ? 431
                        : cause instanceof TooLongFrameException ? 413 : 400;
        log.info(
                "refusing a malformed request from {} with {}: {}",
                ctx.channel().remoteAddress(),
                status,
                cause.getMessage());
        refuse(ctx, status, HttpResponseStatus.valueOf(status).reasonPhrase(), Map.of());
    }

    // ---- plain HTTP ----

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request, String rawPath, RouteMatch match) {
        busy = true;
        ctx.channel().config().setAutoRead(false); // one request at a time; the next waits in the socket
        Scope scope = Scopes.of(ctx.channel(), request, rawPath, match.params(), false);
        HttpRequest mine = new HttpRequest(request.method().name(), scope, ByteBufUtil.getBytes(request.content()));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        HttpHandler handler = match.route().http();
        server.virtualThreads().execute(() -> {
            HttpResponse response = call(handler, mine);
            Loops.execute(
                    ctx.executor(),
                    () -> { // a stopped loop took the connection with it
                        write(ctx, response, keepAlive, head);
                        busy = false;
                        dispatchWaiting(ctx);
                    });
        });
    }

    /**
     * Dispatches the waiting requests in order until one keeps the connection busy (a plain request
     * on a virtual thread, an upgrade): a request answered at once must not strand the ones behind
     * it. Reading resumes only when nothing waits and no bytes are held for an upgrade.
     */
    private void dispatchWaiting(ChannelHandlerContext ctx) {
        FullHttpRequest next;
        while (!busy && upgrading == null && ctx.channel().isActive() && (next = waiting.poll()) != null) {
            dispatch(ctx, next);
        }
        if (!busy && upgrading == null && held == null && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static HttpResponse call(HttpHandler handler, HttpRequest request) {
        try {
            HttpResponse response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException("the handler returned no response");
            }
            return response;
        } catch (Throwable e) {
            log.warn(
                    "HTTP handler for {} {} failed; answering 500",
                    request.method(),
                    request.scope().path(),
                    e);
            return HttpResponse.text(500, "Internal Server Error");
        }
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponse response) {
        write(ctx, response, HttpUtil.isKeepAlive(request), request.method().equals(HttpMethod.HEAD));
    }

    private void write(ChannelHandlerContext ctx, HttpResponse response, boolean keepAlive, boolean head) {
        FullHttpResponse netty = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
        response.headers().forEach((name, value) -> netty.headers().set(name, value));
        netty.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        // Once a pipelined upgrade request stopped HTTP parsing, its plain answer (it asked a path
        // that speaks no WebSocket) is the last one this connection can give.
        boolean lastReadable = held != null && waiting.isEmpty();
        boolean open = keepAlive && !server.closing() && !lastReadable;
        netty.headers().set(HttpHeaderNames.CONNECTION, open ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ChannelFuture written = ctx.writeAndFlush(netty);
        if (!open) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Answers with {@code status} and closes: used before and instead of an upgrade. */
    private void refuse(ChannelHandlerContext ctx, int status, String reason, Map<String, String> headers) {
        HttpResponse response = HttpResponse.text(status, reason + "\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
        }
        write(ctx, response, false, false);
    }

    // ---- WebSocket upgrade ----

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String rawPath, RouteMatch match) {
        Handshake.Result checked = Handshake.check(request);
        if (checked instanceof Handshake.Offer offered && !server.closing()) {
            checked = server.admission().admit(ctx.channel(), request, match.route(), offered);
        }
        if (checked instanceof Handshake.Refusal refusal) {
            log.info(
                    "refusing a WebSocket upgrade from {} with {}: {}",
                    ctx.channel().remoteAddress(),
                    refusal.status(),
                    refusal.reason());
            refuse(ctx, refusal.status(), refusal.reason(), refusal.headers());
            return;
        }
        if (server.closing()) {
            refuse(ctx, 503, "the server is shutting down", Map.of());
            return;
        }
        Handshake.Offer offer = (Handshake.Offer) checked;
        Scope scope = Scopes.of(ctx.channel(), request, rawPath, match.params(), true);
        WebSocketHandler handler;
        try {
            handler = match.route().websocket().get();
        } catch (RuntimeException e) {
            log.warn("creating the handler for {} failed; answering 500", scope.path(), e);
            refuse(ctx, 500, "Internal Server Error", Map.of());
            return;
        }
        PerMessageDeflate.Agreement deflate = server.limits().deflate() ? offer.deflate() : null;
        WebSocketConnection connection = new WebSocketConnection(
                server,
                ctx.channel(),
                scope,
                handler,
                deflate,
                match.route().options().rateLimit(server.limits()));
        upgrading = connection;
        releaseWaiting();
        ctx.channel().config().setAutoRead(false);
        holdWhatFollows(ctx);
        server.virtualThreads().execute(() -> {
            Outcome outcome = decide(connection);
            if (!Loops.execute(ctx.executor(), () -> complete(ctx, connection, offer, outcome))) {
                // The loop and the channel are gone; what this dispatcher holds is the loop's to
                // release (channelInactive), so only the handler's side is finished here.
                abandon(connection, outcome.decision());
            }
        });
    }

    /**
     * What became of an upgrade before the 101.
     *
     * @param decision the authenticator's refusal or the handler's decision
     * @param credential the offered subprotocol that carried the user's credential, if one did
     */
    private record Outcome(Decision decision, Optional<String> credential) {}

    /** The authenticator, then the handler's {@code onConnect}; on a virtual thread. */
    private Outcome decide(WebSocketConnection connection) {
        Optional<String> credential = Optional.empty();
        try {
            Authentication authentication = server.authenticator().authenticate(connection.scope());
            switch (authentication) {
                case Authentication.Rejected rejected -> {
                    log.info(
                            "refusing {} with {}: {}", connection.scope().path(), rejected.status(), rejected.reason());
                    return new Outcome(Decision.reject(rejected.status(), rejected.reason()), credential);
                }
                case Authentication.Authenticated authenticated -> {
                    connection.authenticated(authenticated.user());
                    credential = authenticated.subprotocol();
                }
                case Authentication.Anonymous anonymous -> connection.authenticated(null);
            }
            Decision decision = connection.handler().onConnect(connection.session());
            if (decision == null) {
                throw new IllegalStateException("connect returned no decision");
            }
            return new Outcome(decision, credential);
        } catch (Throwable e) {
            log.warn("connect for {} failed; answering 500", connection.scope().path(), e);
            return new Outcome(Decision.reject(500, "Internal Server Error"), credential);
        }
    }

    /** The connection went away with its loop: ends the handler's side only. Off the loop. */
    private static void abandon(WebSocketConnection connection, Decision decision) {
        if (decision instanceof Decision.Accept) {
            connection.lostBeforeOpen(); // its disconnect follows its connect
        } else {
            connection.rejected();
        }
    }

    /** Carries out the decision; on the event loop. */
    private void complete(
            ChannelHandlerContext ctx, WebSocketConnection connection, Handshake.Offer offer, Outcome outcome) {
        Decision decision = outcome.decision();
        if (!ctx.channel().isActive()) {
            releaseHeld();
            abandon(connection, decision);
            return;
        }
        switch (decision) {
            case Decision.Reject reject -> {
                connection.rejected();
                releaseHeld();
                refuse(ctx, reject.status(), reject.reason(), Map.of());
            }
            case Decision.Accept accept -> {
                Optional<String> subprotocol = accept.subprotocol();
                if (subprotocol.isPresent() && !offer.subprotocols().contains(subprotocol.get())) {
                    log.error(
                            "the handler for {} chose subprotocol '{}', which the client did not offer; answering 500",
                            connection.scope().path(),
                            subprotocol.get());
                    connection.rejected();
                    releaseHeld();
                    refuse(ctx, 500, "Internal Server Error", Map.of());
                } else if (server.closing()) {
                    connection.lostBeforeOpen();
                    releaseHeld();
                    refuse(ctx, 503, "the server is shutting down", Map.of());
                } else {
                    // The 101 must name one of the offered subprotocols or none; when the handler picks
                    // none, the one that carried the credential is the one this server understands.
                    String answered = subprotocol
                            .or(() -> outcome.credential().filter(offer.subprotocols()::contains))
                            .orElse(null);
                    open(ctx, connection, offer, subprotocol.orElse(null), answered);
                }
            }
        }
    }

    /**
     * Writes the 101 response, which names {@code answered} as the subprotocol, and turns this
     * pipeline into a WebSocket one whose session has the handler's {@code subprotocol}.
     */
    private void open(
            ChannelHandlerContext ctx,
            WebSocketConnection connection,
            Handshake.Offer offer,
            String subprotocol,
            String answered) {
        FullHttpResponse switching = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
        switching
                .headers()
                .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, Handshake.accept(offer.key()));
        if (answered != null) {
            switching.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, answered);
        }
        PerMessageDeflate.Agreement deflate = connection.deflate();
        if (deflate != null) {
            switching.headers().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, deflate.responseHeader());
        }
        ctx.write(switching, ctx.voidPromise()); // encoded right away by the HTTP encoder

        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(ChannelSetup.HTTP_ENCODER);
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(server.limits().maxFrameBytes())
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(deflate != null) // then DeflateCodec checks the reserved bits
                .closeOnProtocolViolation(false)
                .withUTF8Validator(false)
                .build();
        pipeline.addAfter(ctx.name(), WS_UTF8_WIRE, new WireUtf8Check());
        pipeline.addAfter(WS_UTF8_WIRE, WS_DECODER, new StrictFrameDecoder(config));
        pipeline.addAfter(WS_DECODER, WS_ENCODER, new WebSocket13FrameEncoder(false));
        String beforeUtf8 = WS_ENCODER;
        if (deflate != null) {
            pipeline.addAfter(
                    WS_ENCODER,
                    WS_DEFLATE,
                    new DeflateCodec(deflate, server.limits().maxMessageBytes()));
            beforeUtf8 = WS_DEFLATE;
        }
        if (deflate != null) { // uncompressed text is checked as it arrives, by WireUtf8Check
            pipeline.addAfter(beforeUtf8, WS_UTF8, new Utf8FrameValidator(false));
            beforeUtf8 = WS_UTF8;
        }
        pipeline.addAfter(beforeUtf8, WS_CLOSE_GUARD, new CloseFrameGuard());
        pipeline.addAfter(WS_CLOSE_GUARD, WS_CONNECTION, connection);
        upgrading = null;
        connection.opened(subprotocol);

        CompositeByteBuf early = held;
        held = null;
        if (early.isReadable()) {
            ctx.fireChannelRead(early);
            ctx.fireChannelReadComplete(); // ends the read, as the socket would: replies get flushed
        } else {
            early.release();
        }
        pipeline.remove(this);
        ctx.channel().config().setAutoRead(true);
    }

    private void releaseHeld() {
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
            log.warn(
                    "unexpected error on connection {}; closing it",
                    ctx.channel().remoteAddress(),
                    cause);
        }
        ctx.close();
    }
}
