/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchboard.engine.Engine;
import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;
import io.switchboard.session.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link Engine} keeps, as one test suite: extend it, say how to make a cluster of
 * engines, and every test runs against that implementation. Each test attaches engines to
 * {@link TestNode}s that stand in for servers, with members standing in for sessions.
 *
 * <p>Absence is checked with fences, not with waiting: after a send that must not reach a member,
 * the test sends a marker that must, and the marker has to be the member's next message.
 */
public abstract class EngineContract {

    private final List<Engine> engines = new ArrayList<>();

    /** For the test class of one implementation. */
    protected EngineContract() {}

    /**
     * {@code count} engines forming one cluster (they share groups, users and presence), not yet
     * started. Called once per test.
     */
    protected abstract List<Engine> newCluster(int count);

    /** How long a delivery may take. */
    protected Duration timeout() {
        return Recorder.DEFAULT_TIMEOUT;
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
        engines.clear();
    }

    /** {@code count} nodes, each with a started engine of one cluster. */
    protected final List<TestNode> nodes(int count) {
        List<Engine> cluster = newCluster(count);
        List<TestNode> nodes = new ArrayList<>();
        for (Engine engine : cluster) {
            engines.add(engine);
            nodes.add(new TestNode(engine, timeout()));
        }
        return nodes;
    }

    /** A node standing in for a server, attached to {@code engine} (started here), for an engine's own tests. */
    public static TestNode testNode(Engine engine, Duration timeout) {
        return new TestNode(engine, timeout);
    }

    @Test
    void broadcastReachesEveryMemberOnEveryNodeAndNobodyElse() {
        List<TestNode> nodes = nodes(2);
        TestMember a = nodes.get(0).connect("ann");
        TestMember b = nodes.get(1).connect("bob");
        TestMember outsider = nodes.get(1).connect("cid");
        a.join("room");
        b.join("room");
        outsider.join("fence");

        nodes.get(0).engine().broadcast("room", Message.text("hello"));
        nodes.get(1).engine().broadcast("fence", Message.text("marker"));

        assertEquals(Message.text("hello"), a.next());
        assertEquals(Message.text("hello"), b.next());
        assertEquals(Message.text("marker"), outsider.next());
    }

    @Test
    void broadcastCanLeaveOutOneMember() {
        List<TestNode> nodes = nodes(2);
        TestMember sender = nodes.get(0).connect("ann");
        TestMember other = nodes.get(1).connect("bob");
        sender.join("room");
        other.join("room");
        sender.join("fence");

        nodes.get(0)
                .engine()
                .broadcast("room", Message.text("not to ann"), sender.info().address());
        nodes.get(1).engine().broadcast("fence", Message.text("marker"));

        assertEquals(Message.text("not to ann"), other.next());
        assertEquals(Message.text("marker"), sender.next());
    }

    @Test
    void aLatestValueCarriesItsKeyToEveryMemberOnEveryNodeInOrderWithBroadcasts() {
        List<TestNode> nodes = nodes(2);
        TestMember a = nodes.get(0).connect("ann");
        TestMember b = nodes.get(1).connect("bob");
        a.join("ticker");
        b.join("ticker");

        Engine sender = nodes.get(0).engine();
        sender.broadcast("ticker", Message.text("open"));
        sender.broadcastLatest("ticker", "AAPL", Message.text("AAPL 101"));
        sender.broadcastLatest("ticker", "MSFT", Message.binary(new byte[] {4, 2}));
        sender.broadcast("ticker", Message.text("close"));

        for (TestMember member : List.of(a, b)) {
            assertEquals(Message.text("open"), member.next());
            assertEquals(new TestMember.Latest("AAPL", Message.text("AAPL 101")), member.next());
            assertEquals(new TestMember.Latest("MSFT", Message.binary(new byte[] {4, 2})), member.next());
            assertEquals(Message.text("close"), member.next());
        }
    }

    @Test
    void eventReachesEveryMemberOnEveryNode() {
        List<TestNode> nodes = nodes(2);
        TestMember a = nodes.get(0).connect("ann");
        TestMember b = nodes.get(1).connect(null);
        a.join("room");
        b.join("room");

        Event event = Event.of("chat.message", Map.of("text", "hi"));
        nodes.get(1).engine().event("room", event);

        assertEquals(event, a.next());
        assertEquals(event, b.next());
    }

    @Test
    void broadcastsFromOneSenderArriveInOrder() {
        List<TestNode> nodes = nodes(2);
        TestMember far = nodes.get(1).connect("ann");
        far.join("room");
        for (int i = 0; i < 200; i++) {
            nodes.get(0).engine().broadcast("room", Message.text("m" + i));
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(Message.text("m" + i), far.next());
        }
    }

    @Test
    void aMemberThatLeftReceivesNothingMore() {
        List<TestNode> nodes = nodes(2);
        TestMember a = nodes.get(1).connect("ann");
        a.join("room");
        a.join("fence");
        a.leave("room");

        nodes.get(0).engine().broadcast("room", Message.text("after leave"));
        nodes.get(0).engine().broadcast("fence", Message.text("marker"));

        assertEquals(Message.text("marker"), a.next());
    }

    @Test
    void membersListsEveryNodeUntilTheyLeave() throws Exception {
        List<TestNode> nodes = nodes(2);
        TestMember a = nodes.get(0).connect("ann");
        TestMember b = nodes.get(1).connect(null);
        a.join("room");
        b.join("room");

        assertEquals(Set.of(a.info(), b.info()), membersOf(nodes.get(0), "room"));
        assertEquals(Set.of(a.info(), b.info()), membersOf(nodes.get(1), "room"));

        b.leave("room");
        assertEquals(Set.of(a.info()), membersOf(nodes.get(1), "room"));
        a.leave("room");
        assertEquals(Set.of(), membersOf(nodes.get(0), "room"));
    }

