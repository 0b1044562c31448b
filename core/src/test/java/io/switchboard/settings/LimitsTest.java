/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bound the server enforces: defaults, changes and checks. */
class LimitsTest {

    @Test
    void theFragmentLimitFollowsTheMessageSizeUnlessSet() {
        assertThat(Limits.defaults().messages().fragmentLimit()).isEqualTo(1024);
        Limits big = Limits.defaults().withMessages(m -> m.withMaxMessageBytes(16 << 20));
        assertThat(big.messages().fragmentLimit())
                .as("16 MiB in 64-byte pieces")
                .isEqualTo(262_144);
        assertThat(Limits.defaults()
                        .withMessages(m -> m.withMaxMessageBytes(100))
                        .messages()
                        .fragmentLimit())
                .isEqualTo(16);
        Limits set = Limits.defaults().withMessages(m -> m.withMaxFragments(10));
        assertThat(set.withMessages(m -> m.withMaxMessageBytes(16 << 20))
                        .messages()
                        .fragmentLimit())
                .as("a set limit stays set")
                .isEqualTo(10);
        assertThat(Limits.defaults()
                        .withMessages(m -> m.withMaxMessageBytes(16 << 20))
                        .messages()
                        .fragmentLimit())
                .as("a derived one is derived again")
                .isEqualTo(262_144);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        Limits limits = Limits.defaults();

        assertThat(limits.messages().maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(limits.messages().maxMessageBytes()).isEqualTo(64 * 1024);
        assertThat(limits.buffers().outboundBufferBytes()).isEqualTo(1024 * 1024);
        assertThat(limits.buffers().inboundBufferBytes()).isEqualTo(1024 * 1024);
        assertThat(limits.capacity().maxHttpBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(limits.buffers().slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.CLOSE);
        assertThat(limits.timeouts().closeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.timeouts().drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.timeouts().handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.timeouts().pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(limits.timeouts().pongTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(limits.capacity().maxConnections()).isEqualTo(100_000);
        assertThat(limits.capacity().maxConnectionsPerAddress()).isEqualTo(1_000);
        assertThat(limits.rateLimit()).isEqualTo(RateLimit.of(100, 200));
        assertThat(limits.rateLimit().policy()).isEqualTo(RateLimitPolicy.CLOSE);
        assertThat(limits.access().allowedOrigins()).isEmpty();
    }

    @Test
    void aNewBuilderStartsFromTheDefaults() {
        assertThat(Limits.defaults().describe()).isEqualTo(Limits.defaults().describe());
    }

    @Test
    void theBuilderChangesEachLimitAndLeavesTheOriginalAlone() {
        Limits changed = Limits.defaults()
                .withMessages(m -> m.withMaxFrameBytes(1).withMaxMessageBytes(2))
                .withBuffers(b -> b.withOutboundBufferBytes(3).withInboundBufferBytes(4))
                .withCapacity(c -> c.withMaxHttpBodyBytes(5))
                .withBuffers(b -> b.withSlowConsumerPolicy(SlowConsumerPolicy.DROP))
                .withTimeouts(t -> t.withCloseTimeout(Duration.ofMillis(6))
                        .withDrainTimeout(Duration.ofMillis(7))
                        .withHandshakeTimeout(Duration.ofMillis(8))
                        .withPingInterval(Duration.ofMillis(9))
                        .withPongTimeout(Duration.ofMillis(10)))
                .withCapacity(c -> c.withMaxConnections(11).withMaxConnectionsPerAddress(12))
                .withRateLimit(RateLimit.OFF)
                .withAccess(a -> a.withAllowedOrigins(List.of("HTTPS://A.Example:443/", "*")));

        assertThat(changed.messages().maxFrameBytes()).isEqualTo(1);
        assertThat(changed.messages().maxMessageBytes()).isEqualTo(2);
        assertThat(changed.buffers().outboundBufferBytes()).isEqualTo(3);
        assertThat(changed.buffers().inboundBufferBytes()).isEqualTo(4);
        assertThat(changed.capacity().maxHttpBodyBytes()).isEqualTo(5);
        assertThat(changed.buffers().slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DROP);
        assertThat(changed.timeouts().closeTimeout()).isEqualTo(Duration.ofMillis(6));
        assertThat(changed.timeouts().drainTimeout()).isEqualTo(Duration.ofMillis(7));
        assertThat(changed.timeouts().handshakeTimeout()).isEqualTo(Duration.ofMillis(8));
        assertThat(changed.timeouts().pingInterval()).isEqualTo(Duration.ofMillis(9));
        assertThat(changed.timeouts().pongTimeout()).isEqualTo(Duration.ofMillis(10));
        assertThat(changed.capacity().maxConnections()).isEqualTo(11);
        assertThat(changed.capacity().maxConnectionsPerAddress()).isEqualTo(12);
        assertThat(changed.rateLimit().isOff()).isTrue();
        assertThat(changed.access().allowedOrigins()).containsExactly("https://a.example", "*");
        assertThat(Limits.defaults().messages().maxFrameBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void toBuilderStartsFromTheseLimits() {
        Limits small = Limits.defaults()
                .withMessages(m -> m.withMaxMessageBytes(10))
                .withTimeouts(t -> t.withCloseTimeout(Duration.ofSeconds(1)));

        Limits copy = small.withMessages(m -> m.withMaxFrameBytes(20));

        assertThat(copy.messages().maxMessageBytes()).isEqualTo(10);
        assertThat(copy.timeouts().closeTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(copy.messages().maxFrameBytes()).isEqualTo(20);
    }

    @ParameterizedTest
    @CsvSource({"0", "-1"})
    void everySizeMustBeAtLeastOneAndTheMessageNamesIt(int bad) {
        String problem = " must be at least 1, not " + bad;
        expectInvalid(l -> l.withMessages(m -> m.withMaxFrameBytes(bad)), "maxFrameBytes", problem);
        expectInvalid(l -> l.withMessages(m -> m.withMaxMessageBytes(bad)), "maxMessageBytes", problem);
        expectInvalid(l -> l.withMessages(m -> m.withMaxFragments(bad)), "maxFragments", problem);
        expectInvalid(l -> l.withBuffers(b -> b.withOutboundBufferBytes(bad)), "outboundBufferBytes", problem);
        expectInvalid(l -> l.withBuffers(b -> b.withInboundBufferBytes(bad)), "inboundBufferBytes", problem);
        expectInvalid(l -> l.withBuffers(b -> b.withMaxConflatedKeys(bad)), "maxConflatedKeys", problem);
        expectInvalid(l -> l.withCapacity(c -> c.withMaxHttpBodyBytes(bad)), "maxHttpBodyBytes", problem);
        expectInvalid(l -> l.withCapacity(c -> c.withMaxConnections(bad)), "maxConnections", problem);
        expectInvalid(
                l -> l.withCapacity(c -> c.withMaxConnectionsPerAddress(bad)), "maxConnectionsPerAddress", problem);
    }

    @Test
    void everyTimeoutMustBePositiveAndTheMessageNamesIt() {
        String zero = " must be positive, not PT0S";
        expectInvalid(l -> l.withTimeouts(t -> t.withCloseTimeout(Duration.ZERO)), "closeTimeout", zero);
        expectInvalid(
                l -> l.withTimeouts(t -> t.withDrainTimeout(Duration.ofSeconds(-1))),
                "drainTimeout",
                " must be positive, not PT-1S");
        expectInvalid(l -> l.withTimeouts(t -> t.withHandshakeTimeout(Duration.ZERO)), "handshakeTimeout", zero);
        expectInvalid(l -> l.withTimeouts(t -> t.withPingInterval(Duration.ZERO)), "pingInterval", zero);
        expectInvalid(l -> l.withTimeouts(t -> t.withPongTimeout(Duration.ZERO)), "pongTimeout", zero);
        assertThatThrownBy(() -> Limits.defaults().withTimeouts(t -> t.withCloseTimeout(null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("closeTimeout");
        assertThatThrownBy(() -> Limits.defaults().withBuffers(b -> b.withSlowConsumerPolicy(null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("slowConsumerPolicy");
    }

    @Test
    void aBadAllowListNamesTheSettingAndTheEntry() {
        expectInvalid(
                l -> l.withAccess(a -> a.withAllowedOrigins(List.of("app.example"))),
                "allowedOrigins",
                ": 'app.example' is not an origin: expected scheme://host[:port], '*' or 'null'");
        expectInvalid(
                l -> l.withAccess(a -> a.withAllowedHosts(List.of("https://chat.example"))),
                "allowedHosts",
                ": 'https://chat.example' is not a host: expected a name, an address, .domain or '*'");
    }

    private static void expectInvalid(UnaryOperator<Limits> change, String setting, String problem) {
        assertThatThrownBy(() -> change.apply(Limits.defaults()))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.setting()).isEqualTo(setting);
                    assertThat(e.problem()).isEqualTo(problem);
                })
                .hasMessage(setting + problem);
    }

    @Test
    void describeListsEveryLimitInAStableOrder() {
        assertThat(Limits.defaults().describe())
                .containsExactly(
                        entry("max frame size", "64 KiB"),
                        entry("max message size", "64 KiB"),
                        entry("max fragments per message", "1024"),
                        entry("outbound buffer per connection", "1 MiB"),
                        entry("inbound buffer per connection", "1 MiB"),
                        entry("max HTTP body", "1 MiB"),
                        entry("slow consumer policy", "close"),
                        entry("close timeout", "5000 ms"),
                        entry("drain timeout", "5000 ms"),
                        entry("permessage-deflate", "on (messages from 64 B)"),
                        entry("handshake timeout", "10000 ms"),
                        entry("ping interval", "25000 ms"),
                        entry("pong timeout", "20000 ms"),
                        entry("max connections", "100000"),
                        entry("max connections per address", "1000"),
                        entry("messages per connection", "100/s, burst 200, close"),
                        entry("allowed origins", "same origin"),
                        entry("allowed hosts", "localhost, .localhost, 127.0.0.1, ::1"));
        assertThat(Limits.defaults().withMessages(m -> m.withDeflate(false)).describe())
                .containsEntry("permessage-deflate", "off");
        assertThat(Limits.defaults().toString()).startsWith("Limits{max frame size=64 KiB");
    }

    @Test
    void describeShowsTheRateLimitAndOriginsAsSet() {
        Limits limits = Limits.defaults()
                .withRateLimit(RateLimit.of(5, 10).withPolicy(RateLimitPolicy.DROP))
                .withAccess(a -> a.withAllowedOrigins(List.of("https://a.example", "http://b.example:8080")));
        assertThat(limits.describe())
                .contains(
                        entry("messages per connection", "5/s, burst 10, drop"),
                        entry("allowed origins", "same origin, https://a.example, http://b.example:8080"));
        assertThat(Limits.defaults()
                        .withRateLimit(RateLimit.OFF)
                        .withAccess(a -> a.withAllowedOrigins(List.of("*")))
                        .describe())
                .contains(entry("messages per connection", "off"), entry("allowed origins", "any"));
    }

    @Test
    void aRateLimitChecksItself() {
        assertThatThrownBy(() -> RateLimit.of(-1, 1)).hasMessage("rateLimit.perSecond must be 0 (off) or more, not -1");
        assertThatThrownBy(() -> RateLimit.of(10, 0)).hasMessage("rateLimit.burst must be at least 1, not 0");
        assertThat(RateLimit.of(10, 20).withReply(null).reply()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0 B",
        "1023, 1023 B",
        "1024, 1 KiB",
        "1536, 1536 B",
        "65536, 64 KiB",
        "1048576, 1 MiB",
        "3146752, 3073 KiB",
        "10485760, 10 MiB"
    })
    void bytesUsesTheLargestWholeUnit(long n, String text) {
        assertThat(Limits.bytes(n)).isEqualTo(text);
    }
}
