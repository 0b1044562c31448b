/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for a test: started on a free loopback port with a temporary folder of
 * its own and no persistence, stopped (and the folder removed) by {@link #close()}. It stops and
 * starts only the process it started itself.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisEngine engine = RedisEngine.connect(RedisSettings.of(redis.uri()));
 *     ...
 *     redis.restart(); // an outage: the data is gone, as after a crash without persistence
 * }
 * }</pre>
 *
 * <p>{@link #startCluster} starts one in cluster mode, as a cluster of one primary that serves every
 * slot: a client that knows nothing of clusters can use it, and Redis checks what it checks in a
 * cluster (a command's or script's declared keys must share a slot, CROSSSLOT otherwise).
 *
 * <p>The binary is {@code $REDIS_SERVER}, else {@code redis-server} on the {@code PATH} or in
 * {@code /usr/bin}, {@code /usr/local/bin} or {@code /usr/sbin}; without one, {@link #start} fails
 * saying how to install it.
 */
public final class RedisServer implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 20;

    private final Path binary;
    private final Path directory;
    private final int port;
    private final List<String> extraArguments;
    private final boolean tls;
    private Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    private RedisServer(Path binary, Path directory, int port, List<String> extraArguments, boolean tls) {
        this.binary = binary;
        this.directory = directory;
        this.port = port;
        this.extraArguments = List.copyOf(extraArguments);
        this.tls = tls;
    }

    /** Starts a server on a free port; {@code arguments} are added to its command line ({@code --requirepass x}). */
    public static RedisServer start(String... arguments) {
        return start(false, List.of(arguments));
    }

    /**
     * Starts a server in cluster mode ({@code --cluster-enabled yes}) that serves all 16384 slots
     * itself, and waits until {@code CLUSTER INFO} says {@code cluster_state:ok}. Its cluster
     * configuration stays in its folder, so {@link #restart} keeps the slots.
     */
    public static RedisServer startCluster(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"));
        all.addAll(List.of(arguments));
        RedisServer server = start(false, all);
        try {
            server.cli("cluster", "addslotsrange", "0", "16383");
            Eventually.until(
                    "cluster_state:ok on port " + server.port,
                    Duration.ofSeconds(START_TIMEOUT_SECONDS),
                    () -> server.cli("cluster", "info").contains("cluster_state:ok"));
            return server;
        } catch (RuntimeException | AssertionError e) { // Eventually fails with an AssertionError
            server.close();
            throw e;
        }
    }

    /** Runs {@code redis-cli} (found beside {@code redis-server}) against this server and returns what it printed. */
    public String cli(String... arguments) {
        List<String> command = new ArrayList<>(
                List.of(binary.resolveSibling("redis-cli").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(arguments));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String printed = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(10, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + printed);
            }
            return printed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run redis-cli beside " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running redis-cli", e);
        }
    }

    /**
     * Starts a server that speaks TLS only, with {@code certificate} and {@code key} (PEM files, such
     * as a self-signed pair from {@code openssl req -x509}); clients need no certificate.
     */
    public static RedisServer startTls(Path certificate, Path key) {
        return start(
                true,
                List.of(
                        "--tls-cert-file", certificate.toString(),
                        "--tls-key-file", key.toString(),
                        "--tls-ca-cert-file", certificate.toString(),
                        "--tls-auth-clients", "no"));
    }

    private static RedisServer start(boolean tls, List<String> arguments) {
        Path binary = findBinary();
        try {
            Path directory = Files.createTempDirectory("switchboard-redis-");
            RedisServer server = new RedisServer(binary, directory, freePort(), withBusPort(arguments), tls);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a folder for redis-server", e);
        }
    }

    /** {@code redis://127.0.0.1:PORT}, or {@code rediss://} for a TLS server. */
    public String uri() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** What the server has printed, for a failing test to show. */
    public String log() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /**
     * Freezes the server (SIGSTOP to its process): its connections stay open and nothing is answered,
     * as with a Redis that hangs. {@link #unfreeze} (or {@link #stop}) lets it go on.
     */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** Lets a frozen server go on (SIGCONT): it answers what it was sent meanwhile. */
    public synchronized void unfreeze() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null) {
            throw new IllegalStateException("redis-server is not running on port " + port);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling redis-server", e);
        }
    }

    /**
     * Kills the server at once (SIGKILL to its process), as a crash or a lost machine: no goodbye to its
     * clients or replicas. {@link #launch} starts it again.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops the server (SIGTERM, waiting for it to exit; frozen or not); {@link #launch} starts it again. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            signal("CONT"); // a frozen process would not act on SIGTERM
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Starts the server again on the same port, with no data: as a crashed Redis without persistence. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Starts the process and waits until it accepts connections. */
    public synchronized void launch() {
        if (process != null) {
            throw new IllegalStateException("redis-server is already running on port " + port);
        }
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
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
        if (tls) {
            command.addAll(List.of("--port", "0", "--tls-port", String.valueOf(port)));
        }
        command.addAll(extraArguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        awaitReady(process);
    }

    private void awaitReady(Process started) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("redis-server-" + port).start(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("redis-server exited"));
        });
        try {
            ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            started.destroyForcibly();
            throw new IllegalStateException(
                    "redis-server did not start on port " + port + "; it said: " + String.join("\n", output), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.destroyForcibly();
            throw new IllegalStateException("interrupted while starting redis-server", e);
        }
    }

    /** Stops the server and removes its folder. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing a test for
        }
    }

    private static Path findBinary() {
        String configured = System.getenv("REDIS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "redis-server"));
            }
        }
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            candidates.add(Path.of(dir, "redis-server"));
        }
        return candidates.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("redis-server is not installed: these tests need a"
                        + " real one (Debian: apt-get install redis-server), or REDIS_SERVER=/path/to/redis-server"));
    }

    /**
     * {@code arguments}, with a free port for the cluster bus when they turn cluster mode on: by
     * default the bus listens on the port plus 10,000, which another process may hold.
     */
    private static List<String> withBusPort(List<String> arguments) throws IOException {
        if (!arguments.contains("--cluster-enabled") || arguments.contains("--cluster-port")) {
            return arguments;
        }
        List<String> all = new ArrayList<>(arguments);
        all.addAll(List.of("--cluster-port", String.valueOf(freePort())));
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
