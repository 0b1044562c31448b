/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import io.switchboard.engine.Engine;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.engine.LocalNode;
import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;
import io.switchboard.session.Message;
import io.switchboard.testkit.Recorder;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The in-memory engine, telling a test when the server reports a session gone: the server leaves a
 * closed session's groups first, so once {@code disconnected} is recorded, presence is settled.
 */
final class RecordingEngine implements Engine {

    private final InMemoryEngine engine = new InMemoryEngine();
    private final Recorder<Address> disconnected = new Recorder<>("disconnected sessions");

    /** The next session the server reported gone. */
    Address nextDisconnected() {
        return disconnected.next(Recorder.DEFAULT_TIMEOUT);
    }

    @Override
    public void start(LocalNode node) {
        engine.start(node);
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> connected(MemberInfo member) {
        return engine.connected(member);
    }

    @Override
    public void disconnected(MemberInfo member) {
        engine.disconnected(member);
        disconnected.record(member.address());
    }

    @Override
    public CompletionStage<MembershipChange> join(String group, MemberInfo member) {
        return engine.join(group, member);
    }

    @Override
    public CompletionStage<MembershipChange> leave(String group, MemberInfo member) {
        return engine.leave(group, member);
    }

    @Override
    public void broadcast(String group, Message message, Address except) {
        engine.broadcast(group, message, except);
    }

    @Override
    public void broadcastLatest(String group, String key, Message message) {
        engine.broadcastLatest(group, key, message);
    }

    @Override
    public void event(String group, Event event) {
        engine.event(group, event);
    }

    @Override
    public CompletionStage<Integer> sendToUser(String user, Message message) {
        return engine.sendToUser(user, message);
    }

    @Override
    public CompletionStage<Boolean> sendTo(Address address, Message message) {
        return engine.sendTo(address, message);
    }

    @Override
    public CompletionStage<List<MemberInfo>> members(String group) {
        return engine.members(group);
    }

    @Override
    public void close() {
        engine.close();
    }
}
