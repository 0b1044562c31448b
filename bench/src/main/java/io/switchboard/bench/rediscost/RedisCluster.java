/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of N primaries and no replicas, each a {@code redis-server} the bench starts with
 * {@code cluster-enabled yes} on a free loopback port, joined by {@code redis-cli --cluster create}
 * (which spreads the 16,384 slots evenly). Ready once every primary reports {@code cluster_state:ok}
 * and knows all N. Stops only the servers it started.
 */
public final class RedisCluster implements MeasuredRedis {

    /** {@code redis-cli --cluster create} refuses fewer masters than this. */
    static final int MINIMUM_PRIMARIES = 3;

    private static final long READY_SECONDS = 30;

    private final List<RedisProcess> primaries;

    private RedisCluster(List<RedisProcess> primaries) {
        this.primaries = List.copyOf(primaries);
    }

    /** Starts {@code count} primaries (on {@code cpus} with taskset when not null) and joins them into one cluster. */
    public static RedisCluster start(int count, String cpus) throws IOException, InterruptedException {
        if (count < MINIMUM_PRIMARIES) {
            throw new IllegalArgumentException("--cluster " + count + ": redis-cli --cluster create needs at least "
                    + MINIMUM_PRIMARIES + " primaries (0 runs one standalone Redis)");
        }
        List<RedisProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                started.add(RedisProcess.start(cpus, clusterOptions()));
            }
            RedisCluster cluster = new RedisCluster(started);
            cluster.create();
            cluster.awaitReady();
            return cluster;
        } catch (IOException | RuntimeException | InterruptedException e) {
            started.forEach(RedisProcess::close);
            throw e;
        }
    }

    /**
     * Cluster mode; the node file lands in the server's own temporary folder (its {@code --dir}). The
     * cluster bus gets a free port of its own: by default it is the port plus 10,000, which another
     * process may hold.
     */
    private static List<String> clusterOptions() throws IOException {
        return List.of(
                "--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "5000",
                "--cluster-port", String.valueOf(RedisProcess.freePort()));
    }

    private void create() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        primaries.forEach(primary -> command.add("127.0.0.1:" + primary.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!cli.waitFor(READY_SECONDS, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            cli.destroyForcibly();
            throw new IOException("redis-cli --cluster create failed:\n" + out);
        }
    }

    /** Waits until every primary sees the whole cluster as healthy: only then do clients see one slot map. */
    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (!primaries.stream().allMatch(this::ready)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the cluster on " + uri() + " was not ok within " + READY_SECONDS + " s");
            }
            Thread.sleep(100); // polling servers that cannot tell us
        }
    }

    private boolean ready(RedisProcess primary) {
        List<String> info = List.of(primary.cli("CLUSTER", "INFO").split("\r?\n"));
        String size = String.valueOf(primaries.size());
        return info.contains("cluster_state:ok")
                && info.contains("cluster_known_nodes:" + size)
                && info.contains("cluster_size:" + size);
    }

    /** {@code redis-cluster://127.0.0.1:P1,127.0.0.1:P2,...}: every primary, as seeds. */
    @Override
    public String uri() {
        return primaries.stream()
                .map(primary -> "127.0.0.1:" + primary.port())
                .collect(Collectors.joining(",", "redis-cluster://", ""));
    }

    @Override
    public List<RedisProcess> primaries() {
        return primaries;
    }

    @Override
    public void close() {
        primaries.forEach(RedisProcess::close);
    }

    /** For messages: the cluster as its URI. */
    @Override
    public String toString() {
        return uri();
    }
}