    @Test
    void userPresenceChangesOnlyWithTheFirstAndLastSession() {
        List<TestNode> nodes = nodes(2);
        TestMember first = nodes.get(0).connect("ann");
        TestMember second = nodes.get(1).connect("ann");

        assertEquals(new MembershipChange(true, 1), first.join("room"));
        assertEquals(new MembershipChange(false, 2), second.join("room"));
        assertEquals(new MembershipChange(false, 1), first.leave("room"));
        assertEquals(new MembershipChange(true, 0), second.leave("room"));
    }

    @Test
    void joiningTwiceIsOneMembership() throws Exception {
        List<TestNode> nodes = nodes(1);
        TestMember a = nodes.get(0).connect("ann");
        assertTrue(a.join("room").userPresenceChanged());
        assertFalse(a.join("room").userPresenceChanged());
        assertEquals(List.of(a.info()), list(nodes.get(0).engine().members("room")));
        assertTrue(a.leave("room").userPresenceChanged());
        assertFalse(a.leave("room").userPresenceChanged());
    }

    @Test
    void anonymousMembersHaveNoUserPresence() throws Exception {
        List<TestNode> nodes = nodes(1);
        TestMember anonymous = nodes.get(0).connect(null);
        assertEquals(MembershipChange.NONE, anonymous.join("room"));
        assertEquals(List.of(anonymous.info()), list(nodes.get(0).engine().members("room")));
        assertEquals(MembershipChange.NONE, anonymous.leave("room"));
    }

    @Test
    void concurrentSessionsOfOneUserSeeExactlyOneFirstAndOneLast() throws Exception {
        List<TestNode> nodes = nodes(2);
        List<TestMember> sessions = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sessions.add(nodes.get(i % 2).connect("ann"));
        }
        assertEquals(1, countChanged(sessions, true));
        assertEquals(1, countChanged(sessions, false));
    }

    private int countChanged(List<TestMember> sessions, boolean join) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(sessions.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MembershipChange>> results = new ArrayList<>();
            for (TestMember session : sessions) {
                results.add(pool.submit(() -> {
                    start.await();
                    return join ? session.join("room") : session.leave("room");
                }));
            }
            start.countDown();
            int changed = 0;
            for (Future<MembershipChange> result : results) {
                if (result.get(timeout().toMillis(), TimeUnit.MILLISECONDS).userPresenceChanged()) {
                    changed++;
                }
            }
            return changed;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sendToUserReachesEverySessionOfThatUserOnEveryNode() throws Exception {
        List<TestNode> nodes = nodes(2);
        TestMember phone = nodes.get(0).connect("ann");
        TestMember laptop = nodes.get(1).connect("ann");
        TestMember other = nodes.get(1).connect("bob");

        int reached = nodes.get(1)
                .engine()
                .sendToUser("ann", Message.text("for ann"))
                .toCompletableFuture()
                .get(timeout().toMillis(), TimeUnit.MILLISECONDS);

        assertEquals(2, reached);
        assertEquals(Message.text("for ann"), phone.next());
        assertEquals(Message.text("for ann"), laptop.next());
        nodes.get(0).engine().sendToUser("bob", Message.text("marker"));
        assertEquals(Message.text("marker"), other.next());
    }

    @Test
    void sendToAnAbsentUserReachesNobody() throws Exception {
        List<TestNode> nodes = nodes(2);
        nodes.get(0).connect("ann");
        int reached = nodes.get(0)
                .engine()
                .sendToUser("zed", Message.text("anyone?"))
                .toCompletableFuture()
                .get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(0, reached);
    }

    @Test
    void sendToAnAddressReachesThatSessionOnItsNode() throws Exception {
        List<TestNode> nodes = nodes(2);
        TestMember target = nodes.get(1).connect("ann");
        boolean sent = nodes.get(0)
                .engine()
                .sendTo(target.info().address(), Message.text("direct"))
                .toCompletableFuture()
                .get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(sent);
        assertEquals(Message.text("direct"), target.next());

        Address nobody = Address.next(nodes.get(1).id());
        boolean missed = nodes.get(0)
                .engine()
                .sendTo(nobody, Message.text("lost"))
                .toCompletableFuture()
                .get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(missed);
    }

    @Test
    void binaryMessagesArriveUnchanged() {
        List<TestNode> nodes = nodes(2);
        TestMember b = nodes.get(1).connect("bob");
        b.join("room");
        byte[] data = {0, 1, 2, (byte) 0xFF, (byte) 0x80, 10, 13};
        nodes.get(0).engine().broadcast("room", Message.binary(data));
        assertEquals(Message.binary(data.clone()), b.next());
    }

    @Test
    void invalidGroupNamesAreRefused() {
        Engine engine = nodes(1).get(0).engine();
        assertThrows(IllegalArgumentException.class, () -> engine.broadcast("", Message.text("x")));
        assertThrows(IllegalArgumentException.class, () -> engine.broadcast("has space", Message.text("x")));
        assertThrows(IllegalArgumentException.class, () -> engine.broadcastLatest("has space", "k", Message.text("x")));
        assertThrows(NullPointerException.class, () -> engine.broadcastLatest("ticker", null, Message.text("x")));
        assertThrows(IllegalArgumentException.class, () -> engine.members("x".repeat(201)));
    }

    private Set<MemberInfo> membersOf(TestNode node, String group) throws Exception {
        return Set.copyOf(list(node.engine().members(group)));
    }

    private <T> T list(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
