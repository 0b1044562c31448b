package io.switchboard.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP connection that does not send a complete request within the handshake timeout:
 * from the moment it is accepted (slowloris: a request dribbled out byte by byte, or never sent)
 * and from each answer on a kept-alive connection (an idle client holding a socket). While a
 * request is being served the clock stops; the 101 answer to an upgrade removes this handler, as
 * the WebSocket heartbeat takes over. Sits after the aggregator, so it sees whole requests.
 */
final class RequestTimeout extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(RequestTimeout.class);

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    /** Requests received and not yet answered. */
    private int unanswered;

    private boolean answeredOnce;

    RequestTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        arm(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            unanswered++;
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            if (response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                disarm();
                ctx.write(msg, promise);
                ctx.pipeline().remove(this);
                return;
            }
            answeredOnce = true;
            if (--unanswered <= 0) {
                unanswered = 0;
                arm(ctx);
            }
        }
        ctx.write(msg, promise);
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        if (answeredOnce) {
            log.debug(
                    "closing {}: idle for {} ms after its last request",
                    ctx.channel().remoteAddress(),
                    millis);
        } else {
            log.info(
                    "closing {}: no complete request within {} ms",
                    ctx.channel().remoteAddress(),
                    millis);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }
}
