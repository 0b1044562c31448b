/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import io.switchboard.bench.client.Connector;
import io.switchboard.bench.scenario.Clients;
import io.switchboard.bench.scenario.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A steady chat load over the nodes: {@code rooms} rooms of {@code members} members each, spread
 * round-robin over the nodes, a message every {@code 1/rate} s in turn to each room; after a second's
 * warm-up, deliveries per CPU-second of the nodes (and the CPU of Redis, all primaries together) over
 * {@code seconds}.
 */
record Load(int rooms, int members, int rate, int seconds) {

    /** Counters read at the start and at the end of the measured window. */
    private record Sample(long deliveries, long nodeCpu, long redisCpu, long nanos) {
        static Sample take(List<Room> rooms, Nodes nodes, MeasuredRedis redis) {
            long deliveries = rooms.stream().mapToLong(Room::messages).sum();
            return new Sample(deliveries, nodes.cpuNanos(), redis.cpuNanos(), System.nanoTime());
        }
    }

    Result run(MeasuredRedis redis, Nodes nodes, Connector connector) throws Exception {
        List<Room> all = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            Room room = new Room(connector, nodes.handles(), "load" + r);
            room.join(members, "u" + r + "_", true);
            all.add(room);
        }
        ScheduledFuture<?> sender = send(all);
        Thread.sleep(1000); // warm-up: the measured window starts after it
        Sample start = Sample.take(all, nodes, redis);
        Thread.sleep(seconds * 1000L); // the measured window
        Sample end = Sample.take(all, nodes, redis);
        sender.cancel(false);
        all.forEach(room -> Clients.closeAll(room.members()));
        return result(start, end);
    }

    /** Sends at {@code rate} from one event loop, catching up every millisecond with what is due. */
    private ScheduledFuture<?> send(List<Room> all) {
        long start = System.nanoTime();
        long[] sent = {0};
        Runnable due = () -> {
            long until = (long) ((System.nanoTime() - start) / 1e9 * rate);
            for (; sent[0] < until; sent[0]++) {
                all.get((int) (sent[0] % rooms)).send((int) (sent[0] / rooms), "load" + sent[0]);
            }
        };
        return all.get(0).members().get(0).eventLoop().scheduleAtFixedRate(due, 0, 1, TimeUnit.MILLISECONDS);
    }

    private Result result(Sample start, Sample end) {
        double elapsed = (end.nanos() - start.nanos()) / 1e9;
        double nodeCpu = (end.nodeCpu() - start.nodeCpu()) / 1e9;
        long deliveries = end.deliveries() - start.deliveries();
        return new Result("redis-load", "node")
                .put("rooms", rooms)
                .put("members", members)
                .put("rate", rate)
                .put("seconds", round(elapsed))
                .put("deliveries_per_s", round(deliveries / elapsed))
                .put("node_cpu_s", round(nodeCpu))
                .put("redis_cpu_s", round((end.redisCpu() - start.redisCpu()) / 1e9))
                .put("deliveries_per_cpu_s", round(nodeCpu > 0 ? deliveries / nodeCpu : 0));
    }

    static double round(double value) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", value));
    }
}
