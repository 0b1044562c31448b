/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsApi.Publish;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the real {@code centrifuge} npm client's tests ({@code server/src/test/centrifuge/*.test.mjs},
 * with Node's own test runner) against a server of this module on a free port: the namespaces of
 * {@link Fixture}, and the rpc methods the tests use. Node's output goes to the log; the test fails
 * with Node's failing test names.
 */
class CentrifugeNodeClientTest {

    private static final Logger LOG = LoggerFactory.getLogger(CentrifugeNodeClientTest.class);
    static final File DIRECTORY = new File("../server/src/test/centrifuge");
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void theCentrifugeClientSuitePasses() throws Exception {
        assertThat(new File(DIRECTORY, "node_modules/centrifuge"))
                .as("the centrifuge client is not installed: run npm ci in " + DIRECTORY.getCanonicalPath())
                .exists();
        AtomicReference<Channels> channels = new AtomicReference<>();
        Channels.Builder builder = Channels.builder().hooks(hooks(channels)).expiryGrace(Duration.ofSeconds(5));
        try (Fixture fixture = new Fixture(builder)) {
            channels.set(fixture.channels);
            String url = fixture.server.ws(Channels.PATH).toString();
            List<String> failed = runNode(url, null);
            assertThat(failed)
                    .as("failing centrifuge client tests (see the log)")
                    .isEmpty();
        }
    }

    /** The rpc methods the Node tests call: echo, reconnect (a server-side disconnect), publish, message. */
    static ClientHooks hooks(AtomicReference<Channels> channels) {
        return new ClientHooks() {
            @Override
            public JsonNode rpc(Caller caller, String method, JsonNode data) {
                switch (method) {
                    case "echo" -> {
                        return data;
                    }
                    case "reconnect" -> {
                        channels.get()
                                .disconnect(
                                        caller.user(),
                                        caller.client(),
                                        new ChannelsApi.Disconnect(
                                                DisconnectCode.FORCE_RECONNECT.code(),
                                                DisconnectCode.FORCE_RECONNECT.reason()));
                        return null;
                    }
                    case "publish" -> {
                        Publish publish = new Publish(data.path("channel").asText(), data.get("data"), Map.of(), false);
                        Await.of(channels.get().publish(publish));
                        return null;
                    }
                    case "message" -> {
                        Await.of(channels.get().message(caller.user(), caller.client(), data));
                        return null;
                    }
                    default -> throw new ChannelsException(ErrorCode.METHOD_NOT_FOUND);
                }
            }
        };
    }

    /** Runs the Node suite against {@code url} (and {@code secondUrl}, another node, when not null); the failed tests. */
    static List<String> runNode(String url, String secondUrl) throws IOException, InterruptedException {
        String[] files = DIRECTORY.list((dir, name) -> name.endsWith(".test.mjs"));
        assertThat(files).as("Node test files in " + DIRECTORY).isNotEmpty();
        Arrays.sort(files);
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
        command.addAll(Arrays.asList(files));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(DIRECTORY).redirectErrorStream(true);
        builder.environment().put("SWITCHBOARD_WS_URL", url);
        builder.environment().put("SWITCHBOARD_TOKEN_SECRET", Fixture.SECRET);
        if (secondUrl == null) {
            builder.environment().remove("SWITCHBOARD_WS_URL_2");
        } else {
            builder.environment().put("SWITCHBOARD_WS_URL_2", secondUrl);
        }
        Process node = builder.start();
        List<String> failed = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> read(node, failed));
        if (!node.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            reader.join(Duration.ofSeconds(5));
            throw new AssertionError("node --test did not finish within " + TIMEOUT + "; failed so far: " + failed);
        }
        reader.join(Duration.ofSeconds(5));
        if (node.exitValue() != 0 && failed.isEmpty()) {
            failed.add("node exited with " + node.exitValue() + " (see the log)");
        }
        return failed;
    }

    private static void read(Process node, List<String> failed) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean summary = false;
            while ((line = lines.readLine()) != null) {
                LOG.info("node: {}", line);
                String trimmed = line.strip();
                summary |= trimmed.startsWith("✖ failing tests");
                if (!summary && trimmed.startsWith("✖ ")) {
                    synchronized (failed) {
                        failed.add(trimmed.substring(2));
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("reading node's output failed: {}", e.toString());
        }
    }
}
