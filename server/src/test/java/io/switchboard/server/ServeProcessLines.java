/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The lines a process writes to one of its streams, read as they come by a thread of their own (so
 * the process never blocks on a full pipe), and awaited one by one.
 */
final class ServeProcessLines {

    private final String name;
    private final LinkedBlockingQueue<String> arriving = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    private ServeProcessLines(String name, InputStream stream) {
        this.name = name;
        Thread.ofPlatform().daemon().name(name).start(() -> read(stream));
    }

    /** Starts reading {@code stream}. */
    static ServeProcessLines of(String name, InputStream stream) {
        return new ServeProcessLines(name, stream);
    }

    private void read(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            reader.lines().forEach(arriving::add);
        } catch (IOException | UncheckedIOException e) {
            arriving.add("(reading failed: " + e + ")");
        } finally {
            ended.countDown();
        }
    }

    /** The next line that {@code matches}, waiting up to 30 s; every line read is kept for {@link #all}. */
    String await(Predicate<String> matches) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String line = arriving.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError(name + ": no such line within 30 s; read so far:\n" + String.join("\n", seen));
            }
            seen.add(line);
            if (matches.test(line)) {
                return line;
            }
        }
    }

    /** Every line of the stream, once the process has closed it (waiting up to 30 s). */
    List<String> all() throws InterruptedException {
        if (!ended.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the stream did not end within 30 s");
        }
        String line;
        while ((line = arriving.poll()) != null) {
            seen.add(line);
        }
        return List.copyOf(seen);
    }
}
