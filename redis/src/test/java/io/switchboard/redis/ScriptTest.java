/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ScriptOutputType;
import io.switchboard.testkit.RedisServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Scripts go by their SHA once Redis has them, and by their text again after Redis forgot them. */
class ScriptTest {

    private static final Script EPOCH = Script.load("history-lib", "epoch", "epoch");

    @Test
    void runsBySha1AndSurvivesAScriptFlush() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            RedisLink link = RedisLink.open(RedisSettings.of(redis.uri()).withPrefix("script:"), "script test");
            try {
                String first = epoch(link, "first");
                assertThat(first).endsWith("-first");
                assertThat(epoch(link, "second")).isEqualTo(first);
                assertThat(stat(link, "evalsha", "calls")).isEqualTo(1);

                link.call("flush", commands -> commands.scriptFlush())
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
                assertThat(epoch(link, "third")).isEqualTo(first);
                assertThat(stat(link, "evalsha", "failed_calls")).isEqualTo(1);
                assertThat(epoch(link, "fourth")).isEqualTo(first);
                assertThat(stat(link, "evalsha", "calls")).isEqualTo(3);
                assertThat(stat(link, "eval", "calls")).isEqualTo(2);
            } finally {
                link.close();
            }
        }
    }

    private static String epoch(RedisLink link, String fresh) throws Exception {
        byte[][] keys = {Keys.bytes("script:epoch")};
        byte[] epoch = EPOCH.<byte[]>run(link, ScriptOutputType.VALUE, keys, Keys.bytes(fresh))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        return Keys.text(epoch);
    }

    /** One number from {@code INFO commandstats}, such as the calls of {@code evalsha}. */
    private static long stat(RedisLink link, String command, String field) throws Exception {
        String info = link.call("info", commands -> commands.info("commandstats"))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        String line = info.lines()
                .filter(l -> l.startsWith("cmdstat_" + command + ":"))
                .findFirst()
                .orElse("cmdstat_" + command + ":");
        for (String part : line.substring(line.indexOf(':') + 1).split(",")) {
            String[] pair = part.split("=");
            if (pair[0].equals(field)) {
                return Long.parseLong(pair[1]);
            }
        }
        return 0;
    }
}
