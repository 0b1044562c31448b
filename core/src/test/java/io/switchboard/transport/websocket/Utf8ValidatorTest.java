/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The incremental UTF-8 check agrees with the JDK's strict decoder, byte by byte. */
class Utf8ValidatorTest {

    /** Whether the JDK's decoder, refusing malformed input, accepts {@code bytes} as whole text. */
    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Whether the validator accepts {@code bytes} as a whole message. */
    private static boolean accepts(byte[] bytes) {
        Utf8Validator utf8 = new Utf8Validator();
        for (byte b : bytes) {
            if (!utf8.accept(b)) {
                return false;
            }
        }
        return utf8.complete();
    }

    @Test
    void everySequenceOfUpToThreeBytesIsJudgedAsTheJdkJudgesIt() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                byte[] two = {(byte) a, (byte) b};
                assertThat(accepts(two)).as(HexFormat.of().formatHex(two)).isEqualTo(jdkAccepts(two));
                if (a >= 0xE0) { // three-byte leads: every second and third byte
                    for (int c = 0x70; c < 0xD0; c++) {
                        byte[] three = {(byte) a, (byte) b, (byte) c};
                        assertThat(accepts(three))
                                .as(HexFormat.of().formatHex(three))
                                .isEqualTo(jdkAccepts(three));
                    }
                }
            }
        }
    }

    @Test
    void randomFourByteSequencesAreJudgedAsTheJdkJudgesThem() {
        Random random = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            byte[] four = {
                (byte) (0xF0 + random.nextInt(16)),
                (byte) (0x70 + random.nextInt(0x60)),
                (byte) (0x70 + random.nextInt(0x60)),
                (byte) (0x70 + random.nextInt(0x60))
            };
            assertThat(accepts(four)).as(HexFormat.of().formatHex(four)).isEqualTo(jdkAccepts(four));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ceba", "e282ac", "f09f9880", "f48fbfbf", "efbbbf"})
    void aValidCharacterIsIncompleteUntilItsLastByte(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        Utf8Validator utf8 = new Utf8Validator();
        for (int i = 0; i < bytes.length; i++) {
            assertThat(utf8.accept(bytes[i])).isTrue();
            assertThat(utf8.complete()).isEqualTo(i == bytes.length - 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff", "c0", "c1", "e080", "eda0", "f08f", "f490", "f5", "80"})
    void theFirstImpossibleByteIsRefusedAtOnce(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        Utf8Validator utf8 = new Utf8Validator();
        for (int i = 0; i < bytes.length - 1; i++) {
            assertThat(utf8.accept(bytes[i])).isTrue();
        }
        assertThat(utf8.accept(bytes[bytes.length - 1])).isFalse();
    }
}
