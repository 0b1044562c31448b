/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.switchboard.bench.client.ClientFrames;
import io.switchboard.bench.client.Payload;
import java.util.Arrays;

/**
 * The echo generator's one message, encoded once: header, zero masking key and padding sit in a
 * template that each send copies and stamps with its sequence number and send time, so a message
 * costs a copy and two numbers rather than an encoding. Binary payloads are
 * {@link Payload#writeBinary}'s layout, text payloads {@link Payload#setHexText}'s (ASCII, so valid
 * UTF-8 that the server must still check).
 */
final class EchoFrame {

    private final byte[] template;
    private final int payloadOffset;
    private final boolean text;

    private EchoFrame(byte[] template, int payloadOffset, boolean text) {
        this.template = template;
        this.payloadOffset = payloadOffset;
        this.text = text;
    }

    /** The frame for {@code "text"} or {@code "binary"} messages of {@code payload} bytes. */
    static EchoFrame of(String frames, int payload) {
        boolean text =
                switch (frames) {
                    case "text" -> true;
                    case "binary" -> false;
                    default -> throw new IllegalArgumentException("--frames is text or binary, not '" + frames + "'");
                };
        int size = Math.max(text ? Payload.MIN_HEX_TEXT : Payload.MIN_BINARY, payload);
        ByteBuf encoded = ClientFrames.header(
                UnpooledByteBufAllocator.DEFAULT, text ? ClientFrames.TEXT : ClientFrames.BINARY, size);
        try {
            int offset = encoded.writerIndex();
            encoded.writeBytes(new byte[size]);
            byte[] template = ByteBufUtil.getBytes(encoded);
            if (text) {
                Arrays.fill(template, offset, template.length, (byte) 'x');
            }
            return new EchoFrame(template, offset, text);
        } finally {
            encoded.release();
        }
    }

    /** Bytes on the wire per message. */
    int length() {
        return template.length;
    }

    /** Payload bytes per message. */
    int payload() {
        return template.length - payloadOffset;
    }

    /** Appends one message numbered {@code sequence}, sent at {@code now}, to {@code out}. */
    void writeTo(ByteBuf out, long sequence, long now) {
        int at = out.writerIndex() + payloadOffset;
        out.writeBytes(template);
        if (text) {
            Payload.setHexText(out, at, sequence, now);
        } else {
            out.setLong(at, sequence);
            out.setLong(at + 8, now);
        }
    }

    /** The sequence number of an echoed payload at {@code index}. */
    long sequence(ByteBuf payload, int index) {
        return text ? Payload.hexSequence(payload, index) : Payload.sequence(payload, index);
    }

    /** The send time of an echoed payload at {@code index}. */
    long sentAt(ByteBuf payload, int index) {
        return text ? Payload.hexSentAt(payload, index) : Payload.sentAt(payload, index);
    }
}
