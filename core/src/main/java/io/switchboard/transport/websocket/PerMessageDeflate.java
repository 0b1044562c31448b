/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The negotiation of permessage-deflate (RFC 7692, section 7): picks the first valid offer in the
 * client's {@code Sec-WebSocket-Extensions} and answers it. An offer with an unknown, repeated or
 * malformed parameter is declined and the next one tried; no valid offer means no compression,
 * never a failed handshake.
 *
 * <p>The answer always carries {@code server_no_context_takeover} (section 7.1.1.1 lets the server
 * add it unasked): every message the server sends is compressed on its own, so one compressed
 * broadcast frame can be shared by every member. That also keeps {@code server_max_window_bits}
 * honest without a window-limited compressor: a back reference never reaches further than the
 * message is long, so a message of at most 2^N bytes is valid for a window of N bits, and a longer
 * one is sent uncompressed.
 *
 * <p>{@code client_no_context_takeover} is answered only when offered: Netty's client, for one,
 * refuses an answer that imposes it. A client that takes context over costs its connection one
 * zlib stream (about 40 KiB of native memory) from its first compressed message on; one that does
 * not, nothing between messages.
 */
public final class PerMessageDeflate {

    static final String NAME = "permessage-deflate";
    static final int MIN_WINDOW_BITS = 8;
    static final int MAX_WINDOW_BITS = 15;

    /**
     * What the server sends uncompressed however it is negotiated: messages under this many bytes,
     * where the deflate block header and the RSV1 bookkeeping gain little or nothing.
     */
    public static final int MIN_COMPRESSED_BYTES = 64;

    private PerMessageDeflate() {}

    /**
     * The parameters in force on one connection.
     *
     * @param serverWindowBits the window the server's compressor may use (8-15)
     * @param clientWindowBits the client's window as answered, or 0 when the answer leaves it out
     * @param clientNoContextTakeover whether the client resets its compressor after each message
     */
    public record Agreement(int serverWindowBits, int clientWindowBits, boolean clientNoContextTakeover) {

        /**
         * Whether a message of {@code size} bytes is worth compressing and fits the window: the
         * compressor's own window is 15 bits, so under a smaller one only messages no longer than
         * the window are compressed.
         */
        public boolean compresses(int size) {
            return size >= MIN_COMPRESSED_BYTES
                    && (serverWindowBits == MAX_WINDOW_BITS || size <= 1 << serverWindowBits);
        }

        /** The {@code Sec-WebSocket-Extensions} value of the 101 response. */
        public String responseHeader() {
            StringBuilder answer = new StringBuilder(NAME).append("; server_no_context_takeover");
            if (clientNoContextTakeover) {
                answer.append("; client_no_context_takeover");
            }
            if (serverWindowBits != MAX_WINDOW_BITS) {
                answer.append("; server_max_window_bits=").append(serverWindowBits);
            }
            if (clientWindowBits != 0) {
                answer.append("; client_max_window_bits=").append(clientWindowBits);
            }
            return answer.toString();
        }
    }

    /** The agreement for the first valid offer among {@code headerValues}, or null if none. */
    public static Agreement negotiate(List<String> headerValues) {
        for (String value : headerValues) {
            for (String extension : split(value, ',')) {
                List<String> parts = split(extension, ';');
                if (parts.isEmpty() || !parts.get(0).trim().equalsIgnoreCase(NAME)) {
                    continue;
                }
                Agreement agreement = accept(parts.subList(1, parts.size()));
                if (agreement != null) {
                    return agreement;
                }
            }
        }
        return null;
    }

    /** The agreement for one offer's parameters, or null when the offer is invalid. */
    private static Agreement accept(List<String> params) {
        Set<String> seen = new HashSet<>();
        int serverBits = MAX_WINDOW_BITS;
        int clientBits = 0;
        boolean clientNoContext = false;
        for (String param : params) {
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : unquote(param.substring(eq + 1).trim());
            if (!seen.add(name)) {
                return null; // section 7: a parameter given twice declines the offer
            }
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (value != null) {
                        return null;
                    }
                }
                case "client_no_context_takeover" -> {
                    if (value != null) {
                        return null;
                    }
                    clientNoContext = true;
                }
                case "server_max_window_bits" -> {
                    serverBits = windowBits(value);
                    if (serverBits < 0) {
                        return null;
                    }
                }
                case "client_max_window_bits" -> {
                    if (value != null) {
                        clientBits = windowBits(value);
                        if (clientBits < 0) {
                            return null;
                        }
                    }
                }
                default -> {
                    return null; // an unknown parameter declines the offer
                }
            }
        }
        return new Agreement(serverBits, clientBits, clientNoContext);
    }

    /** 8-15 written as plain decimal digits with no leading zero; -1 for anything else. */
    private static int windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        int bits = Integer.parseInt(value);
        return bits >= MIN_WINDOW_BITS && bits <= MAX_WINDOW_BITS ? bits : -1;
    }

    /** A quoted-string value without its quotes (RFC 7230, 3.2.6); a bad quote leaves junk that fails. */
    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** Splits at {@code separator} outside quoted strings; trims and drops empty parts. */
    static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : separator;
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && (!quoted || i == text.length())) {
                String part = text.substring(start, i).trim();
                if (!part.isEmpty()) {
                    parts.add(part);
                }
                start = i + 1;
            }
        }
        return parts;
    }
}
