/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import io.switchboard.settings.RateLimitPolicy;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns data frames into messages within the limits: the message size, the fragments per message,
 * and the rate limit, which each frame pays for with tokens (see {@link #FRAGMENTS_PER_TOKEN}). What
 * comes out goes to a {@link Sink}: whole messages, and the closes and replies the limits call for.
 * Takes ownership of every frame it is given. Callers hand it frames only while the connection reads
 * (open, no close decided).
 *
 * <p>Owned by the channel's event loop.
 */
public final class MessageReader {

    private static final Logger log = LoggerFactory.getLogger(MessageReader.class);

    /**
     * Fragments of one message that cost one rate-limit token (its first frame costs one of its
     * own): a 64 KiB message in 1,024 fragments costs 65, within the default burst of 200.
     */
    static final int FRAGMENTS_PER_TOKEN = 16;

    /** Where messages, and what the limits decide, go. */
    public interface Sink {
        /** A whole text message of {@code size} bytes in UTF-8. */
        void text(String text, int size);

        /** A whole binary message. */
        void binary(byte[] data);

        /** A message over the size limit: close politely once the handler has what came before. */
        void tooBig(CloseStatus status);

        /** A flood: fail the connection with {@code status}. */
        void fail(CloseStatus status);

        /**
         * A message over the rate limit: dropped, or the one that fails the connection (once per
         * message, however many of its frames were over).
         */
        default void rateLimited() {}

        /** The rate limit's reply to a dropped message. */
        void reply(Message message);

        /** A ping within the rate, to answer with a pong; the sink takes ownership of it. */
        void ping(PingWebSocketFrame ping);
    }

    /** What a frame over the rate limit was: it decides the log line and whether a reply is due. */
    enum Counted {
        MESSAGE("messages"),
        FRAGMENT("fragments"),
        PING("pings"),
        PONG("pongs");

        final String plural;

        Counted(String plural) {
            this.plural = plural;
        }
    }

    private final int maxMessageBytes;
    private final int maxFragments;
    private final TokenBucket bucket;
    private final ByteBufAllocator alloc;
    private final Object who;
    private final Sink sink;
    private final FragmentAssembler fragments;
    private boolean droppingLogged;

    /**
     * @param limits the message size and fragment limits
     * @param bucket the rate limit, with its tokens
     * @param who the connection, as log lines name it
     */
    public MessageReader(Limits limits, TokenBucket bucket, ByteBufAllocator alloc, Object who, Sink sink) {
        this.maxMessageBytes = limits.messages().maxMessageBytes();
        this.maxFragments = limits.messages().fragmentLimit();
        this.bucket = bucket;
        this.alloc = alloc;
        this.who = who;
        this.sink = sink;
        this.fragments = new FragmentAssembler(maxMessageBytes, maxFragments);
    }

    /** A data or control frame other than close, read at {@code now}; takes ownership of it. */
    public void read(Object frame, long now) {
        switch (frame) {
            case TextWebSocketFrame text -> data(text, true, now);
            case BinaryWebSocketFrame binary -> data(binary, false, now);
            case ContinuationWebSocketFrame continuation -> continuation(continuation, now);
            case PingWebSocketFrame ping -> {
                if (withinRate(Counted.PING, now)) {
                    sink.ping(ping);
                } else {
                    ping.release();
                }
            }
            case PongWebSocketFrame pong -> {
                pong.release(); // it says nothing more than any other frame, but it counts
                withinRate(Counted.PONG, now);
            }
            default -> ReferenceCountUtil.release(frame);
        }
    }

    /** The first frame of a text or binary message, read at {@code now}. */
    private void data(WebSocketFrame frame, boolean text, long now) {
        if (!withinRate(Counted.MESSAGE, now)) {
            frame.release();
            if (!frame.isFinalFragment() && bucket.limit().policy() != RateLimitPolicy.CLOSE) {
                fragments.startDropped(text); // its continuations still count, to the fragment limit
            }
            return;
        }
        if (frame.content().readableBytes() > maxMessageBytes) {
            frame.release();
            tooBig();
            return;
        }
        if (frame.isFinalFragment()) {
            deliver(frame.content(), text);
            return;
        }
        assembled(fragments.start(alloc, frame.content(), text));
    }

    /** A continuation frame, read at {@code now}. */
    private void continuation(ContinuationWebSocketFrame frame, long now) {
        if (!fragments.inProgress()) {
            frame.release(); // the message ended over a limit, and the connection is closing
            return;
        }
        if ((fragments.fragments() + 1) % FRAGMENTS_PER_TOKEN == 0 && !withinRate(Counted.FRAGMENT, now)) {
            if (bucket.limit().policy() == RateLimitPolicy.CLOSE) {
                frame.release(); // closed over the rate limit
                return;
            }
            fragments.drop(); // a message with a fragment missing is no message; it is still counted
        }
        assembled(fragments.add(frame.content(), frame.isFinalFragment()));
    }

    /** Releases a message in progress: the connection has closed. */
    public void discard() {
        fragments.discard();
    }

    private void assembled(FragmentAssembler.Outcome outcome) {
        switch (outcome) {
            case MORE -> {}
            case COMPLETE -> deliver(fragments.take(), fragments.text());
            case TOO_BIG -> tooBig();
            case TOO_MANY_FRAGMENTS -> {
                // A flood, not a large message: fail the connection as the rate limit does, rather than
                // wait out a closing handshake while the flood is still being decoded.
                ConnectionLog.info(log, who)
                        .addKeyValue(ConnectionLog.CODE, CloseStatus.MESSAGE_TOO_BIG.code())
                        .log("closing {} with 1009: message in over {} fragments", who, maxFragments);
                sink.fail(CloseStatus.MESSAGE_TOO_BIG.withReason("message in over " + maxFragments + " fragments"));
            }
        }
    }

    private void tooBig() {
        ConnectionLog.info(log, who)
                .addKeyValue(ConnectionLog.CODE, CloseStatus.MESSAGE_TOO_BIG.code())
                .log("closing {} with 1009: message over {} bytes", who, maxMessageBytes);
        sink.tooBig(CloseStatus.MESSAGE_TOO_BIG.withReason("message over " + maxMessageBytes + " bytes"));
    }

    /** Takes ownership of {@code content}: reads it out and releases it. */
    private void deliver(ByteBuf content, boolean text) {
        int size = content.readableBytes();
        try {
            if (text) {
                sink.text(content.toString(StandardCharsets.UTF_8), size);
            } else {
                sink.binary(ByteBufUtil.getBytes(content));
            }
        } finally {
            content.release();
        }
    }

    /**
     * Takes a token for one frame: the first frame of a data message, every {@value
     * #FRAGMENTS_PER_TOKEN}th fragment of it, each ping and each pong cost one, so neither fragment
     * nor ping floods escape the limit while a large message in small fragments stays within the
     * burst. Over it, applies the policy and returns false: the caller drops the frame.
     */
    private boolean withinRate(Counted what, long now) {
        if (bucket.take(now)) {
            return true;
        }
        overRate(what);
        return false;
    }

    /** A frame over the rate limit: fail with 1008, or drop it (replying to a dropped message). */
    private void overRate(Counted what) {
        RateLimit rateLimit = bucket.limit();
        String counting =
                switch (what) {
                    case MESSAGE -> "";
                    case FRAGMENT -> " (every " + FRAGMENTS_PER_TOKEN + " fragments count as a message)";
                    default -> " (" + what.plural + " count as messages)";
                };
        if (rateLimit.policy() == RateLimitPolicy.CLOSE) {
            sink.rateLimited();
            ConnectionLog.info(log, who)
                    .addKeyValue(ConnectionLog.CODE, CloseStatus.POLICY_VIOLATION.code())
                    .log("closing {} with 1008: over {} messages per second{}", who, rateLimit.perSecond(), counting);
            // Not a closing handshake: once the handler has what came before, the close frame goes
            // out and TCP is closed; nothing more is read from a flooding client meanwhile.
            sink.fail(CloseStatus.POLICY_VIOLATION.withReason("rate limit exceeded"));
            return;
        }
        if (!droppingLogged) {
            droppingLogged = true; // one line per connection, however long the flood
            ConnectionLog.info(log, who)
                    .log(
                            "dropping messages from {}: over {} messages per second{}",
                            who,
                            rateLimit.perSecond(),
                            counting);
        }
        // A dropped ping gets no pong and a dropped pong nothing: a reply would feed the flood.
        // One reply per dropped message: the later fragments of one already dropped get none.
        boolean newlyDropped = what == Counted.MESSAGE || (what == Counted.FRAGMENT && !fragments.dropping());
        if (newlyDropped) {
            sink.rateLimited();
        }
        if (rateLimit.reply() != null && newlyDropped) {
            sink.reply(Message.text(rateLimit.reply()));
        }
    }
}
