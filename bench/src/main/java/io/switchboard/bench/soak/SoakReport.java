/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The figures of one soak run and the verdict on them. The invariants: the server stays alive and
 * answers {@code /healthz} every time, runs out of memory never, ends with exit code 0 on SIGTERM,
 * its heap after the attack (after full collections) is within the margin of the start, healthy
 * clients lose, repeat and reorder nothing and are never disconnected, and poisoned rooms can still
 * be joined.
 */
record SoakReport(
        int attackSeconds,
        Heap heap,
        Server server,
        RoomLedger.Totals chat,
        Map<Integer, Integer> chatClosed,
        Echo echo,
        List<AttackFigures> attacks) {

    /** Heap in MiB after full collections at the start and end, and the peak sampled in between; -1 when unread. */
    record Heap(String limit, double startMiB, double peakMiB, double endMiB, int marginMiB) {}

    /**
     * How the server fared: {@code exitCode} is null when SIGTERM did not end it in time.
     */
    record Server(
            boolean aliveAtEnd,
            Integer exitCode,
            long healthzOk,
            long healthzFailed,
            long slowestHealthzMillis,
            long outOfMemoryLines,
            long exceptionLines) {}

    /** Healthy echo figures; latency in microseconds, while calm and while under attack. */
    record Echo(
            long sent,
            long received,
            long lost,
            long duplicated,
            long closed,
            long calmP50,
            long calmP99,
            long attackP50,
            long attackP99) {}

    /** What one attack did and how the server answered it. */
    record AttackFigures(
            String name, int lanes, long connections, long bytes, long frames, Map<String, Long> outcomes) {}

    /** Every broken invariant, as a sentence; empty when the run passed. */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (!server.aliveAtEnd()) {
            failures.add("the server died during the run");
        } else if (server.exitCode() == null) {
            failures.add("the server did not exit within the drain timeout after SIGTERM");
        } else if (server.exitCode() != 0) {
            failures.add("the server exited with " + server.exitCode() + " after SIGTERM, not 0");
        }
        if (server.healthzFailed() > 0) {
            failures.add("/healthz failed " + server.healthzFailed() + " of "
                    + (server.healthzOk() + server.healthzFailed()) + " times");
        }
        if (server.outOfMemoryLines() > 0) {
            failures.add("the server logged OutOfMemoryError (" + server.outOfMemoryLines() + " lines)");
        }
        if (heap.startMiB() < 0 || heap.endMiB() < 0) {
            failures.add("the server's heap could not be read at the " + (heap.startMiB() < 0 ? "start" : "end"));
        } else if (heap.endMiB() > heap.startMiB() + heap.marginMiB()) {
            failures.add(String.format(
                    "heap after the attack %.1f MiB, more than the start %.1f MiB + %d MiB",
                    heap.endMiB(), heap.startMiB(), heap.marginMiB()));
        }
        if (!chat.clean()) {
            failures.add("healthy chat: " + chat.lost() + " lost, " + chat.duplicated() + " duplicated, "
                    + chat.outOfOrder() + " out of order, " + chat.idGaps() + " ids skipped, "
                    + chat.errors() + " errors");
        }
        if (!chatClosed.isEmpty()) {
            failures.add("healthy chat connections closed by the server (close code=count): " + chatClosed);
        }
        if (echo.lost() > 0 || echo.duplicated() > 0 || echo.closed() > 0) {
            failures.add("healthy echo: " + echo.lost() + " lost, " + echo.duplicated() + " duplicated or reordered, "
                    + echo.closed() + " connections closed by the server");
        }
        long unjoinable = attacks.stream()
                .flatMap(a -> a.outcomes().entrySet().stream())
                .filter(e -> e.getKey().startsWith("probe: room unjoinable"))
                .mapToLong(Map.Entry::getValue)
                .sum();
        if (unjoinable > 0) {
            failures.add(unjoinable + " poisoned rooms could not be joined (no welcome)");
        }
        return failures;
    }

    void print(PrintStream out) {
        out.println();
        out.printf("== soak: %d s of attack, server -Xmx%s%n", attackSeconds, heap.limit());
        out.printf(
                "heap (MiB, after full GC)  start %.1f  peak %.1f (sampled, garbage included)  end %.1f  (margin %d)%n",
                heap.startMiB(), heap.peakMiB(), heap.endMiB(), heap.marginMiB());
        out.printf(
                "server  alive at end %s  exit code after SIGTERM %s  healthz ok %d failed %d slowest %d ms"
                        + "  OutOfMemoryError lines %d  exception lines %d%n",
                server.aliveAtEnd(),
                server.exitCode() == null ? "none (killed)" : server.exitCode(),
                server.healthzOk(),
                server.healthzFailed(),
                server.slowestHealthzMillis(),
                server.outOfMemoryLines(),
                server.exceptionLines());
        out.printf(
                "healthy chat  sent %d  deliveries expected %d  received %d  lost %d  duplicated %d"
                        + "  out of order %d  ids skipped %d  errors %d  closed by server %s%n",
                chat.sent(),
                chat.expected(),
                chat.received(),
                chat.lost(),
                chat.duplicated(),
                chat.outOfOrder(),
                chat.idGaps(),
                chat.errors(),
                chatClosed);
        out.printf(
                "healthy echo  sent %d  received %d  lost %d  duplicated %d  closed by server %d"
                        + "  latency p50/p99 calm %.2f/%.2f ms, under attack %.2f/%.2f ms%n",
                echo.sent(),
                echo.received(),
                echo.lost(),
                echo.duplicated(),
                echo.closed(),
                echo.calmP50() / 1000.0,
                echo.calmP99() / 1000.0,
                echo.attackP50() / 1000.0,
                echo.attackP99() / 1000.0);
        for (AttackFigures attack : attacks) {
            out.printf(
                    "attack %-20s lanes %d  connections %d  wrote %.1f MiB in %d frames%n",
                    attack.name(), attack.lanes(), attack.connections(), attack.bytes() / 1048576.0, attack.frames());
            attack.outcomes().forEach((what, count) -> out.printf("    %-60s %d%n", what, count));
        }
        List<String> failures = failures();
        if (failures.isEmpty()) {
            out.println("PASS: every invariant held");
        } else {
            failures.forEach(f -> out.println("FAIL: " + f));
        }
    }
}
