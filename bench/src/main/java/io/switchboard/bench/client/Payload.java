/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * What the generator puts in each message: a sequence number and the send time, so that every
 * receiver measures delivery latency and counts lost and duplicated messages. Binary payloads are
 * {@code [sequence:8][nanoTime:8][zero padding]}; text payloads (the chat) carry the same two numbers
 * as {@code "seq.nanos."} followed by padding.
 *
 * <p>Send and receive times are {@link System#nanoTime()}, which on Linux reads CLOCK_MONOTONIC:
 * the same clock in every process on one machine, so a stamp from one process can be compared with
 * a reading in another.
 */
public final class Payload {

    /** The field names of {@link #json}'s data, as the scanner looks for them. */
    public static final byte[] SEQ_FIELD = ProtocolScanner.field("seq");

    public static final byte[] AT_FIELD = ProtocolScanner.field("at");
    public static final byte[] KEY_FIELD = ProtocolScanner.field("k");
    public static final byte[] OFFSET_FIELD = ProtocolScanner.field("offset");

    /** The smallest binary payload: two longs. */
    public static final int MIN_BINARY = 16;

    /** The smallest fixed-width text payload: two longs as 16 hexadecimal digits each. */
    public static final int MIN_HEX_TEXT = 32;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Payload() {}

    /** Writes a binary payload of {@code size} bytes (at least 16). */
    public static void writeBinary(ByteBuf out, long sequence, long nanoTime, int size) {
        if (size < MIN_BINARY) {
            throw new IllegalArgumentException("a payload holds at least " + MIN_BINARY + " bytes, not " + size);
        }
        out.writeLong(sequence);
        out.writeLong(nanoTime);
        out.writeZero(size - MIN_BINARY);
    }

    /** The sequence number of a binary payload starting at {@code index}. */
    public static long sequence(ByteBuf payload, int index) {
        return payload.getLong(index);
    }

    /** The send time of a binary payload starting at {@code index}. */
    public static long sentAt(ByteBuf payload, int index) {
        return payload.getLong(index + 8);
    }

    /**
     * Writes the two numbers of a fixed-width text payload at {@code index} (32 ASCII hexadecimal
     * digits, over padding already in place): the echo generator stamps pre-encoded text frames
     * this way without building a String per message.
     */
    public static void setHexText(ByteBuf out, int index, long sequence, long nanoTime) {
        out.setLong(index, hex8((int) (sequence >>> 32)));
        out.setLong(index + 8, hex8((int) sequence));
        out.setLong(index + 16, hex8((int) (nanoTime >>> 32)));
        out.setLong(index + 24, hex8((int) nanoTime));
    }

    /** The sequence number of a {@link #setHexText} payload starting at {@code index}. */
    public static long hexSequence(ByteBuf payload, int index) {
        return unhex(payload, index);
    }

    /** The send time of a {@link #setHexText} payload starting at {@code index}. */
    public static long hexSentAt(ByteBuf payload, int index) {
        return unhex(payload, index + 16);
    }

    /** Eight hexadecimal digits of {@code value} packed big-endian into a long, as they go on the wire. */
    private static long hex8(int value) {
        long digits = 0;
        for (int shift = 28; shift >= 0; shift -= 4) {
            digits = digits << 8 | HEX[value >>> shift & 0xF];
        }
        return digits;
    }

    /** Sixteen hexadecimal digits at {@code index} as a number. */
    private static long unhex(ByteBuf payload, int index) {
        long value = 0;
        for (int i = 0; i < 16; i++) {
            int digit = payload.getByte(index + i);
            value = value << 4 | (digit <= '9' ? digit - '0' : digit - 'a' + 10);
        }
        return value;
    }

    /** A text payload of at least {@code size} characters: {@code "seq.nanos."} and padding. */
    public static String text(long sequence, long nanoTime, int size) {
        StringBuilder text = new StringBuilder(Math.max(size, 40))
                .append(sequence)
                .append('.')
                .append(nanoTime)
                .append('.');
        while (text.length() < size) {
            text.append('x');
        }
        return text.toString();
    }

    /**
     * The data of a channel publication of at least {@code size} characters, as JSON:
     * {@code {"seq":S,"at":NANOS,"k":KEY,"pad":"xx..."}} ({@code "k"} only when {@code key >= 0}).
     * The field names are ones the protocol's envelope never uses, so a receiver can pick them out
     * of the push without parsing it (see {@link ProtocolScanner}).
     */
    public static String json(long sequence, long nanoTime, int key, int size) {
        StringBuilder json = new StringBuilder(Math.max(size, 48))
                .append("{\"seq\":")
                .append(sequence)
                .append(",\"at\":")
                .append(nanoTime);
        if (key >= 0) {
            json.append(",\"k\":").append(key);
        }
        json.append(",\"pad\":\"");
        while (json.length() < size - 2) {
            json.append('x');
        }
        return json.append("\"}").toString();
    }

    /** The two numbers of a text payload, or {@code null} when it is not one. */
    public static long[] parseText(String text) {
        int first = text.indexOf('.');
        int second = first < 0 ? -1 : text.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(text, 0, first, 10), Long.parseLong(text, first + 1, second, 10)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
