/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Close codes: what may be built, sent, and which ones tell a client to reconnect. */
class CloseStatusTest {

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 999, 5000, 65535})
    void codesOutside1000To4999AreRefused(int code) {
        assertThatThrownBy(() -> new CloseStatus(code, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("close code " + code + " is outside 1000-4999");
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1005, 2999, 4999})
    void codesFrom1000To4999CanBeBuilt(int code) {
        assertThat(CloseStatus.of(code, "why")).isEqualTo(new CloseStatus(code, "why"));
    }

    @Test
    void theReasonIsRequiredAndAtMost123BytesOfUtf8() {
        assertThatThrownBy(() -> new CloseStatus(1000, null)).isInstanceOf(NullPointerException.class);
        assertThat(new CloseStatus(1000, "a".repeat(123)).reason()).hasSize(123);
        assertThat(new CloseStatus(1000, "€".repeat(41)).reason())
                .as("41 x 3 bytes")
                .hasSize(41);
        assertThatThrownBy(() -> new CloseStatus(1000, "a".repeat(124)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("close reason is longer than 123 bytes");
        assertThatThrownBy(() -> new CloseStatus(1000, "€".repeat(42)))
                .as("42 characters but 126 bytes")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyCodesRfc6455AllowsOnTheWireAreSendable() {
        int[] sendable = IntStream.rangeClosed(1000, 4999)
                .filter(CloseStatus::isSendable)
                .toArray();

        int[] expected = IntStream.concat(
                        IntStream.concat(IntStream.rangeClosed(1000, 1003), IntStream.rangeClosed(1007, 1014)),
                        IntStream.rangeClosed(3000, 4999))
                .toArray();
        assertThat(sendable).containsExactly(expected);
        assertThat(CloseStatus.NO_STATUS.sendable()).isFalse();
        assertThat(CloseStatus.ABNORMAL.sendable()).isFalse();
        assertThat(CloseStatus.of(1015, "").sendable())
                .as("TLS failure, reported only")
                .isFalse();
        assertThat(CloseStatus.of(1004, "").sendable()).as("reserved").isFalse();
        assertThat(CloseStatus.NORMAL.sendable()).isTrue();
        assertThat(CloseStatus.isSendable(999)).isFalse();
        assertThat(CloseStatus.isSendable(5000)).isFalse();
    }

    @ParameterizedTest(name = "{0} reconnect={1}")
    @CsvSource({
        "1000, false", "1001, true", "1002, false", "1003, false", "1005, false", "1006, true", "1007, false",
        "1008, false", "1009, false", "1010, false", "1011, true", "1012, true", "1013, true", "1014, true",
        "3000, false", "3999, false", "4000, true", "4499, true", "4500, false", "4999, false"
    })
    void theReconnectTableIsTheDocumentedOne(int code, boolean reconnect) {
        assertThat(CloseStatus.of(code, "").reconnect()).isEqualTo(reconnect);
    }

    @Test
    void theNamedConstantsCarryTheirCodes() {
        assertThat(CloseStatus.NORMAL.code()).isEqualTo(1000);
        assertThat(CloseStatus.GOING_AWAY.code()).isEqualTo(1001);
        assertThat(CloseStatus.PROTOCOL_ERROR.code()).isEqualTo(1002);
        assertThat(CloseStatus.UNSUPPORTED_DATA.code()).isEqualTo(1003);
        assertThat(CloseStatus.NO_STATUS.code()).isEqualTo(1005);
        assertThat(CloseStatus.ABNORMAL.code()).isEqualTo(1006);
        assertThat(CloseStatus.INVALID_PAYLOAD.code()).isEqualTo(1007);
        assertThat(CloseStatus.POLICY_VIOLATION.code()).isEqualTo(1008);
        assertThat(CloseStatus.MESSAGE_TOO_BIG.code()).isEqualTo(1009);
        assertThat(CloseStatus.MANDATORY_EXTENSION.code()).isEqualTo(1010);
        assertThat(CloseStatus.INTERNAL_ERROR.code()).isEqualTo(1011);
        assertThat(CloseStatus.SERVICE_RESTART.code()).isEqualTo(1012);
        assertThat(CloseStatus.TRY_AGAIN_LATER.code()).isEqualTo(1013);
    }

    @Test
    void truncateLeavesShortTextAlone() {
        assertThat(CloseStatus.truncate(null)).isEmpty();
        assertThat(CloseStatus.truncate("")).isEmpty();
        String exact = "x".repeat(123);
        assertThat(CloseStatus.truncate(exact)).isSameAs(exact);
    }

    @Test
    void truncateCutsAsciiAt123Bytes() {
        assertThat(CloseStatus.truncate("y".repeat(500))).isEqualTo("y".repeat(123));
    }

    @Test
    void truncateNeverSplitsATwoThreeOrFourByteCharacter() {
        // 'a' then 3-byte characters: the 41st would end at byte 124, so 40 are kept (121 bytes).
        String euros = "a" + "€".repeat(50);
        assertThat(CloseStatus.truncate(euros)).isEqualTo("a" + "€".repeat(40));
        // 4-byte characters: 30 fit in 120 bytes, the 31st would need 124.
        assertThat(CloseStatus.truncate("😀".repeat(40))).isEqualTo("😀".repeat(30));
        // 2-byte characters after one ASCII byte: 61 fit exactly (123 bytes).
        assertThat(CloseStatus.truncate("b" + "é".repeat(80))).isEqualTo("b" + "é".repeat(61));
        // Every offset of a multi-byte character against the limit.
        for (int pad = 0; pad < 4; pad++) {
            String text = "p".repeat(pad) + "😀€é".repeat(40);
            String cut = CloseStatus.truncate(text);
            assertThat(text).as("pad %d", pad).startsWith(cut);
            assertThat(utf8(cut)).as("pad %d", pad).isLessThanOrEqualTo(123).isGreaterThan(123 - 4);
            assertThat(cut).as("pad %d: no broken character", pad).doesNotContain("\uFFFD");
            assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
        }
    }

    @Test
    void withReasonKeepsTheCodeAndFitsTheReason() {
        CloseStatus status = CloseStatus.POLICY_VIOLATION.withReason("z".repeat(300));

        assertThat(status.code()).isEqualTo(1008);
        assertThat(status.reason()).isEqualTo("z".repeat(123));
        assertThat(CloseStatus.NORMAL.withReason(null).reason()).isEmpty();
    }
}
