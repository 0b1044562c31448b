/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import io.switchboard.bench.client.Connector;
import io.switchboard.bench.scenario.Clients;
import io.switchboard.bench.scenario.Options;
import io.switchboard.bench.scenario.Result;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./switchboard bench redis-cost}: what Redis does per chat room message and per join, from
 * {@code INFO commandstats}, with 1, 2 and 4 nodes of the real server on one redis-server (or, with
 * {@code --cluster N}, on a Redis Cluster of N primaries, counted on each) and two room sizes; then
 * deliveries per CPU-second of the nodes under a steady chat load. With {@code --pin} the nodes and
 * Redis run on CPU 0, the generator on CPU 1.
 */
public final class RedisCost {

    private RedisCost() {}

    /** What {@code ./switchboard bench redis-cost} was asked to do. */
    private record Plan(
            List<Integer> nodeCounts,
            List<Integer> memberCounts,
            int messages,
            int joins,
            int loadSeconds,
            int rooms,
            int roomMembers,
            int rate,
            int cluster,
            boolean pin,
            Path out) {
        static Plan of(Options options) {
            Plan plan = new Plan(
                    integers(options.string("nodes", "1,2,4")),
                    integers(options.string("members", "10,40")),
                    options.integer("messages", 200),
                    options.integer("joins", 20),
                    options.integer("load-seconds", 5),
                    options.integer("rooms", 10),
                    options.integer("room-members", 50),
                    options.integer("rate", 200),
                    options.integer("cluster", 0),
                    options.flag("pin"),
                    Path.of(options.string("out", "bench/results/results.jsonl")));
            options.checkAllRead();
            return plan;
        }

        String cpus() {
            return pin ? "0" : null;
        }

        /** One standalone redis-server, or with {@code --cluster N} a cluster of N primaries. */
        MeasuredRedis startRedis() throws java.io.IOException, InterruptedException {
            return cluster == 0 ? RedisProcess.start(cpus()) : RedisCluster.start(cluster, cpus());
        }

        /** {@code result}, naming the nodes and the Redis it was measured on. */
        Result describe(Result result, int nodes) {
            return result.put("nodes", nodes)
                    .put("redis", cluster == 0 ? "standalone" : "cluster")
                    .put("primaries", Math.max(cluster, 1));
        }

        void record(Result result) {
            System.out.println(result.json());
            result.appendTo(out);
        }
    }

    public static int run(Options options) throws Exception {
        Plan plan = Plan.of(options);
        if (plan.pin()) {
            io.switchboard.bench.BenchMain.pinSelf("1");
        }
        for (int nodes : plan.nodeCounts()) {
            try (MeasuredRedis redis = plan.startRedis();
                    Nodes started = Nodes.start(nodes, redis.uri(), plan.cpus());
                    Connector connector = new Connector(1)) {
                measureAll(plan, redis, started, connector, nodes);
            }
        }
        return 0;
    }

    /** With {@code nodes} nodes up: the idle background, each room size's costs, then the load. */
    private static void measureAll(Plan plan, MeasuredRedis redis, Nodes started, Connector connector, int nodes)
            throws Exception {
        List<CommandStats> idle = Cost.idle(redis, 3);
        CommandStats all = CommandStats.sum(idle);
        System.err.println("== redis-cost nodes " + nodes + ", idle, per second: " + all.describePer(3));
        Result background =
                plan.describe(new Result("redis-idle", "node"), nodes).put("seconds", 3);
        all.per(3).forEach((k, v) -> background.put("per_second_" + k, Load.round(v)));
        background.put("upkeep_per_second", Load.round(all.upkeepTotal() / 3.0));
        putPerPrimary(background, "per_second_primary_", Cost.work(idle), 3);
        plan.record(background);
        for (int members : plan.memberCounts()) {
            Room room = new Room(connector, started.handles(), "cost" + members);
            room.join(members, "member", true);
            Cost cost = Cost.measure(
                    redis,
                    room,
                    nodes,
                    plan.messages(),
                    plan.joins(),
                    all.calls().keySet());
            System.err.println("== redis-cost " + cost.describe());
            plan.record(costResult(plan.describe(new Result("redis-cost", "node"), nodes), cost));
            Clients.closeAll(room.members());
        }
        if (plan.loadSeconds() > 0) {
            Load load = new Load(plan.rooms(), plan.roomMembers(), plan.rate(), plan.loadSeconds());
            Result result = load.run(redis, started, connector);
            System.err.println("== redis-load nodes " + nodes + ": " + result.json());
            plan.record(plan.describe(result, nodes).put("pinned", plan.pin()));
        }
    }

    private static Result costResult(Result result, Cost cost) {
        result.put("members", cost.members())
                .put("messages", cost.messages())
                .put("joins", cost.joins())
                .put("commands_per_message", Load.round(cost.perMessage()))
                .put("commands_per_join", Load.round(cost.perJoin()));
        cost.messageCommands().per(cost.messages()).forEach((k, v) -> result.put("per_message_" + k, Load.round(v)));
        cost.joinCommands().per(cost.joins()).forEach((k, v) -> result.put("per_join_" + k, Load.round(v)));
        result.put("upkeep_per_message", Load.round(cost.upkeepPerMessage()))
                .put("upkeep_per_join", Load.round(cost.upkeepPerJoin()))
                .put("primaries_touched_per_message", cost.primariesTouchedByMessages())
                .put("primaries_touched_per_join", cost.primariesTouchedByJoins());
        putPerPrimary(result, "per_message_primary_", Cost.work(cost.messagePerPrimary()), cost.messages());
        putPerPrimary(result, "per_join_primary_", Cost.work(cost.joinPerPrimary()), cost.joins());
        return result;
    }

    /** Each primary's calls per unit, as {@code prefix0}, {@code prefix1}, ... in the primaries' order. */
    private static void putPerPrimary(Result result, String prefix, List<CommandStats> perPrimary, long units) {
        for (int i = 0; i < perPrimary.size(); i++) {
            result.put(prefix + i, Load.round((double) perPrimary.get(i).total() / units));
        }
    }

    private static List<Integer> integers(String list) {
        return java.util.Arrays.stream(list.split(","))
                .map(String::trim)
                .map(Integer::valueOf)
                .toList();
    }
}
