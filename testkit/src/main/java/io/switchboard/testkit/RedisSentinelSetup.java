/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Redis Sentinel deployment for a test: one primary {@code redis-server}, one replica of it and
 * three {@code redis-sentinel} processes watching them (quorum 2, a primary counts as down after
 * {@value #DOWN_AFTER_MS} ms), all on free loopback ports with generated configuration in a temporary
 * folder. {@link #start} returns once the replica copies the primary and every sentinel knows the
 * replica and the other sentinels, so a failover can happen; {@link #close} stops every process it
 * started, by its PID.
 *
 * <pre>{@code
 * try (RedisSentinelSetup sentinel = RedisSentinelSetup.start()) {
 *     RedisEngine engine = RedisEngine.connect(RedisSettings.of(sentinel.uri()));
 *     sentinel.killPrimary();     // SIGKILL
 *     sentinel.awaitFailover();   // the replica is the primary now
 * }
 * }</pre>
 */
public final class RedisSentinelSetup implements AutoCloseable {

    /** The name the sentinels know the primary by. */
    public static final String MASTER = "switchboard";

    static final long DOWN_AFTER_MS = 1000;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final RedisServer primary;
    private final RedisServer replica;
    private final Path directory;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> sentinels = new ArrayList<>();

    private final String password;

    private RedisSentinelSetup(RedisServer primary, RedisServer replica, Path directory, String password) {
        this.primary = primary;
        this.replica = replica;
        this.directory = directory;
        this.password = password;
    }

    /** Starts the five processes and waits until a failover is possible. */
    public static RedisSentinelSetup start() {
        return start(null);
    }

    /**
     * As {@link #start()}, with {@code password} required by the primary and the replica (the
     * sentinels themselves need none); {@code null} for none.
     */
    public static RedisSentinelSetup start(String password) {
        List<String> auth = password == null ? List.of() : List.of("--requirepass", password, "--masterauth", password);
        RedisServer primary = RedisServer.start(auth.toArray(String[]::new));
        List<String> replicaArguments = new ArrayList<>(auth);
        replicaArguments.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(primary.port())));
        RedisServer replica = RedisServer.start(replicaArguments.toArray(String[]::new));
        RedisSentinelSetup setup = null;
        try {
            setup = new RedisSentinelSetup(
                    primary, replica, Files.createTempDirectory("switchboard-sentinel-"), password);
            for (int i = 0; i < 3; i++) {
                setup.launchSentinel();
            }
            setup.awaitReady();
            return setup;
        } catch (IOException | RuntimeException e) {
            if (setup != null) {
                setup.close();
            } else {
                replica.close();
                primary.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** {@code redis-sentinel://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3#switchboard}. */
    public String uri() {
        return "redis-sentinel://"
                + String.join(
                        ",", ports.stream().map(port -> "127.0.0.1:" + port).toList()) + "#" + MASTER;
    }

    /** The sentinels' ports. */
    public List<Integer> sentinelPorts() {
        return List.copyOf(ports);
    }

    /** The port of the server the sentinels name as the primary now. */
    public int primaryPort() {
        String answer = cli(ports.get(0), "SENTINEL", "get-master-addr-by-name", MASTER);
        String[] lines = answer.strip().split("\n");
        return lines.length < 2 ? -1 : Integer.parseInt(lines[1].strip());
    }

    /** Kills the server that is the primary now (SIGKILL): the sentinels will promote the other one. */
    public void killPrimary() {
        int port = primaryPort();
        (port == primary.port() ? primary : replica).kill();
    }

    /** Waits until every sentinel names another primary than {@code oldPort}. */
    public void awaitFailover(int oldPort) {
        for (int port : ports) {
            // No event tells the test the sentinels agreed: ask each until it names the new primary.
            poll("sentinel " + port + " to promote a replica", () -> {
                String[] lines = cli(port, "SENTINEL", "get-master-addr-by-name", MASTER)
                        .strip()
                        .split("\n");
                return lines.length == 2 && !lines[1].strip().equals(String.valueOf(oldPort));
            });
        }
    }

    private void launchSentinel() throws IOException {
        int port = freePort();
        Path config = directory.resolve("sentinel-" + port + ".conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "port " + port,
                        "bind 127.0.0.1",
                        "dir " + directory,
                        "logfile \"\"",
                        "sentinel monitor " + MASTER + " 127.0.0.1 " + primary.port() + " 2",
                        "sentinel down-after-milliseconds " + MASTER + " " + DOWN_AFTER_MS,
                        "sentinel failover-timeout " + MASTER + " 5000",
                        "sentinel parallel-syncs " + MASTER + " 1",
                        password == null ? "" : "sentinel auth-pass " + MASTER + " " + password,
                        ""),
                StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(sentinelBinary(), config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("sentinel-" + port + ".log").toFile())
                .start();
        ports.add(port);
        sentinels.add(process);
    }

    private void awaitReady() {
        // Neither redis-server nor redis-sentinel announce that the replica synced or that the
        // sentinels found each other: poll their own reports with a timeout.
        poll("the replica to copy the primary", () -> cli(replica.port(), "INFO", "replication")
                .contains("master_link_status:up"));
        for (int port : ports) {
            poll("sentinel " + port + " to know the replica and the other sentinels", () -> {
                String master = cli(port, "SENTINEL", "master", MASTER);
                return field(master, "num-slaves").equals("1")
                        && field(master, "num-other-sentinels").equals("2");
            });
        }
    }

    private static String field(String answer, String name) {
        String[] lines = answer.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].strip().equals(name)) {
                return lines[i + 1].strip();
            }
        }
        return "";
    }

    private void poll(String what, java.util.function.BooleanSupplier done) {
        Eventually.until(what + " (logs in " + directory + ")", READY_TIMEOUT, done);
    }

    /** Runs {@code redis-cli} against {@code port}; its output, or "" when it failed. */
    private String cli(int port, String... command) {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        if (password != null && !ports.contains(port)) {
            line.addAll(List.of("--no-auth-warning", "-a", password)); // a data node, not a sentinel
        }
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Stops the sentinels, the replica and the primary (each by its PID) and removes the folder. */
    @Override
    public void close() {
        for (Process process : sentinels) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        replica.close();
        primary.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing a test for
        }
    }

    private static String sentinelBinary() {
        String configured = System.getenv("REDIS_SENTINEL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Predicate<Path> runnable = Files::isExecutable;
        return Stream.of("/usr/bin", "/usr/local/bin", "/usr/sbin")
                .map(dir -> Path.of(dir, "redis-sentinel"))
                .filter(runnable)
                .findFirst()
                .map(Path::toString)
                .orElse("redis-sentinel");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
