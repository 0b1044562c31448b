/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import io.switchboard.bench.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} the bench starts on a free loopback port (no persistence, a temporary folder),
 * and {@code redis-cli} to reset and read its command statistics. Stops only the process it started.
 */
public final class RedisProcess implements MeasuredRedis {

    private final Process process;
    private final int port;
    private final Path directory;
    private final java.util.concurrent.atomic.AtomicLong infoReads = new java.util.concurrent.atomic.AtomicLong();

    private RedisProcess(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /** Starts redis-server (on {@code cpus} with taskset when not null) and waits until it answers PING. */
    public static RedisProcess start(String cpus) throws IOException, InterruptedException {
        return start(cpus, List.of());
    }

    /** As {@link #start(String)}, with {@code options} (such as {@code --cluster-enabled yes}) added last. */
    static RedisProcess start(String cpus, List<String> options) throws IOException, InterruptedException {
        int port = freePort();
        Path directory = Files.createTempDirectory("switchboard-rediscost-");
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(List.of(
                "redis-server",
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                directory.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--logfile",
                ""));
        command.addAll(options);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("redis.log").toFile())
                .start();
        RedisProcess redis = new RedisProcess(process, port, directory);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!redis.cli("PING").trim().equals("PONG")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                redis.close();
                throw new IOException("redis-server did not answer PING on port " + port);
            }
            Thread.sleep(50); // polling a process we cannot be told about
        }
        return redis;
    }

    @Override
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Just this server. */
    @Override
    public List<RedisProcess> primaries() {
        return List.of(this);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** {@code CONFIG RESETSTAT}: the command counts start again from zero. */
    @Override
    public void resetStats() {
        cli("CONFIG", "RESETSTAT");
        infoReads.set(0);
    }

    /**
     * The command counts since the last reset, without the {@code INFO} reads this made since then
     * (Redis counts a command once it has run, so the read being answered is not in its own reply).
     */
    @Override
    public CommandStats commandStats() {
        long earlierReads = infoReads.getAndIncrement();
        return CommandStats.parse(cli("INFO", "commandstats")).less("INFO", earlierReads);
    }

    /** Runs one {@code redis-cli} command against this server and returns what it printed. */
    public String cli(String... arguments) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(arguments));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            cli.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run redis-cli (apt-get install redis-tools)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running redis-cli", e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        Processes.stop(process);
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
