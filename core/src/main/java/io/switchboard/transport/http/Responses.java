/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.http.HttpResponse;
import io.switchboard.transport.websocket.PerMessageDeflate;
import java.util.Map;

/** The HTTP answers this server writes: a route's response, a refusal, the 426 and the 101. */
public final class Responses {

    private Responses() {}

    /**
     * Writes {@code response} ({@code head}: without its body) and, unless {@code keepOpen}, closes
     * the connection once it is written.
     */
    public static void write(ChannelHandlerContext ctx, HttpResponse response, boolean head, boolean keepOpen) {
        FullHttpResponse netty = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
        response.headers().forEach((name, value) -> netty.headers().set(name, value));
        netty.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        netty.headers()
                .set(HttpHeaderNames.CONNECTION, keepOpen ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ChannelFuture written = ctx.writeAndFlush(netty);
        if (!keepOpen) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Answers with {@code status} and closes: used before and instead of an upgrade. */
    public static void refuse(ChannelHandlerContext ctx, int status, String reason, Map<String, String> headers) {
        HttpResponse response = HttpResponse.text(status, reason + "\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
        }
        write(ctx, response, false, false);
    }

    /** {@link #refuse(ChannelHandlerContext, int, String, Map)} with no extra headers. */
    public static void refuse(ChannelHandlerContext ctx, int status, String reason) {
        refuse(ctx, status, reason, Map.of());
    }

    /** The answer to a plain request on a path that speaks WebSocket only. */
    public static HttpResponse upgradeRequired() {
        return HttpResponse.text(426, "Upgrade Required: this path speaks WebSocket only")
                .withHeader("Upgrade", "websocket")
                .withHeader("Sec-WebSocket-Version", Handshake.VERSION);
    }

    /**
     * The 101 that accepts the upgrade of {@code key}, naming {@code subprotocol} (or none, when
     * null) and the agreed permessage-deflate parameters (none, when null).
     */
    public static FullHttpResponse switching(String key, String subprotocol, PerMessageDeflate.Agreement deflate) {
        FullHttpResponse switching = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
        switching
                .headers()
                .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, Handshake.accept(key));
        if (subprotocol != null) {
            switching.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, subprotocol);
        }
        if (deflate != null) {
            switching.headers().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, deflate.responseHeader());
        }
        return switching;
    }
}
