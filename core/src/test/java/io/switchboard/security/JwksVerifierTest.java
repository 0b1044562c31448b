/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keys from a JWKS URL, served by a real HTTP server on the loopback interface. */
@Timeout(30)
class JwksVerifierTest {

    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

    private final SteppedClock clock = new SteppedClock(START);
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<String> body = new AtomicReference<>("{\"keys\":[]}");
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    private JwtVerifier verifier(URI url) {
        return JwtVerifier.builder()
                .jwksUrl(url)
                .jwksTimeout(Duration.ofSeconds(2))
                .clock(clock)
                .build();
    }

    private String token(KeyPair keys, String kid) {
        return TokenIssuer.signing(keys.getPrivate())
                .withKeyId(kid)
                .issue(Map.of("sub", "ann", "exp", clock.instant().getEpochSecond() + 3600));
    }

    private void serve(JWK... keys) {
        body.set(new JWKSet(Arrays.asList(keys)).toString());
    }

    @Test
    void rsaEcAndEd25519KeysOfTheSetVerifyTheirTokens() throws Exception {
        KeyPair rsa = pair("RSA");
        KeyPair ec = pair("EC");
        KeyPair ed = pair("Ed25519");
        serve(rsaJwk(rsa, "r"), ecJwk(ec, "e"), edJwk(ed, "d"));
        JwtVerifier verifier = verifier(url());
        assertThat(verifier.verify(token(rsa, "r"))).containsEntry("sub", "ann");
        assertThat(verifier.verify(token(ec, "e"))).containsEntry("sub", "ann");
        assertThat(verifier.verify(token(ed, "d"))).containsEntry("sub", "ann");
        assertThat(verifier.verify(token(ed, null)))
                .as("no kid: every key of the algorithm is tried")
                .containsEntry("sub", "ann");
        assertThatThrownBy(() -> verifier.verify(token(rsa, "e")))
                .as("a kid whose key is of another kind")
                .hasMessage("unknown token key id");
        assertThat(fetches).hasValue(1);
    }

    @Test
    void aRotatedKeyIsPickedUpWhenATokenNamesItsKid() throws Exception {
        KeyPair old = pair("RSA");
        KeyPair rotated = pair("RSA");
        serve(rsaJwk(old, "k1"));
        JwtVerifier verifier = verifier(url());
        verifier.verify(token(old, "k1"));
        serve(rsaJwk(old, "k1"), rsaJwk(rotated, "k2"));
        clock.step(Duration.ofSeconds(10)); // the default refetch interval
        assertThat(verifier.verify(token(rotated, "k2"))).containsEntry("sub", "ann");
        verifier.verify(token(old, "k1"));
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aFloodOfMadeUpKidsCostsOneFetchPerInterval() throws Exception {
        KeyPair keys = pair("EC");
        serve(ecJwk(keys, "real"));
        JwtVerifier verifier = verifier(url());
        verifier.verify(token(keys, "real"));
        for (int i = 0; i < 200; i++) {
            String forged = token(pair("EC"), "forged-" + i);
            assertThatThrownBy(() -> verifier.verify(forged))
                    .hasMessage("unknown token key id")
                    .satisfies(e -> assertThat(((TokenVerifier.Rejected) e).problem())
                            .isEqualTo(TokenVerifier.Problem.INVALID));
        }
        assertThat(fetches)
                .as("only the first fetch: the flood came within the interval")
                .hasValue(1);
        clock.step(Duration.ofSeconds(10));
        assertThatThrownBy(() -> verifier.verify(token(keys, "forged-again"))).hasMessage("unknown token key id");
        assertThatThrownBy(() -> verifier.verify(token(keys, "forged-again-2"))).hasMessage("unknown token key id");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aServerThatRefusesConnectionsIsUnavailableNotInvalid() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        JwtVerifier verifier = verifier(URI.create("http://127.0.0.1:" + closedPort + "/jwks"));
        String token = token(pair("RSA"), "k1");
        assertThatThrownBy(() -> verifier.verify(token))
                .hasMessage("token key set unavailable")
                .satisfies(e -> assertThat(((TokenVerifier.Rejected) e).problem())
                        .isEqualTo(TokenVerifier.Problem.UNAVAILABLE));
    }

    @Test
    void aServerThatNeverAnswersIsUnavailableAfterTheTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.createContext("/silent", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        try {
            JwtVerifier verifier = verifier(URI.create(url().toString().replace("/jwks", "/silent")));
            assertThatThrownBy(() -> verifier.verify(token(pair("RSA"), "k1"))).hasMessage("token key set unavailable");
        } finally {
            release.countDown();
        }
    }

    @Test
    void anErrorStatusOrGarbageIsUnavailableAndKeysFetchedBeforeStayInUse() throws Exception {
        KeyPair keys = pair("Ed25519");
        status.set(503);
        JwtVerifier verifier = verifier(url());
        assertThatThrownBy(() -> verifier.verify(token(keys, "k1"))).hasMessage("token key set unavailable");
        clock.step(Duration.ofSeconds(10));
        status.set(200);
        serve(edJwk(keys, "k1"));
        verifier.verify(token(keys, "k1"));
        body.set("<html>maintenance</html>");
        clock.step(Duration.ofHours(2)); // past the cache's age: fetched again, and that fails
        verifier.verify(token(keys, "k1"));
        assertThat(fetches).hasValue(3);
        assertThatThrownBy(() -> verifier.verify(token(keys, "k2")))
                .as("a new kid while the set cannot be fetched")
                .hasMessage("token key set unavailable");
    }

    @Test
    void aKeySetTooLargeIsRefusedWithoutReadingItAll() throws Exception {
        KeyPair keys = pair("RSA");
        body.set("{\"keys\":[" + rsaJwk(keys, "k1").toJSONString() + "],\"pad\":\"" + "x".repeat(JwksKeys.MAX_BYTES)
                + "\"}");
        assertThatThrownBy(() -> verifier(url()).verify(token(keys, "k1"))).hasMessage("token key set unavailable");
    }

    @Test
    void aSharedSecretInTheSetIsIgnored() throws Exception {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        serve(new OctetSequenceKey.Builder(secret).keyID("s").build());
        String token = TokenIssuer.hmac(secret).withKeyId("s").issue(Map.of("exp", START.getEpochSecond() + 60));
        assertThatThrownBy(() -> verifier(url()).verify(token)).hasMessage("unsupported token algorithm");
    }

    private static KeyPair pair(String kind) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(kind);
        if (kind.equals("RSA")) {
            generator.initialize(2048);
        } else if (kind.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        }
        return generator.generateKeyPair();
    }

    private static JWK rsaJwk(KeyPair keys, String kid) {
        return new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID(kid).build();
    }

    private static JWK ecJwk(KeyPair keys, String kid) {
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic())
                .keyID(kid)
                .build();
    }

    /** The raw 32 bytes of an Ed25519 public key are the last of its X.509 encoding. */
    private static JWK edJwk(KeyPair keys, String kid) {
        byte[] encoded = keys.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw))
                .keyID(kid)
                .build();
    }

    /** A clock the test moves by hand. */
    private static final class SteppedClock extends Clock {
        private final AtomicReference<Instant> now;

        SteppedClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void step(Duration by) {
            now.updateAndGet(instant -> instant.plus(by));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
