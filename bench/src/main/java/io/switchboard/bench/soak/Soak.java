/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One soak run: starts the server, measures its heap, runs healthy traffic alone, then beside every
 * chosen attack, then alone again; stops the attackers, checks that every healthy message arrived,
 * measures the heap again, and stops the server with SIGTERM.
 */
final class Soak {

    /** Every attack, by name, in the order they start. */
    static final List<String> ATTACKS = List.of(
            "fragment-flood",
            "one-byte-fragments",
            "ping-flood",
            "non-reader",
            "poisoner",
            "history-poison",
            "dm-poison",
            "churn",
            "half-open");

    /** Time the server gets after SIGTERM: its default drain timeout and then some. */
    private static final long EXIT_MILLIS = 15_000;

    /** Time the server gets to finish closing connections (its close timeout is 5 s) before the last measurement. */
    private static final long SETTLE_MILLIS = 6_000;

    /** Healthy traffic whose latency is not counted: connections warming up, code being compiled. */
    private static final long WARMUP_MILLIS = 2_000;

    private final SoakSettings settings;

    Soak(SoakSettings settings) {
        this.settings = settings;
    }

    SoakReport run() throws Exception {
        List<String> command = ServerProcess.command(settings.jar(), settings.heap(), settings.serverArgs());
        try (ServerProcess server = ServerProcess.start(command, settings.log(), 60_000)) {
            say("server pid %d on port %d, log in %s", server.pid(), server.port(), settings.log());
            HeapProbe heap = HeapProbe.attach(server.pid());
            double start = heap.liveMiB(30_000);
            say("heap at the start, after full GC: %.1f MiB", start);
            Watch watch = new Watch(server.port(), Duration.ofSeconds(settings.healthzSeconds()), heap);
            watch.start();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            Healthy healthy = startHealthy(address);
            Thread.sleep(WARMUP_MILLIS); // the phases are spans of time, not events
            healthy.echo().calm();
            Thread.sleep(settings.calmSeconds() * 1000L);
            Attackers attackers = attack(address, healthy.echo());
            healthy.echo().stopRecording();
            say("attackers stopped; healthy traffic alone for %d s", settings.calmSeconds());
            Thread.sleep(settings.calmSeconds() * 1000L);
            Delivered delivered = stopHealthy(healthy);
            Thread.sleep(SETTLE_MILLIS);
            double end = heap.liveMiB(20_000);
            watch.close();
            heap.close();
            boolean alive = server.alive();
            say("heap at the end, after full GC: %.1f MiB; server %s; sending SIGTERM", end, alive ? "alive" : "DEAD");
            Integer exit = alive ? server.terminate(EXIT_MILLIS) : null;
            SoakReport.Heap heapFigures = new SoakReport.Heap(
                    settings.heap(),
                    start,
                    Math.max(watch.peakHeapMiB(), Math.max(start, end)),
                    end,
                    settings.heapMarginMiB());
            SoakReport.Server serverFigures = new SoakReport.Server(
                    alive,
                    exit,
                    watch.healthzOk(),
                    watch.healthzFailed(),
                    watch.slowestHealthzMillis(),
                    server.outOfMemoryLines(),
                    server.exceptionLines());
            return new SoakReport(
                    settings.attackSeconds(),
                    heapFigures,
                    serverFigures,
                    delivered.chat(),
                    delivered.chatClosed(),
                    delivered.echo(),
                    figures(attackers));
        }
    }

    /** The healthy clients, on event loops of their own. */
    private record Healthy(WireClient client, HealthyChat chat, HealthyEcho echo) {}

    /** What the healthy clients received. */
    private record Delivered(RoomLedger.Totals chat, Map<Integer, Integer> chatClosed, SoakReport.Echo echo) {}

    private Healthy startHealthy(InetSocketAddress address) throws Exception {
        WireClient client = new WireClient("healthy", 1, address, InetAddress.getByName("127.0.0.1"));
        HealthyChat chat = new HealthyChat(client);
        HealthyEcho echo = new HealthyEcho(client);
        chat.join(settings.chatRooms(), settings.chatMembers(), 30_000);
        echo.open(settings.echoClients(), 30_000);
        chat.startSending(settings.chatRate(), settings.busyRate(), settings.busyLength());
        echo.startSending(settings.echoRate());
        say(
                "healthy: %d chat members in %d rooms, %d echo clients; calm for %d s",
                settings.chatRooms() * settings.chatMembers(),
                settings.chatRooms(),
                settings.echoClients(),
                settings.calmSeconds());
        return new Healthy(client, chat, echo);
    }

    /** Stops the healthy traffic, waits for what is still on its way, counts, and closes. */
    private static Delivered stopHealthy(Healthy healthy) throws InterruptedException {
        boolean drained = healthy.chat().stopAndDrain(15_000);
        healthy.echo().stopAndDrain(drained ? 15_000 : 2_000); // when the chat stalled, so did the echo
        say(drained ? "every healthy chat message arrived" : "some healthy chat messages never arrived");
        Delivered delivered =
                new Delivered(healthy.chat().totals(), healthy.chat().unexpectedCloses(), echoFigures(healthy.echo()));
        healthy.chat().close();
        healthy.echo().close();
        healthy.client().close();
        return delivered;
    }

    private Attackers attack(InetSocketAddress address, HealthyEcho echo) throws Exception {
        Attackers attackers = new Attackers(attacks());
        echo.underAttack();
        attackers.start(address);
        say("attacking for %d s: %s", settings.attackSeconds(), String.join(", ", attackNames(attackers)));
        Thread.sleep(settings.attackSeconds() * 1000L);
        attackers.stop(20_000);
        return attackers;
    }

    private List<Attack> attacks() {
        List<Attack> all = List.of(
                new Floods.Fragments("fragment-flood", 2, 0),
                new Floods.Fragments("one-byte-fragments", 2, 1),
                new Floods.Pings(4),
                new Hogs.NonReader(4),
                new Poisons.BadInput(2),
                new Poisons.History(2, settings.poisonRooms(), 100),
                new Poisons.Directs(1, settings.poisonDirects()),
                new Hogs.Churn(2),
                new Hogs.HalfOpen());
        return all.stream().filter(a -> settings.attacks().contains(a.name())).toList();
    }

    private static List<String> attackNames(Attackers attackers) {
        return attackers.attacks().stream().map(Attack::name).toList();
    }

    private static SoakReport.Echo echoFigures(HealthyEcho echo) {
        long[] t = echo.totals();
        Histogram calm = echo.calmLatency();
        Histogram attacked = echo.attackLatency();
        return new SoakReport.Echo(
                t[0],
                t[1],
                t[2],
                t[3],
                echo.unexpectedCloses(),
                calm.getValueAtPercentile(50),
                calm.getValueAtPercentile(99),
                attacked.getValueAtPercentile(50),
                attacked.getValueAtPercentile(99));
    }

    private static List<SoakReport.AttackFigures> figures(Attackers attackers) {
        List<SoakReport.AttackFigures> figures = new ArrayList<>();
        for (Attack attack : attackers.attacks()) {
            Attack.Stats stats = attack.stats();
            figures.add(new SoakReport.AttackFigures(
                    attack.name(),
                    attack.lanes(),
                    stats.connections.sum(),
                    stats.bytes.sum(),
                    stats.frames.sum(),
                    stats.outcomes()));
        }
        return figures;
    }

    private static void say(String format, Object... args) {
        System.err.printf("soak: " + format + "%n", args);
    }
}
