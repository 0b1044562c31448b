/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.switchboard.engine.StoreStatus;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce client on one Redis: a command connection (and a pub/sub one for the engine), with the
 * outage handling both the engine and the history need. While a connection is down its commands
 * fail at once (they are never queued to run late, so delivery stays at most once), the client
 * reconnects with exponential backoff from {@value #FIRST_RETRY_MS} ms to {@value #LAST_RETRY_MS} ms,
 * and an outage is logged once when it starts and once when it ends.
 *
 * <p>A Redis that hangs (stopped, swapping, stuck on a slow command) keeps its connection open, so it
 * is noticed by time instead: every command fails after the command timeout, and the first that does
 * makes the link <em>hung</em>, an outage like a lost connection. While hung every {@link #call} fails
 * at once, and a probe pings every {@value #PROBE_MS} ms until Redis answers again.
 *
 * <p>On a Redis Cluster ({@link RedisSettings#cluster()}) the command connection routes each command
 * by the slot of its first key to that slot's primary, and the pub/sub one sends each sharded
 * subscription there (see {@link Subscriptions}). The link is down while a connection to any primary
 * that serves slots is lost (see {@link ClusterOutages}): commands for the other primaries would still
 * work, but a node cannot tell which of its next operations need the lost one, so it serves local
 * traffic only, as on one Redis. The outage ends when the connection is back or when a replica has
 * taken over that primary's slots (seen at the next layout refresh, every
 * {@link LinkOptions#REFRESH_PERIOD}). A command that times out on any primary makes the link hung,
 * and the probe then waits for every primary that serves slots to answer.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    static final long FIRST_RETRY_MS = 50;
    static final long LAST_RETRY_MS = 2000;
    static final long PROBE_MS = 100;

    private final String role;
    private final RedisSettings settings;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> connection;
    private final ClusterOutages clusterOutages;
    private final AtomicBoolean up = new AtomicBoolean(true);
    private final AtomicBoolean hung = new AtomicBoolean(false);
    private final AtomicBoolean pubSubUp = new AtomicBoolean(true);
    private volatile long downSince;
    private volatile boolean closed;
    private volatile Runnable onReconnect = () -> {};
    private volatile Runnable onPubSubReconnect = () -> {};
    private volatile Runnable onLayoutChange = () -> {};
    /** On a cluster, the pub/sub connection once opened: the outage lasts until it is back too. */
    private volatile StatefulRedisClusterPubSubConnection<byte[], byte[]> clusterPubSub;

    private final StoreCalls calls = new StoreCalls();

    private RedisLink(String role, RedisSettings settings, ClientResources resources, AbstractRedisClient client) {
        this.role = role;
        this.settings = settings;
        this.resources = resources;
        this.client = client;
        try {
            this.connection = client instanceof RedisClusterClient cluster
                    ? ClusterCheck.connect(cluster, settings)
                    : ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
        } catch (IllegalStateException e) {
            release();
            throw e; // a cluster that answers but is not fit for use, named by the check
        } catch (RuntimeException e) {
            release();
            throw new IllegalStateException("cannot reach Redis at " + settings.display() + ": " + rootMessage(e), e);
        }
        if (client instanceof RedisClusterClient cluster) {
            Script.cacheEverywhere(this, cluster());
            this.clusterOutages = new ClusterOutages(cluster, resources, new ClusterChanges());
        } else {
            this.clusterOutages = null;
            connection.addListener(new OutageLog());
        }
    }

    /** Connects; fails naming the Redis when it cannot be reached. {@code role} names the user in logs. */
    static RedisLink open(RedisSettings settings, String role) {
        ClientResources resources = LinkOptions.resources();
        if (settings.cluster()) {
            RedisClusterClient client = RedisClusterClient.create(resources, settings.clusterUris());
            client.setOptions(LinkOptions.cluster(settings));
            return new RedisLink(role, settings, resources, client);
        }
        RedisClient client = RedisClient.create(resources, settings.redisUri());
        client.setOptions(LinkOptions.standalone(settings));
        return new RedisLink(role, settings, resources, client);
    }

    /**
     * Runs one command (or script) on the command connection, reported to the {@link #onCall}
     * listeners as {@code operation} (one of a fixed set of names). It fails at once while Redis is
     * unreachable or hung, and after the command timeout when Redis does not answer, which makes the
     * link hung.
     */
    <T> CompletionStage<T> call(
            String operation,
            Function<RedisClusterAsyncCommands<byte[], byte[]>, ? extends CompletionStage<T>> command) {
        if (hung.get()) {
            calls.refused(operation);
            return CompletableFuture.failedFuture(
                    new RedisCommandTimeoutException("Redis at " + settings.display() + " is not answering"));
        }
        return calls.<T>timed(operation, !up.get(), () -> command.apply(commands()))
                .whenComplete((result, error) -> {
                    if (timedOut(error)) {
                        hang();
                    }
                });
    }

    /** Reports {@code started}, a call made on another connection (pub/sub), as {@code operation}. */
    <T> CompletionStage<T> observe(String operation, Supplier<? extends CompletionStage<T>> started) {
        return calls.timed(operation, !pubSubUp.get(), started);
    }

    /** Adds a listener told of every call through this link (see {@link io.switchboard.engine.StoreStatus}). */
    void onCall(StoreStatus.CallListener listener) {
        calls.add(listener);
    }

    /** Whether commands fail at once: Redis is unreachable or stopped answering. */
    boolean down() {
        return hung.get() || !up.get();
    }

    /**
     * Whether Redis answers now, for {@link StoreStatus#available()}: not closed, not down, and the
     * pub/sub connection (if any) not lost. Without it this node hears nothing from the others.
     */
    boolean available() {
        return !closed && !down() && pubSubUp.get();
    }

    /** Whether commands fail at once because Redis stopped answering. */
    boolean hung() {
        return hung.get();
    }

    private static boolean timedOut(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof RedisCommandTimeoutException;
    }

    /** A command timed out: an outage begins, logged once, until a probe is answered. */
    private void hang() {
        if (closed || !hung.compareAndSet(false, true)) {
            return;
        }
        downSince = System.nanoTime();
        log.warn(
                "Redis {} at {} did not answer within {} ms: serving local traffic only until it does",
                role,
                settings.display(),
                settings.commandTimeout().toMillis());
        probeLater();
    }

    private void probeLater() {
        CompletableFuture.delayedExecutor(PROBE_MS, TimeUnit.MILLISECONDS).execute(this::probe);
    }

    private void probe() {
        if (closed) {
            return;
        }
        ping().whenComplete((pong, error) -> {
            if (error != null) {
                probeLater();
            } else if (hung.compareAndSet(true, false)) {
                log.info(
                        "Redis {} at {} answers again after {} ms",
                        role,
                        settings.display(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince));
                onReconnect.run();
            }
        });
    }

    /** A PING to Redis; on a cluster to every primary that serves slots now (see {@link ClusterCheck#ping}). */
    private CompletionStage<?> ping() {
        return connection instanceof StatefulRedisClusterConnection<?, ?>
                ? ClusterCheck.ping(cluster())
                : commands().ping();
    }

    /** Runs {@code action} each time the command connection comes back after an outage. */
    void onReconnect(Runnable action) {
        this.onReconnect = action;
    }

    /**
     * A pub/sub connection on the same client; {@code onReconnect} runs each time it comes back. The
     * link is not {@link #available()} while it is lost.
     */
    StatefulRedisPubSubConnection<byte[], byte[]> openPubSub(
            RedisPubSubListener<byte[], byte[]> listener, Runnable onReconnect) {
        StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
        try {
            pubsub = client instanceof RedisClusterClient cluster
                    ? ClusterCheck.connectPubSub(cluster)
                    : ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach Redis at " + settings.display() + ": " + rootMessage(e), e);
        }
        pubsub.addListener(listener);
        this.onPubSubReconnect = onReconnect;
        if (pubsub instanceof StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster) {
            this.clusterPubSub = cluster;
        }
        if (clusterOutages == null) {
            pubsub.addListener(new PubSubState());
        }
        return pubsub;
    }

    /** On a cluster, runs {@code action} after each change of the layout (who serves which slots). */
    void onLayoutChange(Runnable action) {
        this.onLayoutChange = action;
    }

    /** The commands of the command connection: one Redis, or a cluster routing each by its key's slot. */
    @SuppressWarnings("unchecked")
    private RedisClusterAsyncCommands<byte[], byte[]> commands() {
        return connection instanceof StatefulRedisClusterConnection<?, ?> cluster
                ? (RedisClusterAsyncCommands<byte[], byte[]>) cluster.async()
                : ((StatefulRedisConnection<byte[], byte[]>) connection).async();
    }

    @Override
    public void close() {
        closed = true;
        if (clusterOutages != null) {
            clusterOutages.close();
        }
        closeQuietly(connection);
        release();
    }

    static void closeQuietly(StatefulConnection<?, ?> connection) {
        try {
            connection.close();
        } catch (RuntimeException e) {
            log.debug("closing a Redis connection failed", e);
        }
    }

    private void release() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private void commandsLost() {
        if (up.compareAndSet(true, false)) {
            downSince = System.nanoTime();
            if (!closed) {
                log.warn(
                        "Redis {} at {} is unreachable: serving local traffic only, reconnecting",
                        role,
                        settings.display());
            }
        }
    }

    private void commandsBack() {
        if (up.compareAndSet(false, true)) {
            log.info(
                    "Redis {} at {} is back after {} ms",
                    role,
                    settings.display(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince));
            onReconnect.run();
        }
    }

    private void pubSubLost() {
        if (pubSubUp.compareAndSet(true, false) && !closed) {
            log.warn(
                    "Redis {} at {}: the pub/sub connection is lost: nothing comes from other nodes until it is back",
                    role,
                    settings.display());
        }
    }

    private void pubSubBack() {
        if (pubSubUp.compareAndSet(false, true)) {
            log.info("Redis {} at {}: the pub/sub connection is back", role, settings.display());
        }
        onPubSubReconnect.run();
    }

    /** Logs an outage once at its start and once at its end, and starts the catching up. */
    private final class OutageLog implements RedisConnectionStateListener {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> channel) {
            commandsLost();
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> channel, SocketAddress address) {
            commandsBack();
        }
    }

    /** Follows the pub/sub connection: Redis may drop it alone (its output buffer limit, CLIENT KILL). */
    private final class PubSubState implements RedisConnectionStateListener {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> channel) {
            // A connection closed on purpose (the engine closing) is no loss to log.
            if (channel.isOpen()) {
                pubSubLost();
            } else {
                pubSubUp.set(false);
            }
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> channel, SocketAddress address) {
            pubSubBack();
        }
    }

    /** A cluster's primaries lost and back (see {@link ClusterOutages}): both connections at once. */
    private final class ClusterChanges implements ClusterOutages.Changes {
        @Override
        public void lost() {
            commandsLost();
            pubSubLost();
        }

        @Override
        public void back() {
            Script.cacheEverywhere(RedisLink.this, cluster());
            commandsBack();
            pubSubBack();
        }

        @Override
        public void moved() {
            ClusterCheck.openToEveryPrimary(cluster());
            Script.cacheEverywhere(RedisLink.this, cluster());
            onLayoutChange.run(); // subscribe again the channels whose slot has a new primary
        }

        @Override
        public boolean open(RedisClusterNode node) {
            return ClusterCheck.open(cluster(), clusterPubSub, node);
        }
    }

    @SuppressWarnings("unchecked")
    private StatefulRedisClusterConnection<byte[], byte[]> cluster() {
        return (StatefulRedisClusterConnection<byte[], byte[]>) connection;
    }
}
