/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import io.switchboard.bench.client.Connector;
import io.switchboard.bench.report.Report;
import io.switchboard.bench.scenario.BroadcastScenario;
import io.switchboard.bench.scenario.ChannelBroadcastScenario;
import io.switchboard.bench.scenario.ChatScenario;
import io.switchboard.bench.scenario.ConflationScenario;
import io.switchboard.bench.scenario.ConnectScenario;
import io.switchboard.bench.scenario.EchoScenario;
import io.switchboard.bench.scenario.IdleScenario;
import io.switchboard.bench.scenario.Options;
import io.switchboard.bench.scenario.Result;
import io.switchboard.bench.scenario.Scenario;
import io.switchboard.bench.server.ServerHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./switchboard bench SCENARIO [options]} and {@code ./switchboard bench report}.
 *
 * <p>For each server named by {@code --server} (default {@code both}: the baseline, then Switchboard
 * with handlers on the event loop) it starts the server in its own JVM, runs the scenario against
 * it from this JVM, prints progress and one JSON line, and appends the line to the results file.
 * With {@code --pin}, the server runs on CPU 0 and the generator on CPU 1. {@code --address H:P
 * --pid N} measures a server that is already running instead.
 */
public final class BenchMain {

    private static final Map<String, Scenario> SCENARIOS = Map.of(
            "echo", new EchoScenario(),
            "broadcast", new BroadcastScenario(),
            "idle", new IdleScenario(),
            "connect", new ConnectScenario(),
            "chat", new ChatScenario(),
            "channels", new ChannelBroadcastScenario(),
            "conflation", new ConflationScenario());

