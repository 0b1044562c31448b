/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.security.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard token --user NAME}: prints an HS256 connection token ({@code sub}, {@code iat},
 * {@code exp}) signed with the secret that {@code serve --jwt-secret} takes, for trying things out.
 * The secret comes from {@code --secret} or, better (it stays out of the shell's history), from
 * {@code SWITCHBOARD_JWT_SECRET}.
 */
@Command(
        name = "token",
        description =
                "Prints an HS256 token for a user, signed with the serve --jwt-secret secret (for trying things out).",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        showDefaultValues = true)
final class TokenCommand implements Callable<Integer> {

    /** The environment variable that holds the secret when --secret is not given. */
    static final String SECRET_VARIABLE = SettingsSource.envName(ServeOptions.JWT_SECRET.key());

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--user", paramLabel = "NAME", required = true, description = "The user: the token's sub claim.")
    private String user;

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            defaultValue = "1h",
            converter = Converters.TimeSpan.class,
            description = "How long the token is valid (its exp claim).")
    private Duration ttl;

    @Option(
            names = "--secret",
            paramLabel = "SECRET",
            description =
                    "The HS256 secret (32 bytes or more); default: the environment variable SWITCHBOARD_JWT_SECRET.")
    private String secret;

    private final Map<String, String> environment;
    private final Clock clock;

    TokenCommand(Map<String, String> environment, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    @Override
    public Integer call() {
        String key = secret != null ? secret : environment.get(SECRET_VARIABLE);
        if (key == null || key.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "token needs the secret: --secret SECRET or " + SECRET_VARIABLE);
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "the secret must be at least 32 bytes long, not " + bytes.length);
        }
        if (user.isBlank() || ttl.isNegative() || ttl.isZero()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), user.isBlank() ? "--user must not be blank" : "--ttl must be positive");
        }
        spec.commandLine().getOut().println(TokenIssuer.hmac(bytes).issue(user, clock.instant(), ttl, Map.of()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
