/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.RedisCluster;
import io.switchboard.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A script with declared keys runs on the primary that serves them, on each of three primaries; each
 * primary has the script cached by the link at connect (a run before that goes once by its text), and
 * a replica promoted in a failover has it cached before any run.
 */
class RedisClusterScriptTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Script SET = Script.load("history-lib", "cluster-set", "test");

    @Test
    void runsOnEachPrimaryAndLoadsOncePerPrimary() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, 0);
                RedisLink link = RedisLink.open(RedisSettings.of(cluster.uri()), "script test")) {
            List<String> keys = keyOnEach(cluster);
            for (int round = 0; round < 3; round++) {
                for (String key : keys) {
                    assertThat(run(link, key, "v" + round)).isEqualTo("v" + round);
                }
            }
            for (String key : keys) {
                RedisServer primary = cluster.ownerOf(SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8)));
                assertThat(cluster.cli(primary, "get", key).strip()).isEqualTo("v2");
                String stats = cluster.cli(primary, "info", "commandstats");
                // Cached at connect (SCRIPT LOAD); a run before that completed went once by its text.
                assertThat(calls(stats, "eval")).isLessThanOrEqualTo(1);
                assertThat(calls(stats, "eval") + calls(stats, "evalsha")).isEqualTo(3);
            }
        }
    }

    @Test
    void aPromotedReplicaHasTheScriptsCachedBeforeAnyRun() throws Exception {
        try (RedisCluster cluster = RedisCluster.start(3, 1);
                RedisLink link = RedisLink.open(RedisSettings.of(cluster.uri()), "script test")) {
            RedisServer primary = cluster.primaries().getFirst();
            Eventually.until("the script cached at connect", WAIT, () -> cached(cluster, primary));

            cluster.kill(primary);
            RedisServer promoted = cluster.awaitPromotion(primary);

            // Redis does not pass SCRIPT LOAD on to replicas: the link caches it on the new primary.
            Eventually.until("the script cached on the promoted replica", WAIT, () -> cached(cluster, promoted));
        }
    }

    private static boolean cached(RedisCluster cluster, RedisServer node) {
        return cluster.cli(node, "script", "exists", SET.sha()).strip().equals("1");
    }

    private static String run(RedisLink link, String key, String value) throws Exception {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return new String(
                SET.<byte[]>run(
                                link,
                                ScriptOutputType.VALUE,
                                new byte[][] {bytes},
                                value.getBytes(StandardCharsets.UTF_8))
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS),
                StandardCharsets.UTF_8);
    }

    private static List<String> keyOnEach(RedisCluster cluster) {
        List<String> keys = new ArrayList<>();
        for (RedisServer primary : cluster.primaries()) {
            for (int i = 0; ; i++) {
                String key = "{script-" + i + "}";
                if (cluster.ownerOf(SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8))) == primary) {
                    keys.add(key);
                    break;
                }
            }
        }
        return keys;
    }

    /** The calls of {@code command} in INFO COMMANDSTATS ({@code cmdstat_eval:calls=1,...}). */
    private static int calls(String stats, String command) {
        return stats.lines()
                .filter(line -> line.startsWith("cmdstat_" + command + ":"))
                .map(line -> line.substring(line.indexOf("calls=") + 6, line.indexOf(',')))
                .mapToInt(Integer::parseInt)
                .findFirst()
                .orElse(0);
    }
}
