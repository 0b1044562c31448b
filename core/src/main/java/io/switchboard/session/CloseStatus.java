/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A WebSocket close code and reason (RFC 6455, section 7.4), and the one place that says which codes
 * a client should answer by reconnecting. The bundled JavaScript client mirrors {@link #reconnect()}.
 *
 * <table>
 *   <caption>Codes and what a client does</caption>
 *   <tr><th>code</th><th>meaning</th><th>client</th></tr>
 *   <tr><td>1000</td><td>normal closure</td><td>stays closed</td></tr>
 *   <tr><td>1001</td><td>going away (server shutdown, page left)</td><td>reconnects</td></tr>
 *   <tr><td>1002</td><td>protocol error</td><td>stays closed</td></tr>
 *   <tr><td>1003</td><td>unsupported data (text or binary not accepted here)</td><td>stays closed</td></tr>
 *   <tr><td>1005</td><td>no status received (reported, never sent)</td><td>stays closed</td></tr>
 *   <tr><td>1006</td><td>abnormal closure, no close frame (reported, never sent)</td><td>reconnects</td></tr>
 *   <tr><td>1007</td><td>invalid payload (text that is not UTF-8)</td><td>stays closed</td></tr>
 *   <tr><td>1008</td><td>policy violation (rate limit, slow consumer, forbidden)</td><td>stays closed</td></tr>
 *   <tr><td>1009</td><td>message too big</td><td>stays closed</td></tr>
 *   <tr><td>1010</td><td>mandatory extension missing</td><td>stays closed</td></tr>
 *   <tr><td>1011</td><td>internal error</td><td>reconnects</td></tr>
 *   <tr><td>1012</td><td>service restart</td><td>reconnects</td></tr>
 *   <tr><td>1013</td><td>try again later (overloaded)</td><td>reconnects</td></tr>
 *   <tr><td>1014</td><td>bad gateway</td><td>reconnects</td></tr>
 *   <tr><td>3000-3999</td><td>registered by libraries and frameworks</td><td>stays closed</td></tr>
 *   <tr><td>4000-4499</td><td>application codes meaning "try again"</td><td>reconnects</td></tr>
 *   <tr><td>4500-4999</td><td>application codes meaning "final"</td><td>stays closed</td></tr>
 * </table>
 *
 * @param code the close code, 1000 to 4999
 * @param reason a human-readable reason, at most 123 bytes in UTF-8 (the control frame limit)
 */
public record CloseStatus(int code, String reason) {

    /** Largest reason that fits a close frame: 125 payload bytes minus the 2-byte code. */
    public static final int MAX_REASON_BYTES = 123;

    public static final CloseStatus NORMAL = new CloseStatus(1000, "");
    public static final CloseStatus GOING_AWAY = new CloseStatus(1001, "going away");
    public static final CloseStatus PROTOCOL_ERROR = new CloseStatus(1002, "protocol error");
    public static final CloseStatus UNSUPPORTED_DATA = new CloseStatus(1003, "unsupported data");
    public static final CloseStatus NO_STATUS = new CloseStatus(1005, "");
    public static final CloseStatus ABNORMAL = new CloseStatus(1006, "");
    public static final CloseStatus INVALID_PAYLOAD = new CloseStatus(1007, "invalid payload");
    public static final CloseStatus POLICY_VIOLATION = new CloseStatus(1008, "policy violation");
    public static final CloseStatus MESSAGE_TOO_BIG = new CloseStatus(1009, "message too big");
    public static final CloseStatus MANDATORY_EXTENSION = new CloseStatus(1010, "mandatory extension");
    public static final CloseStatus INTERNAL_ERROR = new CloseStatus(1011, "internal error");
    public static final CloseStatus SERVICE_RESTART = new CloseStatus(1012, "service restart");
    public static final CloseStatus TRY_AGAIN_LATER = new CloseStatus(1013, "try again later");

    public CloseStatus {
        Objects.requireNonNull(reason, "reason");
        if (code < 1000 || code > 4999) {
            throw new IllegalArgumentException("close code " + code + " is outside 1000-4999");
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason is longer than " + MAX_REASON_BYTES + " bytes");
        }
    }

    /** A status with the given code and reason. */
    public static CloseStatus of(int code, String reason) {
        return new CloseStatus(code, reason);
    }

    /**
     * Whether this code may appear in a close frame. 1005, 1006 and 1015 only report what happened;
     * 1004 and 1016-2999 are reserved.
     */
    public boolean sendable() {
        return isSendable(code);
    }

    /** Whether {@code code} may appear in a close frame on the wire (RFC 6455, 7.4.1 and 7.4.2). */
    public static boolean isSendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /** Whether a client that sees this code should reconnect (see the table above). */
    public boolean reconnect() {
        return switch (code) {
            case 1001, 1006, 1011, 1012, 1013, 1014 -> true;
            default -> code >= 4000 && code <= 4499;
        };
    }

    /** This status with another reason, cut to fit a close frame. */
    public CloseStatus withReason(String newReason) {
        return new CloseStatus(code, truncate(newReason));
    }

    /** Cuts {@code text} to at most {@link #MAX_REASON_BYTES} bytes of UTF-8 without splitting a character. */
    public static String truncate(String text) {
        if (text == null) {
            return "";
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return text;
        }
        int end = MAX_REASON_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
