/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.routing.ConflatedText;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.settings.Limits;
import io.switchboard.settings.SlowConsumerPolicy;
import java.util.function.Consumer;

/**
 * Everything one connection writes, within its outbound buffer limit: sends held while {@code
 * onConnect} runs (written first after the handshake, ahead of group traffic that arrived
 * meanwhile), sends from the loop (one flush per read batch), sends from other threads (batched
 * through an {@link Outbox}), broadcast frames from a fan-out shard (one flush per batch), and pongs.
 * A client that does not read meets the slow-consumer policy: its connection is closed with 1008, or
 * what does not fit is dropped.
 *
 * <p>A keyed broadcast ({@link #writeLatest}) to a client that is backed up is held as its key's
 * newest value instead ({@link LatestValues} says when and how).
 *
 * <p>Threads: {@link #send} from any thread; everything else on the channel's event loop.
 */
public final class Outbound {

    private final Channel channel;
    private final Lifecycle lifecycle;
    private final long limit;
    private final SlowConsumerPolicy policy;
    private final OutboundCounts counters;
    private final SlowConsumer slow;
    /** Where broadcast frames gather until the batch's flush; in the pipeline once upgraded. */
    private final Cork cork;

    private final int maxConflatedKeys;
    private final ConflatedText conflatedText;

    /** Made on the first send from another thread: event-loop handlers and idle sessions never need one. */
    private volatile Outbox outbox;

    // Event-loop only.
    /** What is sent during {@code onConnect}, written after the handshake; null once open (or never). */
    private ConnectHold beforeOpen;
    /** Between the first frame of a read and its end: on-loop sends wait to flush. */
    private boolean reading;

    private boolean flushAfterRead;
    private boolean markedForFlush;
    /**
     * Set when the connection opens without permessage-deflate: nothing on the way out rewrites a
     * data frame, so sends on the loop go out as whole encoded frames (see {@link #write(Message, boolean)}).
     */
    private boolean plainWire;
    /** A pong waits behind data the client has not read (dropping policy only; see {@link #pong}). */
    private boolean pongWaiting;

    /** Made on the first keyed broadcast held; volatile for {@link #conflated()} on other threads. */
    private volatile LatestValues latest;

    /**
     * @param limits the outbound buffer limit and the slow-consumer policy
     * @param who the connection, as log lines name it
     * @param close closes the connection with a status; called on the loop
     */
    public Outbound(Channel channel, Lifecycle lifecycle, Limits limits, Object who, Consumer<CloseStatus> close) {
        this(channel, lifecycle, limits, who, close, null, OutboundCounts.NONE);
    }

    /**
     * @param conflatedText the route's rewrite of latest values delivered after skipping, or null
     * @param counters where the messages written, dropped or conflated away and the slow-consumer
     *     closes are counted (a broadcast frame written at once is counted by the fan-out)
     */
    public Outbound(
            Channel channel,
            Lifecycle lifecycle,
            Limits limits,
            Object who,
            Consumer<CloseStatus> close,
            ConflatedText conflatedText,
            OutboundCounts counters) {
        this.counters = counters;
        this.beforeOpen = new ConnectHold(limits.buffers().outboundBufferBytes());
        this.channel = channel;
        this.lifecycle = lifecycle;
        this.limit = limits.buffers().outboundBufferBytes();
        this.policy = limits.buffers().slowConsumerPolicy();
        this.slow = new SlowConsumer(channel, lifecycle, policy, who, counters, close);
        this.cork = new Cork(channel, limit);
        this.maxConflatedKeys = limits.buffers().maxConflatedKeys();
        this.conflatedText = conflatedText;
    }

    /**
     * Sends {@code message}: false if it was not taken (closed, or the buffer is full). Counted as
     * sent on the loop when it is written to the channel, not here: a message taken now may still be
     * dropped (closed first, or past the limit while connecting). Any thread.
     */
    public boolean send(Message message) {
        if (!lifecycle.sending()) {
            return false;
        }
        if (channel.eventLoop().inEventLoop()) {
            return write(message, true);
        }
        WebSocketFrame frame = Frames.frame(channel.alloc(), message);
        int size = frame.content().readableBytes(); // the payload's length, without scanning a text again
        if (!lifecycle.connecting()) {
            Outbox batch = outbox();
            if (!slow.keepsUp() || batch.bytes() > limit) {
                frame.release();
                return overflow();
            }
            batch.add(frame, size);
            return true;
        }
        if (!Loops.execute(channel.eventLoop(), () -> write(frame, size, true))) {
            frame.release();
            return false;
        }
        return true;
    }

