/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session.internal;

import io.switchboard.session.Address;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Groups;
import io.switchboard.session.Hub;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.Membership;
import io.switchboard.session.MembershipChange;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.session.Session;
import io.switchboard.session.User;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The one {@link Session} implementation, for the server's connections and the testkit's
 * communicator alike: identity, groups, attributes and the close future live here, and a {@link
 * Link} to the connection underneath carries sends and closes. It knows no network type.
 *
 * <p>Thread-safe, as {@link Session} promises. What changes a session's identity and state
 * (authenticated, opened, closed, leaving the engine's groups) is on its {@link Control}, which
 * {@link #create} hands to the transport alone: a handler holding the session, even cast to this
 * class, cannot reach it.
 */
public final class ConnectionSession implements Session {

    /** What a session asks of the connection underneath. Every method may be called from any thread. */
    public interface Link {
        /** Queues {@code message} for the client; false if it was not (closed, or the buffer is full). */
        boolean write(Message message);

        /** Starts the closing handshake with {@code status}, a code that may be sent. */
        void startClosing(CloseStatus status);

        /** Whether the connection is open: accepted, and no close sent. */
        boolean isOpen();

        /** Whether the connection has closed or was refused: it takes no more group membership. */
        boolean isFinished();

        /** The session joined {@code group}: this node's fan-out is to reach it. */
        void joined(String group);

        /** The session left {@code group}; a hold of it ends, dropping what it held. */
        void left(String group);

        /**
         * Starts holding {@code group}'s broadcasts to this connection (see {@link
         * Session#joinHeld}); called before {@link #joined}. Where broadcasts arrive as direct
         * writes, in order with {@link #release}, there is nothing to hold.
         */
        default void hold(String group) {}

        /** Ends the hold of {@code group} (see {@link Session#release}). */
        default void release(String group, Message first, Predicate<Message> keep) {
            if (first != null) {
                write(first);
            }
        }

        /** How many latest values the client did not receive (see {@link Session#conflated()}). */
        default long conflated() {
            return 0;
        }
    }

    private final Address address;
    private final Scope scope;
    private final Membership engine;
    private final Link link;
    private final CompletableFuture<CloseStatus> closeFuture = new CompletableFuture<>();
    /** The groups joined; made on the first join, as most connections of a server never join one. */
    private volatile Set<String> groups;

    private volatile Map<String, Object> attributes;
    private volatile User user;
    private volatile String subprotocol;
    private volatile MemberInfo member;
    /**
     * Set by {@link #close(CloseStatus)} at once, on the caller's thread, while the close itself may
     * wait its turn on the connection's thread: sends after a close fail from the moment it returns.
     */
    private volatile boolean closeRequested;

    /**
     * A session at {@code address} for a connection with {@code scope}, in the groups of {@code
     * engine}; the caller keeps the control and gives handlers {@link Control#session()}.
     */
    public static Control create(Address address, Scope scope, Membership engine, Link link) {
        return new Control(new ConnectionSession(address, scope, engine, link));
    }

    /** The transport's hold on one session: the changes a connection's life makes to it. */
    public static final class Control {
        private final ConnectionSession session;

        private Control(ConnectionSession session) {
            this.session = session;
        }

        /** The session, as handlers see it. */
        public ConnectionSession session() {
            return session;
        }

        /** Who the authenticator says this is ({@code null}: anonymous). Called before {@code onConnect}. */
        public void authenticated(User who) {
            session.user = who;
            session.member = new MemberInfo(session.address, who == null ? null : who.name());
        }

        /** The handshake is complete, with the subprotocol the handler chose ({@code null}: none). */
        public void opened(String chosenSubprotocol) {
            session.subprotocol = chosenSubprotocol;
        }

        /** The connection has closed with {@code status}: the close future completes. */
        public void closed(CloseStatus status) {
            session.closeFuture.complete(status);
        }

        /** Leaves every group on the engine, once the handler has heard of the close. */
        public void leaveEngineGroups() {
            Set<String> joined = session.groups;
            if (joined == null) {
                return;
            }
            for (String group : List.copyOf(joined)) {
                joined.remove(group);
                session.engine.leave(group, session.member);
            }
        }
    }

    private ConnectionSession(Address address, Scope scope, Membership engine, Link link) {
        this.address = address;
        this.scope = scope;
        this.engine = engine;
        this.link = link;
        this.member = new MemberInfo(address, null);
    }

    /** This session as presence reports it. */
    public MemberInfo member() {
        return member;
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public Scope scope() {
        return scope;
    }

    @Override
    public Optional<User> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.ofNullable(subprotocol);
    }

    @Override
    public boolean send(String text) {
        return send(Message.text(text));
    }

    @Override
    public boolean send(byte[] data) {
        return send(Message.binary(data));
    }

    @Override
    public boolean send(Message message) {
        return !closeRequested && link.write(message);
    }

    @Override
    public void close(CloseStatus status) {
        if (!status.sendable()) {
            throw new IllegalArgumentException("close code " + status.code() + " may not be sent");
        }
        closeRequested = true;
        link.startClosing(status);
    }

    @Override
    public boolean isOpen() {
        return !closeRequested && link.isOpen();
    }

    @Override
    public CompletionStage<CloseStatus> closeFuture() {
        return closeFuture.minimalCompletionStage();
    }

    @Override
    public CompletionStage<MembershipChange> join(String group) {
        Groups.requireValidName(group);
        if (link.isFinished()) {
            return CompletableFuture.completedFuture(MembershipChange.NONE);
        }
        if (joined().add(group)) {
            link.joined(group);
        }
        return engine.join(group, member);
    }

    @Override
    public CompletionStage<MembershipChange> joinHeld(String group) {
        Groups.requireValidName(group);
        if (link.isFinished()) {
            return CompletableFuture.completedFuture(MembershipChange.NONE);
        }
        link.hold(group);
        if (joined().add(group)) {
            link.joined(group);
        }
        return engine.join(group, member);
    }

    @Override
    public void release(String group, Message first, Predicate<Message> keep) {
        Objects.requireNonNull(keep, "keep");
        link.release(group, closeRequested ? null : first, keep);
    }

    @Override
    public CompletionStage<MembershipChange> leave(String group) {
        Groups.requireValidName(group);
        Set<String> joined = groups;
        if (joined != null && joined.remove(group)) {
            link.left(group);
        }
        return engine.leave(group, member);
    }

    @Override
    public Set<String> groups() {
        return Collections.unmodifiableSet(joined());
    }

    /** The set of groups joined, made now if this is the first time it is needed. */
    private Set<String> joined() {
        Set<String> set = groups;
        if (set == null) {
            synchronized (this) {
                set = groups;
                if (set == null) {
                    set = ConcurrentHashMap.newKeySet();
                    groups = set;
                }
            }
        }
        return set;
    }

    @Override
    public Hub hub() {
        return engine;
    }

    @Override
    public long conflated() {
        return link.conflated();
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>();
                    attributes = map;
                }
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return "Session[" + address + " " + scope.path() + "]";
    }
}
