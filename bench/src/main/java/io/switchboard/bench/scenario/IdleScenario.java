/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.channel.Channel;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.server.ServerHandle;
import java.util.List;
import java.util.Map;

/**
 * {@code idle}: K connections opened and held on {@code /ws/echo}. The server's heap (after full
 * collections) and resident memory are read before and after, and its CPU time while the
 * connections sit idle: what one open connection costs.
 */
public final class IdleScenario implements Scenario {

    @Override
    public String name() {
        return "idle";
    }

    @Override
    public Result run(ServerHandle server, Options options, Connector connector) throws Exception {
        int connections = options.integer("connections", 15_000);
        int hold = options.integer("duration", 5);
        int sources = options.integer("sources", Math.max(1, connections / 10_000 + 1));
        int processes = options.integer("processes", Math.max(1, (connections + 14_999) / 15_000));
        int local = connections / processes + connections % processes;
        Map<String, Long> before = server.stats(true);
        Workers workers = processes > 1
                ? Workers.start("hold", server.ws("/ws/echo"), processes - 1, connections / processes, sources, sources)
                : null;
        List<Channel> channels =
                Clients.open(connector, server.ws("/ws/echo"), local, Clients.sources(sources, 0), 500, i ->
                        (ctx, opcode, buf, index, length) -> {});
        Map<String, Long> after = server.stats(true);
        long cpu0 = server.cpuNanos();
        Thread.sleep(hold * 1000L); // the connections sit idle for the measured time
        long idleCpu = server.cpuNanos() - cpu0;
        Result result = new Result(name(), server.kind())
                .put("connections", connections)
                .put("generator_processes", processes);
        if (!before.isEmpty() && !after.isEmpty()) {
            long heap = after.get("heapUsed") - before.get("heapUsed");
            long rss = after.get("rss") - before.get("rss");
            result.put("server_connections", after.get("connections"))
                    .put("heap_bytes_per_connection", heap / connections)
                    .put("rss_bytes_per_connection", rss / connections)
                    .put("heap_used_after", after.get("heapUsed"))
                    .put("rss_after", after.get("rss"));
        }
        result.put("idle_cpu_ms_per_s", Math.round(idleCpu / 1e6 / hold * 10) / 10.0);
        System.err.printf("  idle: %,d connections; %s%n", connections, result.json());
        Clients.closeAll(channels);
        if (workers != null) {
            workers.stop(0);
            workers.close();
        }
        return result;
    }
}
