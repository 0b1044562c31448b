/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.OutOfDirectMemoryError;
import io.netty.util.internal.PlatformDependent;

/**
 * The first handler on a connection's way out, which decides what goes out and in what order: its
 * broadcast frames are gathered until its next flush, and nothing goes out after its close frame.
 *
 * <h2>Gathering</h2>
 *
 * <p>One connection's broadcast frames, gathered until its next flush: from the batch's second
 * frame on, each small frame is copied into one buffer, which goes to Netty as a single write when
 * the batch ends. A burst of broadcasts to a thousand members then costs each member a copy of a
 * few dozen bytes per message instead of a duplicate of the shared frame, a walk down the pipeline
 * and an entry in the outbound buffer; the system call per member and batch stays as it was. A
 * batch's lone frame is written as a shared duplicate (a buffer of its own would cost more memory
 * than the frame), and so is a frame too large to be worth copying, after what was gathered.
 *
 * <p>The handler sits at the tail end of the pipeline, in front of every other outbound handler, so
 * whatever else is written to the connection (a send to one session, a pong, the close frame) first
 * pushes out what was gathered: nothing overtakes a broadcast. What is gathered is bounded by the
 * connection's outbound limit and {@link #MAX_GATHERED}: past that it is written out at once, where
 * the outbound buffer's limit sees it.
 *
 * <h2>After the close frame</h2>
 *
 * <p>An endpoint that has sent Close sends no more data (RFC 6455, 5.5.1): whatever is written or
 * gathered after the close frame is dropped. A send from another thread can race with a close and
 * reach the loop just after it; the loop orders every write, so this is the check that cannot be
 * raced.
 *
 * <p>Threads: the channel's event loop only.
 */
public final class Cork extends ChannelOutboundHandlerAdapter {

    /** Frames up to this many bytes are copied; a larger one is shared (a copy would cost more). */
    static final int MAX_COPIED = 1024;

    /** Gathered bytes beyond which the buffer is written out before the batch ends. */
    static final int MAX_GATHERED = 16 * 1024;

    private final Channel channel;
    /** At most this much is gathered: the least of {@link #MAX_GATHERED} and the outbound limit. */
    private final int maxGathered;

    private ChannelHandlerContext ctx;
    /**
     * The batch's only frame so far, shared (a duplicate of it): a lone frame costs no copy and no
     * buffer of its own; null once a second frame starts {@link #gathered}, or when there is none.
     */
    private ByteBuf lone;
    /** The frames copied since the last flush, or null when fewer than two are waiting. */
    private ByteBuf gathered;
    /** The close frame has gone by: nothing more goes out. */
    private boolean closeWritten;

    /** A cork that gathers at most {@code outboundLimit} bytes (and never more than {@link #MAX_GATHERED}). */
    public Cork(Channel channel, long outboundLimit) {
        this.channel = channel;
        this.maxGathered = (int) Math.max(1, Math.min(MAX_GATHERED, outboundLimit));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        this.ctx = null;
        release(); // the channel is gone: what was gathered has nowhere to go
    }

    /**
     * Adds {@code frame} (a whole encoded frame, which stays the caller's) to what goes out at the
     * next flush.
     */
    public void add(ByteBuf frame) {
        ChannelHandlerContext at = ctx;
        if (at == null) { // not in the pipeline (yet, or any more): the plain way
            channel.write(frame.retainedDuplicate(), channel.voidPromise());
            return;
        }
        if (closeWritten) {
            return;
        }
        int size = frame.readableBytes();
        if (size > MAX_COPIED || size + gatheredBytes() > maxGathered) {
            emit(at);
        }
        if (size > MAX_COPIED || size >= maxGathered) {
            at.write(frame.retainedDuplicate(), at.voidPromise());
        } else if (gathered != null) {
            copy(frame, size, gathered);
        } else if (lone == null) {
            lone = frame.retainedDuplicate();
        } else {
            gather(at, frame, size);
        }
    }

    /**
     * The batch's second frame: a buffer for both, and room for a few more (it grows by doubling up
     * to the bound). Without direct memory to spare, the two go out shared instead.
     */
    private void gather(ChannelHandlerContext at, ByteBuf frame, int size) {
        ByteBuf first = lone;
        int both = first.readableBytes() + size;
        ByteBuf into;
        try {
            into = at.alloc().directBuffer(Math.min(maxGathered, 2 * both), maxGathered);
        } catch (OutOfDirectMemoryError full) {
            emit(at);
            at.write(frame.retainedDuplicate(), at.voidPromise());
            return;
        }
        lone = null;
        copy(first, first.readableBytes(), into);
        first.release();
        copy(frame, size, into);
        gathered = into;
    }

    /**
     * Appends {@code size} bytes of {@code frame} to {@code into}, within its maximum capacity:
     * memory to memory where both have an address (the general path makes a NIO view per call).
     */
    private static void copy(ByteBuf frame, int size, ByteBuf into) {
        int at = into.writerIndex();
        if (into.capacity() - at < size) {
            into.ensureWritable(size); // within the maximum: the caller checked
        }
        if (frame.hasMemoryAddress() && into.hasMemoryAddress()) {
            PlatformDependent.copyMemory(frame.memoryAddress() + frame.readerIndex(), into.memoryAddress() + at, size);
        } else {
            into.setBytes(at, frame, frame.readerIndex(), size);
        }
        into.writerIndex(at + size);
    }

    /** Writes out what was gathered and flushes the connection. */
    public void flush() {
        ChannelHandlerContext at = ctx;
        if (at == null) {
            channel.flush();
            return;
        }
        emit(at);
        at.flush();
    }

    /** The bytes gathered and not yet handed to Netty. */
    public int gatheredBytes() {
        ByteBuf into = gathered != null ? gathered : lone;
        return into == null ? 0 : into.readableBytes();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (closeWritten) {
            ReferenceCountUtil.release(msg);
            if (!promise.isVoid()) {
                promise.tryFailure(new IllegalStateException("written after the close frame"));
            }
            return;
        }
        emit(ctx);
        closeWritten = msg instanceof CloseWebSocketFrame;
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        emit(ctx);
        ctx.flush();
    }

    private void emit(ChannelHandlerContext at) {
        ByteBuf into = gathered != null ? gathered : lone;
        if (into != null) {
            gathered = null;
            lone = null;
            at.write(into, at.voidPromise());
        }
    }

    private void release() {
        ByteBuf into = gathered != null ? gathered : lone;
        if (into != null) {
            gathered = null;
            lone = null;
            into.release();
        }
    }
}
