/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.CompletableFuture;

/**
 * One generator connection speaking Centrifugo's client protocol: {@link #start} sends
 * {@code connect}; once it is answered, {@code subscribe} (when a channel is given); {@link #ready()}
 * completes when both are answered, or fails on an error reply. Every ping is answered, every
 * publication goes to the {@link Publications} with the bytes of its line, other replies (the
 * publisher's acknowledgements) and pushes are counted.
 *
 * <p>Runs on its connection's event loop; the counters are for reading on that loop (or after it
 * went quiet).
 */
public final class ProtocolClient implements ClientFrames.Listener, ProtocolScanner.Sink {

    /** Sees each publication's line; must not keep the array. */
    public interface Publications {
        void onPublication(byte[] bytes, int from, int to);
    }

    // One scratch array per event-loop thread: frames are copied out of the buffer once and scanned there.
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[4096]);

    private final String token;
    private final String channel;
    private final Publications publications;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private long pings;
    private long acknowledged;
    private long errors;
    private long otherPushes;
    private boolean disconnected;

    /** A client connecting with {@code token} and subscribing to {@code channel} (null: connect only). */
    public ProtocolClient(String token, String channel, Publications publications) {
        this.token = token;
        this.channel = channel;
        this.publications = publications;
    }

    /** Sends {@code connect} on {@code connection}, whose listener this client is. */
    public void start(Channel connection) {
        connection.writeAndFlush(ProtocolCommands.connect(connection.alloc(), token));
    }

    /** Completes once connected (and subscribed); fails with the server's error line otherwise. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    @Override
    public void onFrame(ChannelHandlerContext ctx, int opcode, ByteBuf payload, int index, int length) {
        if (opcode != ClientFrames.TEXT) {
            return;
        }
        this.ctx = ctx;
        ProtocolScanner.scan(copy(payload, index, length), 0, length, this);
    }

    /**
     * A listener for a server that sends bare values, one per text frame (the framework's own
     * broadcast, without the protocol): each frame goes to {@code publications} whole, as one line.
     */
    public static ClientFrames.Listener plainText(Publications publications) {
        return (ctx, opcode, payload, index, length) -> {
            if (opcode == ClientFrames.TEXT) {
                publications.onPublication(copy(payload, index, length), 0, length);
            }
        };
    }

    /** The frame's bytes in this thread's scratch array (valid until the next call on this thread). */
    private static byte[] copy(ByteBuf payload, int index, int length) {
        byte[] bytes = SCRATCH.get();
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
            SCRATCH.set(bytes);
        }
        payload.getBytes(index, bytes, 0, length);
        return bytes;
    }

    @Override
    public void onPing() {
        pings++;
        ctx.writeAndFlush(ProtocolCommands.pong(ctx.alloc()));
    }

    @Override
    public void onReply(long id, boolean error, byte[] bytes, int from, int to) {
        if (error) {
            errors++;
            if (!ready.isDone()) {
                ready.completeExceptionally(new IllegalStateException("the server refused: "
                        + new String(bytes, from, to - from, java.nio.charset.StandardCharsets.UTF_8)));
            }
        } else if (id == ProtocolCommands.CONNECT_ID && channel != null) {
            ctx.writeAndFlush(ProtocolCommands.subscribe(ctx.alloc(), channel));
        } else if (id == ProtocolCommands.CONNECT_ID || id == ProtocolCommands.SUBSCRIBE_ID) {
            ready.complete(null);
        } else {
            acknowledged++;
        }
    }

    @Override
    public void onPublication(byte[] bytes, int from, int to) {
        publications.onPublication(bytes, from, to);
    }

    @Override
    public void onOtherPush(boolean disconnect, byte[] bytes, int from, int to) {
        otherPushes++;
        disconnected |= disconnect;
    }

    /** Pings answered. */
    public long pings() {
        return pings;
    }

    /** Replies without an error to commands after connect and subscribe (a publisher's publications). */
    public long acknowledged() {
        return acknowledged;
    }

    /** Error replies. */
    public long errors() {
        return errors;
    }

    /** Pushes other than publications. */
    public long otherPushes() {
        return otherPushes;
    }

    /** Whether the server pushed a disconnect. */
    public boolean disconnected() {
        return disconnected;
    }
}
