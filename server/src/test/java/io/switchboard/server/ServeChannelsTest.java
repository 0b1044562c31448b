/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.channels.NamespaceOptions;
import io.switchboard.channels.NamespaceOptions.PublishRule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve}'s channel settings: namespaces from the config file, the server API's key. */
class ServeChannelsTest {

    @TempDir
    Path dir;

    static Resolved resolve(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine line = new CommandLine(new Main(), new ServeCommand.Factory(env, all));
        CommandLine.ParseResult parsed = line.parseArgs(all);
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        return serve.resolve();
    }

    private Path config(String text) throws IOException {
        Path file = dir.resolve("switchboard.properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void theConfigFileHoldsNamespacesBesideOptions() throws IOException {
        Path file = config("port=9001\nchannel.history-size=10\nnamespace.ticker.history-size=1\n"
                + "namespace.ticker.recovery=false\nnamespace.ticker.publish=server\n");

        Resolved settings = resolve(Map.of(), "--config", file.toString());

        assertThat(settings.port()).isEqualTo(9001);
        assertThat(settings.namespaces().defaults().historySize()).isEqualTo(10);
        NamespaceOptions ticker = settings.namespaces().of("ticker:AAPL");
        assertThat(ticker.historySize()).isEqualTo(1);
        assertThat(ticker.recovery()).isFalse();
        assertThat(ticker.publish()).isEqualTo(PublishRule.SERVER);
    }

    @Test
    void withoutAConfigFileChannelsHaveTheDefaultsAndNoNamespace() {
        Resolved settings = resolve(Map.of());

        assertThat(settings.namespaces().defaults()).isEqualTo(NamespaceOptions.DEFAULTS);
        assertThat(settings.namespaces().byName()).isEmpty();
        assertThat(settings.apiKey().enabled()).isFalse();
    }

    @Test
    void aBadNamespaceSettingStopsTheStartNamingTheFileAndTheKey() throws IOException {
        Path file = config("namespace.ticker.presense=true\n");

        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith(
                        "config file " + file + ": 'namespace.ticker.presense': unknown option 'presense'");
    }

    @Test
    void otherUnknownKeysAndNamespaceVariablesAreStillRefused() throws IOException {
        Path file = config("channels.history-size=1\n");

        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString()))
                .hasMessageContaining("unknown setting 'channels.history-size'");
        assertThatThrownBy(() -> resolve(Map.of("SWITCHBOARD_NAMESPACE_TICKER_PRESENCE", "true")))
                .hasMessageStartingWith("unknown environment variable SWITCHBOARD_NAMESPACE_TICKER_PRESENCE");
    }

    @Test
    void theApiKeyComesFromTheOptionOrTheEnvironmentAndTheBannerNeverShowsIt() {
        assertThat(resolve(Map.of(), "--api-key", "k-from-option").apiKey().enabled())
                .isTrue();
        Resolved settings = resolve(Map.of("SWITCHBOARD_API_KEY", "k-from-env"), "--port", "0");
        assertThat(settings.apiKey().enabled()).isTrue();
        assertThat(settings.toString()).doesNotContain("k-from-env");

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Running running = Running.start(settings, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String banner = printed.toString(StandardCharsets.UTF_8);
            assertThat(banner)
                    .containsPattern("server API +on: POST /api/<method>")
                    .doesNotContain("k-from-env");
        }
    }

    @Test
    void theHelpNamesTheNamespaceKeysAndTheApiKey() {
        java.io.StringWriter help = new java.io.StringWriter();
        CommandLine line = new CommandLine(new Main(), new ServeCommand.Factory(Map.of(), new String[] {"serve"}));
        line.getSubcommands().get("serve").setOut(new java.io.PrintWriter(help)).usage(new java.io.PrintWriter(help));

        assertThat(help.toString())
                .contains("--api-key=KEY")
                .contains("namespace.NAME.OPTION=VALUE")
                .contains("conflate-key");
    }

    @Test
    void withoutAKeyTheBannerSaysTheApiIsOff() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Running running = Running.start(
                resolve(Map.of(), "--port", "0"), new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .containsPattern("server API +off \\(no --api-key; /api calls get 401\\)")
                    .containsPattern("channel namespaces +none")
                    .containsPattern("channel connections +without a token, as anonymous users");
        }
    }
}
