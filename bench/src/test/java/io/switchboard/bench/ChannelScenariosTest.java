/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.Server;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.scenario.ChannelBroadcastScenario;
import io.switchboard.bench.scenario.Options;
import io.switchboard.bench.scenario.Result;
import io.switchboard.bench.server.ProtocolTarget;
import io.switchboard.bench.server.ServerHandle;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The channel scenarios against the real protocol server of the bench, in this process. */
class ChannelScenariosTest {

    private Server server;

    @BeforeEach
    void start() {
        server = ProtocolTarget.start("127.0.0.1", 0, 1);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Result run(String... args) throws Exception {
        try (Connector connector = new Connector(1);
                ServerHandle handle = ServerHandle.existing(
                        "127.0.0.1", server.port(), ProcessHandle.current().pid())) {
            Options options = new Options(args, 1);
            Result result = new ChannelBroadcastScenario().run(handle, options, connector);
            options.checkAllRead();
            return result;
        }
    }

    @Test
    void everyPublicationReachesEverySubscriberOnceInOrder() throws Exception {
        Result result = run("channels", "--subscribers", "5", "--duration", "1", "--warmup", "0", "--rate", "2000");
        long published = (Long) result.get("published");
        assertThat(published).isGreaterThan(100);
        assertThat(result.get("publish_acknowledged")).isEqualTo(published);
        assertThat(result.get("publish_errors")).isEqualTo(0L);
        assertThat(result.get("lost")).isEqualTo(0L);
        assertThat(result.get("duplicated")).isEqualTo(0L);
        assertThat(result.get("offsets_backwards")).isEqualTo(0L);
        assertThat(((Map<?, ?>) result.get("latency_us")).get("count")).isEqualTo(result.get("deliveries"));
    }

    @Test
    void aChannelWithoutHistoryIsMeasuredToo() throws Exception {
        Result result =
                run("channels", "--subscribers", "3", "--duration", "1", "--warmup", "0", "--channel", "plain:bench");
        assertThat((Long) result.get("published")).isPositive();
        assertThat(result.get("lost")).isEqualTo(0L);
        assertThat(result.get("duplicated")).isEqualTo(0L);
    }
}
