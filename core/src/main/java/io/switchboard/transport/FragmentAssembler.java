package io.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Joins the fragments of one data message into one buffer, within the message size limit and the
 * limit on fragments per message. Each fragment's bytes are copied into a single growing buffer and
 * the fragment released at once, so a message costs its bytes and nothing per fragment: a flood of
 * empty continuation frames holds no memory, and is cut off after {@code maxFragments}.
 * Not thread-safe: used on the connection's event loop.
 */
final class FragmentAssembler {

    /** What a fragment did to the message. */
    enum Outcome {
        /** Taken; the message goes on. */
        MORE,
        /** That was the last fragment: {@link #take()} the message. */
        COMPLETE,
        /** The message outgrew the size limit; it has been dropped. */
        TOO_BIG,
        /** The message has more fragments than allowed; it has been dropped. */
        TOO_MANY_FRAGMENTS
    }

    /** What the first fragment reserves, so that small messages need one allocation. */
    private static final int INITIAL_CAPACITY = 256;

    private final int maxMessageBytes;
    private final int maxFragments;
    private ByteBuf message;
    private boolean text;
    private int fragments;

    FragmentAssembler(int maxMessageBytes, int maxFragments) {
        this.maxMessageBytes = maxMessageBytes;
        this.maxFragments = maxFragments;
    }

    /** Whether a message has begun and not yet ended. */
    boolean inProgress() {
        return message != null;
    }

    /** Whether the message in progress (or just completed) is text. */
    boolean text() {
        return text;
    }

    /** Begins a message with its first, non-final fragment; takes ownership of {@code payload}. */
    Outcome start(ByteBufAllocator alloc, ByteBuf payload, boolean isText) {
        discard();
        int initial = Math.min(maxMessageBytes, Math.max(INITIAL_CAPACITY, payload.readableBytes() * 2));
        message = alloc.buffer(initial, maxMessageBytes);
        text = isText;
        fragments = 0;
        return add(payload, false);
    }

    /** Adds a continuation's payload, taking ownership of it; {@code last} when it has FIN set. */
    Outcome add(ByteBuf payload, boolean last) {
        try {
            if (++fragments > maxFragments) {
                discard();
                return Outcome.TOO_MANY_FRAGMENTS;
            }
            if ((long) message.readableBytes() + payload.readableBytes() > maxMessageBytes) {
                discard();
                return Outcome.TOO_BIG;
            }
            message.writeBytes(payload);
            return last ? Outcome.COMPLETE : Outcome.MORE;
        } finally {
            payload.release();
        }
    }

    /** The whole message after {@link Outcome#COMPLETE}; the caller releases it. */
    ByteBuf take() {
        ByteBuf whole = message;
        message = null;
        return whole;
    }

    /** Drops the message in progress, if any. */
    void discard() {
        if (message != null) {
            message.release();
            message = null;
        }
    }
}
