/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static io.switchboard.server.ServeOptions.JWT_AUDIENCE;
import static io.switchboard.server.ServeOptions.JWT_ISSUER;
import static io.switchboard.server.ServeOptions.JWT_JWKS_URL;
import static io.switchboard.server.ServeOptions.JWT_PUBLIC_KEY;
import static io.switchboard.server.ServeOptions.JWT_SECRET;

import io.switchboard.security.JwtVerifier;
import io.switchboard.security.JwtVerifierBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The token check {@code serve} uses: tokens signed with --jwt-secret (HS256), by the key in
 * --jwt-public-key, or by a key of the set at --jwt-jwks-url; one of them at most; --jwt-issuer and
 * --jwt-audience add checks to whichever. A bad combination, an unreadable key file or a URL that is
 * none fails at start, naming the option.
 */
final class TokenOptions {

    /** How far the issuer's clock may be from the server's (both ways) before exp and nbf bite. */
    static final Duration LEEWAY = Duration.ofSeconds(30);

    private TokenOptions() {}

    /**
     * The verifier and what the banner says about it.
     *
     * @param verifier checks the tokens
     * @param source where its keys come from, for the banner
     */
    record Tokens(JwtVerifier verifier, String source) {
        Tokens {
            Objects.requireNonNull(verifier, "verifier");
            Objects.requireNonNull(source, "source");
        }
    }

    /** The token check the options ask for, or {@code null} when they name no key. */
    static Tokens tokens(CommandSpec command) {
        String secret = JWT_SECRET.value(command);
        Path publicKey = JWT_PUBLIC_KEY.value(command);
        String jwksUrl = JWT_JWKS_URL.value(command);
        long sources =
                Stream.of(secret, publicKey, jwksUrl).filter(Objects::nonNull).count();
        check(command, sources <= 1, "--jwt-secret, --jwt-public-key and --jwt-jwks-url exclude each other: give one");
        String issuer = JWT_ISSUER.value(command);
        String audience = JWT_AUDIENCE.value(command);
        if (sources == 0) {
            check(
                    command,
                    issuer == null && audience == null,
                    (issuer != null ? "--jwt-issuer" : "--jwt-audience")
                            + " needs a token key: --jwt-secret, --jwt-public-key or --jwt-jwks-url");
            return null;
        }
        JwtVerifierBuilder builder =
                JwtVerifier.builder().leeway(LEEWAY).issuer(issuer).audience(audience);
        String source;
        if (secret != null) {
            builder.hmacSecret(secret.getBytes(StandardCharsets.UTF_8));
            source = "HS256 tokens";
        } else if (publicKey != null) {
            try {
                builder.publicKeyPem(publicKey);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        command.commandLine(), JWT_PUBLIC_KEY.name() + ": " + e.getMessage());
            }
            source = "tokens signed by the key in " + publicKey;
        } else {
            builder.jwksUrl(url(command, jwksUrl));
            source = "tokens signed by the keys at " + jwksUrl;
        }
        return new Tokens(
                builder.build(),
                source + (issuer == null ? "" : ", iss " + issuer) + (audience == null ? "" : ", aud " + audience));
    }

    private static URI url(CommandSpec command, String text) {
        String problem = JWT_JWKS_URL.name() + " must be an http:// or https:// URL, not '" + text + "'";
        URI url;
        try {
            url = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new CommandLine.ParameterException(command.commandLine(), problem);
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        check(command, (scheme.equals("http") || scheme.equals("https")) && url.getHost() != null, problem);
        return url;
    }

    private static void check(CommandSpec command, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(command.commandLine(), message);
        }
    }
}