    private Outbox outbox() {
        Outbox batch = outbox;
        if (batch == null) {
            synchronized (this) {
                batch = outbox;
                if (batch == null) {
                    batch = new Outbox(channel, lifecycle, counters);
                    outbox = batch;
                }
            }
        }
        return batch;
    }

    /** The handshake response is written: what was held goes out (and is counted), the handler's sends first. */
    public void opened() {
        plainWire = channel.pipeline().get(DeflateCodec.class) == null;
        beforeOpen.writeTo(channel, counters);
        beforeOpen = null;
        channel.flush();
    }

    /** The connection will never open: what was held is released, never counted. */
    public void releaseHeld() {
        if (beforeOpen != null) {
            beforeOpen.release();
            beforeOpen = null;
        }
    }

    /** A read began: replies to it share the flush at its end. */
    public void readStarted() {
        reading = true;
    }

    /** The read ended: one flush for the replies written during it. */
    public void readComplete() {
        reading = false;
        if (flushAfterRead) {
            flushAfterRead = false;
            channel.flush();
        }
    }

    /**
     * A shared broadcast frame of {@code payloadSize} payload bytes, written without a flush; {@link
     * Batched#FIRST} when first written in this batch (the caller then ends the batch with {@link
     * #flushBatch}). Takes a reference of its own. While connecting it is held, not written, and
     * counted as delivered only when the handshake's end writes it.
     */
    public Batched writeBatched(ByteBuf frame, int payloadSize) {
        Lifecycle.Phase now = lifecycle.phase(); // one volatile read per write
        if (now instanceof Lifecycle.Phase.Connecting) {
            if (!beforeOpen.holdBroadcast(frame.retainedDuplicate(), frame.readableBytes(), payloadSize)) {
                overflow();
            }
            return Batched.NOT_WRITTEN;
        }
        if (!Lifecycle.isOpen(now)) {
            return Batched.NOT_WRITTEN;
        }
        if (!channel.isWritable() && !writableAfterFlush()) {
            overflow();
            return Batched.NOT_WRITTEN;
        }
        cork.add(frame);
        if (markedForFlush) {
            return Batched.WRITTEN;
        }
        markedForFlush = true;
        return Batched.FIRST;
    }

    /**
     * A shared broadcast frame of {@code message} with a conflation {@code key}: written as {@link
     * #writeBatched} writes it, unless the client is backed up (see the class comment); then {@code
     * message} is held as its key's newest value and nothing is written yet (counted when it goes
     * out, or as dropped when a newer value replaces it). Past the cap on held keys, or once closing,
     * the frame goes the ordinary way.
     */
    public Batched writeLatest(ByteBuf frame, int payloadSize, String group, String key, Message message) {
        LatestValues held = latest;
        if ((held == null || held.isEmpty()) && (peerReading() || !lifecycle.open())) {
            return writeBatched(frame, payloadSize); // a client that reads: the fast path, one check more
        }
        if (lifecycle.open() && latestValues().hold(group, key, message)) {
            return Batched.NOT_WRITTEN;
        }
        return writeBatched(frame, payloadSize);
    }

    private LatestValues latestValues() {
        LatestValues held = latest;
        if (held == null) {
            held = new LatestValues(maxConflatedKeys, limit, conflatedText, counters);
            latest = held;
        }
        return held;
    }

    /**
     * The channel became writable: the held latest values go out while it stays so, then one flush
     * (and again, if that flush made room). On the loop.
     */
    public void drainLatest() {
        LatestValues held = latest;
        if (held != null) {
            held.drainTo(channel, lifecycle);
        }
    }

    /** How many latest values this client did not receive, replaced by newer ones of their key. Any thread. */
    public long conflated() {
        LatestValues held = latest;
        return held == null ? 0 : held.conflated();
    }

    /** How many keys have a latest value held now, bounded by the cap. On the loop. */
    public int heldLatest() {
        LatestValues held = latest;
        return held == null ? 0 : held.size();
    }

    /** Ends a broadcast batch: one flush for everything written in it. */
    public void flushBatch() {
        markedForFlush = false;
        cork.flush();
    }

    /** The handler that gathers this connection's broadcast frames, for the pipeline. */
    public Cork cork() {
        return cork;
    }

