/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * One Lua script from the {@code lua} resources, with a library of shared functions in front. Runs
 * with EVAL, never EVALSHA: a Redis that restarted has forgotten every loaded script, and retrying
 * after NOSCRIPT would let later commands overtake earlier ones. Redis compiles each text once.
 */
final class Script {

    private static final byte[][] NO_KEYS = new byte[0][];

    private final String name;
    private final String operation;
    private final byte[] text;

    private Script(String name, String operation, byte[] text) {
        this.name = name;
        this.operation = operation;
        this.text = text;
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
        return new Script(name, operation, compact.getBytes(StandardCharsets.UTF_8));
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

    /** Runs the script with {@code args} (ARGV; it names its keys itself) on {@code link}. */
    <T> CompletionStage<T> run(RedisLink link, ScriptOutputType type, byte[]... args) {
        return link.call(operation, redis -> redis.<T>eval(text, type, NO_KEYS, args));
    }

    @Override
    public String toString() {
        return name + ".lua";
    }
}
