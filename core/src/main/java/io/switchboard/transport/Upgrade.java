/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.switchboard.routing.RouteMatch;
import io.switchboard.security.Authentication;
import io.switchboard.security.Authenticator;
import io.switchboard.session.Decision;
import io.switchboard.session.Scope;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.stats.Refusal;
import io.switchboard.transport.http.Handshake;
import io.switchboard.transport.http.Responses;
import io.switchboard.transport.http.Scopes;
import io.switchboard.transport.websocket.ConnectionLog;
import io.switchboard.transport.websocket.Loops;
import io.switchboard.transport.websocket.PerMessageDeflate;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket upgrade, from the request to the 101 or a refusal. On the event loop: the handshake
 * (RFC 6455, 4.2.1: {@link Handshake}), then the origin and a connection slot ({@link Admission}),
 * then the route's handler and the session are created. On a virtual thread: the authenticator, then
 * the handler's {@code onConnect}, which may block (with no authenticator and a handler that keeps
 * the default {@code onConnect}, nothing can block, and both are decided on the loop). Back on the
 * loop: the 101, or the refusal they chose. While it runs, the connection's {@link HttpDispatcher} holds whatever the client sends
 * next. One per server, shared by every connection: it keeps no state of its own.
 */
final class Upgrade {

    private static final Logger log = LoggerFactory.getLogger(Upgrade.class);

