/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.switchboard.security.Hosts;
import io.switchboard.transport.websocket.ConnectionLog;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every request passes before it is routed, plain or upgrade: it was read whole within
 * the size limits (else 414, 431, 413 or 400), and it names an allowed host (else 400, against DNS
 * rebinding; see {@link Hosts}). An upgrade then meets {@link Handshake} and {@code Admission}.
 */
public final class RequestChecks {

    private static final Logger log = LoggerFactory.getLogger(RequestChecks.class);

    /** The Host check, remembering the last headers it passed. */
    private static final LastPass<HostInputs> HOSTS = new LastPass<>(inputs -> inputs.problem() == null);

    private RequestChecks() {}

    /** Everything the Host check's answer depends on. */
    private record HostInputs(List<String> hosts, boolean http11, List<String> allowed) {
        /** What {@link Hosts#problem} finds wrong, or null. */
        String problem() {
            return Hosts.problem(hosts, http11, allowed);
        }
    }

    /** Whether {@code request} failed a check: then it is refused, logged once, and the connection closes. */
    public static boolean refused(ChannelHandlerContext ctx, FullHttpRequest request, List<String> allowedHosts) {
        if (!request.decoderResult().isSuccess()) {
            malformed(ctx, request.decoderResult().cause());
            return true;
        }
        HostInputs host = new HostInputs(
                request.headers().getAll(HttpHeaderNames.HOST),
                request.protocolVersion().equals(HttpVersion.HTTP_1_1),
                allowedHosts);
        if (!HOSTS.test(host)) {
            String wrongHost = host.problem();
            ConnectionLog.peer(log.atInfo(), ctx.channel().remoteAddress())
                    .log(
                            "refusing a request from {} with 400: {}",
                            ctx.channel().remoteAddress(),
                            wrongHost);
            Responses.refuse(ctx, 400, wrongHost);
            return true;
        }
        return false;
    }

    private static void malformed(ChannelHandlerContext ctx, Throwable cause) {
        int status = status(cause);
        ConnectionLog.peer(log.atInfo(), ctx.channel().remoteAddress())
                .log(
                        "refusing a malformed request from {} with {}: {}",
                        ctx.channel().remoteAddress(),
                        status,
                        cause.getMessage());
        Responses.refuse(ctx, status, HttpResponseStatus.valueOf(status).reasonPhrase());
    }

    /** The status for what the HTTP decoder could not read. */
    static int status(Throwable cause) {
        return switch (cause) {
            case TooLongHttpLineException line -> 414;
            case TooLongHttpHeaderException headers -> 431;
            case TooLongFrameException body -> 413;
            case null, default -> 400;
        };
    }
}
