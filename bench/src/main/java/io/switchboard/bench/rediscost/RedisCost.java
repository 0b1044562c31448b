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
import io.switchboard.bench.server.ServerHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./switchboard bench redis-cost}: what Redis does per chat room message and per join, from
 * {@code INFO commandstats}, with 1, 2 and 4 nodes of the real server on one redis-server and two room
 * sizes; then deliveries per CPU-second of the nodes under a steady chat load. With {@code --pin} the
 * nodes and Redis run on CPU 0, the generator on CPU 1.
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
                    options.flag("pin"),
                    Path.of(options.string("out", "bench/results/results.jsonl")));
            options.checkAllRead();
            return plan;
        }

        String cpus() {
            return pin ? "0" : null;
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
            try (RedisProcess redis = RedisProcess.start(plan.cpus());
                    Nodes started = Nodes.start(nodes, redis.uri(), plan.cpus());
                    Connector connector = new Connector(1)) {
                measureAll(plan, redis, started, connector, nodes);
            }
        }
        return 0;
    }

    /** With {@code nodes} nodes up: the idle background, each room size's costs, then the load. */
    private static void measureAll(Plan plan, RedisProcess redis, Nodes started, Connector connector, int nodes)
            throws Exception {
        CommandStats idle = Cost.idle(redis, 3);
        System.err.println("== redis-cost nodes " + nodes + ", idle, per second: " + idle.describePer(3));
        Result background = new Result("redis-idle", "node").put("nodes", nodes).put("seconds", 3);
        idle.per(3).forEach((k, v) -> background.put("per_second_" + k, round(v)));
        plan.record(background);
        for (int members : plan.memberCounts()) {
            Room room = new Room(connector, started.handles(), "cost" + members);
            room.join(members, "member", true);
            Cost cost = Cost.measure(redis, room, nodes, plan.messages(), plan.joins());
            System.err.println("== redis-cost " + cost.describe());
            plan.record(costResult(cost));
            Clients.closeAll(room.members());
        }
        if (plan.loadSeconds() > 0) {
            Result load =
                    load(redis, started, connector, plan.rooms(), plan.roomMembers(), plan.rate(), plan.loadSeconds());
            plan.record(load.put("nodes", nodes).put("pinned", plan.pin()));
        }
    }

    private static Result costResult(Cost cost) {
        Result result = new Result("redis-cost", "node")
                .put("nodes", cost.nodes())
                .put("members", cost.members())
                .put("messages", cost.messages())
                .put("joins", cost.joins())
                .put("commands_per_message", round(cost.perMessage()))
                .put("commands_per_join", round(cost.perJoin()));
        cost.messageCommands().per(cost.messages()).forEach((k, v) -> result.put("per_message_" + k, round(v)));
        cost.joinCommands().per(cost.joins()).forEach((k, v) -> result.put("per_join_" + k, round(v)));
        return result;
    }

    /**
     * {@code rooms} rooms of {@code members} members over the nodes, random members sending {@code rate}
     * room messages a second; after a second's warm-up, deliveries per CPU-second of the nodes (and of Redis).
     */
    static Result load(
            RedisProcess redis, Nodes nodes, Connector connector, int rooms, int members, int rate, int seconds)
            throws Exception {
        List<Room> all = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            Room room = new Room(connector, nodes.handles(), "load" + r);
            room.join(members, "u" + r + "_", true);
            all.add(room);
        }
        long start = System.nanoTime();
        long[] sent = {0};
        ScheduledFuture<?> sender = all.get(0)
                .members()
                .get(0)
                .eventLoop()
                .scheduleAtFixedRate(
                        () -> {
                            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                            for (; sent[0] < due; sent[0]++) {
                                all.get((int) (sent[0] % rooms)).send((int) (sent[0] / rooms), "load" + sent[0]);
                            }
                        },
                        0,
                        1,
                        TimeUnit.MILLISECONDS);
        Thread.sleep(1000); // warm-up: the measured window starts after it
        ServerHandle redisHandle = ServerHandle.existing("redis", "127.0.0.1", 0, redis.pid());
        long d0 = deliveries(all), cpu0 = nodes.cpuNanos(), redis0 = redisHandle.cpuNanos(), t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L); // the measured window
        long d1 = deliveries(all), cpu1 = nodes.cpuNanos(), redis1 = redisHandle.cpuNanos(), t1 = System.nanoTime();
        sender.cancel(false);
        all.forEach(room -> Clients.closeAll(room.members()));
        double elapsed = (t1 - t0) / 1e9;
        double nodeCpu = (cpu1 - cpu0) / 1e9;
        Result result = new Result("redis-load", "node")
                .put("rooms", rooms)
                .put("members", members)
                .put("rate", rate)
                .put("seconds", round(elapsed))
                .put("deliveries_per_s", round((d1 - d0) / elapsed))
                .put("node_cpu_s", round(nodeCpu))
                .put("redis_cpu_s", round((redis1 - redis0) / 1e9))
                .put("deliveries_per_cpu_s", round(nodeCpu > 0 ? (d1 - d0) / nodeCpu : 0));
        System.err.println("== redis-load " + result.json());
        return result;
    }

    private static long deliveries(List<Room> rooms) {
        return rooms.stream().mapToLong(Room::messages).sum();
    }

    private static List<Integer> integers(String list) {
        return java.util.Arrays.stream(list.split(","))
                .map(String::trim)
                .map(Integer::valueOf)
                .toList();
    }

    private static double round(double value) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", value));
    }
}
