/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.security.FailedAttempts;
import io.switchboard.testkit.ManualClock;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Who may call the server API: the right key in either header, nobody when no key is set. */
class ApiKeyTest {

    private final ScriptedChannels channels = new ScriptedChannels();

    @Test
    void theKeyInXApiKeyOrAnApikeyAuthorizationIsAdmitted() {
        try (TestServer server = TestServer.start(new ServerApi(channels, ApiKey.of("k1")).router())) {
            assertThat(ServerApiTest.post(server, "info", "{}", "X-API-Key", "k1")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(ServerApiTest.post(server, "info", "{}", "Authorization", "apikey k1")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(ServerApiTest.post(server, "info", "{}", "Authorization", "ApiKey k1")
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(channels.calls).containsExactly("info", "info", "info");
    }

    @Test
    void noKeyAWrongKeyOrAnotherSchemeIs401AndCallsNothing() {
        try (TestServer server = TestServer.start(new ServerApi(channels, ApiKey.of("k1")).router())) {
            assertThat(ServerApiTest.post(server, "publish", "{\"channel\":\"a\",\"data\":1}")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(ServerApiTest.post(server, "publish", "{}", "X-API-Key", "k2")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(ServerApiTest.post(server, "publish", "{}", "X-API-Key", "k1k1")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(ServerApiTest.post(server, "publish", "{}", "Authorization", "Bearer k1")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(ServerApiTest.post(server, "nothing", "{}", "X-API-Key", "k2")
                            .statusCode())
                    .as("an unknown method is not revealed without the key")
                    .isEqualTo(401);
        }
        assertThat(channels.calls).isEmpty();
    }

    @Test
    void withoutAKeyTheApiIsOffAndRefusesEveryCall() {
        assertThat(ApiKey.of(null).enabled()).isFalse();
        assertThat(ApiKey.of(" ").enabled()).isFalse();
        try (TestServer server = TestServer.start(new ServerApi(channels, ApiKey.NONE).router())) {
            assertThat(ServerApiTest.post(server, "info", "{}", "X-API-Key", "").statusCode())
                    .isEqualTo(401);
            assertThat(ServerApiTest.post(server, "info", "{}").statusCode()).isEqualTo(401);
        }
        assertThat(channels.calls).isEmpty();
    }

    @Test
    void afterFiveWrongKeysAnAddressGets429WithRetryAfterUntilTheWindowEnds() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        FailedAttempts failures = new FailedAttempts("server API key", 5, Duration.ofMinutes(1), 100, clock);
        try (TestServer server = TestServer.start(new ServerApi(channels, ApiKey.of("k1"), failures).router())) {
            for (int i = 0; i < 5; i++) {
                assertThat(ServerApiTest.post(server, "info", "{}", "X-API-Key", "guess" + i)
                                .statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> slowed = ServerApiTest.post(server, "info", "{}", "X-API-Key", "k1");
            assertThat(slowed.statusCode())
                    .as("not even the right key is checked")
                    .isEqualTo(429);
            assertThat(slowed.headers().firstValue("Retry-After")).contains("60");
            assertThat(channels.calls).isEmpty();

            clock.advance(Duration.ofMinutes(1));
            assertThat(ServerApiTest.post(server, "info", "{}", "X-API-Key", "k1")
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(channels.calls).containsExactly("info");
    }

    @Test
    void wrongKeysSentInParallelFromOneAddressGetOnlyTheLimitOfChecks() throws Exception {
        int callers = FailedAttempts.LIMIT * 4;
        List<Integer> statuses = inParallel(callers, "guess");
        assertThat(statuses.stream().filter(status -> status == 401))
                .as("keys checked")
                .hasSize(FailedAttempts.LIMIT);
        assertThat(statuses.stream().filter(status -> status == 429)).hasSize(callers - FailedAttempts.LIMIT);
        assertThat(channels.calls).isEmpty();
    }

    @Test
    void theRightKeySentInParallelFromOneAddressIsNeverRefused() throws Exception {
        List<Integer> statuses = inParallel(FailedAttempts.LIMIT * 4, "k1");
        assertThat(statuses).containsOnly(200);
    }

    /** {@code callers} calls of {@code info} with {@code key}, each on its own thread, started together. */
    private List<Integer> inParallel(int callers, String key) throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        FailedAttempts failures =
                new FailedAttempts("server API key", FailedAttempts.LIMIT, Duration.ofMinutes(1), 100, clock);
        try (TestServer server = TestServer.start(new ServerApi(channels, ApiKey.of("k1"), failures).router());
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return ServerApiTest.post(server, "info", "{}", "X-API-Key", key)
                            .statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(20, TimeUnit.SECONDS));
            }
            return statuses;
        }
    }

    @Test
    void theKeyIsNeverInItsText() {
        assertThat(ApiKey.of("secret-key").toString()).doesNotContain("secret-key");
    }
}
