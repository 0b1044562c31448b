/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.switchboard.http.HttpHandler;
import io.switchboard.http.HttpRequest;
import io.switchboard.http.HttpResponse;
import io.switchboard.routing.RouteMatch;
import io.switchboard.session.Scope;
import io.switchboard.transport.http.Scopes;
import io.switchboard.transport.websocket.ConnectionLog;
import io.switchboard.transport.websocket.Loops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request to a plain HTTP route: its handler runs on a virtual thread (it may block), and the
 * answer is written back on the event loop by the connection's {@link HttpDispatcher}, which holds
 * the requests behind it until then. A handler that throws or answers nothing gets a 500. One per
 * server, shared by every connection: it keeps no state of its own.
 */
final class PlainHttp {

    private static final Logger log = LoggerFactory.getLogger(PlainHttp.class);

    private final ServerContext server;

    PlainHttp(ServerContext server) {
        this.server = server;
    }

    /** Serves {@code request} with the route's handler; {@code dispatcher} writes the answer. On the event loop. */
    void serve(
            ChannelHandlerContext ctx,
            HttpDispatcher dispatcher,
            FullHttpRequest request,
            String rawPath,
            RouteMatch match) {
        Scope scope = Scopes.of(ctx.channel(), request, rawPath, match.params(), false);
        HttpRequest mine = new HttpRequest(request.method().name(), scope, ByteBufUtil.getBytes(request.content()));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        HttpHandler handler = match.http();
        server.virtualThreads().execute(() -> {
            HttpResponse response = call(handler, mine, match.pattern());
            // a stopped loop took the connection with it
            Loops.execute(ctx.executor(), () -> dispatcher.answered(ctx, response, keepAlive, head));
        });
    }

    private static HttpResponse call(HttpHandler handler, HttpRequest request, String route) {
        try {
            HttpResponse response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException("the handler returned no response");
            }
            return response;
        } catch (Throwable e) {
            ConnectionLog.peer(log.atWarn(), request.scope().remoteAddress())
                    .addKeyValue(ConnectionLog.ROUTE, route)
                    .setCause(e)
                    .log(
                            "HTTP handler for {} {} failed; answering 500",
                            request.method(),
                            request.scope().path());
            return HttpResponse.text(500, "Internal Server Error");
        }
    }
}
