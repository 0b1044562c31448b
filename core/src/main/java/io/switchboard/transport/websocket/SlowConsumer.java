/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.switchboard.session.CloseStatus;
import io.switchboard.settings.SlowConsumerPolicy;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the slow-consumer policy does to one connection whose client does not read what it is sent:
 * under the dropping policy the message that did not fit is dropped and counted; under the closing
 * policy the connection is closed with 1008, counted and logged once, and only while a close may
 * still begin, so a connection that is already closing is not taken for a slow one.
 *
 * <p>Threads: {@link #overflow} from any thread; the close on the channel's event loop.
 */
final class SlowConsumer {

    private static final Logger log = LoggerFactory.getLogger(Outbound.class);

    private final Channel channel;
    private final Lifecycle lifecycle;
    private final SlowConsumerPolicy policy;
    private final Object who;
    private final OutboundCounts counters;
    /** Closes the connection; on the loop. */
    private final Consumer<CloseStatus> close;

    SlowConsumer(
            Channel channel,
            Lifecycle lifecycle,
            SlowConsumerPolicy policy,
            Object who,
            OutboundCounts counters,
            Consumer<CloseStatus> close) {
        this.channel = channel;
        this.lifecycle = lifecycle;
        this.policy = policy;
        this.who = who;
        this.counters = counters;
        this.close = close;
    }

    /**
     * Off the loop, whether the client keeps up: the channel is writable, or it is past its limit only
     * with bytes not flushed yet (a broadcast batch written and its flush still to come) while
     * everything flushed has gone to the socket. As {@code Outbound.peerReading} on the loop, a burst must
     * not make a fast client look slow; here no flush can tell, so the buffer's flushed part does.
     */
    boolean keepsUp() {
        if (channel.isWritable()) {
            return true;
        }
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer != null && buffer.size() == 0; // size(): flushed messages not yet written
    }

    /**
     * A message did not fit: applies the policy, {@code queued} telling the bytes waiting for the
     * client (read only when closing); always false, the message not taken.
     */
    boolean overflow(LongSupplier queued) {
        if (policy != SlowConsumerPolicy.CLOSE) {
            counters.onSlowConsumerDropped(1);
            return false;
        }
        long now = queued.getAsLong(); // now: by the time the loop runs the close, the client may have read it
        Runnable slow = () -> close(now);
        if (channel.eventLoop().inEventLoop()) {
            slow.run();
        } else {
            Loops.execute(channel.eventLoop(), slow); // a stopped loop has closed the channel
        }
        return false;
    }

    private void close(long queued) {
        if (!channel.isOpen() || channel.unsafe().outboundBuffer() == null) {
            // Not slow but gone: Netty drops the buffer of a channel that takes no more writes
            // (closed, or its output shut after a write failed on a reset), and channelInactive, due
            // on this loop, ends the session.
            return;
        }
        // Once per connection: while connecting, the close waits for the handshake, and every
        // further send would find the phase unchanged.
        if (lifecycle.closable()) {
            counters.onSlowConsumerClosed();
            ConnectionLog.info(log, who)
                    .addKeyValue(ConnectionLog.CODE, CloseStatus.POLICY_VIOLATION.code())
                    .log("closing {} with 1008: slow consumer ({} bytes queued)", who, queued);
            close.accept(CloseStatus.POLICY_VIOLATION.withReason("slow consumer"));
        }
    }
}
