/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.bench.client.Payload;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void binaryCarriesSequenceAndTimeAtTheStated() {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(99); // something before the payload
        Payload.writeBinary(buf, 42, 123_456_789L, 64);
        assertThat(buf.readableBytes()).isEqualTo(65);
        assertThat(Payload.sequence(buf, 1)).isEqualTo(42);
        assertThat(Payload.sentAt(buf, 1)).isEqualTo(123_456_789L);
        assertThatThrownBy(() -> Payload.writeBinary(buf, 1, 1, 15)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fixedWidthTextCarriesBothNumbersAsHexadecimalAscii() {
        ByteBuf buf = Unpooled.buffer().writeByte(99).writeZero(40);
        long sequence = 0x0123_4567_89AB_CDEFL;
        long nanos = -2L; // nanoTime may be negative: all 64 bits travel
        Payload.setHexText(buf, 1, sequence, nanos);
        assertThat(buf.toString(1, 32, StandardCharsets.US_ASCII)).isEqualTo("0123456789abcdef" + "fffffffffffffffe");
        assertThat(Payload.hexSequence(buf, 1)).isEqualTo(sequence);
        assertThat(Payload.hexSentAt(buf, 1)).isEqualTo(nanos);
        assertThat(buf.getByte(33)).as("nothing written past the 32 digits").isZero();
    }

    @Test
    void textCarriesTheSameNumbers() {
        String text = Payload.text(7, 987_654_321L, 64);
        assertThat(text).hasSize(64);
        assertThat(Payload.parseText(text)).containsExactly(7L, 987_654_321L);
        assertThat(Payload.parseText("hello")).isNull();
        assertThat(Payload.parseText("a.b.c")).isNull();
    }
}
