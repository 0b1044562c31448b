/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import io.switchboard.bench.client.Connector;
import io.switchboard.bench.scenario.Options;
import io.switchboard.bench.scenario.Result;
import io.switchboard.bench.scenario.Scenario;
import io.switchboard.bench.server.ServerHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./switchboard bench metrics-cost}: what counting costs (issue 14's target: within 3 %). The
 * same build serves each scenario with counting on (its numbers read once a second, as a scrape would)
 * and off ({@code Server.Builder.stats(false)}), in rounds within one sitting, a fresh server JVM for
 * each side of each round. {@code --mode together} (the default) runs both sides at once, each server
 * with its own load, on the same CPU: whatever else the machine does falls on both alike.
 * {@code --mode alternate} runs them one after the other, on then off, then off then on. The figure
 * compared is the scenario's per server CPU-second one: the ratio of its medians, on over off (1.00 =
 * free, 0.97 = 3 % dearer), and the median of each round's own ratio.
 */
final class MetricsCost {

    private MetricsCost() {}

    /** Parses {@code --stats}: on (the default) or off. */
    static boolean stats(String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--stats takes on or off, not '" + value + "'");
        };
    }

    /** How one sitting is run: what {@code --threads}, {@code --pin} and {@code --server} asked. */
    private record Sitting(
            String kind, int threads, boolean pin, int clientThreads, String mode, Path out, Options options) {
        ServerHandle start(boolean stats) throws Exception {
            return ServerHandle.start(kind, threads, pin ? "0" : null, stats);
        }

        Result run(Scenario scenario, ServerHandle server, boolean stats, int round) throws Exception {
            try (Connector connector = new Connector(clientThreads)) {
                Result result = scenario.run(server, options, connector);
                result.put("server_threads", threads)
                        .put("pinned", pin)
                        .put("stats", stats)
                        .put("metrics_cost_round", round)
                        .put("metrics_cost_mode", mode);
                System.out.println(result.json());
                result.appendTo(out);
                return result;
            }
        }
    }

    static int run(Map<String, Scenario> scenarios, Options options) throws Exception {
        String mode = options.string("mode", "together");
        if (!mode.equals("together") && !mode.equals("alternate")) {
            throw new IllegalArgumentException("--mode takes together or alternate, not '" + mode + "'");
        }
        boolean together = mode.equals("together");
        Sitting sitting = new Sitting(
                options.string("server", "loop"),
                options.integer("threads", 1),
                options.flag("pin"),
                options.integer("client-threads", 1),
                mode,
                Path.of(options.string("out", "bench/results/results.jsonl")),
                options);
        int rounds = options.integer("rounds", 3);
        List<String> names =
                List.of(options.string("scenarios", "echo,broadcast").split(","));
        if (sitting.pin()) {
            BenchMain.pinSelf("1");
        }
        List<String> summary = new ArrayList<>();
        for (String name : names) {
            Scenario scenario = scenarios.get(name);
            if (scenario == null) {
                throw new IllegalArgumentException("metrics-cost runs echo and broadcast, not '" + name + "'");
            }
            Sides sides = new Sides();
            for (int round = 1; round <= rounds; round++) {
                boolean onFirst = round % 2 == 1;
                System.err.printf(
                        "== %s against %s, round %d, %s%n",
                        name,
                        sitting.kind(),
                        round,
                        together
                                ? onFirst
                                        ? "stats on and off together, on started first"
                                        : "stats off and on together, off started first"
                                : onFirst ? "stats on, then off" : "stats off, then on");
                Result[] pair = together
                        ? together(sitting, scenario, round, onFirst)
                        : alternate(sitting, scenario, round, onFirst);
                sides.add(pair[0], pair[1]);
            }
            summary.add(sides.line(name));
        }
        options.checkAllRead();
        summary.forEach(System.err::println);
        return 0;
    }

    /**
     * Both sides at once, each with its own load; returns on, off. The side started (and loaded)
     * first changes every round, so neither always has the head start.
     */
    private static Result[] together(Sitting sitting, Scenario scenario, int round, boolean onFirst) throws Exception {
        ExecutorService sides = Executors.newFixedThreadPool(2);
        try (ServerHandle first = sitting.start(onFirst);
                ServerHandle second = sitting.start(!onFirst)) {
            Future<Result> a = sides.submit(() -> sitting.run(scenario, first, onFirst, round));
            Future<Result> b = sides.submit(() -> sitting.run(scenario, second, !onFirst, round));
            return onFirst ? new Result[] {a.get(), b.get()} : new Result[] {b.get(), a.get()};
        } finally {
            sides.shutdownNow();
        }
    }

    /** One side after the other; returns on, off. */
    private static Result[] alternate(Sitting sitting, Scenario scenario, int round, boolean onFirst) throws Exception {
        Result[] pair = new Result[2];
        for (boolean stats : onFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
            try (ServerHandle server = sitting.start(stats)) {
                pair[stats ? 0 : 1] = sitting.run(scenario, server, stats, round);
            }
        }
        return pair;
    }

    /** The rounds of one scenario, with counting on and off. */
    private static final class Sides {
        private final List<Double> on = new ArrayList<>();
        private final List<Double> off = new ArrayList<>();
        private final List<Double> ratios = new ArrayList<>();
        private String key;

        void add(Result withStats, Result without) {
            String what = withStats.get("deliveries_per_cpu_s") != null ? "deliveries" : "messages";
            key = what + "_per_cpu_s";
            double a = ((Number) withStats.get(key)).doubleValue();
            double b = ((Number) without.get(key)).doubleValue();
            on.add(a);
            off.add(b);
            ratios.add(a / b);
        }

        String line(String name) {
            double ratio = median(on) / median(off);
            return String.format(
                    "== metrics-cost %s: %s median %.0f with stats on, %.0f off: on/off %.3f (%+.1f %%);"
                            + " median of the rounds' own ratios %.3f; rounds on %s, off %s",
                    name,
                    key,
                    median(on),
                    median(off),
                    ratio,
                    (ratio - 1) * 100,
                    median(ratios),
                    rounded(on),
                    rounded(off));
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }
}
