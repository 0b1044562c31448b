/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.engine.History;
import io.switchboard.session.Message;
import io.switchboard.testkit.EngineContract;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestMember;
import io.switchboard.testkit.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings that reach Redis: password, TLS, database number, and what a wrong one says. */
class RedisConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aPasswordIsSentAndAMissingOneIsNamedAtConnect() {
        try (RedisServer redis = RedisServer.start("--requirepass", "s3cret")) {
            assertThatThrownBy(() -> RedisEngine.connect(RedisSettings.of(redis.uri())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot reach Redis at " + redis.uri() + "/0");
            try (RedisHistory history =
                    RedisHistory.connect(RedisSettings.of(redis.uri()).withPassword("s3cret"))) {
                assertThat(appendOne(history)).isEqualTo(1);
            }
            String inUri = redis.uri().replace("redis://", "redis://:s3cret@");
            try (RedisHistory history = RedisHistory.connect(RedisSettings.of(inUri))) {
                assertThat(appendOne(history)).isEqualTo(2);
            }
        }
    }

    @Test
    void rediss_speaksTls() throws Exception {
        Path cert = dir.resolve("redis.crt");
        Path key = dir.resolve("redis.key");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString())
                .redirectErrorStream(true)
                .start();
        openssl.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as("openssl made a certificate").isZero();
        try (RedisServer redis = RedisServer.startTls(cert, key)) {
            assertThat(redis.uri()).startsWith("rediss://");
            RedisSettings settings = RedisSettings.of(redis.uri() + "?verifyPeer=NONE"); // self-signed
            assertThat(settings.display()).startsWith("rediss://");
            try (RedisHistory history = RedisHistory.connect(settings)) {
                assertThat(appendOne(history)).isEqualTo(1);
            } catch (RuntimeException e) {
                throw new AssertionError("TLS failed; redis-server said:\n" + redis.log(), e);
            }
            assertThatThrownBy(() ->
                            RedisHistory.connect(RedisSettings.of(redis.uri().replace("rediss", "redis"))))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void clustersInTwoDatabasesWithOnePrefixDoNotMeet() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisEngine first = RedisEngine.connect(RedisSettings.of(redis.uri() + "/1"));
                RedisEngine second = RedisEngine.connect(RedisSettings.of(redis.uri() + "/2"));
                RedisEngine firstAgain = RedisEngine.connect(RedisSettings.of(redis.uri() + "/1"))) {
            TestNode one = EngineContract.testNode(first, WAIT);
            TestNode two = EngineContract.testNode(second, WAIT);
            TestNode three = EngineContract.testNode(firstAgain, WAIT);
            TestMember inOne = one.connect("ann");
            TestMember inTwo = two.connect("bob");
            TestMember alsoInOne = three.connect("cid");
            inOne.join("room");
            inTwo.join("room");
            alsoInOne.join("room");

            first.broadcast("room", Message.text("db 1 only"));
            second.broadcast("room", Message.text("db 2 only"));
            assertThat(inOne.next()).isEqualTo(Message.text("db 1 only"));
            assertThat(alsoInOne.next()).isEqualTo(Message.text("db 1 only"));
            assertThat(inTwo.next()).isEqualTo(Message.text("db 2 only"));
            assertThat(second.members("room").toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .containsExactly(inTwo.info());
        }
    }

    @Test
    void anUnreachableRedisIsNamedAtConnect() {
        assertThatThrownBy(() -> RedisEngine.connect(
                        RedisSettings.of("redis://127.0.0.1:1").withCommandTimeout(Duration.ofSeconds(2))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot reach Redis at redis://127.0.0.1:1/0");
    }

    @Test
    void wrongSettingsAreNamed() {
        assertThatThrownBy(() -> RedisSettings.of("http://localhost"))
                .hasMessageContaining("starts with redis://, rediss://, redis-sentinel:// or redis-cluster://");
        assertThatThrownBy(() -> RedisSettings.of("redis://localhost")
                        .withHeartbeat(Duration.ofSeconds(2), Duration.ofSeconds(3)))
                .hasMessageContaining("at least twice the heartbeat");
        assertThatThrownBy(() -> RedisSettings.of("redis://localhost").withPrefix("a b"))
                .hasMessageContaining("no spaces");
        assertThat(RedisSettings.of("redis://:pw@example.com:7000/3").display())
                .isEqualTo("redis://example.com:7000/3");
    }

    private static long appendOne(History history) {
        try {
            return history.append("s", id -> "x", 10, entry -> {})
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .id();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
