/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * What one connection is sent while its handler's {@code onConnect} runs, held until the 101 is
 * written: then the handler's own sends go out first, and the group traffic that arrived meanwhile
 * after them. Bounded by the outbound buffer limit: past it a frame is refused (the caller applies
 * the slow-consumer policy), and a refused send of the handler's also drops the group traffic held
 * behind it, which must not reach the client without it (a welcome, say).
 *
 * <p>Owned by the channel's event loop.
 */
final class ConnectHold {

    private final long limit;
    /** What the handler sent during {@code onConnect}. */
    private final List<Object> sends = new ArrayList<>();
    /** Group traffic that arrived during {@code onConnect}. */
    private final List<Object> broadcasts = new ArrayList<>();

    private long bytes;
    /** The payload bytes of {@link #sends} and of {@link #broadcasts}: what is counted once written. */
    private long sendBytes;

    private long broadcastBytes;

    /** @param limit the most bytes held */
    ConnectHold(long limit) {
        this.limit = limit;
    }

    /**
     * Holds the handler's {@code frame} of {@code size} payload bytes, taking ownership of it; false
     * (released, with the group traffic held so far) past the limit.
     */
    boolean holdSend(Object frame, int size) {
        if (!fits(frame, size)) {
            // Later frames overflow too: the count keeps what was refused.
            broadcasts.forEach(ReferenceCountUtil::release);
            broadcasts.clear();
            broadcastBytes = 0;
            return false;
        }
        sends.add(frame);
        sendBytes += size;
        return true;
    }

    /**
     * Holds a broadcast {@code frame} of {@code size} bytes ({@code payloadSize} of payload), taking
     * ownership of it; false (released) past the limit.
     */
    boolean holdBroadcast(Object frame, int size, int payloadSize) {
        if (!fits(frame, size)) {
            return false;
        }
        broadcasts.add(frame);
        broadcastBytes += payloadSize;
        return true;
    }

    private boolean fits(Object frame, int size) {
        bytes += size;
        if (bytes > limit) {
            ReferenceCountUtil.release(frame);
            return false;
        }
        return true;
    }

    /** The bytes held, and refused since the limit was passed. */
    long bytes() {
        return bytes;
    }

    /**
     * Writes what is held to {@code channel}, the handler's sends first, without a flush, and counts
     * it in {@code counters}: the sends as sent, the broadcasts as sent and delivered.
     */
    void writeTo(Channel channel, OutboundCounts counters) {
        for (List<Object> held : List.of(sends, broadcasts)) {
            for (Object frame : held) {
                channel.write(frame, channel.voidPromise());
            }
        }
        if (!sends.isEmpty() || !broadcasts.isEmpty()) {
            counters.onSent(sends.size() + broadcasts.size(), sendBytes + broadcastBytes);
        }
        if (!broadcasts.isEmpty()) {
            counters.onDelivered(broadcasts.size());
        }
    }

    /** The connection will never open: what is held is released, and never counted. */
    void release() {
        sends.forEach(ReferenceCountUtil::release);
        broadcasts.forEach(ReferenceCountUtil::release);
    }
}
