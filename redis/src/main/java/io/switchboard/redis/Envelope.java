/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.switchboard.engine.LocalNode;
import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What one node publishes for the others: a send, and the node it came from (a node skips its own
 * group sends when they come back, having delivered them locally already). Encoded once per send as
 * compact bytes: a kind byte, then the fields in order.
 */
sealed interface Envelope {

    /** The origin of messages every node delivers, the one that sent them too. */
    String FROM_NO_NODE = "";

    /** The node that sent it. */
    String origin();

    /**
     * A broadcast to a group's members, but {@code except}; with a conflation {@code key} (or null),
     * a latest-value broadcast, kind {@code K} on the wire (kind {@code B} without one).
     */
    record Broadcast(String origin, String group, Message message, Address except, String key) implements Envelope {
        /** A broadcast without a conflation key. */
        Broadcast(String origin, String group, Message message, Address except) {
            this(origin, group, message, except, null);
        }

        /** Writes it to {@code node}'s members of the group: keyed, when it has a key. */
        void deliverTo(LocalNode node) {
            if (key == null) {
                node.broadcast(group, message, except);
            } else {
                node.broadcastLatest(group, key, message);
            }
        }
    }

    /** An event for a group's handlers. */
    record GroupEvent(String origin, String group, Event event) implements Envelope {}

    /** A message for every session of a user on the receiving node. */
    record ToUser(String origin, String user, Message message) implements Envelope {}

    /** A message for one session of the receiving node. */
    record ToAddress(String origin, Address address, Message message) implements Envelope {}

    /** The bytes of {@code envelope}. */
    static byte[] encode(Envelope envelope) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (envelope) {
                case Broadcast b -> {
                    writeBroadcastHead(out, b.origin(), b.group(), b.except(), b.key());
                    writeMessage(out, b.message());
                }
                case GroupEvent e -> {
                    out.writeByte('E');
                    writeText(out, e.origin());
                    writeText(out, e.group());
                    writeText(out, e.event().type());
                    writeText(out, e.event().json());
                }
                case ToUser u -> {
                    out.writeByte('U');
                    writeText(out, u.origin());
                    writeText(out, u.user());
                    writeMessage(out, u.message());
                }
                case ToAddress a -> {
                    out.writeByte('A');
                    writeText(out, a.origin());
                    writeText(out, a.address().value());
                    writeMessage(out, a.message());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The start of a {@link Broadcast} of text to {@code group} from no node, which every node (its
     * sender too) delivers, with the conflation {@code key} (or null): what follows is the text's
     * length in UTF-8 bytes (4 bytes, big-endian) and the bytes. A script that numbers a message
     * completes it, in the same step.
     */
    static byte[] broadcastHead(String group, String key) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeBroadcastHead(out, FROM_NO_NODE, group, null, key);
            out.writeByte('t');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeBroadcastHead(
            DataOutputStream out, String origin, String group, Address except, String key) throws IOException {
        out.writeByte(key == null ? 'B' : 'K');
        writeText(out, origin);
        writeText(out, group);
        writeText(out, except == null ? "" : except.value());
        if (key != null) {
            writeText(out, key);
        }
    }

    /** The envelope {@code data} holds; fails with {@link IllegalArgumentException} on bytes it cannot read. */
    static Envelope decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int kind = in.readUnsignedByte();
            String origin = readText(in);
            return switch (kind) {
                case 'B', 'K' -> {
                    String group = readText(in);
                    String except = readText(in);
                    String key = kind == 'K' ? readText(in) : null;
                    Address not = except.isEmpty() ? null : new Address(except);
                    yield new Broadcast(origin, group, readMessage(in), not, key);
                }
                case 'E' -> new GroupEvent(origin, readText(in), new Event(readText(in), readText(in)));
                case 'U' -> new ToUser(origin, readText(in), readMessage(in));
                case 'A' -> new ToAddress(origin, new Address(readText(in)), readMessage(in));
                default -> throw new IllegalArgumentException("unknown envelope kind " + kind);
            };
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable envelope of " + data.length + " bytes: " + e, e);
        }
    }

    private static void writeMessage(DataOutputStream out, Message message) throws IOException {
        switch (message) {
            case Message.Text text -> {
                out.writeByte('t');
                writeBytes(out, text.text().getBytes(StandardCharsets.UTF_8));
            }
            case Message.Binary binary -> {
                out.writeByte('b');
                writeBytes(out, binary.data());
            }
        }
    }

    private static Message readMessage(DataInputStream in) throws IOException {
        int kind = in.readUnsignedByte();
        byte[] data = readBytes(in);
        return switch (kind) {
            case 't' -> Message.text(new String(data, StandardCharsets.UTF_8));
            case 'b' -> Message.binary(data);
            default -> throw new IOException("unknown message kind " + kind);
        };
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String readText(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] data) throws IOException {
        out.writeInt(data.length);
        out.write(data);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a field of " + length + " bytes does not fit");
        }
        return in.readNBytes(length);
    }
}
