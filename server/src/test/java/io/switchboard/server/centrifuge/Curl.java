/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server API called the way a backend in any language would: with the real {@code curl}
 * binary, exactly as the README shows ({@code curl -H "X-API-Key: K" -d JSON URL}). Each call is a
 * process bounded in time and ended by its handle.
 */
final class Curl {

    /** The key every node of these tests is started with ({@code --api-key}). */
    static final String API_KEY = "centrifuge-client-tests-api-key";

    private static final String CURL = "/usr/bin/curl";

    private Curl() {}

    /** POSTs {@code body} to {@code url} ({@code http://HOST:PORT/api/METHOD}); returns the JSON reply. */
    static JsonNode post(String url, String body) {
        if (!Files.isExecutable(Path.of(CURL))) {
            throw new AssertionError("curl is not at " + CURL + ": the server API tests need it (apt-get install curl;"
                    + " .ci/run does)");
        }
        List<String> command = List.of(
                CURL,
                "-sS",
                "--max-time",
                "10",
                "-w",
                "\n%{http_code}",
                "-H",
                "X-API-Key: " + API_KEY,
                "-d",
                body,
                url);
        try {
            Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = curl.getInputStream().readAllBytes();
            if (!curl.waitFor(15, TimeUnit.SECONDS)) {
                curl.destroyForcibly();
                throw new AssertionError("curl " + url + " did not end within 15 s");
            }
            String reply = new String(out, StandardCharsets.UTF_8);
            String call = "curl " + url + " -d " + body;
            if (curl.exitValue() != 0) {
                throw new AssertionError(call + " exited " + curl.exitValue() + ": " + reply);
            }
            int newline = reply.lastIndexOf('\n');
            String status = reply.substring(newline + 1);
            if (!status.equals("200")) {
                throw new AssertionError(call + " got HTTP " + status + ": " + reply.substring(0, newline));
            }
            return Json.read(reply.substring(0, newline), JsonNode.class);
        } catch (IOException e) {
            throw new AssertionError("cannot run curl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while curl ran", e);
        }
    }

    /** Publishes {@code data} (JSON) to {@code channel} through the node at {@code origin} ([http://]HOST:PORT). */
    static JsonNode publish(String origin, String channel, String data) {
        JsonNode reply = post(origin + "/api/publish", "{\"channel\":\"" + channel + "\",\"data\":" + data + "}");
        if (!reply.has("result") || reply.has("error")) {
            throw new AssertionError("the server API did not publish " + data + " to " + channel + ": " + reply);
        }
        return reply.get("result");
    }
}
