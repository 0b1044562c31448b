/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.engine.Retention;
import io.switchboard.testkit.RedisServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The history on Redis Cluster: each script touches the keys of one slot only, which it declares, and
 * a stream broadcasts only to a group of its own slot.
 */
class RedisHistorySlotsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final History.Template TEMPLATE = new History.Template("", " ", "");

    @Test
    void aStreamsKeysShareOneSlotWhateverItsName() {
        Keys keys = new Keys("p:", 0, true);
        // Not "}" and the like: Keys wraps it as "{}}", an empty hash tag, so Redis hashes each key whole.
        for (String name : List.of("lobby", "s:{room}", "{", "{}", "a}b", "a{}b{c}", "x}y{z}", "é{ü}")) {
            byte[][] declared = HistoryScripts.streamKeys(keys, name);
            assertThat(Arrays.stream(declared).map(SlotHash::getSlot).distinct())
                    .as("the keys of stream %s", name)
                    .hasSize(1);
        }
    }

    /**
     * A server that serves only the slot of {@code s:{room}} (and {@code q:{room}}) and the one of the
     * epoch key answers a script that touches any other key with an error, declared or not: so every
     * call goes through only when each script touches its declared keys alone.
     */
    @Test
    void everyHistoryCallTouchesOnlyItsDeclaredKeysInOneSlot() throws Exception {
        Keys keys = new Keys("slots:", 0, true);
        int room = SlotHash.getSlot(keys.history("s:{room}"));
        int epoch = SlotHash.getSlot(keys.epoch());
        try (RedisServer redis = RedisServer.startCluster("--cluster-require-full-coverage", "no")) {
            serveOnly(redis, room, epoch);
            assertThat(redis.cli("eval", "return redis.call('GET', 'slots:elsewhere')", "0"))
                    .as("the server refuses a key outside its slots, undeclared too")
                    .containsIgnoringCase("err");
            RedisSettings settings = RedisSettings.of(redis.uri()).withPrefix("slots:");
            try (RedisHistory history = RedisHistory.connect(settings, Retention.defaults(), keys, KnownEpoch.CHECK)) {
                InMemoryEngine hub = new InMemoryEngine();
                assertThat(await(history.append("s:{room}", id -> "m" + id, 10, entry -> {}))
                                .id())
                        .isEqualTo(1);
                History.Entry second =
                        await(history.appendAndBroadcast("s:{room}", TEMPLATE, 10, hub, "g:{room}", null));
                History.Recovery recovery = await(history.since("s:{room}", 0));
                assertThat(recovery.epoch()).as("since answered").isNotEmpty();
                assertThat(second.payload()).isEqualTo(recovery.epoch() + " 2");
                assertThat(recovery.complete()).isTrue();
                assertThat(await(history.latest("s:{room}", 5))).hasSize(2);
                await(history.remove("s:{room}"));
                await(history.enqueue("q:{room}", "p", 5));
                assertThat(await(history.drain("q:{room}"))).containsExactly("p");
                assertThat(history.available()).isTrue();
            }
        }
    }

    @Test
    void onAClusterAStreamBroadcastsOnlyToAGroupThatSharesItsHashTag() {
        Keys cluster = new Keys("p:", 0, true);
        assertThatThrownBy(() -> HistoryScripts.requireOneSlot(cluster, "s:{room}", "g:{hall}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stream s:{room} and group g:{hall} are in different slots: on Redis Cluster a stream"
                        + " and the group it broadcasts to must share a hash tag, e.g. s:{room} and g:{room}");
        assertThatThrownBy(() -> HistoryScripts.requireOneSlot(cluster, "chat:lobby", "lobby"))
                .isInstanceOf(IllegalArgumentException.class);
        HistoryScripts.requireOneSlot(cluster, "s:{room}", "g:{room}");
        HistoryScripts.requireOneSlot(new Keys("p:", 0), "s:{room}", "g:{hall}"); // standalone: any pair
    }

    @Test
    void appendAndBroadcastRefusesAGroupOfAnotherSlotOnACluster() throws Exception {
        try (RedisServer redis = RedisServer.startCluster()) {
            RedisSettings settings = RedisSettings.of(redis.uri()).withPrefix("refuse:");
            Keys keys = new Keys("refuse:", 0, true);
            try (RedisHistory history = RedisHistory.connect(settings, Retention.defaults(), keys, KnownEpoch.CHECK)) {
                InMemoryEngine hub = new InMemoryEngine();
                assertThatThrownBy(() -> history.appendAndBroadcast("s:{room}", TEMPLATE, 10, hub, "g:{hall}", null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("must share a hash tag");
                assertThat(await(history.since("s:{room}", 0)).entries())
                        .as("nothing numbered")
                        .isEmpty();
            }
        }
    }

    /** Takes every slot from the server but {@code kept}. */
    private static void serveOnly(RedisServer redis, int... kept) {
        TreeSet<Integer> slots = new TreeSet<>();
        for (int slot : kept) {
            slots.add(slot);
        }
        int from = 0;
        for (int slot : slots) {
            if (slot > from) {
                redis.cli("cluster", "delslotsrange", String.valueOf(from), String.valueOf(slot - 1));
            }
            from = slot + 1;
        }
        if (from <= SlotHash.SLOT_COUNT - 1) {
            redis.cli("cluster", "delslotsrange", String.valueOf(from), String.valueOf(SlotHash.SLOT_COUNT - 1));
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
