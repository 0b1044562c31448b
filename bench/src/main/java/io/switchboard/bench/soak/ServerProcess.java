/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import io.switchboard.bench.server.ServerHandle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server, {@code switchboard serve}, as a child process with its own heap limit, listening
 * on a free loopback port that its banner names. Its output goes to a log file; lines that tell of
 * running out of memory or of exceptions are counted as they pass.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern BANNER = Pattern.compile("Switchboard listening on http://([^:\\s]+):(\\d+)");

    private final Process process;
    private final CompletableFuture<int[]> port = new CompletableFuture<>();
    private final AtomicLong outOfMemoryLines = new AtomicLong();
    private final AtomicLong exceptionLines = new AtomicLong();
    private final Deque<String> lastLines = new ArrayDeque<>();

    private ServerProcess(Process process) {
        this.process = process;
    }

    /**
     * The command that runs the server from {@code jar} (or, when null, from this JVM's class path)
     * with {@code heap} as its maximum heap, e.g. {@code 256m}, and {@code serverArgs} after
     * {@code serve --host 127.0.0.1 --port 0 --history-memory 16MiB}. The history the attackers write
     * is data the server keeps on purpose, up to {@code --history-memory}: 16 MiB keeps that bound well
     * inside the heap margin, so what the soak measures beyond it is what the server failed to let go.
     */
    static List<String> command(Path jar, String heap, List<String> serverArgs) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ServerHandle.jvmFlags());
        command.add("-Xmx" + heap);
        if (jar != null) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.switchboard.server.Main"));
        }
        command.addAll(List.of("serve", "--host", "127.0.0.1", "--port", "0", "--history-memory", "16MiB"));
        command.addAll(serverArgs);
        return command;
    }

    /** Starts {@code command}, copying its output to {@code log}, and waits for its banner. */
    static ServerProcess start(List<String> command, Path log, long timeoutMillis) throws Exception {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // A soak stopped half way (Ctrl-C, a test's timeout) must not leave a server behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "soak-server-reaper"));
        ServerProcess server = new ServerProcess(process);
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        Thread.ofPlatform().daemon().name("soak-server-log").start(() -> server.drain(out));
        try {
            server.port.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            server.close();
            throw new IOException("the server printed no banner within " + timeoutMillis + " ms; see " + log, e);
        }
        return server;
    }

    private void drain(PrintWriter out) {
        try (out;
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                see(line);
            }
        } catch (IOException e) {
            // the process ended; what it said is in the log
        } finally {
            port.completeExceptionally(new IOException("the server's output ended"));
        }
    }

    private void see(String line) {
        Matcher banner = BANNER.matcher(line);
        if (banner.find()) {
            port.complete(new int[] {Integer.parseInt(banner.group(2))});
        }
        if (line.contains("OutOfMemoryError")) {
            outOfMemoryLines.incrementAndGet();
        }
        if (line.contains("Exception")) {
            exceptionLines.incrementAndGet();
        }
        synchronized (lastLines) {
            lastLines.addLast(line);
            if (lastLines.size() > 20) {
                lastLines.removeFirst();
            }
        }
    }

    int port() {
        return port.join()[0];
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    long outOfMemoryLines() {
        return outOfMemoryLines.get();
    }

    long exceptionLines() {
        return exceptionLines.get();
    }

    List<String> lastLines() {
        synchronized (lastLines) {
            return List.copyOf(lastLines);
        }
    }

    /** Sends SIGTERM and waits up to {@code millis}; the exit code, or null when it did not exit in time. */
    Integer terminate(long millis) throws InterruptedException {
        process.destroy(); // SIGTERM on Linux
        if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return null;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
