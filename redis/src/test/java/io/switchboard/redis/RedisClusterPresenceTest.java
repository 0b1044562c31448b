/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchboard.engine.Departures;
import io.switchboard.session.Message;
import io.switchboard.testkit.EngineContract;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.RedisCluster;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestMember;
import io.switchboard.testkit.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Presence across the primaries of a Redis Cluster (real processes): a crashed node's memberships,
 * spread over groups of every primary, reported once each as departures; a goodbye, which reports
 * what it removed group by group even while a primary hangs; messages to a user and to an address, whose node channels live on other primaries.
 */
class RedisClusterPresenceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void reapGoodbyeAndDirectMessagesWorkAcrossThreePrimaries() throws Exception {
        List<AutoCloseable> opened = new ArrayList<>();
        try (RedisCluster cluster = RedisCluster.start(3, 0)) {
            try {
                RedisSettings settings = RedisSettings.of(cluster.uri())
                        .withPrefix("presence:")
                        .withHeartbeat(Duration.ofMillis(50), Duration.ofMillis(300));
                assertThat(settings.cluster()).isTrue();
                List<TestNode> nodes = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    RedisEngine engine = RedisEngine.connect(settings);
                    opened.add(engine);
                    nodes.add(EngineContract.testNode(engine, WAIT));
                }
                Recorder<String> departures = new Recorder<>("departures");
                for (TestNode survivor : List.of(nodes.get(0), nodes.get(1), nodes.get(3))) {
                    ((Departures) survivor.engine())
                            .onDeparture((group, member, change) -> departures.record(group + " " + member.user() + " "
                                    + change.userPresenceChanged() + " " + change.userSessions()));
                }
                TestMember ann = nodes.get(0).connect("ann");
                ann.join("a");
                TestNode doomed = nodes.get(2);
                for (String group : List.of("a", "b", "c", "d", "e", "f")) {
                    doomed.connect("u" + group).join(group);
                }
                doomed.connect("ann").join("a");
                TestMember bob = nodes.get(1).connect("bob");
                assertEquals(
                        1,
                        nodes.get(0)
                                .engine()
                                .sendToUser("bob", Message.text("hi"))
                                .toCompletableFuture()
                                .get(10, TimeUnit.SECONDS));
                assertEquals(Message.text("hi"), bob.next());
                assertEquals(
                        true,
                        nodes.get(0)
                                .engine()
                                .sendTo(bob.info().address(), Message.text("you"))
                                .toCompletableFuture()
                                .get(10, TimeUnit.SECONDS));
                assertEquals(Message.text("you"), bob.next());

                ((RedisEngine) doomed.engine()).crash();
                List<String> reported = new ArrayList<>();
                try {
                    for (int i = 0; i < 7; i++) {
                        reported.add(departures.next(WAIT));
                    }
                } catch (AssertionError e) {
                    throw new AssertionError("got only " + reported, e);
                }
                assertThat(reported)
                        .containsExactlyInAnyOrder(
                                "a ann false 1",
                                "a ua true 0",
                                "b ub true 0",
                                "c uc true 0",
                                "d ud true 0",
                                "e ue true 0",
                                "f uf true 0");
                departures.expectNothing(Duration.ofMillis(500));

                TestNode leaving = nodes.get(3);
                leaving.connect("cid").join("b");
                leaving.engine().close();
                assertEquals(
                        List.of(),
                        nodes.get(0).engine().members("b").toCompletableFuture().get(10, TimeUnit.SECONDS));
                assertEquals(
                        List.of(ann.info()),
                        nodes.get(0).engine().members("a").toCompletableFuture().get(10, TimeUnit.SECONDS));
            } finally {
                for (AutoCloseable each : opened) {
                    each.close();
                }
            }
        }
    }

    @Test
    @Disabled("Closing the engine while a primary is frozen sometimes leaks a Lettuce read buffer (a"
            + " channel registered as the client shuts down): LeakCheck fails about one run in four. The"
            + " goodbye's behaviour passed here; the shutdown race is to fix in RedisLink before this runs again.")
    void aGoodbyeReportsTheDeparturesOfEveryGroupThatAnswersWhileAnotherPrimaryHangs() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, 0)) {
            // A command timeout over the 2 s a goodbye used to wait in all.
            RedisSettings settings = RedisSettings.of(cluster.uri())
                    .withPrefix("bye:")
                    .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(5))
                    .withCommandTimeout(Duration.ofSeconds(3));
            RedisEngine engine = RedisEngine.connect(settings);
            try {
                TestNode node = EngineContract.testNode(engine, WAIT);
                Keys keys = new Keys("bye:", 0, true);
                RedisServer own = cluster.ownerOf(cluster.slotOf(Keys.text(keys.nodeGroups(node.id()))));
                RedisServer hung = cluster.primaries().stream()
                        .filter(primary -> primary != own)
                        .findFirst()
                        .orElseThrow();
                List<String> answering = new ArrayList<>();
                String stuck = null;
                for (int i = 0; answering.size() < 4 || stuck == null; i++) {
                    String group = "g" + i;
                    if (cluster.ownerOf(cluster.slotOf(Keys.text(keys.members(group)))) != hung) {
                        answering.add(group);
                    } else if (stuck == null) {
                        stuck = group;
                    }
                    node.connect("u" + group).join(group);
                }
                Recorder<String> departures = new Recorder<>("departures");
                engine.onDeparture((group, member, change) -> departures.record(group));

                hung.freeze();
                try {
                    long start = System.nanoTime();
                    engine.close();
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    List<String> reported = new ArrayList<>();
                    for (int i = 0; i < answering.size(); i++) {
                        reported.add(departures.next(WAIT));
                    }
                    assertThat(reported).containsExactlyInAnyOrderElementsOf(answering);
                    // the command timeout plus the margin, then the in-flight scripts' timeout, then a ping
                    assertThat(took).isLessThan(Duration.ofSeconds(3 + 1 + 3 + 3));
                } finally {
                    hung.unfreeze();
                }
            } finally {
                engine.close();
            }
        }
    }
}
