/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.engine.Retention;
import io.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Node figures through a history: the newest of each node, nodes gone quiet dropped, foreign entries skipped. */
class ClusterFiguresTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC);
    private final History history = new InMemoryHistory(Retention.defaults(), clock);
    private final ClusterFigures cluster = new ClusterFigures(history, clock);

    @Test
    void theNewestFiguresOfEachNodeHeardFromLately() throws Exception {
        cluster.share(figures("a", 1)).toCompletableFuture().get();
        NodeFigures b = figures("b", 5);
        cluster.share(b).toCompletableFuture().get();
        clock.advance(Duration.ofSeconds(2));
        NodeFigures a = figures("a", 2);
        cluster.share(a).toCompletableFuture().get();

        assertThat(nodes()).containsExactlyInAnyOrder(a, b);

        clock.advance(ClusterFigures.STALE.minusSeconds(1));
        NodeFigures newest = figures("a", 3);
        cluster.share(newest).toCompletableFuture().get();
        assertThat(nodes()).containsExactly(newest); // b was last heard from 11 s ago
    }

    @Test
    void anEntryThatIsNotFiguresIsSkipped() throws Exception {
        history.append(ClusterFigures.STREAM, id -> "{\"something\":\"else\"}", 10, entry -> {})
                .toCompletableFuture()
                .get();
        cluster.share(figures("a", 1)).toCompletableFuture().get();

        assertThat(nodes()).containsExactly(figures("a", 1));
    }

    private List<NodeFigures> nodes() throws Exception {
        return cluster.nodes().toCompletableFuture().get();
    }

    private NodeFigures figures(String node, long connections) {
        return new NodeFigures(node, clock.millis(), connections, 1.5, 2.5, 3.5);
    }
}
