package io.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bound the server enforces: defaults, changes and checks. */
class LimitsTest {

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
                .build();

        assertThat(changed.maxFrameBytes()).isEqualTo(1);
        assertThat(changed.maxMessageBytes()).isEqualTo(2);
        assertThat(changed.outboundBufferBytes()).isEqualTo(3);
        assertThat(changed.inboundBufferBytes()).isEqualTo(4);
        assertThat(changed.maxHttpBodyBytes()).isEqualTo(5);
        assertThat(changed.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DROP);
        assertThat(changed.closeTimeout()).isEqualTo(Duration.ofMillis(6));
        assertThat(changed.drainTimeout()).isEqualTo(Duration.ofMillis(7));
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
        expectInvalid(b -> b.outboundBufferBytes(bad), "outboundBufferBytes must be positive, not " + bad);
        expectInvalid(b -> b.inboundBufferBytes(bad), "inboundBufferBytes must be positive, not " + bad);
        expectInvalid(b -> b.maxHttpBodyBytes(bad), "maxHttpBodyBytes must be positive, not " + bad);
    }

    @Test
    void everyTimeoutMustBePositiveAndTheMessageNamesIt() {
        expectInvalid(b -> b.closeTimeout(Duration.ZERO), "closeTimeout must be positive, not PT0S");
        expectInvalid(b -> b.drainTimeout(Duration.ofSeconds(-1)), "drainTimeout must be positive, not PT-1S");
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
                        entry("outbound buffer per connection", "1 MiB"),
                        entry("inbound buffer per connection", "1 MiB"),
                        entry("max HTTP body", "1 MiB"),
                        entry("slow consumer policy", "close"),
                        entry("close timeout", "5000 ms"),
                        entry("drain timeout", "5000 ms"),
                        entry("permessage-deflate", "on (messages from 64 B)"));
        assertThat(Limits.builder().deflate(false).build().describe()).containsEntry("permessage-deflate", "off");
        assertThat(Limits.defaults().toString()).startsWith("Limits{max frame size=64 KiB");
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
