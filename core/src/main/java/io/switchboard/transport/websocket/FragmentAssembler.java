/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Joins the fragments of one data message into one buffer, within the message size limit and the
 * limit on fragments per message. Each fragment's bytes are copied into a single growing buffer and
 * the fragment released at once, so a message costs its bytes and nothing per fragment: a flood of
 * empty continuation frames holds no memory, and is cut off after {@code maxFragments}. A message
 * whose content was dropped (a fragment over the rate limit) is still followed to its end: its
 * fragments are counted and released, so it meets the same two limits.
 * Not thread-safe: used on the connection's event loop.
 */
final class FragmentAssembler {

    /** What a fragment did to the message. */
    enum Outcome {
        /** Taken; the message goes on, or it was a dropped one and that fragment ended it. */
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
    /** The bytes so far; null when no message is in progress or its content is being dropped. */
    private ByteBuf message;

    private boolean inProgress;
    private boolean text;
    private int fragments;
    private long size;

    FragmentAssembler(int maxMessageBytes, int maxFragments) {
        this.maxMessageBytes = maxMessageBytes;
        this.maxFragments = maxFragments;
    }

    /** Whether a message has begun and not yet ended, including one whose content is being dropped. */
    boolean inProgress() {
        return inProgress;
    }

    /** Whether the message in progress is one whose content is being dropped. */
    boolean dropping() {
        return inProgress && message == null;
    }

    /** The fragments of the message in progress so far, its first included. */
    int fragments() {
        return fragments;
    }

    /** Whether the message in progress (or just completed) is text. */
    boolean text() {
        return text;
    }

    /** Begins a message with its first, non-final fragment; takes ownership of {@code payload}. */
    Outcome start(ByteBufAllocator alloc, ByteBuf payload, boolean isText) {
        discard();
        int initial = Math.min(maxMessageBytes, Math.max(INITIAL_CAPACITY, payload.readableBytes() * 2));
        try {
            message = alloc.buffer(initial, maxMessageBytes);
        } catch (RuntimeException | Error e) {
            payload.release();
            throw e;
        }
        begin(isText);
        return add(payload, false);
    }

    /**
     * Begins a message whose first, non-final fragment was dropped (the caller released it): the
     * rest of it is counted and released, never assembled.
     */
    void startDropped(boolean isText) {
        discard();
        begin(isText);
        fragments = 1;
    }

    private void begin(boolean isText) {
        inProgress = true;
        text = isText;
        fragments = 0;
        size = 0;
    }

    /** Drops the content of the message in progress, which goes on being counted to its end. */
    void drop() {
        if (message != null) {
            message.release();
            message = null;
        }
    }

    /** Adds a continuation's payload, taking ownership of it; {@code last} when it has FIN set. */
    Outcome add(ByteBuf payload, boolean last) {
        try {
            if (++fragments > maxFragments) {
                discard();
                return Outcome.TOO_MANY_FRAGMENTS;
            }
            size += payload.readableBytes();
            if (size > maxMessageBytes) {
                discard();
                return Outcome.TOO_BIG;
            }
            if (message == null) { // dropped: its end is no message
                inProgress = !last;
                return Outcome.MORE;
            }
            message.writeBytes(payload);
            if (last) {
                inProgress = false;
                return Outcome.COMPLETE;
            }
            return Outcome.MORE;
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

    /** Ends the message in progress, if any, releasing what it holds. */
    void discard() {
        drop();
        inProgress = false;
    }
}