    private static final String USAGE = """
            usage: ./switchboard bench SCENARIO [options]      run a scenario
                   ./switchboard bench metrics-cost [options]  echo and broadcast, counting on and off
                   ./switchboard bench redis-cost [options]    Redis commands per message and join, 1/2/4 nodes
                   ./switchboard bench report [--in FILE] [--out FILE]
            scenarios: echo, broadcast, idle, connect, chat, channels, conflation
            common:    --server baseline|netty|vertx|loop|vt|both|all|peers (both = baseline,loop;
                       all = baseline,loop,vt; peers = baseline,netty,vertx,loop: the naive Netty server, Netty
                       written well, Vert.x 5 and Switchboard on the loop;
                       chat always runs the chat server; channels: both = loop,channels, all = loop,vt,channels,
                       where loop, vt and baseline run the plain broadcast; conflation: channels (the protocol),
                       or loop / vt: the framework's hub.broadcastLatest on /ws/latest, without the protocol)
                       --threads N (server event loops, 1)  --client-threads N (1)  --pin
                       --warmup S (3)  --duration S (10)  --out FILE (bench/results/results.jsonl)
                       --address HOST:PORT --pid PID      measure an existing server
                       --stats on|off (on: Switchboard counts its traffic, read once a second as a scrape would)
            metrics-cost: loop (or --server vt) with --stats on and off, echo then broadcast with their
                       options: --rounds R (3) --scenarios echo,broadcast --mode together|alternate
                       (together: both servers at once, each with its own load; alternate: one after
                       the other, on first in odd rounds); prints the medians per server CPU-second
                       and their ratio, on over off
            redis-cost: --nodes 1,2,4 --members 10,40 (a room's members, over the nodes) --messages K (200)
                       --joins J (20) --pin; then a chat load: --rooms R (10) --room-members M (50)
                       --rate PER_SECOND (200) --load-seconds S (5; 0: none); --cluster N (0: one standalone
                       Redis; N >= 3: a Redis Cluster of N primaries, commands counted on each)
            echo:      --connections C (100) --window W (8) --payload P (32) --frames binary|text (binary)
            broadcast: --subscribers N (1000) --payload P (64) --rate max|PER_SECOND (max) --window W (32)
                       --processes K (1: generator processes sharing the subscribers) --sources N
            idle:      --connections K (15000) --duration S (5) --processes K (one per 15,000)
            connect:   --concurrency C (50) --sources N (32)
            chat:      --rooms R (10) --members M (100) --rate PER_SECOND (2000) --direct-percent D (10)
            channels:  broadcast's options (not --processes), through Centrifugo's protocol on
                       /connection/websocket: --channel NAME (bench) --token-secret S (the bench server's)
            conflation: --fast N (10) --slow M (20) --keys K (100) --rate PER_SECOND (10000) --duration S (20)
                       --samples S (4: heap after GC at S steps); keep --duration under the server's ping interval +
                       pong timeout (45 s), after which a subscriber that reads nothing is closed as dead
                       --channel NAME (conflated:ticks) --payload P (64) --token-secret S
            """;

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.print(USAGE);
            return;
        }
        if (args[0].equals("worker")) {
            io.switchboard.bench.scenario.Workers.serve(args);
            return;
        }
        if (args[0].equals("report")) {
            Options options = new Options(args, 1);
            Path in = Path.of(options.string("in", "bench/results/results.jsonl"));
            Path out = Path.of(options.string("out", "bench/results/report.html"));
            options.checkAllRead();
            Report.write(in, out);
            System.out.println("report written to " + out);
            return;
        }
        if (args[0].equals("redis-cost")) {
            System.exit(io.switchboard.bench.rediscost.RedisCost.run(new Options(args, 1)));
        }
        if (args[0].equals("metrics-cost")) {
            System.exit(MetricsCost.run(SCENARIOS, new Options(args, 1)));
        }
        Scenario scenario = SCENARIOS.get(args[0]);
        if (scenario == null) {
            System.err.print("bench: unknown scenario '" + args[0] + "'\n" + USAGE);
            System.exit(2);
        }
        System.exit(run(scenario, new Options(args, 1)));
    }

    private static int run(Scenario scenario, Options options) throws Exception {
        Path out = Path.of(options.string("out", "bench/results/results.jsonl"));
        int threads = options.integer("threads", 1);
        boolean pin = options.flag("pin");
        List<String> servers = scenario.servers(options.string("server", "both"));
        String address = options.string("address", null);
        long pid = options.integer("pid", -1);
        int clientThreads = options.integer("client-threads", 1);
        boolean stats = MetricsCost.stats(options.string("stats", "on"));
        if (pin) {
            pinSelf("1");
        }
        List<Result> results = new ArrayList<>();
        try (Connector connector = new Connector(clientThreads)) {
            for (String kind : address != null ? List.of("existing") : servers) {
                System.err.printf("== %s against %s%n", scenario.name(), kind);
                try (ServerHandle server = address != null
                        ? ServerHandle.existing(address.split(":")[0], Integer.parseInt(address.split(":")[1]), pid)
                        : ServerHandle.start(kind, threads, pin ? "0" : null, stats)) {
                    Result result = scenario.run(server, options, connector);
                    result.put("server_threads", threads).put("pinned", pin).put("stats", stats);
                    options.checkAllRead();
                    System.out.println(result.json());
                    result.appendTo(out);
                    results.add(result);
                }
            }
        }
        compare(scenario.reference(), results);
        return 0;
    }

    /** Prints each server's per-CPU-second figure as a ratio to the reference server's. */
    private static void compare(String reference, List<Result> results) {
        Result baseline = results.stream()
                .filter(r -> reference.equals(r.get("server")))
                .findFirst()
                .orElse(null);
        if (baseline == null) {
            return;
        }
        String key = baseline.json().contains("deliveries_per_cpu_s")
                ? "deliveries_per_cpu_s"
                : baseline.json().contains("handshakes_per_cpu_s") ? "handshakes_per_cpu_s" : "messages_per_cpu_s";
        Object base = baseline.get(key);
        if (!(base instanceof Number b) || b.doubleValue() <= 0) {
            return;
        }
        for (Result result : results) {
            if (result != baseline && result.get(key) instanceof Number n) {
                System.err.printf(
                        "== %s: %s %.2fx the %s's%n",
                        result.get("server"), key, n.doubleValue() / b.doubleValue(), reference);
            }
        }
    }

    /** Moves this JVM's threads to {@code cpus} (Linux taskset), so the generator and server do not share a core. */
    public static void pinSelf(String cpus) throws Exception {
        Process taskset = new ProcessBuilder(
                        "taskset",
                        "-a",
                        "-p",
                        "-c",
                        cpus,
                        String.valueOf(ProcessHandle.current().pid()))
                .redirectErrorStream(true)
                .start();
        taskset.getInputStream().readAllBytes();
        if (taskset.waitFor() != 0) {
            System.err.println("bench: could not pin the generator with taskset; running unpinned");
        }
    }
}
