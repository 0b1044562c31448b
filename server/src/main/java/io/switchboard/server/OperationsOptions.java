/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Model.CommandSpec;

/** The options of {@code serve} that say how it is operated ({@link Operations}), listed after the others. */
final class OperationsOptions {

    private OperationsOptions() {}

    static final ServeOption<Boolean> METRICS = ServeOption.of(
            "--metrics",
            null,
            Unit.SWITCH,
            true,
            "Count traffic and serve it at /metrics in Prometheus's text format (--no-metrics: neither).");
    static final ServeOption<Integer> INTERNAL_PORT = ServeOption.of(
                    "--internal-port",
                    "PORT",
                    Unit.COUNT,
                    null,
                    "Serve /metrics, /healthz, /readyz, /admin and /api on this port (on --internal-host)"
                            + " instead of the main one.")
            .checked(port -> port >= 0 && port <= 65535, "must be 0-65535, not %s");
    static final ServeOption<String> INTERNAL_HOST = ServeOption.of(
            "--internal-host",
            "HOST",
            Unit.TEXT,
            "127.0.0.1",
            "Address of the --internal-port listener: this machine only by default.");
    /** The shortest admin password: the session cookie is keyed by it, so a leaked one must not reveal it. */
    static final int MIN_ADMIN_PASSWORD = 12;

    static final ServeOption<String> ADMIN_PASSWORD = ServeOption.of(
                    "--admin-password",
                    "PASSWORD",
                    Unit.TEXT,
                    null,
                    "Turns on the admin page at /admin, behind this password (at least " + MIN_ADMIN_PASSWORD
                            + " characters).")
            // The problem never quotes the value: it is a secret.
            .checked(
                    password -> password.codePointCount(0, password.length()) >= MIN_ADMIN_PASSWORD,
                    "must be at least " + MIN_ADMIN_PASSWORD + " characters long");
    static final ServeOption<Operations.LogFormat> LOG_FORMAT = ServeOption.of(
            "--log-format",
            "FORMAT",
            Unit.choice(Operations.LogFormat.class),
            Operations.LogFormat.PLAIN,
            "Log lines as plain text or json (one object per line).");
    static final ServeOption<Duration> SHUTDOWN_DELAY = ServeOption.of(
            "--shutdown-delay",
            "DURATION",
            Unit.DURATION,
            null,
            "On SIGTERM, answer /readyz with 503 for this long, still serving, before the drain starts"
                    + " (time for a load balancer to stop sending new connections).");

    /** These options, in the order of {@code --help}. */
    static final List<ServeOption<?>> ALL =
            List.of(METRICS, INTERNAL_PORT, INTERNAL_HOST, ADMIN_PASSWORD, LOG_FORMAT, SHUTDOWN_DELAY);

    /** What the parsed options say. */
    static Operations operations(CommandSpec command) {
        return new Operations(
                METRICS.value(command),
                INTERNAL_HOST.value(command),
                INTERNAL_PORT.value(command),
                ADMIN_PASSWORD.value(command),
                LOG_FORMAT.value(command),
                Objects.requireNonNullElse(SHUTDOWN_DELAY.value(command), Duration.ZERO));
    }
}
