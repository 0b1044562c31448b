/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import io.switchboard.server.ServedNode;
import io.switchboard.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers a class of client tests runs against, started as {@code ./switchboard serve} starts
 * them: one node keeping everything in memory, or two nodes of one cluster on a real Redis. Node
 * {@link #a()} is where publishers are, node {@link #b()} where subscribers are; on one node they
 * are the same.
 */
final class Nodes implements AutoCloseable {

    /** The WebSocket path of the client protocol. */
    static final String CONNECTION = "/connection/websocket";

    private final String description;
    private final RedisServer redis;
    private final ServedNode a;
    private final ServedNode b;

    private Nodes(String description, RedisServer redis, ServedNode a, ServedNode b) {
        this.description = description;
        this.redis = redis;
        this.a = a;
        this.b = b;
    }

    /** One node, in memory, whose WebSockets may also be opened by pages from {@code pageOrigin} (or null). */
    static Nodes one(String pageOrigin) {
        return new Nodes("one node", null, ServedNode.start(options(pageOrigin)), null);
    }

    /** Two nodes on a Redis of their own (a real redis-server on a free loopback port). */
    static Nodes twoOnRedis(String pageOrigin) {
        RedisServer redis = RedisServer.start();
        List<String> options = new ArrayList<>(options(pageOrigin));
        options.addAll(List.of("--redis", redis.uri()));
        ServedNode a = null;
        try {
            a = ServedNode.start(options);
            return new Nodes("two nodes on Redis", redis, a, ServedNode.start(options));
        } catch (RuntimeException | AssertionError e) {
            if (a != null) {
                a.close();
            }
            redis.close();
            throw e;
        }
    }

    private static List<String> options(String pageOrigin) {
        List<String> options = new ArrayList<>(
                List.of("--jwt-secret", Tokens.SECRET, "--api-key", Curl.API_KEY, "--config", TestNamespaces.file()));
        if (pageOrigin != null) {
            options.addAll(List.of("--allowed-origins", pageOrigin));
        }
        return options;
    }

    ServedNode a() {
        return a;
    }

    ServedNode b() {
        return b == null ? a : b;
    }

    /** "node A (port N)", "node B (port N)", or "the node (port N)" when there is one. */
    String label(ServedNode node) {
        String name = b == null ? "the node" : node == a ? "node A" : "node B";
        return name + " (port " + node.port() + ")";
    }

    /** Whether a channel's history outlives a node's restart (it does in Redis, not in one node's memory). */
    boolean historySurvivesRestart() {
        return redis != null;
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() {
        try {
            if (b != null) {
                b.close();
            }
            a.close();
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }
}
