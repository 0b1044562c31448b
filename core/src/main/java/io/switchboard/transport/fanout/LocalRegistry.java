/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.switchboard.engine.LocalNode;
import io.switchboard.session.Address;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Event;
import io.switchboard.session.Message;
import io.switchboard.transport.websocket.Frames;
import io.switchboard.transport.websocket.OutboundCounts;
import io.switchboard.transport.websocket.PerMessageDeflate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions of this node: by address, by user, and group membership split into one
 * {@link Shard} per event loop, so that a broadcast is encoded once here and each loop writes to its
 * own members without a lock.
 */
public final class LocalRegistry implements LocalNode {

    private final String id;
    private final Map<Address, Member> sessions = new ConcurrentHashMap<>();
    private final Map<String, Set<Member>> users = new ConcurrentHashMap<>();
    private final Map<EventExecutor, Shard> shards;
    private final List<Shard> allShards;
    private volatile CompletableFuture<Void> drained;
    /** Open sessions that negotiated permessage-deflate: while there are none, broadcasts skip compressing. */
    private final AtomicInteger deflating = new AtomicInteger();

    /** A registry whose broadcasts are not counted. */
    public LocalRegistry(String id, EventLoopGroup loops) {
        this(id, loops, OutboundCounts.NONE);
    }

    /** The sessions of node {@code id}, one shard per loop of {@code loops}, counting broadcasts in {@code counts}. */
    public LocalRegistry(String id, EventLoopGroup loops, OutboundCounts counts) {
        this.id = id;
        Map<EventExecutor, Shard> byLoop = new IdentityHashMap<>();
        for (EventExecutor loop : loops) {
            byLoop.put(loop, new Shard(loop, counts));
        }
        this.shards = byLoop;
        this.allShards = List.copyOf(byLoop.values());
    }

    @Override
    public String id() {
        return id;
    }

    /** A session completed its handshake. */
    public void register(Member session) {
        if (sessions.put(session.address(), session) == null && session.deflates()) {
            deflating.incrementAndGet();
        }
        session.session().user().ifPresent(user -> users.computeIfAbsent(
                        user.name(), name -> ConcurrentHashMap.newKeySet())
                .add(session));
    }

    /** A session finished: closed, its disconnect callback done. */
    public void unregister(Member session) {
        if (sessions.remove(session.address(), session) && session.deflates()) {
            deflating.decrementAndGet();
        }
        session.session()
                .user()
                .ifPresent(user -> users.computeIfPresent(user.name(), (name, set) -> {
                    set.remove(session);
                    return set.isEmpty() ? null : set;
                }));
        CompletableFuture<Void> waiting = drained;
        if (waiting != null && sessions.isEmpty()) {
            waiting.complete(null);
        }
    }

    public int size() {
        return sessions.size();
    }

    /** Starts closing every session with {@code status}; see {@link #drained()}. */
    public void closeAll(CloseStatus status) {
        drained = new CompletableFuture<>();
        for (Member session : new ArrayList<>(sessions.values())) {
            session.session().close(status);
        }
        if (sessions.isEmpty()) {
            drained.complete(null);
        }
    }

    /** Completes when, after {@link #closeAll}, the last session is gone. */
    public CompletableFuture<Void> drained() {
        return drained;
    }

    public void join(String group, Member session) {
        shardOf(session).submit(new Shard.Join(group, session));
    }

    public void leave(String group, Member session) {
        shardOf(session).submit(new Shard.Leave(group, session));
    }

    public void leaveAll(Set<String> groups, Member session) {
        if (!groups.isEmpty()) {
            shardOf(session).submit(new Shard.LeaveAll(List.copyOf(groups), session));
        }
    }

    private Shard shardOf(Member session) {
        return shards.get(session.eventLoop());
    }

    @Override
    public void broadcast(String group, Message message, Address except) {
        broadcast(group, message, except, null);
    }

    /** As {@link #broadcast}, with a conflation key: a backed-up member keeps only the newest of the key. */
    @Override
    public void broadcastLatest(String group, String key, Message message) {
        broadcast(group, message, null, Objects.requireNonNull(key, "key"));
    }

    private void broadcast(String group, Message message, Address except, String key) {
        ByteBuf frame = Frames.encode(ByteBufAllocator.DEFAULT, message);
        int size = Frames.payloadLength(frame);
        ByteBuf deflated = null;
        try {
            // Compressed once here for every member that negotiated deflate, whatever its window.
            if (deflating.get() > 0 && size >= PerMessageDeflate.MIN_COMPRESSED_BYTES) {
                deflated = Frames.encodeDeflated(ByteBufAllocator.DEFAULT, frame);
            }
            for (Shard shard : allShards) {
                shard.submit(new Shard.Broadcast(
                        group,
                        frame.retainedDuplicate(),
                        deflated == null ? null : deflated.retainedDuplicate(),
                        size,
                        except,
                        key,
                        message));
            }
        } finally {
            frame.release();
            if (deflated != null) {
                deflated.release();
            }
        }
    }

    /**
     * Once the loops have stopped: releases what their shards still hold. A loop that is stopping can
     * accept a shard's task and stop before running it; without this, the broadcasts queued behind
     * it would keep their buffers.
     */
    public void discardQueued() {
        allShards.forEach(Shard::discardQueued);
    }

    @Override
    public void event(String group, Event event) {
        for (Shard shard : allShards) {
            shard.submit(new Shard.Deliver(group, event));
        }
    }

    @Override
    public int sendToUser(String user, Message message) {
        Set<Member> targets = users.get(user);
        if (targets == null) {
            return 0;
        }
        int reached = 0;
        for (Member session : targets) {
            if (session.session().send(message)) {
                reached++;
            }
        }
        return reached;
    }

    @Override
    public boolean sendTo(Address address, Message message) {
        Member session = sessions.get(address);
        return session != null && session.session().send(message);
    }
}
