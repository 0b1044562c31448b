/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.Server;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.scenario.ConflationScenario;
import io.switchboard.bench.scenario.Options;
import io.switchboard.bench.scenario.Result;
import io.switchboard.bench.server.ServerHandle;
import io.switchboard.bench.server.SwitchboardTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conflation scenario's accounting against a real server in this process, with a small
 * outbound buffer so that the slow subscribers back up within a short run.
 */
class ConflationScenarioTest {

    private static Result run(Server server, String kind, String... args) throws Exception {
        try (Connector connector = new Connector(1);
                ServerHandle handle = ServerHandle.existing(
                        kind,
                        "127.0.0.1",
                        server.port(),
                        ProcessHandle.current().pid())) {
            Options options = new Options(args, 1);
            Result result = new ConflationScenario().run(handle, options, connector);
            options.checkAllRead();
            return result;
        }
    }

    // Big values, so that a few thousand of them overflow the kernel's socket buffers too.
    private static final String[] SMALL =
            "conflation --fast 2 --slow 2 --keys 5 --rate 5000 --duration 3 --samples 1 --payload 2000".split(" ");

    @Test
    void throughTheHubFastSubscribersGetEverythingAndSlowOnesTheNewestPerKey() throws Exception {
        Server server = SwitchboardTarget.start("loop", "127.0.0.1", 0, 1, 16 * 1024);
        try {
            Result result = run(server, "loop", SMALL);
            System.err.println(result.json());
            long published = (Long) result.get("published");
            assertThat(published).isGreaterThan(1000);
            assertThat(result.get("fast_received")).isEqualTo(2 * published);
            assertThat(result.get("fast_lost")).isEqualTo(0L);
            assertThat(result.get("fast_duplicated")).isEqualTo(0L);
            assertThat(result.get("slow_closed")).isEqualTo(0);
            assertThat(result.get("slow_keys_missing_newest")).isEqualTo(0L);
            assertThat(result.get("slow_backwards_within_key")).isEqualTo(0L);
            assertThat((Long) result.get("slow_conflated_sum")).isPositive();
            assertThat(result.get("slow_unaccounted")).isEqualTo(0L);
            assertThat((Long) result.get("slow_received_max")).isLessThan(published);
            assertThat((List<?>) result.get("heap_after_gc")).hasSize(2);
        } finally {
            server.close();
        }
    }
}
