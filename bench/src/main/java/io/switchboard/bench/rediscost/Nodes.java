/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import io.switchboard.bench.Processes;
import io.switchboard.bench.server.ServerHandle;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N nodes of the real server ({@code switchboard serve --redis URI}), each in its own JVM on a free
 * port, all on one Redis; each is ready once its {@code /readyz} answers 200. Heartbeats are slowed
 * to one a minute so that they stay out of the short windows in which commands are counted.
 */
public final class Nodes implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<Process> processes = new ArrayList<>();
    private final List<ServerHandle> handles = new ArrayList<>();

    /** Starts {@code count} nodes on {@code redisUri}, on {@code cpus} with taskset when not null. */
    public static Nodes start(int count, String redisUri, String cpus) throws IOException, InterruptedException {
        Nodes nodes = new Nodes();
        try {
            for (int i = 0; i < count; i++) {
                nodes.launch(redisUri, cpus);
            }
            for (ServerHandle handle : nodes.handles) {
                awaitReady(handle);
            }
            return nodes;
        } catch (IOException | RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    private void launch(String redisUri, String cpus) throws IOException {
        int port = RedisProcess.freePort();
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ServerHandle.jvmFlags());
        command.addAll(List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.switchboard.server.Main", "serve"));
        command.addAll(List.of(
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--io-threads",
                "1",
                "--redis",
                redisUri,
                "--node-heartbeat",
                "60s",
                "--node-expiry",
                "180s",
                "--rate-limit",
                "0",
                "--max-connections-per-address",
                "1000000",
                "--no-metrics"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        processes.add(process);
        handles.add(ServerHandle.existing("node", "127.0.0.1", port, process.pid()));
    }

    private static void awaitReady(ServerHandle node) throws IOException, InterruptedException {
        URI ready = URI.create(node.ws("/readyz").toString().replaceFirst("^ws", "http"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(ready)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100); // polling a process we cannot be told about
        }
        throw new IOException("node " + node.ws("/") + " was not ready within 60 s");
    }

    public List<ServerHandle> handles() {
        return List.copyOf(handles);
    }

    /** CPU time all the nodes have used so far. */
    public long cpuNanos() {
        return handles.stream().mapToLong(ServerHandle::cpuNanos).sum();
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy); // all asked at once, then each waited for
        processes.forEach(Processes::stop);
    }
}
