/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.StaticCredentialsProvider;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the Redis is and how the nodes that share it behave. Validates itself: a wrong value fails
 * here, naming it.
 *
 * @param uri {@code redis://HOST:PORT[/DB]} or, for TLS, {@code rediss://HOST:PORT[/DB]}; or, to find
 *     the primary through Redis Sentinel and follow its failovers,
 *     {@code redis-sentinel://HOST1:PORT1[,HOST2:PORT2...][/DB]#MASTER_NAME}; a password (the data
 *     nodes') may be given as {@code redis://:PASSWORD@HOST:PORT} or in {@code password}; or, for a Redis
 *     Cluster (its slots spread over several primaries), {@code redis-cluster://[:PASSWORD@]HOST1:PORT1[,HOST2:PORT2...]}
 *     (seed nodes, any of which tells the client the rest; no database: a cluster has only database 0)
 * @param password the password, overriding one in the URI; {@code null} for none or the URI's
 * @param prefix put before every key and channel name, so several clusters can share one Redis
 * @param heartbeat how often a node says it is alive and looks for nodes that died
 * @param nodeExpiry how long a node may go without a heartbeat before the others forget it and its
 *     sessions leave their groups; at least twice {@code heartbeat}
 * @param commandTimeout how long one Redis command may take before it counts as failed and Redis as
 *     down (hung) until it answers again
 */
public record RedisSettings(
        String uri, String password, String prefix, Duration heartbeat, Duration nodeExpiry, Duration commandTimeout) {

    /** The key prefix unless told otherwise. */
    public static final String DEFAULT_PREFIX = "switchboard:";

    public RedisSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(prefix, "prefix");
        positive("heartbeat", heartbeat);
        positive("node expiry", nodeExpiry);
        positive("command timeout", commandTimeout);
        if (nodeExpiry.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the node expiry (" + nodeExpiry.toMillis()
                    + " ms) must be at least twice the heartbeat (" + heartbeat.toMillis() + " ms)");
        }
        if (prefix.contains(" ") || prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException(
                    "a Redis key prefix has no spaces or braces (braces are Redis Cluster hash tags): '" + prefix
                            + "'");
        }
        if (uri.startsWith(ClusterUri.SCHEME)) {
            ClusterUri.parse(uri); // fails naming what is wrong with it
        } else {
            parse(uri); // fails naming the URI when it is not one
        }
    }

    /** The command timeout unless told otherwise: a Redis that takes longer counts as down. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

    /** The least time a new connection gets to open and shake hands, however short the command timeout. */
    static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** {@code uri} with the defaults: prefix {@value #DEFAULT_PREFIX}, heartbeat 1 s, expiry 5 s, timeout 2 s. */
    public static RedisSettings of(String uri) {
        return new RedisSettings(
                uri, null, DEFAULT_PREFIX, Duration.ofSeconds(1), Duration.ofSeconds(5), DEFAULT_COMMAND_TIMEOUT);
    }

    public RedisSettings withPassword(String value) {
        return new RedisSettings(uri, value, prefix, heartbeat, nodeExpiry, commandTimeout);
    }

    public RedisSettings withPrefix(String value) {
        return new RedisSettings(uri, password, value, heartbeat, nodeExpiry, commandTimeout);
    }

    public RedisSettings withHeartbeat(Duration interval, Duration expiry) {
        return new RedisSettings(uri, password, prefix, interval, expiry, commandTimeout);
    }

    public RedisSettings withCommandTimeout(Duration value) {
        return new RedisSettings(uri, password, prefix, heartbeat, nodeExpiry, value);
    }

    /** The URI without its password, for logs and the banner. */
    public String display() {
        if (cluster()) {
            return ClusterUri.parse(uri).display();
        }
        RedisURI parsed = parse(uri);
        if (sentinel()) {
            return "redis-sentinel://"
                    + String.join(
                            ",",
                            parsed.getSentinels().stream()
                                    .map(node -> node.getHost() + ":" + node.getPort())
                                    .toList())
                    + "/" + parsed.getDatabase() + "#" + parsed.getSentinelMasterId();
        }
        return (parsed.isSsl() ? "rediss://" : "redis://") + parsed.getHost() + ":" + parsed.getPort() + "/"
                + parsed.getDatabase();
    }

    /** Whether the URI names a Redis Cluster (its slots spread over several primaries): {@code redis-cluster://}. */
    public boolean cluster() {
        return uri.startsWith(ClusterUri.SCHEME);
    }

    /** Whether the primary is found through Redis Sentinel (a {@code redis-sentinel://} URI). */
    public boolean sentinel() {
        return uri.startsWith(SENTINEL_SCHEME);
    }

    /** The database number the URI names (0 unless it names one). */
    public int database() {
        return cluster() ? 0 : parse(uri).getDatabase();
    }

    /** Lettuce's form of the URI, with the password and timeout applied. */
    RedisURI redisUri() {
        if (cluster()) {
            throw new IllegalStateException("a Redis Cluster has several URIs: clusterUris()");
        }
        RedisURI parsed = parse(uri);
        if (password != null && !password.isEmpty() && sentinel()) {
            // Lettuce's builder drops the sentinels when it copies a URI: set the data nodes' password in place.
            parsed.setCredentialsProvider(new StaticCredentialsProvider(null, password.toCharArray()));
        } else if (password != null && !password.isEmpty()) {
            parsed = RedisURI.builder(parsed)
                    .withPassword(password.toCharArray())
                    .build();
        }
        parsed.setTimeout(connectTimeout()); // the handshake's; commands have the command timeout
        // Each sentinel is asked in turn with its own timeout: a dead one must not hold up the start.
        parsed.getSentinels().forEach(node -> node.setTimeout(connectTimeout()));

        return parsed;
    }

    /** Lettuce's URIs of a cluster's seed nodes, with the password and the handshake's timeout applied. */
    List<RedisURI> clusterUris() {
        return ClusterUri.parse(uri).redisUris(password, connectTimeout());
    }

    /** How long a connection may take to open and shake hands: a busy start is not an outage. */
    Duration connectTimeout() {
        return commandTimeout.compareTo(MIN_CONNECT_TIMEOUT) > 0 ? commandTimeout : MIN_CONNECT_TIMEOUT;
    }

    private static final String SENTINEL_SCHEME = "redis-sentinel://";

    private static RedisURI parse(String uri) {
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://") && !uri.startsWith(SENTINEL_SCHEME)) {
            throw new IllegalArgumentException("a Redis URI starts with redis://, rediss://, redis-sentinel:// or"
                    + " redis-cluster://, not '" + uri + "'");
        }

        if (uri.startsWith(SENTINEL_SCHEME) && (!uri.contains("#") || uri.endsWith("#"))) {
            throw new IllegalArgumentException("a Redis Sentinel URI names its primary after a '#'"
                    + " (redis-sentinel://HOST:PORT#mymaster), not '" + uri + "'");
        }
        try {
            return RedisURI.create(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + uri + "' is not a Redis URI: " + e.getMessage(), e);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the " + name + " must be longer than zero, not " + value);
        }
    }
}
