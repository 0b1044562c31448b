/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The centrifuge client in a Node process of its own ({@code agent/node-agent.mjs}, with {@code ws}):
 * commands are lines on its stdin, events lines on its stdout. The process is ended by its handle.
 */
final class NodeLink implements AgentLink {

    /** The npm project of the client tests, relative to the server module. */
    static final Path PROJECT = Path.of("src/test/centrifuge");

    private final Process process;
    private final Writer commands;
    private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    private NodeLink(Process process, String name) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("centrifuge-node-" + name).start(this::read);
    }

    /** Starts a Node process for the client called {@code name}. */
    static NodeLink start(String name) {
        requireInstalled();
        try {
            Process process = new ProcessBuilder("node", "--no-warnings", "agent/node-agent.mjs")
                    .directory(PROJECT.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new NodeLink(process, name);
        } catch (IOException e) {
            throw new AssertionError("cannot start node (Node 18 or newer must be installed): " + e.getMessage(), e);
        }
    }

    /** Fails, saying how to fix it, when the npm packages are not installed: these tests are never skipped. */
    static void requireInstalled() {
        if (!Files.isDirectory(PROJECT.resolve("node_modules/centrifuge"))) {
            throw new AssertionError("the centrifuge npm package is not installed: run npm ci in server/" + PROJECT
                    + " (./switchboard test and .ci/run do)");
        }
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                events.add(Json.read(line, JsonNode.class));
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    @Override
    public void send(Map<String, Object> command) {
        try {
            commands.write(Json.write(command) + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the Node client is gone (exit " + exitValue() + ")", e);
        }
    }

    private String exitValue() {
        return process.isAlive() ? "none yet" : String.valueOf(process.exitValue());
    }

    @Override
    public List<JsonNode> take(Duration wait) {
        List<JsonNode> taken = new ArrayList<>();
        try {
            JsonNode first = events.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (first != null) {
                taken.add(first);
                events.drainTo(taken);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return taken;
    }

    @Override
    public String runtime() {
        return "Node";
    }

    /** Closes stdin (the agent exits); kills the process if it has not ended within 5 s. */
    @Override
    public void close() {
        try {
            commands.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
