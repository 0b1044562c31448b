/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import io.switchboard.testkit.Recorder;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real switchboard.js {@code ChatClient}, run by Node ({@code src/test/js/agent/chat-agent.mjs})
 * against a test server: what it delivers arrives here as {@code {event, value}} trees. Tests that
 * use it are skipped where Node 20 or newer is not installed.
 */
final class NodeChatAgent implements AutoCloseable {

    private static final Path SCRIPT = Path.of("src/test/js/agent/chat-agent.mjs");

    private final Process process;
    private final Writer commands;
    private final Recorder<JsonNode> events;

    private NodeChatAgent(Process process, String user) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.events = new Recorder<>("switchboard.js of " + user);
        Thread.ofPlatform().daemon().name("node-agent-" + user).start(this::read);
    }

    /** Starts a ChatClient of {@code user} in {@code room} on the server at {@code origin} (ws://HOST:PORT). */
    static NodeChatAgent join(String origin, String room, String user) {
        Assumptions.assumeTrue(Files.exists(SCRIPT), "run from the server module");
        Assumptions.assumeTrue(nodeVersion() >= 20, "Node 20 or newer is not installed");
        try {
            Process process = new ProcessBuilder(
                            "node", "--no-warnings", "--experimental-websocket", SCRIPT.toString(), origin, room, user)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new NodeChatAgent(process, user);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node", e);
        }
    }

    private static int nodeVersion() {
        try {
            Process version = new ProcessBuilder("node", "-p", "process.versions.node.split('.')[0]").start();
            String major = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0 ? Integer.parseInt(major) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                events.record(Json.read(line, JsonNode.class));
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The next event's value, which must be {@code event}. */
    JsonNode next(String event, Duration wait) {
        JsonNode next = events.next(wait);
        assertThat(next.path("event").asText()).as("event after " + next).isEqualTo(event);
        return next.get("value");
    }

    /** The next event, whatever it is: {@code {event, value}}. */
    JsonNode next(Duration wait) {
        return events.next(wait);
    }

    void expectNothing(Duration quiet) {
        events.expectNothing(quiet);
    }

    void say(String text) {
        command("say " + text);
    }

    /** Asks for the resume position: a "position" event {since, epoch} follows the events before it. */
    void askPosition() {
        command("position");
    }

    /** Closes the socket from the client with 4000: the client reconnects and resumes. */
    void drop() {
        command("drop");
    }

    private void command(String line) {
        try {
            commands.write(line + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the node agent is gone", e);
        }
    }

    /** Ends the agent's process (its own, by handle). */
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
