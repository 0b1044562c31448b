/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.security.Hosts;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import io.switchboard.settings.RateLimitPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Options, environment and config file: precedence, validation and help. */
class ServeCommandTest {

    @TempDir
    Path dir;

    /** What {@code serve ARGS} resolves to in {@code env}. */
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
    void defaults() {
        Resolved settings = resolve(Map.of());
        assertThat(settings.host())
                .as("this machine only, as Django's runserver")
                .isEqualTo("127.0.0.1");
        assertThat(settings.limits().access().allowedHosts())
                .containsExactly("localhost", ".localhost", "127.0.0.1", "::1");
        assertThat(settings.port()).isEqualTo(8000);
        assertThat(settings.chat().historySize()).isEqualTo(100);
        assertThat(settings.chat().queuedPerUser()).isEqualTo(100);
        assertThat(settings.chat().maxMessageChars()).isEqualTo(4096);
        assertThat(settings.limits().messages().maxMessageBytes()).isEqualTo(64 * 1024);
        assertThat(settings.limits().timeouts().drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.limits().messages().deflate()).isTrue();
    }

    @Test
    void deflateCanBeTurnedOffOnTheCommandLineOrInTheEnvironment() {
        assertThat(resolve(Map.of(), "--no-deflate").limits().messages().deflate())
                .isFalse();
        assertThat(resolve(Map.of("SWITCHBOARD_DEFLATE", "false"))
                        .limits()
                        .messages()
                        .deflate())
                .isFalse();
        assertThat(resolve(Map.of("SWITCHBOARD_DEFLATE", "false"), "--deflate")
                        .limits()
                        .messages()
                        .deflate())
                .isTrue();
    }

    @Test
    void commandLineBeatsEnvironmentBeatsConfigFileBeatsDefaults() throws IOException {
        Path file = config("port=9001\nhistory-size=7\nqueued-per-user=8\nmax-message-size=1MiB\n");
        Map<String, String> env = Map.of("SWITCHBOARD_PORT", "9002", "SWITCHBOARD_HISTORY_SIZE", "9");

        Resolved fileOnly = resolve(Map.of(), "--config", file.toString());
        assertThat(fileOnly.port()).isEqualTo(9001);
        assertThat(fileOnly.chat().historySize()).isEqualTo(7);
        assertThat(fileOnly.limits().messages().maxMessageBytes()).isEqualTo(1024 * 1024);

        Resolved envAndFile = resolve(env, "--config=" + file);
        assertThat(envAndFile.port()).isEqualTo(9002);
        assertThat(envAndFile.chat().historySize()).isEqualTo(9);
        assertThat(envAndFile.chat().queuedPerUser()).isEqualTo(8);

        Resolved all = resolve(env, "--config", file.toString(), "--port", "9003");
        assertThat(all.port()).isEqualTo(9003);
        assertThat(all.chat().historySize()).isEqualTo(9);
    }