    /** Answers a ping with its payload; bounded like any other write. */
    public void pong(PingWebSocketFrame ping) {
        int size = ping.content().readableBytes();
        PongWebSocketFrame pong = new PongWebSocketFrame(ping.content());
        if (channel.isWritable() || policy == SlowConsumerPolicy.CLOSE) {
            // A client that pings without reading is a slow consumer.
            writeOpen(pong, size, lifecycle.phase(), true, false); // a control frame: not counted
        } else if (!pongWaiting) {
            // Dropping policy and a client that is not reading: one pong may answer several pings
            // (RFC 6455, 5.5.3), so at most one waits behind the unread data.
            pongWaiting = true;
            channel.writeAndFlush(pong).addListener(written -> pongWaiting = false);
        } else {
            pong.release();
        }
    }

    /**
     * A frame already counted against the outbound limit where it waited for this connection (a held
     * group's broadcast, released after the handler's message): written whatever the buffer holds,
     * as {@link #opened} writes what waited for the handshake, so that none of a released burst is
     * dropped or taken for a slow consumer. Released when the connection is no longer open (then
     * false). On the loop.
     */
    public boolean writeCounted(Object frame) {
        if (!lifecycle.open()) {
            ReferenceCountUtil.release(frame);
            return false;
        }
        channel.write(frame, channel.voidPromise());
        return true;
    }

    /**
     * Writes {@code message} to this client alone, flushed (at the end of a read, during one) when
     * {@code flush}: false if it was not (closed, or it met the policy). Counted as sent when written
     * (held while connecting: when the handshake's end writes it). Once open on a connection that
     * does not compress, as one buffer holding the whole frame: no frame object, no encoder and one
     * allocation per message; otherwise as a frame object, for the encoder and the compressor. On
     * the loop.
     */
    public boolean write(Message message, boolean flush) {
        if (plainWire) {
            Lifecycle.Phase now = lifecycle.phase();
            if (Lifecycle.isOpen(now)) {
                ByteBuf frame = Frames.encodeOne(channel.alloc(), message);
                return writeOpen(frame, Frames.payloadLength(frame), now, flush, true);
            }
        }
        WebSocketFrame frame = Frames.frame(channel.alloc(), message);
        return write(frame, frame.content().readableBytes(), flush);
    }

    /** Writes a data frame of {@code size} payload bytes, taking ownership of it; false if it was not. */
    private boolean write(WebSocketFrame frame, int size, boolean flush) {
        Lifecycle.Phase now = lifecycle.phase(); // one volatile read per write
        if (now instanceof Lifecycle.Phase.Connecting) {
            return beforeOpen.holdSend(frame, size) || overflow();
        }
        return writeOpen(frame, size, now, flush, true);
    }

    /**
     * Writes {@code frame} once open and within the limit, taking ownership of it; when {@code
     * counted}, counts it as a message of {@code size} bytes sent, before any flush, so the count
     * never lags what the client has.
     */
    private boolean writeOpen(Object frame, int size, Lifecycle.Phase now, boolean flush, boolean counted) {
        if (!Lifecycle.isOpen(now)) {
            ReferenceCountUtil.release(frame);
            return false;
        }
        if (!channel.isWritable() && !writableAfterFlush()) {
            ReferenceCountUtil.release(frame);
            return overflow();
        }
        channel.write(frame, channel.voidPromise());
        if (counted) {
            counters.onSent(1, size);
        }
        if (flush) {
            if (reading) {
                flushAfterRead = true; // replies to a batch of reads share one flush
            } else {
                channel.flush();
            }
        }
        return true;
    }

    /**
     * Whether the client reads what we write. A broadcast batch writes without flushing, so a full
     * outbound buffer may hold bytes not yet offered to the socket rather than bytes the client has
     * not read: a fast client must not be taken for a slow one because a burst was large. Flushing
     * tells them apart. On the loop.
     */
    public boolean peerReading() {
        return channel.isWritable() || writableAfterFlush();
    }

    private boolean writableAfterFlush() {
        channel.flush();
        return channel.isWritable();
    }

    /** The client is not reading and the outbound buffer is full: apply the policy (false). */
    private boolean overflow() {
        return slow.overflow(this::queuedBytes);
    }

    /** Whether a close may still begin: once closing, nothing is taken for a slow consumer. */
    boolean closable() {
        return lifecycle.closable();
    }

    /**
     * What waits to go out to this client: in Netty's buffer, from other threads, or held while
     * connecting (read on the loop only, as is the phase then).
     */
    private long queuedBytes() {
        ConnectHold held = beforeOpen;
        if (lifecycle.connecting() && held != null) {
            return held.bytes();
        }
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        Outbox batch = outbox;
        return (buffer == null ? 0 : buffer.totalPendingWriteBytes())
                + (batch == null ? 0 : batch.bytes())
                + (channel.eventLoop().inEventLoop() ? cork.gatheredBytes() : 0); // the cork is the loop's
    }
}
