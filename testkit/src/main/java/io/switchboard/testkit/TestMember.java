/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;
import io.switchboard.session.Message;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Stands in for a session on a {@link TestNode}: its groups, and a recorder of what reached it. */
public final class TestMember {
    private final TestNode node;
    private final MemberInfo info;
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final Recorder<Object> inbox;
    private final Duration timeout;

    /**
     * A latest-value broadcast ({@code Hub.broadcastLatest}) as it reached this member: its message
     * and its conflation key. {@link #next()} returns one of these for each.
     */
    public record Latest(String key, Message message) {}

    TestMember(TestNode node, MemberInfo info, Duration timeout) {
        this.node = node;
        this.info = info;
        this.timeout = timeout;
        this.inbox = new Recorder<>("member " + info.address());
    }

    /** Its address and user. */
    public MemberInfo info() {
        return info;
    }

    /** Joins locally, then through the engine; returns what the engine decided. */
    public MembershipChange join(String group) {
        groups.add(group);
        return await(node.engine().join(group, info));
    }

    /** Leaves locally, then through the engine. */
    public MembershipChange leave(String group) {
        groups.remove(group);
        return await(node.engine().leave(group, info));
    }

    /** The next message, {@link Latest} value or event that reached this member. */
    public Object next() {
        return inbox.next(timeout);
    }

    /** As {@link #next()}, waiting up to {@code wait}. */
    public Object next(Duration wait) {
        return inbox.next(wait);
    }

    /** How many messages and events wait unread. */
    public int pending() {
        return inbox.size();
    }

    boolean inGroup(String group) {
        return groups.contains(group);
    }

    void record(Object messageOrEvent) {
        inbox.record(messageOrEvent);
    }

    private MembershipChange await(CompletionStage<MembershipChange> stage) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("engine did not answer: " + e, e);
        }
    }
}
