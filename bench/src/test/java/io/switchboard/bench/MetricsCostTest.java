/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.Server;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.scenario.EchoScenario;
import io.switchboard.bench.scenario.Options;
import io.switchboard.bench.scenario.Result;
import io.switchboard.bench.server.ServerHandle;
import io.switchboard.bench.server.SwitchboardTarget;
import io.switchboard.stats.ServerStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metrics-cost comparison's two sides: the bench target counts its traffic with {@code --stats on}
 * and nothing with {@code off}, under the echo scenario's real load; and the medians it compares.
 */
class MetricsCostTest {

    private static final String[] SHORT = "echo --connections 2 --window 2 --warmup 0 --duration 1".split(" ");

    private static ServerStats echoAgainst(boolean stats) throws Exception {
        Server server = SwitchboardTarget.start("loop", "127.0.0.1", 0, 1, 64 * 1024, stats);
        try (Connector connector = new Connector(1);
                ServerHandle handle = ServerHandle.existing(
                        "loop",
                        "127.0.0.1",
                        server.port(),
                        ProcessHandle.current().pid())) {
            Options options = new Options(SHORT, 1);
            Result result = new EchoScenario().run(handle, options, connector);
            options.checkAllRead();
            assertThat((Long) result.get("messages")).isPositive();
            return server.stats();
        } finally {
            server.close();
        }
    }

    @Test
    void withStatsOnTheTargetCountsTheEchoesAndWithStatsOffNothing() throws Exception {
        ServerStats on = echoAgainst(true);
        assertThat(on.enabled()).isTrue();
        assertThat(on.connectionsOpened()).isEqualTo(2);
        assertThat(on.messagesIn()).isPositive();
        assertThat(on.messagesOut())
                .as("every message is echoed, or was in flight at the end")
                .isBetween(on.messagesIn() - 4, on.messagesIn());

        ServerStats off = echoAgainst(false);
        assertThat(off.enabled()).isFalse();
        assertThat(off.connectionsOpened()).isZero();
        assertThat(off.messagesIn()).isZero();
        assertThat(off.messagesOut()).isZero();
    }

    @Test
    void theMedianOfAnOddCountIsTheMiddleOneAndOfAnEvenCountTheMeanOfTheTwo() {
        assertThat(MetricsCost.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(MetricsCost.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void statsIsOnOrOff() {
        assertThat(MetricsCost.stats("on")).isTrue();
        assertThat(MetricsCost.stats("off")).isFalse();
        assertThatThrownBy(() -> MetricsCost.stats("maybe")).hasMessage("--stats takes on or off, not 'maybe'");
    }
}
