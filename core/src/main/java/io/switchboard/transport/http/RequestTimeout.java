/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.time.Ticker;
import io.switchboard.transport.websocket.ConnectionLog;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP connection that does not send a complete request within the handshake timeout:
 * from the moment it is accepted (slowloris: a request dribbled out byte by byte, or never sent)
 * and from each answer on a kept-alive connection (an idle client holding a socket). While a
 * request is being served the clock stops; after the 101 answer to an upgrade it stops for good, and
 * {@code ChannelSetup.toWebSocket} removes this handler, as the WebSocket heartbeat takes over. Sits
 * after the aggregator, so it sees whole requests.
 *
 * <p>Time is read from a {@link Ticker}; the event loop only wakes this handler up to look. One
 * timer at a time: a deadline moved while the timer is pending (an answer on a kept-alive connection)
 * costs no new timer, as the timer, when it fires early, sets itself for the time that is left. On
 * the event loop.
 */
public final class RequestTimeout extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(RequestTimeout.class);

    private final long timeoutNanos;
    private final Ticker ticker;
    private ScheduledFuture<?> timer;
    /** Whether the clock runs (no request is being served); {@link #deadline} means something only then. */
    private boolean armed;

    private long deadline;
    /** Requests received and not yet answered. */
    private int unanswered;

    private boolean answeredOnce;

    public RequestTimeout(Duration timeout, Ticker ticker) {
        this.timeoutNanos = timeout.toNanos();
        this.ticker = ticker;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        arm(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            unanswered++;
            armed = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            if (response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                stop(); // WebSocket from here on
            } else {
                answeredOnce = true;
                if (--unanswered <= 0) {
                    unanswered = 0;
                    arm(ctx);
                }
            }
        }
        ctx.write(msg, promise);
    }

    /** Starts the clock: the connection has the timeout from now to send a complete request. */
    private void arm(ChannelHandlerContext ctx) {
        armed = true;
        deadline = ticker.nanoTime() + timeoutNanos;
        if (timer == null) {
            schedule(ctx, timeoutNanos);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (!armed || !ctx.channel().isActive()) {
            return; // a request came; its answer starts the clock again
        }
        long left = deadline - ticker.nanoTime();
        if (left > 0) {
            schedule(ctx, left);
        } else {
            expire(ctx);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        long millis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        if (answeredOnce) {
            log.debug(
                    "closing {}: idle for {} ms after its last request",
                    ctx.channel().remoteAddress(),
                    millis);
        } else {
            ConnectionLog.peer(log.atInfo(), ctx.channel().remoteAddress())
                    .log(
                            "closing {}: no complete request within {} ms",
                            ctx.channel().remoteAddress(),
                            millis);
        }
        ctx.close();
    }

    /** Stops the clock for good. */
    private void stop() {
        armed = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }
}
