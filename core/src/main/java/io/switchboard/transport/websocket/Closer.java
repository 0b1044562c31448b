/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.switchboard.session.CloseStatus;
import io.switchboard.settings.Limits;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what the {@link Lifecycle} decides, on the channel: writes the close frame and
 * follows it as told, runs the close timeout, and makes a close wait for the handler (reading held,
 * a barrier behind the handler's queue, the close timeout as a bound). The timers run on the
 * scheduler given, the channel's event loop on a server, a stepped one in a test.
 *
 * <p>Owned by the channel's event loop.
 */
public final class Closer {

    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    private final Channel channel;
    private final Lifecycle lifecycle;
    private final ScheduledExecutorService timers;
    private final long closeTimeoutNanos;
    private final long lingerBudget;
    private final InboundFlow flow;
    private final Consumer<Runnable> afterQueued;

    private ScheduledFuture<?> closeTimer;
    /** While a close waits for the handler: ends the wait after the close timeout. */
    private ScheduledFuture<?> drainTimer;

    /**
     * @param limits the close timeout, and the frame limit: a failed connection's peer may send
     *     twice that before it is cut off (see {@link LingeringClose})
     * @param afterQueued runs a task on the loop once the handler has taken what is queued
     */
    public Closer(
            Channel channel,
            Lifecycle lifecycle,
            ScheduledExecutorService timers,
            Limits limits,
            InboundFlow flow,
            Consumer<Runnable> afterQueued) {
        this.channel = channel;
        this.lifecycle = lifecycle;
        this.timers = timers;
        this.closeTimeoutNanos = limits.timeouts().closeTimeout().toNanos();
        this.lingerBudget = 2L * limits.messages().maxFrameBytes();
        this.flow = flow;
        this.afterQueued = afterQueued;
    }

    /** We close with {@code status} (see {@link Lifecycle#close}). */
    public void close(CloseStatus status) {
        apply(lifecycle.close(status));
    }

    /** We close with {@code status} once the handler has what came before (see {@link Lifecycle#closeAfterQueued}). */
    public void closeAfterQueued(CloseStatus status) {
        apply(lifecycle.closeAfterQueued(status));
    }

    /** The peer's close frame (see {@link Lifecycle#peerClosed}); takes ownership of it. */
    public void peerClosed(CloseWebSocketFrame frame) {
        try {
            CloseStatus status = frame.content().readableBytes() < 2
                    ? CloseStatus.NO_STATUS
                    : new CloseStatus(frame.statusCode(), CloseStatus.truncate(frame.reasonText()));
            apply(lifecycle.peerClosed(status));
        } finally {
            frame.release();
        }
    }

    /** Fails the connection (see {@link Lifecycle#fail}). */
    public void fail(CloseStatus status) {
        apply(lifecycle.fail(status));
    }

    /** The peer did not answer a ping (see {@link Lifecycle#unresponsive}). */
    public void unresponsive(CloseStatus status) {
        apply(lifecycle.unresponsive(status));
    }

    /**
     * What the pipeline threw: a protocol violation fails the connection with the code the decoder
     * named, a broken socket closes it, anything else fails it with 1011. One log line each.
     */
    public void caught(Throwable cause, Object who) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            if (lifecycle.phase() instanceof Lifecycle.Phase.Draining) {
                return; // a second violation while the first one's close is on its way: one log line
            }
            CloseStatus status =
                    new CloseStatus(corrupt.closeStatus().code(), CloseStatus.truncate(corrupt.getMessage()));
            ConnectionLog.info(log, who)
                    .addKeyValue(ConnectionLog.CODE, status.code())
                    .log("closing {} with {}: {}", who, status.code(), corrupt.getMessage());
            fail(status);
        } else if (cause instanceof IOException) {
            log.debug("connection {} failed: {}", who, cause.toString());
            channel.close();
        } else {
            ConnectionLog.warn(log, who)
                    .addKeyValue(ConnectionLog.CODE, CloseStatus.INTERNAL_ERROR.code())
                    .setCause(cause)
                    .log("unexpected error on connection {}; closing with 1011", who);
            fail(CloseStatus.INTERNAL_ERROR);
        }
    }

    /** Carries out {@code step}. */
    void apply(Lifecycle.Step step) {
        switch (step) {
            case Lifecycle.Step.Nothing nothing -> {}
            case Lifecycle.Step.Drain drain -> drain();
            case Lifecycle.Step.CloseTcp close -> channel.close();
            case Lifecycle.Step.SendClose send -> sendClose(send.frame(), send.then());
        }
    }

    /** TCP has closed: the timers have nothing left to do. */
    public void cancel() {
        if (closeTimer != null) {
            closeTimer.cancel(false);
        }
        if (drainTimer != null) {
            drainTimer.cancel(false);
            drainTimer = null;
        }
    }

    private void sendClose(CloseStatus status, Lifecycle.Then then) {
        CloseWebSocketFrame frame = status.equals(CloseStatus.NO_STATUS)
                ? new CloseWebSocketFrame()
                : new CloseWebSocketFrame(status.code(), status.reason());
        switch (then) {
            case AWAIT_PEER -> {
                channel.writeAndFlush(frame, channel.voidPromise());
                closeTimer = afterCloseTimeout(() -> apply(lifecycle.timedOut()));
            }
            case CLOSE_WHEN_WRITTEN -> channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
            case LINGER -> {
                LingeringClose.after(channel.writeAndFlush(frame), lingerBudget);
                closeTimer = afterCloseTimeout(() -> apply(lifecycle.timedOut()));
            }
            case CLOSE_NOW -> {
                channel.writeAndFlush(frame, channel.voidPromise());
                channel.close();
            }
        }
    }

    private ScheduledFuture<?> afterCloseTimeout(Runnable task) {
        return timers.schedule(task, closeTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Waits for the handler to take every message that arrived before now, so that its replies to
     * them precede the close frame; reading stops meanwhile, so that a flooding client is not read
     * and discarded until the close goes out. A handler slower than the close timeout is not waited for.
     */
    private void drain() {
        flow.hold();
        drainTimer = afterCloseTimeout(this::drained);
        afterQueued.accept(this::drained);
    }

    private void drained() {
        if (drainTimer == null) {
            return; // the barrier or the timer came first
        }
        drainTimer.cancel(false);
        drainTimer = null;
        Lifecycle.Step next = lifecycle.drained();
        if (!(next instanceof Lifecycle.Step.SendClose send && send.then() == Lifecycle.Then.LINGER)) {
            flow.release(); // for the peer's answer to our close
        } // a failed connection reads again only to discard, once its close frame is written
        apply(next);
    }
}
