/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.engine.Departures;
import io.switchboard.engine.Engine;
import io.switchboard.engine.LocalNode;
import io.switchboard.engine.StoreStatus;
import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.Groups;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;
import io.switchboard.session.Message;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The engine for many nodes: every node of a cluster connects to one Redis with the same prefix.
 *
 * <ul>
 *   <li><b>Group sends</b> are one {@code PUBLISH} on the group's channel whatever the group's size; a
 *       node listens on a group's channel only while one of its sessions is a member, and fans out to
 *       its members with the encode-once broadcast. The sending node delivers to its own members
 *       directly.
 *   <li><b>Users and addresses</b>: each node listens on a channel of its own; a user send publishes
 *       once to each node that has a session of the user, an address send to the address's node.
 *   <li><b>Presence</b> lives in Redis hashes; a join or leave is a Lua script on the group's slot,
 *       so what it changed for the user is decided atomically across nodes. Every call touches the
 *       keys of one slot (see {@link PresenceScripts}), so the engine runs on a Redis Cluster.
 *   <li><b>Liveness</b>: each node refreshes a key that expires after the node expiry; every
 *       heartbeat each node looks for nodes whose key expired and removes their sessions from
 *       presence, telling its {@link Departures} listeners (see {@link NodeLiveness}).
 *   <li><b>Outages</b>: while Redis is unreachable or hung (a command timed out, see {@link RedisLink})
 *       a node keeps delivering to its own sessions and answers presence from what it knows itself;
 *       sends to other nodes are dropped. When Redis is back the node listens on its channels again
 *       and writes its presence back. {@link #available()} is false meanwhile.
 *   <li><b>Calls</b> are reported to {@link #onCall} listeners as {@code publish}, {@code join},
 *       {@code leave}, {@code connect}, {@code disconnect}, {@code presence} (members), {@code user},
 *       {@code address}, {@code subscribe}, {@code unsubscribe}, {@code heartbeat}, {@code reap},
 *       {@code resync}, {@code goodbye} or {@code ping}.
 * </ul>
 *
 * <p>Delivery is at most once. Messages from one sender to one group keep their order. Thread-safe;
 * no method blocks but {@link #connect}, {@link #start} and {@link #close}.
 */
public final class RedisEngine implements Engine, Departures, StoreStatus {

    private final RedisSettings settings;
    private final Keys keys;
    private final RedisLink link;
    private final PresenceScripts presence;
    private final Object lock = new Object();
    private final LocalState local = new LocalState();
    private final DepartureListeners listeners = new DepartureListeners();
    private final StrayChannels strays = new StrayChannels(task -> this.liveness.execute(task), this::endStray);
    private volatile LocalNode node;
    private volatile Subscriptions subscriptions;
    private volatile NodeLiveness liveness;
    private volatile boolean closing;

    private RedisEngine(RedisSettings settings, RedisLink link) {
        this.settings = settings;
        this.keys = new Keys(settings.prefix(), settings.database(), settings.cluster());
        this.link = link;
        this.presence = new PresenceScripts(link, keys);
    }

    /** Connects to the Redis {@code settings} name; fails naming it when it cannot be reached. */
    public static RedisEngine connect(RedisSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return new RedisEngine(settings, RedisLink.open(settings, "engine"));
    }

    /** The settings this engine runs with. */
    public RedisSettings settings() {
        return settings;
    }

    @Override
    public void start(LocalNode localNode) {
        Objects.requireNonNull(localNode, "localNode");
        if (node != null) {
            throw new IllegalStateException("this engine is already attached to node " + node.id());
        }
        node = localNode;
        liveness = new NodeLiveness(this, localNode.id());
        subscriptions = new Subscriptions(link, keys, localNode.id(), new Inbox(this), liveness::resubscribeSoon);
        link.onReconnect(() -> {
            liveness.resyncSoon();
            // After a hang the pub/sub connection may have missed subscriptions that timed out.
            liveness.resubscribeSoon();
        });
        NodeLiveness.await(subscriptions.listenToNode(), "listen on this node's channel");
        liveness.start();
    }

    /**
     * Whether Redis answers now: false from a lost connection (the commands' or the pub/sub one) or a
     * timed-out call until it answers again.
     */
    @Override
    public boolean available() {
        return link.available();
    }

    @Override
    public void onCall(CallListener listener) {
        link.onCall(listener);
    }

    @Override
    public void onDeparture(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public CompletionStage<Void> connected(MemberInfo member) {
        synchronized (lock) {
            int userSessions = local.connected(member);
            if (closing) {
                return CompletableFuture.completedFuture(null);
            }
            CompletionStage<?> written = presence.connect(id(), member, userSessions);
            track(written);
            // An outage is repaired by the resync; the caller only learns when the write is done.
            return written.handle((result, error) -> null);
        }
    }

    @Override
    public void disconnected(MemberInfo member) {
        synchronized (lock) {
            int userSessions = local.disconnected(member);
            if (!closing) {
                track(presence.disconnect(id(), member, userSessions));
            }
        }
    }

    @Override
    public CompletionStage<MembershipChange> join(String group, MemberInfo member) {
        Groups.requireValidName(group);
        MembershipChange here;
        CompletableFuture<Void> subscribed;
        CompletionStage<List<Object>> decided;
        synchronized (lock) {
            LocalState.Group state = local.group(group);
            boolean firstHere = state == null;
            if (firstHere) {
                state = new LocalState.Group(subscribe(group));
                local.addGroup(group, state);
            }
            here = state.add(member);
            subscribed = state.subscribed;
            if (closing) {
                return CompletableFuture.completedFuture(here);
            }
            decided = presence.join(id(), group, member, firstHere);
        }
        return decide(group, decided, here).thenCombine(subscribed, (change, ignored) -> change);
    }

    @Override
    public CompletionStage<MembershipChange> leave(String group, MemberInfo member) {
        Groups.requireValidName(group);
        MembershipChange here;
        CompletionStage<List<Object>> decided;
        synchronized (lock) {
            LocalState.Group state = local.group(group);
            here = state == null ? MembershipChange.NONE : state.remove(member);
            boolean lastHere = state != null && state.members.isEmpty();
            if (lastHere) {
                local.removeGroup(group);
                unsubscribe(group);
            }
            if (closing) {
                return CompletableFuture.completedFuture(here);
            }
            decided = presence.leave(id(), group, member, lastHere);
        }
        return decide(group, decided, here);
    }

    /** Redis's decision, or this node's own when Redis could not be asked (the group is rewritten later). */
    private CompletionStage<MembershipChange> decide(
            String group, CompletionStage<List<Object>> decided, MembershipChange here) {
        return decided.handle((reply, error) -> {
            if (error != null) {
                local.markDirty(List.of(group));
                liveness.resyncSoon();
                return here;
            }
            return new MembershipChange(((Long) reply.get(0)) == 1L, ((Long) reply.get(1)).intValue());
        });
    }

    @Override
    public void broadcast(String group, Message message, Address except) {
        broadcast(new Envelope.Broadcast(id(), group, message, except));
    }

    @Override
    public void broadcastLatest(String group, String key, Message message) {
        broadcast(new Envelope.Broadcast(id(), group, message, null, Objects.requireNonNull(key, "key")));
    }

    private void broadcast(Envelope.Broadcast b) {
        Groups.requireValidName(b.group());
        LocalNode target = node;
        if (target != null && !closing && local.hasMembers(b.group())) {
            b.deliverTo(target);
        }
        publish(keys.groupChannel(b.group()), b);
    }

    @Override
    public void event(String group, Event event) {
        Groups.requireValidName(group);
        LocalNode target = node;
        if (target != null && !closing && local.hasMembers(group)) {
            target.event(group, event);
        }
        publish(keys.groupChannel(group), new Envelope.GroupEvent(id(), group, event));
    }

    /** One PUBLISH (SPUBLISH on a cluster), at most once: while Redis is unreachable it fails and the message is dropped. */
    private void publish(byte[] channel, Envelope envelope) {
        byte[] message = Envelope.encode(envelope);
        link.call(
                        "publish",
                        redis -> keys.sharded() ? redis.spublish(channel, message) : redis.publish(channel, message))
                .exceptionally(e -> null);
    }

    @Override
    public CompletionStage<Integer> sendToUser(String user, Message message) {
        Objects.requireNonNull(user, "user");
        LocalNode target = requireStarted();
        int here = closing ? 0 : target.sendToUser(user, message);
        byte[] envelope = Envelope.encode(new Envelope.ToUser(id(), user, message));
        CompletionStage<Long> elsewhere = presence.sendToUser(target.id(), user, envelope);
        return elsewhere.handle((reached, error) -> here + (error == null ? reached.intValue() : 0));
    }

    @Override
    public CompletionStage<Boolean> sendTo(Address address, Message message) {
        Objects.requireNonNull(address, "address");
        LocalNode target = requireStarted();
        if (address.node().equals(target.id())) {
            return CompletableFuture.completedFuture(!closing && target.sendTo(address, message));
        }
        byte[] envelope = Envelope.encode(new Envelope.ToAddress(target.id(), address, message));
        CompletionStage<Long> sent = presence.sendTo(address, envelope);
        return sent.handle((published, error) -> error == null && published == 1L);
    }

    @Override
    public CompletionStage<List<MemberInfo>> members(String group) {
        Groups.requireValidName(group);
        return presence.members(group).handle((found, error) -> error == null ? found : localMembers(group));
    }

    private List<MemberInfo> localMembers(String group) {
        synchronized (lock) {
            return local.members(group);
        }
    }

    /** Says goodbye: this node's sessions leave presence at once (reported as departures), then disconnects. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        NodeLiveness running = liveness;
        if (running != null) {
            running.stop();
            running.goodbye();
        }
        disconnect();
    }

    /** Stops as if the process died: no goodbye, no more heartbeats. For tests of node death. */
    void crash() {
        closing = true;
        NodeLiveness running = liveness;
        if (running != null) {
            running.stop();
        }
        disconnect();
    }

    private void disconnect() {
        Subscriptions channels = subscriptions;
        if (channels != null) {
            channels.close();
        }
        link.close();
    }

    // ---- for Inbox ----

    /** The node to deliver to, or {@code null} before start and once closing. */
    LocalNode deliveringTo() {
        return closing ? null : node;
    }

    /** Whether this node has members of {@code group}; if not, its subscription outlived them (an outage), so end it. */
    boolean listening(String group) {
        if (local.hasMembers(group)) {
            return true;
        }
        strays.strayed(group); // Inbox runs once started, so liveness is set
        return false;
    }

    // ---- for NodeLiveness ----

    RedisLink link() {
        return link;
    }

    Keys keys() {
        return keys;
    }

    /** Subscribes again to this node's channel and every group it has members in. */
    CompletionStage<Void> resubscribe() {
        synchronized (lock) {
            return subscriptions.resubscribe(local.groupNames());
        }
    }

    /** Runs {@code write} on this node's state under the lock, so it is ordered with joins and leaves. */
    <T> T withLocalState(Function<LocalState, T> write) {
        synchronized (lock) {
            return write.apply(local);
        }
    }

    /** The groups whose join or leave has not settled in Redis yet. */
    Set<String> groupsInFlight() {
        return presence.inFlight();
    }

    /** Tells every listener here about members the engine removed. On the liveness thread. */
    void departed(List<DepartureListeners.Departure> departures) {
        listeners.tell(departures);
    }

    // ---- helpers ----

    private CompletableFuture<Void> subscribe(String group) {
        Subscriptions channels = subscriptions;
        return channels == null || closing ? CompletableFuture.completedFuture(null) : channels.subscribe(group);
    }

    private void endStray(String group) {
        synchronized (lock) {
            if (!local.hasMembers(group)) {
                unsubscribe(group);
            }
        }
    }

    private void unsubscribe(String group) {
        Subscriptions channels = subscriptions;
        if (channels != null && !closing) {
            channels.unsubscribe(group);
        }
    }

    private void track(CompletionStage<?> write) {
        write.exceptionally(e -> {
            liveness.resyncSoon();
            return null;
        });
    }

    private LocalNode requireStarted() {
        LocalNode target = node;
        if (target == null) {
            throw new IllegalStateException("the engine is not started: the server calls start(node) first");
        }
        return target;
    }

    private String id() {
        return requireStarted().id();
    }
}
