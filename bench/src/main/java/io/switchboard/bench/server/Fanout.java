/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscribers of {@link NettyServer}, grouped by event loop so that each group is only ever
 * touched by its own loop (no locks). A publisher writes an encoded frame to the subscribers of its
 * own loop at once and flushes them once per read batch; other loops get one task per message that
 * writes to all of their subscribers and flushes once.
 */
final class Fanout {

    private final Map<EventLoop, Group> groups = new ConcurrentHashMap<>();

    /**
     * Adds a subscriber whose handshake is done; {@code head} is its pipeline's first context, so
     * that writes go straight to the socket without walking the (decoding) handlers after it.
     */
    void join(ChannelHandlerContext head) {
        group(head.channel().eventLoop()).members.add(head);
    }

    /** Removes a subscriber; called on its own event loop. */
    void leave(ChannelHandlerContext head) {
        Group group = groups.get(head.channel().eventLoop());
        if (group != null) {
            group.members.remove(head);
        }
    }

    /** Writes {@code wire} (an encoded frame; this call does not release it) to every subscriber. */
    void publish(ByteBuf wire, EventLoop current) {
        for (Group group : groups.values()) {
            if (group.loop == current) {
                group.write(wire);
            } else {
                ByteBuf shared = wire.retainedDuplicate();
                group.loop.execute(() -> {
                    group.write(shared);
                    group.flush();
                    shared.release();
                });
            }
        }
    }

    /** Flushes the subscribers of {@code current} written to since the last flush: once per read batch. */
    void flush(EventLoop current) {
        Group group = groups.get(current);
        if (group != null) {
            group.flush();
        }
    }

    private Group group(EventLoop loop) {
        return groups.computeIfAbsent(loop, Group::new);
    }

    /** The subscribers of one event loop. */
    private static final class Group {
        private final EventLoop loop;
        private final List<ChannelHandlerContext> members = new ArrayList<>();
        private boolean written;

        Group(EventLoop loop) {
            this.loop = loop;
        }

        void write(ByteBuf wire) {
            for (ChannelHandlerContext head : members) {
                head.write(wire.retainedDuplicate(), head.voidPromise());
            }
            written = true;
        }

        void flush() {
            if (written) {
                written = false;
                for (ChannelHandlerContext head : members) {
                    head.flush();
                }
            }
        }
    }
}