    @Test
    void theConfigFileCanComeFromTheEnvironment() throws IOException {
        Path file = config("drain-timeout=250ms\n");
        assertThat(resolve(Map.of("SWITCHBOARD_CONFIG", file.toString()))
                        .limits()
                        .timeouts()
                        .drainTimeout())
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void unknownSettingsAreNamed() throws IOException {
        Path file = config("port=9001\nhistroy-size=7\n");
        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("unknown setting 'histroy-size'");
        assertThatThrownBy(() -> resolve(Map.of("SWITCHBOARD_PROT", "1")))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("SWITCHBOARD_PROT");
    }

    @Test
    void badValuesAreNamed() throws IOException {
        Path file = config("port=eighty\n");
        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--port")
                .hasMessageContaining("eighty");
        assertThatThrownBy(() -> resolve(Map.of("SWITCHBOARD_DRAIN_TIMEOUT", "soon")))
                .hasMessageContaining("--drain-timeout");
        assertThatThrownBy(() -> resolve(Map.of(), "--port", "70000")).hasMessageContaining("--port must be 0-65535");
        assertThatThrownBy(() -> resolve(Map.of(), "--history-size", "0")).hasMessageContaining("--history-size");
        assertThatThrownBy(() -> resolve(Map.of(), "--max-message-size", "12 parsecs"))
                .hasMessageContaining("--max-message-size");
    }

    @Test
    void aMissingConfigFileStopsTheStart() {
        int code = run(
                Map.of(), "serve", "--config", dir.resolve("nope.properties").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("nope.properties")
                .contains("does not exist");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        int code = run(Map.of(), "serve", "--help");
        assertThat(code).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : new String[] {
            "--host",
            "--port",
            "--config",
            "--history-size",
            "--queued-per-user",
            "--max-chat-message",
            "--max-message-size",
            "--max-fragments",
            "--outbound-buffer",
            "--drain-timeout",
            "--[no-]deflate",
            "--io-threads",
            "--redis",
            "--redis-password",
            "--redis-prefix",
            "--node-heartbeat",
            "--node-expiry",
            "--handshake-timeout",
            "--ping-interval",
            "--pong-timeout",
            "--max-connections",
            "--max-connections-per-address",
            "--rate-limit",
            "--rate-burst",
            "--rate-limit-policy",
            "--allowed-origins",
            "--allowed-hosts"
        }) {
            assertThat(help).contains(option);
        }
        assertThat(help)
                .contains("Default: 8000")
                .contains("Default: 127.0.0.1")
                .contains("SWITCHBOARD_PORT");
        // Written from the records' own defaults, as one would write them on the command line.
        assertThat(help)
                .contains("Default: 64KiB")
                .contains("Default: 1MiB")
                .contains("Default: 10s")
                .contains("Default: 24h")
                .contains("Default: 100000")
                .contains("Default: close")
                .contains("Default: localhost,.localhost,127.0.0.1,::1");
    }

    @Test
    void theAbuseLimitsHaveTheirDefaultsAndComeFromEverySource() throws IOException {
        Limits defaults = resolve(Map.of()).limits();
        assertThat(defaults.describe()).isEqualTo(Limits.defaults().describe());

        Limits cli = resolve(
                        Map.of(),
                        "--handshake-timeout",
                        "2s",
                        "--ping-interval",
                        "30s",
                        "--pong-timeout",
                        "5s",
                        "--max-connections",
                        "500",
                        "--max-connections-per-address",
                        "50",
                        "--max-fragments",
                        "64",
                        "--rate-limit",
                        "10",
                        "--rate-burst",
                        "20",
                        "--rate-limit-policy",
                        "DROP",
                        "--allowed-origins",
                        "https://a.example, https://b.example:8443")
                .limits();
        assertThat(cli.timeouts().handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(cli.timeouts().pingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cli.timeouts().pongTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(cli.capacity().maxConnections()).isEqualTo(500);
        assertThat(cli.capacity().maxConnectionsPerAddress()).isEqualTo(50);
        assertThat(cli.messages().fragmentLimit()).isEqualTo(64);
        assertThat(cli.rateLimit()).isEqualTo(RateLimit.of(10, 20).withPolicy(RateLimitPolicy.DROP));
        assertThat(cli.access().allowedOrigins()).containsExactly("https://a.example", "https://b.example:8443");

        Limits env = resolve(Map.of("SWITCHBOARD_ALLOWED_ORIGINS", "*", "SWITCHBOARD_RATE_LIMIT", "0"))
                .limits();
        assertThat(env.access().allowedOrigins()).containsExactly("*");
        assertThat(env.rateLimit().isOff()).isTrue();

        Path file = config("max-connections-per-address=7\nping-interval=1m\n");
        Limits fromFile = resolve(Map.of(), "--config", file.toString()).limits();
        assertThat(fromFile.capacity().maxConnectionsPerAddress()).isEqualTo(7);
        assertThat(fromFile.timeouts().pingInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void badAbuseLimitsAreNamed() {
        assertThatThrownBy(() -> resolve(Map.of(), "--allowed-origins", "app.example"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--allowed-origins: 'app.example' is not an origin: expected scheme://host[:port],"
                        + " '*' or 'null'");
        assertThatThrownBy(() -> resolve(Map.of(), "--rate-limit-policy", "shout"))
                .hasMessage("--rate-limit-policy must be close or drop, not 'shout'");
        assertThatThrownBy(() -> resolve(Map.of(), "--rate-burst", "0"))
                .hasMessage("--rate-burst must be at least 1, not 0");
        assertThatThrownBy(() -> resolve(Map.of(), "--max-connections", "0"))
                .hasMessage("--max-connections must be at least 1, not 0");
        assertThatThrownBy(() -> resolve(Map.of(), "--max-fragments", "0"))
                .hasMessage("--max-fragments must be at least 1, not 0");
        assertThatThrownBy(() -> resolve(Map.of(), "--max-connections-per-address", "-1"))
                .hasMessage("--max-connections-per-address must be at least 1, not -1");
        assertThatThrownBy(() -> resolve(Map.of(), "--ping-interval", "0s")).hasMessageContaining("--ping-interval");
    }

    @Test
    void redisComesFromTheCommandLineTheEnvironmentOrTheConfigFile() throws IOException {
        assertThat(resolve(Map.of()).redis()).isNull();

        Resolved cli = resolve(
                Map.of(),
                "--redis",
                "redis://10.0.0.5:6380/2",
                "--redis-prefix",
                "chat:",
                "--node-heartbeat",
                "500ms",
                "--node-expiry",
                "3s");
        assertThat(cli.redis().display()).isEqualTo("redis://10.0.0.5:6380/2");
        assertThat(cli.redis().prefix()).isEqualTo("chat:");
        assertThat(cli.redis().heartbeat()).isEqualTo(Duration.ofMillis(500));
        assertThat(cli.redis().nodeExpiry()).isEqualTo(Duration.ofSeconds(3));
        assertThat(Banner.engine(cli.redis(), "n1"))
                .isEqualTo("redis redis://10.0.0.5:6380/2, prefix chat:, node n1, heartbeat 500 ms, expiry 3000 ms");

        Resolved env = resolve(Map.of("SWITCHBOARD_REDIS", "rediss://cache:6379", "SWITCHBOARD_REDIS_PASSWORD", "pw"));
        assertThat(env.redis().display()).isEqualTo("rediss://cache:6379/0");
        assertThat(env.redis().password()).isEqualTo("pw");
        assertThat(env.redis().prefix()).isEqualTo("switchboard:");

        Path file = config("redis=redis://127.0.0.1:7000\nnode-expiry=10s\n");
        Resolved fromFile = resolve(Map.of(), "--config", file.toString());
        assertThat(fromFile.redis().display()).isEqualTo("redis://127.0.0.1:7000/0");
        assertThat(fromFile.redis().nodeExpiry()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void wrongRedisSettingsAreNamed() {
        assertThatThrownBy(() -> resolve(Map.of(), "--redis", "localhost:6379"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--redis")
                .hasMessageContaining("redis://");
        assertThatThrownBy(() -> resolve(
                        Map.of(), "--redis", "redis://localhost", "--node-heartbeat", "2s", "--node-expiry", "3s"))
                .hasMessageContaining("at least twice the heartbeat");
    }

    @Test
    void historyRetentionAndTheWelcomeBudgetHaveOptions() {
        Resolved defaults = resolve(Map.of());
        assertThat(defaults.chat().retention()).isEqualTo(io.switchboard.engine.Retention.defaults());
        assertThat(defaults.chat().welcomeBytes()).isEqualTo(256 * 1024);

        Resolved set = resolve(
                Map.of("SWITCHBOARD_QUEUED_TTL", "2h"),
                "--history-ttl",
                "90s",
                "--history-memory",
                "8MiB",
                "--outbound-buffer",
                "256KiB");
        assertThat(set.chat().retention().streamTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(set.chat().retention().queueTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(set.chat().retention().maxBytes()).isEqualTo(8L << 20);
        assertThat(set.chat().welcomeBytes()).isEqualTo(64 * 1024); // a quarter of the outbound buffer

        assertThatThrownBy(() -> resolve(Map.of(), "--history-memory", "64KiB"))
                .hasMessageContaining("--history-memory must be at least 1MiB");
        assertThatThrownBy(() -> resolve(Map.of(), "--history-ttl", "0s")).hasMessageContaining("'0s'");
    }

    @Test
    void anUnreachableRedisStopsTheStartNamingIt() {
        int code = run(Map.of(), "serve", "--port", "0", "--redis", "redis://127.0.0.1:1");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot reach Redis at redis://127.0.0.1:1/0");
    }

    @Test
    void theBannerNamesTheAddressAndTheLimits() {
        Resolved settings = resolve(Map.of(), "--host", "127.0.0.1", "--port", "0");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Running running = Running.start(settings, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String banner = printed.toString(StandardCharsets.UTF_8);
            assertThat(banner.lines().findFirst())
                    .hasValue("Switchboard listening on http://127.0.0.1:"
                            + running.server().port());
            assertThat(banner)
                    .contains("max message size")
                    .contains("history per room")
                    .contains("queued direct messages per user")
                    .contains("max chat message")
                    .containsPattern("handshake timeout +10000 ms")
                    .containsPattern("messages per connection +100/s, burst 200, close")
                    .containsPattern("allowed origins +same origin")
                    .containsPattern("engine +in memory")
                    .containsPattern("history kept +rooms 24 h after the last message, queued direct messages 24 h"
                            + " after the last, 65536 KiB in memory at most")
                    .containsPattern("welcome history +262144 bytes at most");
        }
    }

    @Test
    void allowedHostsComeFromEverySourceAndBadOnesAreNamed() throws IOException {
        assertThat(resolve(Map.of(), "--allowed-hosts", "Chat.Example, .corp.example")
                        .limits()
                        .access()
                        .allowedHosts())
                .containsExactly("chat.example", ".corp.example");
        assertThat(resolve(Map.of("SWITCHBOARD_ALLOWED_HOSTS", "*"))
                        .limits()
                        .access()
                        .allowedHosts())
                .containsExactly("*");
        Path file = config("allowed-hosts=chat.example\n");
        assertThat(resolve(Map.of(), "--config", file.toString())
                        .limits()
                        .access()
                        .allowedHosts())
                .containsExactly("chat.example");
        assertThatThrownBy(() -> resolve(Map.of(), "--allowed-hosts", "http://chat.example"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--allowed-hosts: 'http://chat.example' is not a host");
    }

    @Test
    void beyondLoopbackWithoutATokenSecretTheBannerWarns() {
        List<String> hosts = Hosts.LOOPBACK;
        List<String> open = Banner.exposure("0.0.0.0", false, false, hosts);
        assertThat(open).hasSize(2);
        assertThat(open.get(0))
                .startsWith("  WARNING: listening beyond this machine (0.0.0.0) without --jwt-secret")
                .contains("anyone who can reach this port can claim any user name");
        assertThat(open.get(1))
                .contains("allowed hosts (localhost, .localhost, 127.0.0.1, ::1; any IP address is served)")
                .contains("--allowed-hosts");
        assertThat(Banner.exposure("0.0.0.0", false, true, List.of("*"))).isEmpty();
        assertThat(Banner.exposure("127.0.0.1", true, false, hosts)).isEmpty();
    }

    @Test
    void onLoopbackTheBannerHasNoWarningAndNamesTheAllowedHosts() {
        Resolved settings = resolve(Map.of(), "--port", "0", "--allowed-hosts", "chat.example");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Running running = Running.start(settings, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String banner = printed.toString(StandardCharsets.UTF_8);
            assertThat(banner).doesNotContain("WARNING").containsPattern("allowed hosts +chat.example, 127.0.0.1\n");
        }
    }

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
}
