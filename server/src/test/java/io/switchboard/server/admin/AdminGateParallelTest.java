/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.http.HttpRequest;
import io.switchboard.security.FailedAttempts;
import io.switchboard.session.Scope;
import io.switchboard.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
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

/** Logins sent in parallel from one address: wrong passwords get only the limit of checks, right ones all pass. */
class AdminGateParallelTest {

    private static final int CALLERS = FailedAttempts.LIMIT * 4;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC);
    private final AdminGate gate = new AdminGate(
            new AdminAuth("the right password", clock),
            new FailedAttempts("admin password", FailedAttempts.LIMIT, Duration.ofMinutes(1), 100, clock));

    @Test
    void wrongPasswordsInParallelGetOnlyTheLimitOfChecks() throws Exception {
        List<Integer> statuses = logInParallel("a guess");

        assertThat(statuses.stream().filter(status -> status == 401))
                .as("passwords checked")
                .hasSize(FailedAttempts.LIMIT);
        assertThat(statuses.stream().filter(status -> status == 429)).hasSize(CALLERS - FailedAttempts.LIMIT);
    }

    @Test
    void theRightPasswordInParallelIsNeverRefused() throws Exception {
        assertThat(logInParallel("the right password")).containsOnly(200);
    }

    private List<Integer> logInParallel(String password) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CALLERS; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return gate.login(login(password)).status();
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

    private static HttpRequest login(String password) {
        Scope scope = Scope.builder("/admin/api/login").scheme("http").build();
        return new HttpRequest("POST", scope, ("password=" + password).getBytes(StandardCharsets.UTF_8));
    }
}