    /** Whether a handler class keeps {@link WebSocketHandler#onConnect}'s default; asked once per class. */
    private static final ClassValue<Boolean> ACCEPTS_BY_DEFAULT = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("onConnect", Session.class).getDeclaringClass() == WebSocketHandler.class;
            } catch (NoSuchMethodException unexpected) {
                return false;
            }
        }
    };

    private final ServerContext server;

    Upgrade(ServerContext server) {
        this.server = server;
    }

    /** Checks the upgrade {@code request} and, if it passes, starts deciding it. On the event loop. */
    void start(
            ChannelHandlerContext ctx,
            HttpDispatcher dispatcher,
            FullHttpRequest request,
            String rawPath,
            RouteMatch match) {
        Handshake.Offer offer = admitted(ctx, request, match);
        if (offer == null) {
            return;
        }
        Scope scope = Scopes.of(ctx.channel(), request, rawPath, match.params(), true);
        WebSocketHandler handler = created(ctx, match, scope);
        if (handler == null) {
            return;
        }
        PerMessageDeflate.Agreement deflate = server.limits().messages().deflate() ? offer.deflate() : null;
        WebSocketConnection connection = new WebSocketConnection(
                server,
                ctx.channel(),
                scope,
                handler,
                deflate,
                match.options().rateLimit(server.limits()),
                match.options().conflatedText(),
                match.pattern());
        dispatcher.upgrading(ctx);
        if (decidedAtOnce(handler)) {
            // Nothing can block: decided here, carried out in a task of its own as the hop's return would be.
            Outcome outcome = decide(connection);
            if (!Loops.execute(ctx.executor(), () -> complete(ctx, dispatcher, connection, offer, outcome))) {
                abandonOnLoop(connection, outcome.decision());
            }
            return;
        }
        server.virtualThreads().execute(() -> {
            Outcome outcome = decide(connection);
            if (!Loops.execute(ctx.executor(), () -> complete(ctx, dispatcher, connection, offer, outcome))) {
                // The loop and the channel are gone; what the dispatcher holds is the loop's to
                // release (channelInactive), so only the handler's side is finished here.
                abandon(connection, outcome.decision());
            }
        });
    }

    /**
     * Whether the upgrade can be decided on the event loop: no authenticator, and a handler that keeps
     * the default {@code onConnect} (accept), so neither can block and the hop to a virtual thread
     * would only cost time.
     */
    private boolean decidedAtOnce(WebSocketHandler handler) {
        return server.authenticator() == Authenticator.ANONYMOUS && acceptsByDefault(handler.getClass());
    }

    /** Whether {@code type} keeps the default {@code onConnect}, which accepts and cannot block. */
    static boolean acceptsByDefault(Class<? extends WebSocketHandler> type) {
        return ACCEPTS_BY_DEFAULT.get(type);
    }

    /**
     * The handshake's checks, then the origin and a slot, unless the server is draining: the offer,
     * or null when refused (counted, logged and answered here).
     */
    private Handshake.Offer admitted(ChannelHandlerContext ctx, FullHttpRequest request, RouteMatch match) {
        Handshake.Result checked = Handshake.check(request);
        if (checked instanceof Handshake.Refusal) {
            server.counters().onRefused(Refusal.BAD_REQUEST);
        } else if (checked instanceof Handshake.Offer offered && !server.closing()) {
            checked = server.admission().admit(ctx.channel(), request, match.options(), offered); // counts its own
        }
        if (checked instanceof Handshake.Refusal refusal) {
            ConnectionLog.peer(log.atInfo(), ctx.channel().remoteAddress())
                    .addKeyValue(ConnectionLog.ROUTE, match.pattern())
                    .log(
                            "refusing a WebSocket upgrade from {} with {}: {}",
                            ctx.channel().remoteAddress(),
                            refusal.status(),
                            refusal.reason());
            Responses.refuse(ctx, refusal.status(), refusal.reason(), refusal.headers());
            return null;
        }
        if (server.closing()) {
            server.counters().onRefused(Refusal.DRAINING);
            Responses.refuse(ctx, 503, "the server is shutting down");
            return null;
        }
        return (Handshake.Offer) checked;
    }

    /** The route's handler, or null when creating it failed (counted, logged and answered with 500). */
    private WebSocketHandler created(ChannelHandlerContext ctx, RouteMatch match, Scope scope) {
        try {
            WebSocketHandler handler = match.websocket().get();
            if (handler == null) { // null here means "refused": a factory's null must not leave the request hanging
                throw new IllegalStateException("the route's handler factory returned null");
            }
            return handler;
        } catch (RuntimeException e) {
            ConnectionLog.peer(log.atWarn(), ctx.channel().remoteAddress())
                    .addKeyValue(ConnectionLog.ROUTE, match.pattern())
                    .setCause(e)
                    .log("creating the handler for {} failed; answering 500", scope.path());
            server.counters().onRefused(Refusal.ERROR);
            Responses.refuse(ctx, 500, "Internal Server Error");
            return null;
        }
    }

    /**
     * What became of an upgrade before the 101.
     *
     * @param decision the authenticator's refusal or the handler's decision
     * @param credential the offered subprotocol that carried the user's credential, if one did
     */
    private record Outcome(Decision decision, Optional<String> credential, Refusal refusal) {
        /** The handler's own decision: a rejection is counted by the status it chose. */
        Outcome(Decision decision, Optional<String> credential) {
            this(decision, credential, decision instanceof Decision.Reject reject ? chosen(reject.status()) : null);
        }
    }

    /**
     * What a handler's rejection in {@code onConnect} counts as: by its status, since the handler
     * names no reason (401 and 403 refuse who connects, 404 finds nothing there, 429 and 503 a
     * limit, other 5xx an error, any other status a bad request).
     */
    static Refusal chosen(int status) {
        return switch (status) {
            case 401, 403 -> Refusal.AUTH;
            case 404 -> Refusal.NOT_FOUND;
            case 429, 503 -> Refusal.LIMITS;
            default -> status >= 500 ? Refusal.ERROR : Refusal.BAD_REQUEST;
        };
    }

    /** The authenticator, then the handler's {@code onConnect}; on a virtual thread. */
    private Outcome decide(WebSocketConnection connection) {
        Optional<String> credential = Optional.empty();
        try {
            Authentication authentication =
                    server.authenticator().authenticate(connection.session().scope());
            switch (authentication) {
                case Authentication.Rejected rejected -> {
                    connection
                            .logged()
                            .addTo(log.atInfo())
                            .log(
                                    "refusing {} with {}: {}",
                                    connection.session().scope().path(),
                                    rejected.status(),
                                    rejected.reason());
                    return new Outcome(Decision.reject(rejected.status(), rejected.reason()), credential, Refusal.AUTH);
                }
                case Authentication.Authenticated authenticated -> {
                    connection.authenticated(authenticated.user());
                    credential = authenticated.subprotocol();
                }
                case Authentication.Anonymous anonymous -> connection.authenticated(null);
            }
            Decision decision = connection.handler().onConnect(connection.session());
            if (decision == null) {
                throw new IllegalStateException("onConnect returned no decision");
            }
            return new Outcome(decision, credential);
        } catch (Throwable e) {
            connection
                    .logged()
                    .addTo(log.atWarn())
                    .setCause(e)
                    .log(
                            "onConnect for {} failed; answering 500",
                            connection.session().scope().path());
            return new Outcome(Decision.reject(500, "Internal Server Error"), credential, Refusal.ERROR);
        }
    }

    /**
     * As {@link #abandon}, on the loop in its last pass: the handler's side may need an executor that
     * has stopped too, and what fails then must not reach the pipeline.
     */
    private static void abandonOnLoop(WebSocketConnection connection, Decision decision) {
        try {
            abandon(connection, decision);
        } catch (RuntimeException stopping) {
            log.debug("the server stopped before the upgrade of {} completed", connection.logged(), stopping);
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
            ChannelHandlerContext ctx,
            HttpDispatcher dispatcher,
            WebSocketConnection connection,
            Handshake.Offer offer,
            Outcome outcome) {
        Decision decision = outcome.decision();
        if (!ctx.channel().isActive()) {
            dispatcher.releaseHeld();
            abandon(connection, decision);
            return;
        }
        switch (decision) {
            case Decision.Reject reject -> {
                server.counters().onRefused(outcome.refusal());
                connection.rejected();
                dispatcher.releaseHeld();
                Responses.refuse(ctx, reject.status(), reject.reason());
            }
            case Decision.Accept accept -> accept(ctx, dispatcher, connection, offer, outcome, accept);
        }
    }

    private void accept(
            ChannelHandlerContext ctx,
            HttpDispatcher dispatcher,
            WebSocketConnection connection,
            Handshake.Offer offer,
            Outcome outcome,
            Decision.Accept accept) {
        Optional<String> subprotocol = accept.subprotocol();
        if (subprotocol.isPresent() && !offer.subprotocols().contains(subprotocol.get())) {
            connection
                    .logged()
                    .addTo(log.atError())
                    .log(
                            "the handler for {} chose subprotocol '{}', which the client did not offer; answering 500",
                            connection.session().scope().path(),
                            subprotocol.get());
            server.counters().onRefused(Refusal.ERROR);
            connection.rejected();
            dispatcher.releaseHeld();
            Responses.refuse(ctx, 500, "Internal Server Error");
        } else if (server.closing()) {
            server.counters().onRefused(Refusal.DRAINING);
            connection.lostBeforeOpen();
            dispatcher.releaseHeld();
            Responses.refuse(ctx, 503, "the server is shutting down");
        } else {
            // The 101 must name one of the offered subprotocols or none; when the handler picks
            // none, the one that carried the credential is the one this server understands.
            String answered = subprotocol
                    .or(() -> outcome.credential().filter(offer.subprotocols()::contains))
                    .orElse(null);
            ctx.write( // encoded right away by the HTTP encoder, which then leaves
                    Responses.switching(offer.key(), answered, connection.deflate()), ctx.voidPromise());
            dispatcher.switched(ctx, connection, subprotocol.orElse(null));
        }
    }
}
