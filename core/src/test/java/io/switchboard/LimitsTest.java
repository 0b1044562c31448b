package io.switchboard;

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
        assertThat(Limits.defaults().maxFragments()).isEqualTo(1024);
        Limits big = Limits.builder().maxMessageBytes(16 << 20).build();
        assertThat(big.maxFragments()).as("16 MiB in 64-byte pieces").isEqualTo(262_144);
        assertThat(Limits.builder().maxMessageBytes(100).build().maxFragments()).isEqualTo(16);
        Limits set = Limits.builder().maxFragments(10).build();
        assertThat(set.toBuilder().maxMessageBytes(16 << 20).build().maxFragments())
                .as("a set limit stays set")
                .isEqualTo(10);
        assertThat(Limits.defaults().toBuilder()
                        .maxMessageBytes(16 << 20)
                        .build()
                        .maxFragments())
                .as("a derived one is derived again")
                .isEqualTo(262_144);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        Limits limits = Limits.defaults();

        assertThat(limits.maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(limits.maxMessageBytes()).isEqualTo(64 * 1024);
        assertThat(limits.outboundBufferBytes()).isEqualTo(1024 * 1024);
        assertThat(limits.inboundBufferBytes()).isEqualTo(1024 * 1024);
        assertThat(limits.maxHttpBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(limits.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.CLOSE);
        assertThat(limits.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(limits.pongTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(limits.maxConnections()).isEqualTo(100_000);
        assertThat(limits.maxConnectionsPerAddress()).isEqualTo(1_000);
        assertThat(limits.rateLimit()).isEqualTo(RateLimit.of(100, 200));
        assertThat(limits.rateLimit().policy()).isEqualTo(RateLimitPolicy.CLOSE);
        assertThat(limits.allowedOrigins()).isEmpty();
    }

    @Test
    void aNewBuilderStartsFromTheDefaults() {
        assertThat(Limits.builder().build().describe())
                .isEqualTo(Limits.defaults().describe());
    }

    @Test
    void theBuilderChangesEachLimitAndLeavesTheOriginalAlone() {
        Limits changed = Limits.defaults().toBuilder()
                .maxFrameBytes(1)
                .maxMessageBytes(2)
                .outboundBufferBytes(3)
                .inboundBufferBytes(4)
                .maxHttpBodyBytes(5)
                .slowConsumerPolicy(SlowConsumerPolicy.DROP)
                .closeTimeout(Duration.ofMillis(6))
                .drainTimeout(Duration.ofMillis(7))
                .handshakeTimeout(Duration.ofMillis(8))
                .pingInterval(Duration.ofMillis(9))
                .pongTimeout(Duration.ofMillis(10))
                .maxConnections(11)
                .maxConnectionsPerAddress(12)
                .rateLimit(RateLimit.OFF)
                .allowedOrigins(List.of("HTTPS://A.Example:443/", "*"))
                .build();

        assertThat(changed.maxFrameBytes()).isEqualTo(1);
        assertThat(changed.maxMessageBytes()).isEqualTo(2);
        assertThat(changed.outboundBufferBytes()).isEqualTo(3);
        assertThat(changed.inboundBufferBytes()).isEqualTo(4);
        assertThat(changed.maxHttpBodyBytes()).isEqualTo(5);
        assertThat(changed.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DROP);
        assertThat(changed.closeTimeout()).isEqualTo(Duration.ofMillis(6));
        assertThat(changed.drainTimeout()).isEqualTo(Duration.ofMillis(7));
        assertThat(changed.handshakeTimeout()).isEqualTo(Duration.ofMillis(8));
        assertThat(changed.pingInterval()).isEqualTo(Duration.ofMillis(9));
        assertThat(changed.pongTimeout()).isEqualTo(Duration.ofMillis(10));
        assertThat(changed.maxConnections()).isEqualTo(11);
        assertThat(changed.maxConnectionsPerAddress()).isEqualTo(12);
        assertThat(changed.rateLimit().isOff()).isTrue();
        assertThat(changed.allowedOrigins()).containsExactly("https://a.example", "*");
        assertThat(changed.toBuilder().build().describe()).isEqualTo(changed.describe());
        assertThat(Limits.defaults().maxFrameBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void toBuilderStartsFromTheseLimits() {
        Limits small = Limits.builder()
                .maxMessageBytes(10)
                .closeTimeout(Duration.ofSeconds(1))
                .build();

        Limits copy = small.toBuilder().maxFrameBytes(20).build();

        assertThat(copy.maxMessageBytes()).isEqualTo(10);
        assertThat(copy.closeTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(copy.maxFrameBytes()).isEqualTo(20);
    }

    @ParameterizedTest
    @CsvSource({"0", "-1"})
    void everySizeMustBePositiveAndTheMessageNamesIt(int bad) {
        expectInvalid(b -> b.maxFrameBytes(bad), "maxFrameBytes must be positive, not " + bad);
        expectInvalid(b -> b.maxMessageBytes(bad), "maxMessageBytes must be positive, not " + bad);
        expectInvalid(b -> b.maxFragments(bad), "maxFragments must be positive, not " + bad);
        expectInvalid(b -> b.outboundBufferBytes(bad), "outboundBufferBytes must be positive, not " + bad);
        expectInvalid(b -> b.inboundBufferBytes(bad), "inboundBufferBytes must be positive, not " + bad);
        expectInvalid(b -> b.maxHttpBodyBytes(bad), "maxHttpBodyBytes must be positive, not " + bad);
        expectInvalid(b -> b.maxConnections(bad), "maxConnections must be positive, not " + bad);
        expectInvalid(b -> b.maxConnectionsPerAddress(bad), "maxConnectionsPerAddress must be positive, not " + bad);
    }

    @Test
    void everyTimeoutMustBePositiveAndTheMessageNamesIt() {
        expectInvalid(b -> b.closeTimeout(Duration.ZERO), "closeTimeout must be positive, not PT0S");
        expectInvalid(b -> b.drainTimeout(Duration.ofSeconds(-1)), "drainTimeout must be positive, not PT-1S");
        expectInvalid(b -> b.handshakeTimeout(Duration.ZERO), "handshakeTimeout must be positive, not PT0S");
        expectInvalid(b -> b.pingInterval(Duration.ZERO), "pingInterval must be positive, not PT0S");
        expectInvalid(b -> b.pongTimeout(Duration.ZERO), "pongTimeout must be positive, not PT0S");
        assertThatThrownBy(() -> Limits.builder().closeTimeout(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("closeTimeout");
        assertThatThrownBy(() -> Limits.builder().slowConsumerPolicy(null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("slowConsumerPolicy");
    }

    private static void expectInvalid(UnaryOperator<Limits.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(Limits.builder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
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
        assertThat(Limits.builder().deflate(false).build().describe()).containsEntry("permessage-deflate", "off");
        assertThat(Limits.defaults().toString()).startsWith("Limits{max frame size=64 KiB");
    }

    @Test
    void describeShowsTheRateLimitAndOriginsAsSet() {
        Limits limits = Limits.builder()
                .rateLimit(RateLimit.of(5, 10).withPolicy(RateLimitPolicy.DROP))
                .allowedOrigins(List.of("https://a.example", "http://b.example:8080"))
                .build();
        assertThat(limits.describe())
                .contains(
                        entry("messages per connection", "5/s, burst 10, drop"),
                        entry("allowed origins", "same origin, https://a.example, http://b.example:8080"));
        assertThat(Limits.builder()
                        .rateLimit(RateLimit.OFF)
                        .allowedOrigins(List.of("*"))
                        .build()
                        .describe())
                .contains(entry("messages per connection", "off"), entry("allowed origins", "any"));
    }

    @Test
    void aRateLimitChecksItself() {
        assertThatThrownBy(() -> RateLimit.of(-1, 1))
                .hasMessage("a rate limit's messages per second must be 0 (off) or more, not -1");
        assertThatThrownBy(() -> RateLimit.of(10, 0)).hasMessage("a rate limit's burst must be at least 1, not 0");
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
