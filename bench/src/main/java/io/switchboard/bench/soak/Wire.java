/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One raw WebSocket connection of the soak, healthy or hostile: the upgrade written by hand (so a
 * connection can also stop half way), then frames decoded without allocation. It knows how it ended:
 * the close code the server sent, or {@link #NO_CLOSE_FRAME} when TCP closed without one.
 */
final class Wire {

    /** The close code recorded when the connection ended without a close frame from the server. */
    static final int NO_CLOSE_FRAME = -1;

    /** What a connection does with the server's data frames. Runs on the connection's event loop. */
    interface Listener {
        Listener IGNORE = (wire, opcode, payload, index, length) -> {};

        void onFrame(Wire wire, int opcode, ByteBuf payload, int index, int length);
    }

    /** The upgrade was answered with something other than 101. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status) {
            super("upgrade refused with HTTP " + status, null, false, false);
            this.status = status;
        }
    }

    /** Set by {@link WireClient#open} before anyone else sees this wire. */
    volatile Channel channel;
    /** Completes when the server has answered 101 (or, without an upgrade, when TCP is connected). */
    final CompletableFuture<Wire> opened = new CompletableFuture<>();
    /** Completes when TCP is closed, with the close code the server sent or {@link #NO_CLOSE_FRAME}. */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private volatile int closeCode = NO_CLOSE_FRAME;
    private volatile String closeReason = "";

    boolean isOpen() {
        return channel.isActive() && !closed.isDone();
    }

    /** The reason in the server's close frame, cut to 40 characters; empty when none came. */
    String closeReason() {
        return closeReason;
    }

    /** Writes and flushes {@code frame}; the returned future completes once it is on the socket. */
    ChannelFuture send(ByteBuf frame) {
        return channel.writeAndFlush(frame);
    }

    /** Closes TCP at once, without a closing handshake. */
    void abort() {
        channel.close();
    }

    /** Waits up to {@code millis} for the connection to end; its close code, or null if still open. */
    Integer awaitClosed(long millis) {
        try {
            return closed.get(millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return NO_CLOSE_FRAME;
        }
    }

    /** Reads the upgrade answer, then frames; answers pings when asked to. */
    static final class Handler extends ByteToMessageDecoder {
        private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

        private final Wire wire;
        private final Listener listener;
        private final boolean upgrade;
        private final boolean answerPings;
        private boolean handshaking;

        Handler(Wire wire, Listener listener, boolean upgrade, boolean answerPings) {
            this.wire = wire;
            this.listener = listener;
            this.upgrade = upgrade;
            this.answerPings = answerPings;
            this.handshaking = upgrade;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (handshaking && !readHead(ctx, in)) {
                return;
            }
            if (upgrade && !wire.opened.isCompletedExceptionally()) {
                readFrames(ctx, in);
            } else {
                in.skipBytes(in.readableBytes()); // an answer to a connection that never upgraded
            }
        }

        private boolean readHead(ChannelHandlerContext ctx, ByteBuf in) {
            int end = indexOf(in, END_OF_HEAD);
            if (end < 0) {
                return false;
            }
            String head = in.toString(in.readerIndex(), Math.min(12, end), StandardCharsets.US_ASCII);
            in.readerIndex(end + END_OF_HEAD.length);
            handshaking = false;
            int status = head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : 0;
            if (status != 101) {
                wire.opened.completeExceptionally(new Refused(status));
                ctx.close();
                return false;
            }
            wire.opened.complete(wire);
            return true;
        }

        private void readFrames(ChannelHandlerContext ctx, ByteBuf in) {
            while (in.readableBytes() >= 2) {
                int start = in.readerIndex();
                long length = in.getUnsignedByte(start + 1) & 0x7F;
                int header = 2;
                if (length == 126) {
                    header = 4;
                } else if (length == 127) {
                    header = 10;
                }
                if (in.readableBytes() < header) {
                    return;
                }
                length = header == 4 ? in.getUnsignedShort(start + 2) : header == 10 ? in.getLong(start + 2) : length;
                if (in.readableBytes() < header + length) {
                    return;
                }
                frame(ctx, in.getUnsignedByte(start) & 0x0F, in, start + header, (int) length);
                in.readerIndex(start + header + (int) length);
            }
        }

        private void frame(ChannelHandlerContext ctx, int opcode, ByteBuf in, int index, int length) {
            switch (opcode) {
                case Frames.CLOSE -> {
                    wire.closeCode = length >= 2 ? in.getUnsignedShort(index) : 1005;
                    wire.closeReason =
                            length > 2 ? in.toString(index + 2, Math.min(length - 2, 40), StandardCharsets.UTF_8) : "";
                    ctx.close();
                }
                case Frames.PING -> {
                    if (answerPings) {
                        byte[] body = new byte[length];
                        in.getBytes(index, body);
                        ctx.writeAndFlush(Frames.frame(ctx.alloc(), true, 0, Frames.PONG, body));
                    }
                }
                default -> listener.onFrame(wire, opcode, in, index, length);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel().config().isAutoRead()) {
                super.channelReadComplete(ctx);
            } else {
                // The decoder would ask for another read, since it passed no message on; a client
                // that stopped reading must not.
                ctx.fireChannelReadComplete();
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (!upgrade) {
                wire.opened.complete(wire);
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            wire.opened.completeExceptionally(new IllegalStateException("closed during the handshake"));
            wire.closed.complete(wire.closeCode);
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // resets and broken pipes are what attackers get; how it ended is in closeCode
        }

        private static int indexOf(ByteBuf in, byte[] needle) {
            int last = in.writerIndex() - needle.length;
            outer:
            for (int i = in.readerIndex(); i <= last; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (in.getByte(i + j) != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
