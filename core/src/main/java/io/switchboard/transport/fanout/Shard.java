/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.Message;
import io.switchboard.transport.websocket.Batched;
import io.switchboard.transport.websocket.Loops;
import io.switchboard.transport.websocket.OutboundCounts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The group members that live on one event loop. Joins, leaves, broadcasts and events go through
 * one queue in the order submitted, and the loop applies them in batches: every broadcast in a
 * batch is written to each member, and each member is flushed once at the end, so a burst of
 * broadcasts costs one write system call per member. The group table is touched only on the loop.
 */
public final class Shard implements Runnable {

    public sealed interface Op permits Join, Leave, LeaveAll, Broadcast, Deliver {}

    public record Join(String group, Member session) implements Op {}

    public record Leave(String group, Member session) implements Op {}

    public record LeaveAll(List<String> groups, Member session) implements Op {}

    /**
     * A frame encoded once, and compressed once (or null) for members that negotiated deflate; the
     * shard owns one reference to each and releases them when written.
     *
     * @param size the uncompressed payload size, which decides whether a member's window fits it
     * @param key the conflation key of a latest-value broadcast, or null: a backed-up member then
     *     keeps only the newest {@code message} of the key
     * @param message what the frame holds, for a member that keeps it (a conflated value, or a
     *     broadcast of a group it holds), or null
     */
    public record Broadcast(
            String group, ByteBuf frame, ByteBuf deflated, int size, Address except, String key, Message message)
            implements Op {
        /** A broadcast without a conflation key. */
        public Broadcast(String group, ByteBuf frame, ByteBuf deflated, int size, Address except) {
            this(group, frame, deflated, size, except, null, null);
        }

        /** An uncompressed broadcast, for a group without deflating members. */
        public Broadcast(String group, ByteBuf frame, Address except) {
            this(group, frame, null, 0, except);
        }
    }

    public record Deliver(String group, Event event) implements Op {}

    private final EventExecutor loop;
    private final OutboundCounts counters;
    private final Queue<Op> ops = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Map<String, Members> groups = new HashMap<>();
    private final List<Member> written = new ArrayList<>();
    private boolean flushQueued;
    /** Broadcast messages written in this run, and their payload bytes: counted once at its end. */
    private int delivered;

    private long deliveredBytes;

    /** A shard that counts nothing. */
    public Shard(EventExecutor loop) {
        this(loop, OutboundCounts.NONE);
    }

    /** The members on {@code loop}; the broadcasts written to them are counted in {@code counters}. */
    public Shard(EventExecutor loop, OutboundCounts counters) {
        this.loop = loop;
        this.counters = counters;
    }

    /** Queues {@code op}; the loop applies it after every op submitted before it. Any thread. */
    public void submit(Op op) {
        ops.offer(op);
        if (scheduled.compareAndSet(false, true) && !Loops.execute(loop, this)) {
            if (loop.isTerminated()) {
                discardQueued();
            } else {
                // A loop in its last shutdown pass may be running this shard: the queue has one
                // consumer, so what is left waits for LocalRegistry.discardQueued(), which the
                // server calls once its loops have terminated.
                scheduled.set(false);
            }
        }
    }

    /**
     * The loop has terminated (a shutdown that did not wait for every handler), and with it every
     * member's channel: the queued ops have no one to reach, but broadcasts hold buffers to release.
     * Only after termination, so that {@link #run()} is not draining the queue too; a lock keeps
     * late submitters from draining it together.
     */
    public void discardQueued() {
        synchronized (ops) {
            scheduled.set(false); // a later submit finds the loop stopped too, and comes here
            Op op;
            while ((op = ops.poll()) != null) {
                if (op instanceof Broadcast broadcast) {
                    broadcast.frame().release();
                    if (broadcast.deflated() != null) {
                        broadcast.deflated().release();
                    }
                }
            }
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        Op op;
        while ((op = ops.poll()) != null) {
            apply(op);
        }
        if (delivered > 0) {
            counters.onDelivered(delivered);
            counters.onSent(delivered, deliveredBytes);
            delivered = 0;
            deliveredBytes = 0;
        }
        if (!written.isEmpty() && !flushQueued) {
            // Flush after the tasks already queued on this loop (reads, other drains) have written
            // too: under load, several broadcasts share each member's system call.
            flushQueued = true;
            if (!Loops.execute(loop, this::flushWritten)) { // the loop's last pass: the channels go with it
                flushQueued = false;
                written.clear();
            }
        }
    }

    private void flushWritten() {
        flushQueued = false;
        for (Member session : written) {
            session.flushBatch();
        }
        written.clear();
    }

    private void apply(Op op) {
        switch (op) {
            case Join join -> {
                if (!join.session().isFinished()) {
                    groups.computeIfAbsent(join.group(), name -> new Members()).add(join.session());
                }
            }
            case Leave leave -> remove(leave.group(), leave.session());
            case LeaveAll leaveAll -> leaveAll.groups().forEach(group -> remove(group, leaveAll.session()));
            case Broadcast broadcast -> {
                try {
                    Members members = groups.get(broadcast.group());
                    if (members != null) {
                        members.forEach(session -> write(session, broadcast));
                    }
                } finally {
                    broadcast.frame().release();
                    if (broadcast.deflated() != null) {
                        broadcast.deflated().release();
                    }
                }
            }
            case Deliver deliver -> {
                Members members = groups.get(deliver.group());
                if (members != null) {
                    members.forEach(session -> session.deliver(deliver.event()));
                }
            }
        }
    }

    private void write(Member session, Broadcast broadcast) {
        Address except = broadcast.except();
        if (except != null && session.address().equals(except)) {
            return;
        }
        Batched outcome = session.writeBatched(broadcast);
        if (outcome != Batched.NOT_WRITTEN) {
            delivered++;
            deliveredBytes += broadcast.size();
            if (outcome == Batched.FIRST) {
                written.add(session);
            }
        }
    }

    /** How many groups have members on this loop; a group goes with its last member. On the loop. */
    public int groupCount() {
        return groups.size();
    }

    private void remove(String group, Member session) {
        Members members = groups.get(group);
        if (members != null && members.remove(session) && members.isEmpty()) {
            groups.remove(group);
        }
    }

    /** A set with cheap removal and fast iteration: an array plus each member's index in it. */
    private static final class Members {
        private final ArrayList<Member> list = new ArrayList<>();
        private final Map<Member, Integer> index = new HashMap<>();

        void add(Member session) {
            if (index.putIfAbsent(session, list.size()) == null) {
                list.add(session);
            }
        }

        boolean remove(Member session) {
            Integer at = index.remove(session);
            if (at == null) {
                return false;
            }
            Member last = list.remove(list.size() - 1);
            if (last != session) {
                list.set(at, last);
                index.put(last, at);
            }
            return true;
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        void forEach(java.util.function.Consumer<Member> action) {
            // Index loop: an action never changes membership (changes arrive as ops).
            for (int i = 0; i < list.size(); i++) {
                action.accept(list.get(i));
            }
        }
    }
}
