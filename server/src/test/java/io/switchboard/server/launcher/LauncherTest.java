/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's launcher ({@code ./switchboard}, with {@code bin/}) copied beside a scratch
 * Maven project of three modules, building it with the real Maven, its output going to pipes as in a
 * CI log: a line per module, the JDK and why, Maven's errors when the build fails, and never an
 * escape sequence.
 */
class LauncherTest {

    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final String JAVA_HOME = System.getProperty("java.home");
    private static final int JAVA_MAJOR = Runtime.version().feature();

    @TempDir
    Path project;

    @Test
    void aBuildSaysWhichJdkAndShowsALinePerModule() throws Exception {
        Run run = launch(Map.of("JAVA_HOME", JAVA_HOME), "build", "-o");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .containsSubsequence(
                        "switchboard: using JDK " + JAVA_MAJOR + " at " + JAVA_HOME + " (JAVA_HOME)",
                        "switchboard: building scratch (1/3)...",
                        "switchboard: building alpha (2/3)...",
                        "switchboard: building beta (3/3)...")
                .filteredOn(line -> line.startsWith("switchboard: using JDK"))
                .hasSize(1);
        assertThat(run.errLines().getLast()).matches("switchboard: built in \\d+ s");
    }

    @Test
    void aFailedBuildShowsMavensErrorsAndKeepsItsOutput() throws Exception {
        Run run = launch(Map.of("JAVA_HOME", JAVA_HOME), "build", "-o", "-Dfail");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains("switchboard: building beta (3/3)...")
                .contains("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-enforcer-plugin")
                .contains("on project switchboard-beta")
                .doesNotContain("re-run Maven with the -e switch");
        Matcher kept = Pattern.compile("the build failed after \\d+ s; Maven's whole output is in (\\S+)")
                .matcher(run.err());
        assertThat(kept.find()).as(run.err()).isTrue();
        Path log = Path.of(kept.group(1));
        try {
            assertThat(Files.readString(log)).contains("BUILD FAILURE").doesNotContain("\u001b");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void verboseShowsMavensOwnOutputAndJavaHomePassedOverIsNamed() throws Exception {
        Path notAJdk = Files.createDirectories(project.resolve("not-a-jdk"));
        Map<String, String> environment = Map.of(
                "JAVA_HOME",
                notAJdk.toString(),
                "PATH",
                JAVA_HOME + "/bin:" + System.getenv("PATH"),
                "SWITCHBOARD_VERBOSE",
                "1");
        Run run = launch(environment, "build", "-o");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("[INFO] Reactor Summary").contains("BUILD SUCCESS");
        assertThat(run.errLines())
                .contains("switchboard: using JDK " + JAVA_MAJOR + " at " + JAVA_HOME + " (java on the PATH; JAVA_HOME="
                        + notAJdk + " has no bin/java)");
    }

    @Test
    void onATerminalMavensColourGoesThroughUnlessNoColourIsSet() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) for a terminal (Debian: bsdutils)");
        String build = "bash switchboard --verbose build -o";

        Run coloured = run(Map.of("JAVA_HOME", JAVA_HOME, "TERM", "xterm"), "script", "-qec", build, "/dev/null");
        Run plain = run(
                Map.of("JAVA_HOME", JAVA_HOME, "TERM", "xterm", "NO_COLOR", "1"), "script", "-qec", build, "/dev/null");

        assertThat(coloured.exit()).as(coloured.out()).isZero();
        assertThat(coloured.out()).as("Maven's colours on a terminal").contains("\u001b[");
        assertThat(plain.exit()).as(plain.out()).isZero();
        assertThat(plain.out()).contains("BUILD SUCCESS").doesNotContain("\u001b");
    }

    /** What a run of the launcher printed, and how it ended. */
    private record Run(int exit, String out, String err) {
        void assertNoEscapes() {
            assertThat(out).as("no escape sequence on stdout").doesNotContain("\u001b");
            assertThat(err).as("no escape sequence on stderr").doesNotContain("\u001b");
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /**
     * The launcher in a copy of the scratch project, with {@code environment} beside this one's, its
     * output to pipes: no escape sequence may reach them.
     */
    private Run launch(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "switchboard"));
        command.addAll(List.of(args));
        Run run = run(environment, command.toArray(String[]::new));
        run.assertNoEscapes();
        return run;
    }

    /** {@code command} in a copy of the scratch project, with {@code environment} beside this one's. */
    private Run run(Map<String, String> environment, String... command) throws Exception {
        if (!Files.exists(project.resolve("switchboard"))) {
            copyScratchProject();
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile());
        Map<String, String> env = builder.environment();
        env.remove("NO_COLOR");
        env.remove("SWITCHBOARD_VERBOSE");
        env.putAll(new HashMap<>(environment));
        Process process = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish within 120 s");
        }
        return new Run(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private void copyScratchProject() throws IOException {
        Path scratch = Path.of("src/test/launcher/scratch").toAbsolutePath();
        for (String file : List.of("pom.xml", "alpha/pom.xml", "beta/pom.xml")) {
            Files.createDirectories(project.resolve(file).getParent());
            Files.copy(scratch.resolve(file), project.resolve(file));
        }
        Files.createDirectories(project.resolve("bin"));
        for (String file : List.of("switchboard", "bin/find-jdk", "bin/maven-output")) {
            Files.copy(REPOSITORY.resolve(file), project.resolve(file));
        }
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
