/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.engine.Retention;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.RedisServer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream's epoch is fixed at its birth, so nodes that know different history epochs (one has not
 * read the newer one yet) report the same one for a life of the stream.
 */
class RedisHistoryEpochTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final History.Template TEMPLATE = new History.Template("", " ", "");

    private RedisServer redis;
    private RedisSettings settings;
    private RedisHistory stale;
    private RedisHistory alsoStale;
    private RedisHistory fresh;
    private String newer;
    private final InMemoryEngine hub = new InMemoryEngine();

    /** Two nodes read the history epoch; then it is replaced by a newer one, which a third node reads. */
    @BeforeEach
    void nodesWithDifferentEpochs() {
        redis = RedisServer.start();
        settings = RedisSettings.of(redis.uri()).withPrefix("agree:");
        stale = rarelyReading();
        alsoStale = rarelyReading();
        newer = "9" + stale.epoch().substring(1); // made later: its time is greater
        redis.cli("set", "agree:epoch", newer);
        fresh = RedisHistory.connect(settings);
    }

    /** A node that reads the epoch by itself once an hour only: it stays behind for the test. */
    private RedisHistory rarelyReading() {
        return RedisHistory.connect(
                settings, Retention.defaults(), new Keys(settings.prefix(), settings.database()), Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        stale.close();
        alsoStale.close();
        fresh.close();
        redis.close();
    }

    @Test
    void aNodeThatKnowsAnOlderEpochTakesTheStreamAsItIsAndReadsTheNewerOne() throws Exception {
        assertThat(fresh.epoch()).isEqualTo(newer);
        assertThat(stale.epoch()).isNotEqualTo(newer);

        History.Entry first = await(fresh.appendAndBroadcast("a", TEMPLATE, 10, hub, "g", null));
        History.Entry second = await(stale.appendAndBroadcast("a", TEMPLATE, 10, hub, "g", null));

        String epoch = await(fresh.since("a", 0)).epoch();
        assertThat(epoch).startsWith(newer + ".");
        assertThat(await(stale.since("a", 0)).epoch()).isEqualTo(epoch);
        assertThat(first.payload()).isEqualTo(epoch + " 1");
        assertThat(second.payload()).isEqualTo(epoch + " 2");
        Eventually.until("the stale node read the newer epoch", WAIT, () -> {
            await(stale.latest("a", 1)); // a node learns a new epoch by asking
            return newer.equals(stale.epoch());
        });
    }

    @Test
    void aLifeBornUnderAnOlderEpochEndsWhenANodeThatKnowsANewerOneComes() throws Exception {
        History.Entry old = await(alsoStale.appendAndBroadcast("b", TEMPLATE, 10, hub, "g", null));
        String oldEpoch = await(alsoStale.since("b", 0)).epoch();
        assertThat(old.payload()).isEqualTo(oldEpoch + " 1");

        History.Entry first = await(fresh.appendAndBroadcast("b", TEMPLATE, 10, hub, "g", null));

        String epoch = await(fresh.since("b", 0)).epoch();
        assertThat(epoch).startsWith(newer + ".").isNotEqualTo(oldEpoch);
        assertThat(first.payload())
                .as("a new life: ids from 1 under a new epoch")
                .isEqualTo(epoch + " 1");
        History.Recovery seen = await(alsoStale.since("b", 0));
        assertThat(seen.epoch()).isEqualTo(epoch);
        assertThat(seen.entries()).extracting(History.Entry::payload).containsExactly(epoch + " 1");
    }

    /**
     * After restoring a snapshot (counters rolled back) the operator deletes the epoch key while the
     * nodes stay connected: they read the new one by themselves, and the stream begins a new life.
     */
    @Test
    void aDeletedEpochKeyIsReadAgainAndEndsTheStreamsLivesBornBeforeIt() throws Exception {
        redis.cli("del", "agree:epoch"); // the next one made is newer than the one below, which is real
        try (RedisHistory node = RedisHistory.connect(settings)) {
            restoredAndEpochDeleted(node);
        }
    }

    private void restoredAndEpochDeleted(RedisHistory node) throws Exception {
        String first = node.epoch();
        for (int i = 0; i < 3; i++) {
            await(node.appendAndBroadcast("c", TEMPLATE, 10, hub, "g", null));
        }
        String before = await(node.since("c", 0)).epoch();
        redis.cli("set", "agree:history-top:{c}", "1"); // a snapshot restored from after the first append
        redis.cli("del", "agree:epoch"); // what the operator then does, while the node stays connected

        Eventually.until("the node read a new epoch", WAIT, () -> {
            await(node.latest("c", 1)); // a node learns a new epoch by asking
            return !first.equals(node.epoch());
        });
        History.Entry after = await(node.appendAndBroadcast("c", TEMPLATE, 10, hub, "g", null));

        String epoch = await(node.since("c", 0)).epoch();
        assertThat(epoch).startsWith(node.epoch() + ".").isNotEqualTo(before);
        assertThat(after.payload()).as("a new life").isEqualTo(epoch + " 1");
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
