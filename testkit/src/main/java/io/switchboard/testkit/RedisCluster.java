/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for a test: {@code primaries} primaries with {@code replicas} replicas each,
 * every one a {@link RedisServer} of its own on a free loopback port, joined by
 * {@code redis-cli --cluster create}. Failover is fast (a node is taken for failed after
 * {@value #NODE_TIMEOUT_MS} ms). {@link #close()} stops every process it started and removes their
 * folders.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start(3, 1)) {
 *     RedisLink link = RedisLink.open(RedisSettings.of(cluster.uri()), "test");
 *     RedisServer owner = cluster.ownerOf(cluster.slotOf("{group:a}"));
 *     cluster.kill(owner);
 *     cluster.awaitPromotion(owner); // its replica now serves its slots
 * }
 * }</pre>
 *
 * <p>The nodes' roles are read from {@code CLUSTER NODES} each time they are asked for, so they are
 * right after a failover or a migration.
 */
public final class RedisCluster implements AutoCloseable {

    /** How long a node may be silent before the others take it for failed (cluster-node-timeout). */
    public static final int NODE_TIMEOUT_MS = 1000;

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> servers;
    /** The nodes killed or frozen, each with how to bring it back: asking them would fail or hang. */
    private final Map<RedisServer, Runnable> killed = new IdentityHashMap<>();

    private RedisCluster(List<RedisServer> servers) {
        this.servers = List.copyOf(servers);
    }

