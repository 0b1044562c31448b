/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code switchboard serve} as a real process of this JVM's java and class path, for what only a
 * process shows: signals, the exit code, the lines it prints. Its output is read as it comes, so a
 * test waits for a line (the drain began) rather than for time.
 */
final class ServeProcess implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("Switchboard listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern INTERNAL = Pattern.compile("internal listener on http://127\\.0\\.0\\.1:(\\d+)");
    private static final String END = "\u0000end of output";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private int internalPort = -1;

    private ServeProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("serve-output").start(this::readOutput);
        String listening = awaitLine("Switchboard listening on");
        Matcher main = LISTENING.matcher(listening);
        if (!main.find()) {
            throw new AssertionError("not a loopback http listener: " + listening);
        }
        this.port = Integer.parseInt(main.group(1));
    }

    /** Starts {@code serve --host 127.0.0.1 --port 0 ARGS} and waits until it says where it listens. */
    static ServeProcess start(String... args) {
        List<String> all = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", "0"));
        all.addAll(List.of(args));
        return new ServeProcess(launch(all.toArray(String[]::new)));
    }

    /** This JVM's java, with this test's class path, running the product's main class with {@code args}. */
    static Process launch(String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readOutput() {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            out.lines().forEach(lines::add);
        } catch (IOException | UncheckedIOException e) {
            // the process ended
        } finally {
            lines.add(END);
        }
    }

    /** The main port. */
    int port() {
        return port;
    }

    /** The internal listener's port, from the banner's line (read after the main one). */
    int internalPort() {
        if (internalPort < 0) {
            Matcher internal = INTERNAL.matcher(awaitLine("internal listener on"));
            if (!internal.find()) {
                throw new AssertionError("no internal listener in the banner");
            }
            internalPort = Integer.parseInt(internal.group(1));
        }
        return internalPort;
    }

    /** Waits for the next line of output containing {@code fragment}; returns it. */
    String awaitLine(String fragment) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null || line.equals(END)) {
                    throw new AssertionError("serve printed no line with '" + fragment + "'"
                            + (line == null ? " within " + WAIT.toSeconds() + " s" : " before its output ended"));
                }
                if (line.contains(fragment)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends SIGTERM (Process.destroy would also close our end of its output). */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the process to exit; its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("serve did not exit within " + WAIT.toSeconds() + " s");
        }
        return process.exitValue();
    }

    /** A GET of {@code path} on {@code port} of 127.0.0.1, with {@code headers} (name, value...). */
    HttpResponse<String> get(int port, String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(port, path)).GET(), headers);
    }

    /** A POST of {@code body} to {@code path} on {@code port}, with {@code headers} (name, value...). */
    HttpResponse<String> post(int port, String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
