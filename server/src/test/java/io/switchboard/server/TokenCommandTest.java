/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.security.JwtVerifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code switchboard token}: an HS256 token that {@code serve --jwt-secret} with the same secret takes. */
class TokenCommandTest {

    private static final String SECRET = "a-secret-of-at-least-32-bytes!!!";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args, env);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void printsATokenServeAcceptsWithSubIatAndExp() throws Exception {
        Instant before = Instant.now();
        assertThat(run(Map.of("SWITCHBOARD_JWT_SECRET", SECRET), "token", "--user", "ann", "--ttl", "2m"))
                .isZero();
        String token = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(token).doesNotContain("\n");
        Map<String, Object> claims = JwtVerifier.builder()
                .hmacSecret(SECRET.getBytes(StandardCharsets.UTF_8))
                .build()
                .verify(token);
        assertThat(claims).containsOnlyKeys("sub", "iat", "exp").containsEntry("sub", "ann");
        long iat = ((Number) claims.get("iat")).longValue();
        assertThat(iat).isBetween(before.getEpochSecond(), Instant.now().getEpochSecond());
        assertThat(((Number) claims.get("exp")).longValue())
                .isEqualTo(iat + Duration.ofMinutes(2).toSeconds());
    }

    @Test
    void theOptionBeatsTheEnvironmentAndTheTtlDefaultsToAnHour() throws Exception {
        String other = "another-secret-of-32-bytes-long!";
        assertThat(run(Map.of("SWITCHBOARD_JWT_SECRET", other), "token", "--user", "bob", "--secret", SECRET))
                .isZero();
        Map<String, Object> claims = JwtVerifier.builder()
                .hmacSecret(SECRET.getBytes(StandardCharsets.UTF_8))
                .build()
                .verify(out.toString(StandardCharsets.UTF_8).trim());
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue())
                .isEqualTo(3600);
    }

    @Test
    void withoutAGoodSecretItSaysWhatIsMissing() {
        assertThat(run(Map.of(), "token", "--user", "ann")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("token needs the secret: --secret SECRET or SWITCHBOARD_JWT_SECRET");
        assertThat(run(Map.of(), "token", "--user", "ann", "--secret", "short")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the secret must be at least 32 bytes long, not 5");
        assertThat(run(Map.of("SWITCHBOARD_JWT_SECRET", SECRET), "token")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--user");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
