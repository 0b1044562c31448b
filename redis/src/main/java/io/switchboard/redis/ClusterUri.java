/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code redis-cluster://[:PASSWORD@]HOST1:PORT1[,HOST2:PORT2...]} URI taken apart: the seed nodes
 * a client asks for the cluster's layout (any one that answers is enough), and the password of the
 * data nodes. It names no database: a Redis Cluster has only database 0.
 *
 * @param seeds where to ask first, in the order given
 * @param password the password in the URI, {@code null} for none
 */
record ClusterUri(List<Seed> seeds, String password) {

    /** The scheme that marks a cluster URI. */
    static final String SCHEME = "redis-cluster://";

    /** One seed node: a host name or address, and its port. */
    record Seed(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    ClusterUri {
        seeds = List.copyOf(seeds);
    }

    /** Takes {@code uri} apart; fails naming it and what is wrong with it. */
    static ClusterUri parse(String uri) {
        String rest = uri.substring(SCHEME.length());
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String user = rest.substring(0, at);
            if (!user.startsWith(":")) {
                throw new IllegalArgumentException("a Redis Cluster URI takes a password, no user name:"
                        + " redis-cluster://:PASSWORD@HOST:PORT, not '" + uri.replace(user, "...") + "'");
            }
            password = user.substring(1);
            rest = rest.substring(at + 1);
        }
        String shown = password == null ? uri : SCHEME + ":...@" + rest; // errors show no password
        if (rest.contains("/") || rest.contains("?") || rest.contains("#")) {
            throw new IllegalArgumentException("a Redis Cluster URI names no database (a cluster has only database"
                    + " 0) and nothing after its nodes: redis-cluster://HOST1:PORT1,HOST2:PORT2, not '" + shown + "'");
        }
        List<Seed> seeds = new ArrayList<>();
        for (String node : rest.split(",", -1)) {
            seeds.add(seed(node, shown));
        }
        return new ClusterUri(seeds, password == null || password.isEmpty() ? null : password);
    }

    private static Seed seed(String node, String uri) {
        int colon = node.lastIndexOf(':');
        if (colon <= 0 || colon == node.length() - 1) {
            throw new IllegalArgumentException(
                    "a Redis Cluster URI lists its nodes as HOST:PORT separated by commas, not '" + uri + "'");
        }
        try {
            int port = Integer.parseInt(node.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new Seed(node.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + node.substring(colon + 1) + "' is not a port (1 to 65535) in '" + uri + "'", e);
        }
    }

    /** Lettuce's URI of each seed, with {@code passwordOverride} (or the URI's) and {@code timeout} for the handshake. */
    List<RedisURI> redisUris(String passwordOverride, Duration timeout) {
        String secret = passwordOverride != null && !passwordOverride.isEmpty() ? passwordOverride : password;
        return seeds.stream()
                .map(seed -> {
                    RedisURI.Builder builder = RedisURI.builder()
                            .withHost(seed.host())
                            .withPort(seed.port())
                            .withTimeout(timeout);
                    return secret == null
                            ? builder.build()
                            : builder.withPassword(secret.toCharArray()).build();
                })
                .toList();
    }

    /** The URI without its password, for logs and the banner. */
    String display() {
        return SCHEME + String.join(",", seeds.stream().map(Seed::toString).toList());
    }
}