    /** Starts the servers, joins them into a cluster, and waits until every node says it is ok. */
    public static RedisCluster start(int primaries, int replicas) {
        if (primaries < 3) {
            throw new IllegalArgumentException("redis-cli --cluster create needs at least 3 primaries");
        }
        List<RedisServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < primaries * (1 + replicas); i++) {
                servers.add(RedisServer.start(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT_MS),
                        // a replica takes over however long it was cut off: tests kill primaries at once
                        "--cluster-replica-validity-factor", "0"));
            }
            RedisCluster cluster = new RedisCluster(servers);
            cluster.create(replicas);
            return cluster;
        } catch (RuntimeException | AssertionError e) { // Eventually fails with an AssertionError
            servers.forEach(RedisServer::close);
            throw e;
        }
    }

    private void create(int replicas) {
        List<String> arguments = new ArrayList<>(List.of("--cluster", "create"));
        servers.forEach(server -> arguments.add("127.0.0.1:" + server.port()));
        arguments.addAll(List.of("--cluster-replicas", String.valueOf(replicas), "--cluster-yes"));
        servers.getFirst().cli(arguments.toArray(String[]::new));
        awaitSettled("the new cluster");
    }

    /** {@code redis-cluster://127.0.0.1:P1,...} naming every node started (any of them is a seed). */
    public String uri() {
        return "redis-cluster://"
                + servers.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    /** The servers that are primaries with slots now. */
    public List<RedisServer> primaries() {
        return nodes().stream()
                .filter(node -> node.primary() && !node.slots().isEmpty())
                .map(node -> server(node.port()))
                .toList();
    }

    /** A replica of {@code primary} now. */
    public RedisServer replicaOf(RedisServer primary) {
        String id = node(primary).id();
        return nodes().stream()
                .filter(node -> id.equals(node.primaryId()) && !node.failed())
                .map(node -> server(node.port()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no replica of port " + primary.port()));
    }

    /** The primary that serves {@code slot} now. */
    public RedisServer ownerOf(int slot) {
        RedisServer owner = ownerOfOrNull(slot);
        if (owner == null) {
            throw new IllegalStateException("no live primary serves slot " + slot);
        }
        return owner;
    }

    /** The slot of {@code key} (or of a channel name: sharded channels hash the same way). */
    public int slotOf(String key) {
        return Integer.parseInt(cli(alive(), "cluster", "keyslot", key).strip());
    }

    /** Runs {@code redis-cli} against {@code node} and returns what it printed. */
    public String cli(RedisServer node, String... arguments) {
        return node.cli(arguments);
    }

    /**
     * Waits until {@code primary}'s replica has everything the primary wrote so far (their replication
     * offsets agree): replication is asynchronous, so a primary killed before that loses writes.
     */
    public void awaitReplicated(RedisServer primary) {
        RedisServer replica = replicaOf(primary);
        long written = offset(primary);
        Eventually.until(
                "port " + replica.port() + " to have what port " + primary.port() + " wrote",
                SETTLE_TIMEOUT,
                () -> offset(replica) >= written);
    }

    private static long offset(RedisServer node) {
        return node.cli("info", "replication")
                .lines()
                .filter(line -> line.startsWith("master_repl_offset:"))
                .mapToLong(line ->
                        Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no master_repl_offset from port " + node.port()));
    }

    /** Kills {@code node} at once (SIGKILL), as a crash: its replica takes over after the node timeout. */
    public void kill(RedisServer node) {
        node.kill();
        killed.put(node, node::launch);
    }

    /**
     * Freezes {@code node} (SIGSTOP), as a Redis that hangs: its connections stay open and nothing is
     * answered, and its replica (if any) takes over after the node timeout.
     */
    public void freeze(RedisServer node) {
        node.freeze();
        killed.put(node, node::unfreeze);
    }

    /**
     * Brings back a node {@link #kill killed} (started again on its port, with its cluster
     * configuration) or {@link #freeze frozen}; a primary that was failed over meanwhile comes back as
     * a replica (see {@link #awaitReplica}).
     */
    public void revive(RedisServer node) {
        Runnable back = killed.remove(node);
        if (back == null) {
            throw new IllegalStateException("port " + node.port() + " was neither killed nor frozen");
        }
        back.run();
    }

    /** Waits until {@code node} is a replica that the others do not take for failed, and all agree. */
    public void awaitReplica(RedisServer node) {
        Eventually.until("port " + node.port() + " a replica", SETTLE_TIMEOUT, () -> {
            ClusterNode seen = node(node);
            return !seen.primary() && !seen.failed();
        });
        awaitSettled("port " + node.port() + " back as a replica");
    }

    /**
     * Waits until a replica of the killed {@code primary} serves its slots and every live node says
     * {@code cluster_state:ok}; returns the new primary.
     */
    public RedisServer awaitPromotion(RedisServer primary) {
        int slot = node(primary).slots().getFirst()[0];
        Eventually.until(
                "a replica of port " + primary.port() + " promoted",
                SETTLE_TIMEOUT,
                () -> ownerOfOrNull(slot) != null && ownerOfOrNull(slot) != primary);
        awaitSettled("the failover of port " + primary.port());
        return ownerOf(slot);
    }

    /**
     * Moves {@code slot} (and its keys) to the primary {@code to}, as {@code redis-cli --cluster reshard}
     * does: importing and migrating marks, the keys in batches, then the new owner told to every primary.
     */
    public void migrateSlot(int slot, RedisServer to) {
        RedisServer from = ownerOf(slot);
        String fromId = node(from).id();
        String toId = node(to).id();
        String number = String.valueOf(slot);
        cli(to, "cluster", "setslot", number, "importing", fromId);
        cli(from, "cluster", "setslot", number, "migrating", toId);
        moveKeys(from, to, number);
        cli(to, "cluster", "setslot", number, "node", toId);
        cli(from, "cluster", "setslot", number, "node", toId);
        for (RedisServer primary : primaries()) {
            cli(primary, "cluster", "setslot", number, "node", toId);
        }
        awaitSettled("the migration of slot " + slot);
    }

    private void moveKeys(RedisServer from, RedisServer to, String slot) {
        while (true) {
            List<String> batch = from.cli("cluster", "getkeysinslot", slot, "100")
                    .lines()
                    .filter(line -> !line.isBlank())
                    .toList();
            if (batch.isEmpty()) {
                return;
            }
            List<String> migrate = new ArrayList<>(
                    List.of("migrate", "127.0.0.1", String.valueOf(to.port()), "", "0", "5000", "keys"));
            migrate.addAll(batch);
            String answer = from.cli(migrate.toArray(String[]::new));
            if (!answer.strip().equals("OK")) {
                throw new IllegalStateException("MIGRATE of slot " + slot + " failed: " + answer);
            }
        }
    }

    /** Waits until every live node says {@code cluster_state:ok} and they agree on who serves what. */
    public void awaitSettled(String what) {
        Eventually.until(what + " settled on every node", SETTLE_TIMEOUT, () -> live().stream()
                .allMatch(server -> server.cli("cluster", "info").contains("cluster_state:ok") && sameView(server)));
    }

    private boolean sameView(RedisServer server) {
        return slotsView(server).equals(slotsView(alive()));
    }

    private static String slotsView(RedisServer server) {
        return ClusterNode.parse(server.cli("cluster", "nodes")).stream()
                .filter(ClusterNode::primary)
                .filter(node -> !node.failed())
                .map(node -> node.port() + "="
                        + node.slots().stream().map(Arrays::toString).toList())
                .sorted()
                .toList()
                .toString();
    }

    private RedisServer ownerOfOrNull(int slot) {
        return nodes().stream()
                .filter(node -> node.primary() && !node.failed() && node.serves(slot))
                .filter(node -> killed.keySet().stream().noneMatch(gone -> gone.port() == node.port()))
                .map(node -> server(node.port()))
                .findFirst()
                .orElse(null);
    }

    private List<ClusterNode> nodes() {
        return ClusterNode.parse(cli(alive(), "cluster", "nodes"));
    }

    private ClusterNode node(RedisServer server) {
        return nodes().stream()
                .filter(node -> node.port() == server.port())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("port " + server.port() + " is not in the cluster"));
    }

    private RedisServer server(int port) {
        return servers.stream()
                .filter(server -> server.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("port " + port + " is not a server of this cluster"));
    }

    private List<RedisServer> live() {
        return servers.stream().filter(server -> !killed.containsKey(server)).toList();
    }

    private RedisServer alive() {
        return live().getFirst();
    }

    /** Stops every server (killed ones are already gone) and removes their folders. */
    @Override
    public void close() {
        servers.forEach(RedisServer::close);
    }
}
