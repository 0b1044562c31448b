/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import io.switchboard.testkit.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * What the server logs while a test runs. slf4j-simple writes to whatever {@code System.err} is at
 * the time of each line, so a tee on it sees every log line and still shows it in the test output.
 */
final class LogCapture implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                captured.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                captured.write(bytes, offset, length);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing; close to stop. */
    static LogCapture start() {
        return new LogCapture();
    }

    /** Every line logged so far. */
    List<String> lines() {
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The lines that contain every one of {@code fragments}. */
    List<String> linesWith(String... fragments) {
        return lines().stream()
                .filter(line -> List.of(fragments).stream().allMatch(line::contains))
                .toList();
    }

    /**
     * The lines that contain every one of {@code fragments}, once there is at least one: for a line
     * logged after the event a test can wait on (a handler's failure is logged after its callback
     * returned), so there is no event to wait for but the line itself.
     */
    List<String> awaitLinesWith(String... fragments) {
        return Eventually.until(
                "a log line with " + List.of(fragments),
                Duration.ofSeconds(5),
                () -> linesWith(fragments),
                found -> !found.isEmpty());
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
