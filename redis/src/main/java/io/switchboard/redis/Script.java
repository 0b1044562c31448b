/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One Lua script from the {@code lua} resources, with a library of shared functions in front. The
 * first run on a link sends the text (EVAL, which also caches it in Redis); later runs send only its
 * SHA-1 (EVALSHA). A Redis that answers NOSCRIPT has forgotten it (restart, failover, SCRIPT FLUSH):
 * that run is retried with the text and the next ones send the text until one succeeds again.
 *
 * <p>Order: runs that were already on the wire when Redis forgot the script and failed with NOSCRIPT
 * are retried after commands sent later, so in that moment (which a restart or failover turns into an
 * outage anyway) a later call can overtake an earlier one. Sending the text until an EVAL has
 * succeeded keeps this from happening on the first runs after start.
 *
 * <p>On a Redis Cluster each primary caches scripts on its own, while {@code loaded} knows only the
 * link: the first run on each further primary answers NOSCRIPT once and is retried with the text,
 * which caches it there. That costs one extra round trip per primary (and per failover), not more:
 * it does not repeat, as every primary then has the script.
 */
final class Script {

    private final String name;
    private final String operation;
    private final byte[] text;
    private final String sha;
    /** Every script loaded so far (they are static fields), for {@link #cacheEverywhere}. */
    private static final List<Script> ALL = new CopyOnWriteArrayList<>();

    /** The links whose Redis has this script cached, as far as this node knows. */
    private final Set<RedisLink> loaded = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private Script(String name, String operation, byte[] text) {
        this.name = name;
        this.operation = operation;
        this.text = text;
        this.sha = sha1(text);
    }

    /**
     * {@code lua/NAME.lua} after {@code lua/LIBRARY.lua}, without comment lines; its runs are reported
     * to call listeners as {@code operation}.
     */
    static Script load(String library, String name, String operation) {
        String source = read(library) + "\n" + read(name);
        String compact = source.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("--"))
                .collect(Collectors.joining("\n"));
        Script script = new Script(name, operation, compact.getBytes(StandardCharsets.UTF_8));
        ALL.add(script);
        return script;
    }

    /**
     * On a Redis Cluster, caches every script loaded so far (SCRIPT LOAD) on every primary that serves
     * slots, as at connect and after a layout change: a promoted replica has no scripts cached, and a
     * NOSCRIPT retry can be overtaken by later calls. Best effort: a script that fails to load is
     * sent as text on its next run, as before.
     */
    static void cacheEverywhere(RedisLink link, StatefulRedisClusterConnection<byte[], byte[]> cluster) {
        for (Script script : ALL) {
            CompletableFuture.allOf(cluster.async()
                            .nodes(ClusterOutages::serves)
                            .commands()
                            .scriptLoad(script.text)
                            .futures())
                    .whenComplete((sha, error) -> {
                        if (error == null) {
                            script.loaded.add(link);
                        }
                    });
        }
    }

    private static String read(String name) {
        String path = "lua/" + name + ".lua";
        try (InputStream in = Script.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the script on {@code link} with the {@code keys} it touches (KEYS, all in one slot: on a
     * cluster the first decides which primary runs it) and {@code args} (ARGV).
     */
    <T> CompletionStage<T> run(RedisLink link, ScriptOutputType type, byte[][] keys, byte[]... args) {
        return link.call(
                operation,
                redis -> loaded.contains(link)
                        ? this.<T>bySha(link, redis, type, keys, args)
                        : this.<T>byText(link, redis, type, keys, args));
    }

    private <T> CompletionStage<T> bySha(
            RedisLink link,
            RedisClusterAsyncCommands<byte[], byte[]> redis,
            ScriptOutputType type,
            byte[][] keys,
            byte[][] args) {
        CompletionStage<T> first = redis.<T>evalsha(sha, type, keys, args);
        return first.handle((result, error) -> forgotten(link, error)
                        ? this.<T>byText(link, redis, type, keys, args)
                        : Script.settled(result, error))
                .thenCompose(Function.identity());
    }

    private <T> CompletionStage<T> byText(
            RedisLink link,
            RedisClusterAsyncCommands<byte[], byte[]> redis,
            ScriptOutputType type,
            byte[][] keys,
            byte[][] args) {
        return redis.<T>eval(text, type, keys, args).thenApply(result -> {
            loaded.add(link);
            return result;
        });
    }

    private boolean forgotten(RedisLink link, Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause instanceof RedisNoScriptException) {
            loaded.remove(link);
            return true;
        }
        return false;
    }

    private static <T> CompletionStage<T> settled(T result, Throwable error) {
        return error == null ? CompletableFuture.completedFuture(result) : CompletableFuture.failedFuture(error);
    }

    /** The SHA-1 Redis names this script by, in hexadecimal (what EVALSHA and SCRIPT EXISTS take). */
    String sha() {
        return sha;
    }

    private static String sha1(byte[] text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return name + ".lua";
    }
}
