/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.switchboard.security.Tls;
import io.switchboard.transport.websocket.ConnectionLog;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS in front of everything else on a connection, so {@code https://} and {@code wss://} share the
 * port. Uses the JDK's TLS provider (no native OpenSSL). A connection whose TLS fails (plain HTTP to
 * this port, garbage, a client that does not trust the certificate) is closed with one log line.
 */
final class TlsLayer {

    static final String TLS = "tls";
    static final String TLS_GUARD = "tls-guard";

    private static final Logger log = LoggerFactory.getLogger(TlsLayer.class);
    private static final Guard GUARD = new Guard();

    private final SslContext context;

    private TlsLayer(SslContext context) {
        this.context = context;
    }

    /** The server side of {@code tls}; fails at startup if the JDK cannot use the key. */
    static TlsLayer of(Tls tls) {
        try {
            return new TlsLayer(SslContextBuilder.forServer(tls.keyManagers())
                    .sslProvider(SslProvider.JDK)
                    .applicationProtocolConfig(ApplicationProtocolConfig.DISABLED)
                    .build());
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Puts TLS first in the pipeline of a new connection, with its guard right behind it. */
    void install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addFirst(TLS, context.newHandler(channel.alloc()));
        pipeline.addAfter(TLS, TLS_GUARD, GUARD);
    }

    /**
     * Turns a TLS failure into one log line and a close, instead of an error with a stack trace from
     * the handlers behind it. The TLS handler has already released its buffers and fails the
     * handshake itself; this only keeps the noise down and makes sure the connection goes.
     */
    @ChannelHandler.Sharable
    private static final class Guard extends ChannelInboundHandlerAdapter {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
                ConnectionLog.peer(log.atInfo(), ctx.channel().remoteAddress())
                        .log(
                                "closing {}: TLS handshake failed: {}",
                                ctx.channel().remoteAddress(),
                                reason(done.cause()));
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (tlsFailure(cause)) {
                // the handshake event above logged it, or (after the handshake) a record was bad
                log.debug("closing {}: {}", ctx.channel().remoteAddress(), reason(cause));
                ctx.close();
                return;
            }
            ctx.fireExceptionCaught(cause);
        }

        private static boolean tlsFailure(Throwable cause) {
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof SSLException) {
                    return true;
                }
            }
            return false;
        }

        private static String reason(Throwable cause) {
            if (cause instanceof NotSslRecordException) {
                return "the client does not speak TLS (plain HTTP to the TLS port?)";
            }
            if (cause instanceof ClosedChannelException) {
                return "the client left during the handshake";
            }
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getMessage();
            return root.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
        }

        private static String firstLine(String text) {
            int newline = text.indexOf('\n');
            String line = newline < 0 ? text : text.substring(0, newline);
            return line.length() > 200 ? line.substring(0, 200) + "..." : line;
        }
    }
}
