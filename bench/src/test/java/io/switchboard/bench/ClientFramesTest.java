/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.bench.client.ClientFrames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientFramesTest {

    @Test
    void decodesFramesOfEveryLengthFormEvenWhenSplit() {
        List<Integer> lengths = new ArrayList<>();
        EmbeddedChannel channel =
                new EmbeddedChannel(new ClientFrames.Decoder((ctx, opcode, buf, index, length) -> lengths.add(length)));
        ByteBuf all = Unpooled.buffer();
        for (int length : new int[] {0, 125, 126, 65535, 65536}) {
            all.writeByte(0x82);
            if (length <= 125) {
                all.writeByte(length);
            } else if (length <= 0xFFFF) {
                all.writeByte(126).writeShort(length);
            } else {
                all.writeByte(127).writeLong(length);
            }
            all.writeZero(length);
        }
        while (all.isReadable()) {
            channel.writeInbound(all.readRetainedSlice(Math.min(all.readableBytes(), 1000)));
        }
        all.release();
        assertThat(lengths).containsExactly(0, 125, 126, 65535, 65536);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void encodesMaskedFramesWithAZeroKey() {
        ByteBuf frame = ClientFrames.frame(Unpooled.buffer().alloc(), ClientFrames.TEXT, new byte[] {'h', 'i'});
        assertThat(frame.readUnsignedByte()).isEqualTo((short) 0x81);
        assertThat(frame.readUnsignedByte()).isEqualTo((short) (0x80 | 2));
        assertThat(frame.readInt()).isZero();
        assertThat(frame.readByte()).isEqualTo((byte) 'h');
        frame.release();
    }
}
