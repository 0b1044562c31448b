/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.server.ServerHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak itself, short: the real server (from this module's class path) with a 256 MB heap, every
 * attack for 20 seconds beside the healthy clients, and every invariant must hold. The harness runs
 * in a JVM of its own, as {@code ./switchboard soak} runs it: inside the test JVM, with its paranoid
 * buffer-leak tracking and coverage agent, the attackers would be too slow to be a test. The full
 * run is {@code ./switchboard soak} (two minutes).
 */
class SoakRunTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theServerSurvivesEveryAttackAndHealthyClientsMissNothing() throws Exception {
        Path output = Path.of("target/soak-run.txt");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ServerHandle.jvmFlags());
        command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), SoakMain.class.getName()));
        command.addAll(List.of(
                "--duration",
                "20s",
                "--calm",
                "3s",
                "--heap",
                "256m",
                "--healthz-timeout",
                "10s", // a slow answer on a loaded test machine is not a dead server
                "--server-classpath",
                "--log",
                "target/soak-server.log"));
        Process soak = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean ended = soak.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            soak.descendants().forEach(ProcessHandle::destroyForcibly); // the server it started
            soak.destroyForcibly().waitFor();
        }
        String report = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(report);

        assertThat(ended).as("the soak ended in time").isTrue();
        assertThat(soak.exitValue()).as(report).isZero();
        assertThat(report).contains("PASS: every invariant held");
    }
}
