/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.switchboard.engine.Engine;
import io.switchboard.engine.History;
import io.switchboard.session.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link History#appendAndBroadcast} promises together with the engine it broadcasts through:
 * every member on every node receives the entries in id order, and a conflation key travels with
 * them (see {@code Hub.broadcastLatest}). Subclass it with an engine cluster and a history shared by
 * its nodes.
 */
public abstract class BroadcastHistoryContract {

    private final List<AutoCloseable> opened = new ArrayList<>();

    protected BroadcastHistoryContract() {}

    /** {@code count} engines of one cluster, not started. */
    protected abstract List<Engine> newCluster(int count);

    /** A history shared by the nodes of the cluster {@link #newCluster} made last, broadcasting on their channels. */
    protected abstract History newHistory();

    /** How long to wait for a delivery or a store. */
    protected Duration timeout() {
        return Duration.ofSeconds(5);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable each : opened) {
            each.close();
        }
        opened.clear();
    }

    /** One member of {@code group} on each node of {@code cluster}, whose engines this starts. */
    private List<TestMember> membersOf(List<Engine> cluster, String group) {
        List<TestMember> members = new ArrayList<>();
        for (Engine engine : cluster) {
            opened.add(engine);
            TestMember member = EngineContract.testNode(engine, timeout()).connect(null);
            member.join(group);
            members.add(member);
        }
        return members;
    }

    @Test
    void anEntryWithAKeyReachesEveryNodeWithItsKeyAndOneWithoutNone() {
        List<Engine> cluster = newCluster(2);
        List<TestMember> members = membersOf(cluster, "g:{ticker}");
        History history = newHistory();
        opened.add(history);
        Engine hub = cluster.get(0);
        History.Template template = new History.Template("{\"epoch\":\"", "\",\"id\":", "}");

        History.Entry first = await(history.appendAndBroadcast("t:{ticker}", template, 10, hub, "g:{ticker}", "AAPL"));
        History.Entry second = await(history.appendAndBroadcast("t:{ticker}", template, 10, hub, "g:{ticker}"));
        History.Entry third = await(history.appendAndBroadcast("t:{ticker}", template, 10, hub, "g:{ticker}", "MSFT"));

        for (TestMember member : members) {
            assertEquals(new TestMember.Latest("AAPL", Message.text(first.payload())), member.next());
            assertEquals(Message.text(second.payload()), member.next());
            assertEquals(new TestMember.Latest("MSFT", Message.text(third.payload())), member.next());
        }
        assertEquals(List.of(1L, 2L, 3L), List.of(first.id(), second.id(), third.id()));
    }

    @Test
    void afterARemoveAnEntryIsNumberedFromOneUnderTheStreamsNewEpoch() {
        List<Engine> cluster = newCluster(2);
        List<TestMember> members = membersOf(cluster, "g:{room}");
        History history = newHistory();
        opened.add(history);
        History.Template template = new History.Template("", " ", "");

        History.Entry before = await(history.appendAndBroadcast("r:{room}", template, 10, cluster.get(0), "g:{room}"));
        await(history.remove("r:{room}"));
        History.Entry after = await(history.appendAndBroadcast("r:{room}", template, 10, cluster.get(1), "g:{room}"));

        assertEquals(1, after.id());
        assertNotEquals(before.payload(), after.payload(), "a new stream epoch: (epoch, 1) names one entry only");
        assertEquals(await(history.since("r:{room}", 0)).epoch() + " 1", after.payload());
        for (TestMember member : members) {
            assertEquals(Message.text(before.payload()), member.next());
            assertEquals(Message.text(after.payload()), member.next());
        }
    }

    private <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + timeout() + ": " + e, e);
        }
    }
}
