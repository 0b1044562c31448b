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
import io.switchboard.bench.client.Payload;
import io.switchboard.bench.client.ProtocolClient;
import io.switchboard.bench.client.ProtocolCommands;
import io.switchboard.bench.client.ProtocolScanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator's protocol client against frames written here as the server would write them. */
class ProtocolClientTest {

    private final List<Long> sequences = new ArrayList<>();
    private final ProtocolClient client = new ProtocolClient(
            "T",
            "bench",
            (bytes, from, to) -> sequences.add(ProtocolScanner.number(bytes, from, to, Payload.SEQ_FIELD)));
    private final EmbeddedChannel channel = new EmbeddedChannel(new ClientFrames.Decoder(client));

    /** An unmasked server text frame. */
    private static ByteBuf serverFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer();
        frame.writeByte(0x81);
        if (payload.length <= 125) {
            frame.writeByte(payload.length);
        } else {
            frame.writeByte(126).writeShort(payload.length);
        }
        return frame.writeBytes(payload);
    }

    /** The text of the next frame the client wrote (masked with the zero key), or null. */
    private String written() {
        ByteBuf frame = channel.readOutbound();
        if (frame == null) {
            return null;
        }
        try {
            int length = frame.getUnsignedByte(1) & 0x7F;
            int header = length == 126 ? 8 : 6;
            return frame.toString(header, frame.readableBytes() - header, StandardCharsets.UTF_8);
        } finally {
            frame.release();
        }
    }

    private static String pub(long seq, long offset) {
        return "{\"push\":{\"channel\":\"bench\",\"pub\":{\"data\":" + Payload.json(seq, 1, -1, 40) + ",\"offset\":"
                + offset + "}}}";
    }

    @Test
    void connectsThenSubscribesThenIsReady() {
        client.start(channel);
        assertThat(written()).isEqualTo("{\"id\":1,\"connect\":{\"token\":\"T\",\"name\":\"bench\"}}");
        channel.writeInbound(serverFrame("{\"id\":1,\"connect\":{\"client\":\"c\",\"ping\":25,\"pong\":true}}"));
        assertThat(written()).isEqualTo("{\"id\":2,\"subscribe\":{\"channel\":\"bench\"}}");
        assertThat(client.ready()).isNotDone();
        channel.writeInbound(serverFrame("{\"id\":2,\"subscribe\":{}}"));
        assertThat(client.ready()).isCompleted();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aRefusedSubscriptionFailsReadiness() {
        client.start(channel);
        written();
        channel.writeInbound(serverFrame("{\"id\":1,\"connect\":{}}\n{\"id\":2,\"error\":{\"code\":103}}"));
        written();
        assertThat(client.ready()).isCompletedExceptionally();
        assertThat(client.errors()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void countsEveryPublicationOfABatchedFrameAndAnswersEachPing() {
        channel.writeInbound(serverFrame(pub(0, 1) + "\n{}\n" + pub(1, 2)));
        channel.writeInbound(serverFrame("{}"), serverFrame(pub(2, 3)));
        assertThat(sequences).containsExactly(0L, 1L, 2L);
        assertThat(written()).isEqualTo("{}");
        assertThat(written()).isEqualTo("{}");
        assertThat(written()).isNull();
        assertThat(client.pings()).isEqualTo(2);
        channel.finishAndReleaseAll();
    }

    @Test
    void countsAcknowledgementsAndPushesApart() {
        channel.writeInbound(
                serverFrame(
                        "{\"id\":3,\"publish\":{}}\n{\"id\":4,\"publish\":{}}\n{\"push\":{\"channel\":\"bench\",\"leave\":{}}}"));
        channel.writeInbound(serverFrame("{\"push\":{\"disconnect\":{\"code\":3001,\"reason\":\"shutdown\"}}}"));
        assertThat(client.acknowledged()).isEqualTo(2);
        assertThat(client.otherPushes()).isEqualTo(2);
        assertThat(client.disconnected()).isTrue();
        assertThat(sequences).isEmpty();
        channel.finishAndReleaseAll();
    }

    @Test
    void aFrameLongerThanTheScratchArrayIsReadWhole() {
        String big = pub(5, 6).replace("\"pad\":\"", "\"pad\":\"" + "y".repeat(10_000));
        channel.writeInbound(serverFrame(big));
        assertThat(sequences).containsExactly(5L);
        channel.finishAndReleaseAll();
    }

    @Test
    void tokensAreHs256JwtsForTheSubject() {
        String token = ProtocolCommands.token("s".getBytes(StandardCharsets.UTF_8), "u7");
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
                .contains("\"alg\":\"HS256\"");
        assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
                .contains("\"sub\":\"u7\"")
                .contains("\"exp\":");
    }
}
