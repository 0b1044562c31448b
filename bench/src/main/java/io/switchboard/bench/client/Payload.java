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
