/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's verdict: a clean run passes, and each broken invariant is named. */
class SoakReportTest {

    private static final SoakReport.Heap HEAP = new SoakReport.Heap("256m", 10, 120, 20, 32);
    private static final SoakReport.Server SERVER = new SoakReport.Server(true, 0, 60, 0, 40, 0, 0);
    private static final RoomLedger.Totals CHAT = new RoomLedger.Totals(100, 400, 400, 0, 0, 0, 0, 0);
    private static final SoakReport.Echo ECHO = new SoakReport.Echo(500, 500, 0, 0, 0, 500, 900, 700, 3000);
    private static final List<SoakReport.AttackFigures> ATTACKS = List.of(
            new SoakReport.AttackFigures("history-poison", 2, 10, 1000, 10, Map.of("probe: room joinable", 2L)));

    private static SoakReport report(
            SoakReport.Heap heap,
            SoakReport.Server server,
            RoomLedger.Totals chat,
            SoakReport.Echo echo,
            List<SoakReport.AttackFigures> attacks) {
        return new SoakReport(30, heap, server, chat, Map.of(), echo, attacks);
    }

    @Test
    void aCleanRunPasses() {
        assertThat(report(HEAP, SERVER, CHAT, ECHO, ATTACKS).failures()).isEmpty();
    }

    @Test
    void aDeadServerFails() {
        SoakReport.Server dead = new SoakReport.Server(false, null, 10, 50, 3000, 4, 9);

        assertThat(report(HEAP, dead, CHAT, ECHO, ATTACKS).failures())
                .contains(
                        "the server died during the run",
                        "/healthz failed 50 of 60 times",
                        "the server logged OutOfMemoryError (4 lines)");
    }

    @Test
    void aServerThatIgnoresSigtermOrExitsBadlyFails() {
        assertThat(report(HEAP, new SoakReport.Server(true, null, 60, 0, 40, 0, 0), CHAT, ECHO, ATTACKS)
                        .failures())
                .containsExactly("the server did not exit within the drain timeout after SIGTERM");
        assertThat(report(HEAP, new SoakReport.Server(true, 143, 60, 0, 40, 0, 0), CHAT, ECHO, ATTACKS)
                        .failures())
                .containsExactly("the server exited with 143 after SIGTERM, not 0");
    }

    @Test
    void aHeapThatStaysUpFails() {
        SoakReport.Heap grown = new SoakReport.Heap("256m", 10, 200, 42.5, 32);

        assertThat(report(grown, SERVER, CHAT, ECHO, ATTACKS).failures())
                .containsExactly("heap after the attack 42.5 MiB, more than the start 10.0 MiB + 32 MiB");
    }

    @Test
    void aLostOrReorderedHealthyMessageFails() {
        RoomLedger.Totals lossy = new RoomLedger.Totals(100, 400, 399, 1, 0, 1, 0, 0);
        SoakReport.Echo lossyEcho = new SoakReport.Echo(500, 499, 1, 0, 0, 500, 900, 700, 3000);

        assertThat(report(HEAP, SERVER, lossy, lossyEcho, ATTACKS).failures())
                .containsExactly(
                        "healthy chat: 1 lost, 0 duplicated, 1 out of order, 0 ids skipped, 0 errors",
                        "healthy echo: 1 lost, 0 duplicated or reordered, 0 connections closed by the server");
    }

    @Test
    void aHealthyClientClosedByTheServerFails() {
        SoakReport closed = new SoakReport(30, HEAP, SERVER, CHAT, Map.of(1008, 2), ECHO, ATTACKS);

        assertThat(closed.failures())
                .containsExactly("healthy chat connections closed by the server (close code=count): {1008=2}");
    }

    @Test
    void anUnjoinableRoomFails() {
        List<SoakReport.AttackFigures> unjoinable = List.of(new SoakReport.AttackFigures(
                "history-poison",
                2,
                10,
                1000,
                10,
                Map.of("probe: room joinable", 1L, "probe: room unjoinable, closed 1008", 3L)));

        assertThat(report(HEAP, SERVER, CHAT, ECHO, unjoinable).failures())
                .containsExactly("3 poisoned rooms could not be joined (no welcome)");
    }

    @Test
    void durationsReadInSecondsOrMinutes() {
        assertThat(SoakMain.seconds("90", "--duration")).isEqualTo(90);
        assertThat(SoakMain.seconds("90s", "--duration")).isEqualTo(90);
        assertThat(SoakMain.seconds("2m", "--duration")).isEqualTo(120);
    }
}
