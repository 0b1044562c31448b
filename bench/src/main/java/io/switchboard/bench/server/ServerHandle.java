/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.switchboard.bench.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server under test: one this bench started as a child process, or one already running, given
 * its address and process id. Its CPU time is read from the process itself: from {@code /stats}
 * when it serves one, from {@code /proc/PID/stat} otherwise.
 */
public final class ServerHandle implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    private final String kind;
    private final String host;
    private final int port;
    private final long pid;
    private final Process process;

    private ServerHandle(String kind, String host, int port, long pid, Process process) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.pid = pid;
        this.process = process;
    }

    /**
     * Starts {@code kind} ({@code baseline}, {@code netty}, {@code vertx}, {@code loop}, {@code vt} or {@code chat}) in a new JVM with
     * {@code threads} event loops, pinned to {@code cpus} (e.g. "0") when not null.
     */
    public static ServerHandle start(String kind, int threads, String cpus) throws IOException {
        return start(kind, threads, cpus, true);
    }

    /** As {@link #start(String, int, String)}; a Switchboard server counts its traffic only when {@code stats}. */
    public static ServerHandle start(String kind, int threads, String cpus, boolean stats) throws IOException {
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmFlags());
        command.addAll(List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"));
        command.addAll(MEASURED_FLAGS);
        command.addAll(extraFlags(System.getenv("BENCH_SERVER_JAVA_OPTS")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName()));
        command.addAll(List.of(kind, "0", String.valueOf(threads)));
        if (!stats) {
            command.addAll(List.of("--stats", "off"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY ")) {
                String[] parts = line.split(" ");
                Thread.ofPlatform().daemon().start(() -> drain(out)); // keep the pipe drained
                return new ServerHandle(
                        kind, "127.0.0.1", Integer.parseInt(parts[1]), Long.parseLong(parts[2]), process);
            }
            if (line.startsWith("WARNING ")) {
                System.err.println("  " + line); // what the server says about how it runs, e.g. without epoll
            }
        }
        throw new IOException("the " + kind + " server ended before it was ready");
    }

    /** Reads the server's output to its end; the pipe closing as the server is ended is that end too. */
    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // nothing to keep: the server's own log is not part of the result
            }
        } catch (IOException closed) {
            // the process was ended and its pipe closed under the reader
        }
    }

    /**
     * Flags for the server JVM from {@code BENCH_SERVER_JAVA_OPTS}, split on white space: how a run
     * records a profile, e.g. {@code -XX:StartFlightRecording=filename=broadcast.jfr,settings=profile}.
     */
    static List<String> extraFlags(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.of(value.trim().split("\\s+"));
    }

    /** A server someone else started. */
    public static ServerHandle existing(String host, int port, long pid) {
        return existing("existing", host, port, pid);
    }

    /** A server someone else started, of a known {@code kind} (as {@link #start} names them). */
    public static ServerHandle existing(String kind, String host, int port, long pid) {
        return new ServerHandle(kind, host, port, pid, null);
    }

    /**
     * What every measured server runs with, peers and Switchboard alike: Netty's leak detector off. By
     * default it tracks one buffer in 128 and records a stack trace at each touch of one, which is a
     * production debugging aid, not part of a server's cost ({@code BENCH_SERVER_JAVA_OPTS} can turn
     * it back on: its flags come later and win).
     */
    static final List<String> MEASURED_FLAGS = List.of("-Dio.netty.leakDetection.level=disabled");

    /** The flags every JVM we start needs on this JDK. */
    public static List<String> jvmFlags() {
        List<String> flags =
                new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-Dio.netty.noUnsafe=false"));
        if (Runtime.version().feature() >= 24) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }

    public String kind() {
        return kind;
    }

    public long pid() {
        return pid;
    }

    public URI ws(String path) {
        return URI.create("ws://" + host + ":" + port + path);
    }

    /** CPU time the server process has used so far, user and system. */
    public long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
        }
    }

    /** The server's {@code /stats}, after full collections when {@code gc}; empty if it has none. */
    public Map<String, Long> stats(boolean gc) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/stats" + (gc ? "?gc=1" : "")))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Map.of();
            }
            Map<String, Long> stats = new java.util.LinkedHashMap<>();
            for (String pair : response.body().replaceAll("[{}\"]", "").split(",")) {
                String[] kv = pair.split(":");
                stats.put(kv[0], Long.parseLong(kv[1]));
            }
            return stats;
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            Processes.stop(process);
        }
    }
}
