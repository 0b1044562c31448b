/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.security.TokenIssuer;
import io.switchboard.security.TokenVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** serve's token options: one key source at most, issuer and audience, failures at start. */
class TokenOptionsTest {

    private static final String SECRET = "a-secret-of-at-least-32-bytes!!!";

    @TempDir
    Path dir;

    private static Resolved resolve(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine line = new CommandLine(new Main(), new ServeCommand.Factory(env, all));
        CommandLine.ParseResult parsed = line.parseArgs(all);
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        return serve.resolve();
    }

    private static String token(TokenIssuer issuer, Map<String, Object> extra) {
        return issuer.issue("ann", Instant.now(), java.time.Duration.ofMinutes(5), extra);
    }

    @Test
    void noKeyMeansNoTokens() {
        assertThat(resolve(Map.of()).tokens()).isNull();
    }

    @Test
    void theSecretStillMeansHs256FromTheOptionTheEnvironmentOrTheConfigFile() throws Exception {
        Path config = Files.writeString(dir.resolve("s.properties"), "jwt-secret=" + SECRET + "\n");
        for (Resolved settings : new Resolved[] {
            resolve(Map.of(), "--jwt-secret", SECRET),
            resolve(Map.of("SWITCHBOARD_JWT_SECRET", SECRET)),
            resolve(Map.of(), "--config", config.toString())
        }) {
            TokenVerifier verifier = settings.tokens().verifier();
            String token = token(TokenIssuer.hmac(SECRET.getBytes(StandardCharsets.UTF_8)), Map.of());
            assertThat(verifier.verify(token)).containsEntry("sub", "ann");
            assertThat(settings.tokens().source()).isEqualTo("HS256 tokens");
        }
        assertThatThrownBy(() -> resolve(Map.of(), "--jwt-secret", "short"))
                .hasMessage("--jwt-secret must be at least 32 bytes long");
    }

    @Test
    void aPublicKeyFileChecksTokensSignedByItsPrivateHalf() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path pem = Files.writeString(
                dir.resolve("key.pem"),
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        Resolved settings =
                resolve(Map.of(), "--jwt-public-key", pem.toString(), "--jwt-issuer", "auth", "--jwt-audience", "sb");
        TokenIssuer issuer = TokenIssuer.signing(keys.getPrivate());
        assertThat(settings.tokens().verifier().verify(token(issuer, Map.of("iss", "auth", "aud", "sb"))))
                .containsEntry("sub", "ann");
        assertThatThrownBy(() -> settings.tokens().verifier().verify(token(issuer, Map.of("aud", "sb"))))
                .hasMessage("token from another issuer (iss)");
        assertThat(settings.tokens().source()).isEqualTo("tokens signed by the key in " + pem + ", iss auth, aud sb");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Running running = Running.start(
                resolve(Map.of(), "--port", "0", "--jwt-public-key", pem.toString()),
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("from tokens signed by the key in " + pem + " (401 without one)");
        }
    }

    @Test
    void badCombinationsAndFilesFailAtStartWithOneLine() throws IOException {
        Path text = Files.writeString(dir.resolve("text.pem"), "not a key\n");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> resolve(Map.of(), "--jwt-secret", SECRET, "--jwt-public-key", text.toString()))
                .hasMessage("--jwt-secret, --jwt-public-key and --jwt-jwks-url exclude each other: give one");
        assertThatThrownBy(() ->
                        resolve(Map.of("SWITCHBOARD_JWT_JWKS_URL", "http://127.0.0.1:1/jwks"), "--jwt-secret", SECRET))
                .hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> resolve(Map.of(), "--jwt-issuer", "auth"))
                .hasMessage("--jwt-issuer needs a token key: --jwt-secret, --jwt-public-key or --jwt-jwks-url");
        assertThatThrownBy(() -> resolve(Map.of(), "--jwt-audience", "sb"))
                .hasMessage("--jwt-audience needs a token key: --jwt-secret, --jwt-public-key or --jwt-jwks-url");
        assertThatThrownBy(() -> resolve(Map.of(), "--jwt-public-key", missing.toString()))
                .hasMessage("--jwt-public-key: cannot read the public key file " + missing + ": no such file");
        assertThatThrownBy(() -> resolve(Map.of(), "--jwt-public-key", text.toString()))
                .hasMessage("--jwt-public-key: " + text + " holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
        for (String url : new String[] {"ftp://keys.example/jwks", "keys.example/jwks", "http://", "::"}) {
            assertThatThrownBy(() -> resolve(Map.of(), "--jwt-jwks-url", url))
                    .as(url)
                    .hasMessage("--jwt-jwks-url must be an http:// or https:// URL, not '" + url + "'");
        }
    }

    @Test
    void helpListsTheTokenOptions() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(new String[] {"serve", "--help"}, Map.of())).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("--jwt-secret=SECRET", "--jwt-public-key=FILE", "--jwt-jwks-url=URL")
                .contains("--jwt-issuer=ISSUER", "--jwt-audience=AUDIENCE");
    }

    @Test
    void aJwksUrlIsTakenWithoutFetchingAtStart() {
        // nothing listens on port 1: the set is fetched when the first token comes, not at start
        Resolved settings = resolve(Map.of(), "--jwt-jwks-url", "http://127.0.0.1:1/jwks");
        assertThat(settings.tokens().source()).isEqualTo("tokens signed by the keys at http://127.0.0.1:1/jwks");
    }
}
