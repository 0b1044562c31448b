/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.FastThreadLocal;
import io.switchboard.transport.websocket.PerMessageDeflate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The server side of the opening handshake (RFC 6455, section 4.2): checks and the accept key. */
public final class Handshake {

    /** The GUID every server appends to the client's key (RFC 6455, section 1.3). */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The only protocol version this server speaks. */
    static final String VERSION = "13";

    /** One SHA-1 per thread: looking one up costs more than the digest of a key (a provider search per call). */
    private static final FastThreadLocal<MessageDigest> SHA1 = new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() {
            return newSha1();
        }
    };

    private Handshake() {}

    /** What the check found: an acceptable offer, or a refusal with an HTTP status. */
    public sealed interface Result permits Offer, Refusal {}

    /**
     * A well-formed upgrade request.
     *
     * @param key the client's Sec-WebSocket-Key
     * @param subprotocols the offered subprotocols, in order
     * @param deflate what permessage-deflate would be agreed on, or null when no offer is valid
     */
    public record Offer(String key, List<String> subprotocols, PerMessageDeflate.Agreement deflate) implements Result {}

    /**
     * A request to refuse before the upgrade.
     *
     * @param status the HTTP status
     * @param reason one line for the body
     * @param headers extra response headers
     */
    public record Refusal(int status, String reason, Map<String, String> headers) implements Result {
        public Refusal(int status, String reason) {
            this(status, reason, Map.of());
        }
    }

    /**
     * Whether the request tries to open a WebSocket: it names websocket in {@code Upgrade}, or carries
     * a WebSocket key or version. Such a request is checked strictly; a plain GET is not an attempt.
     */
    public static boolean isAttempt(FullHttpRequest request) {
        HttpHeaders headers = request.headers();
        return hasToken(headers, HttpHeaderNames.UPGRADE, "websocket")
                || headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)
                || headers.contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    }

    /** Checks every requirement of RFC 6455, 4.2.1, in a fixed order, and names the first one missed. */
    public static Result check(FullHttpRequest request) {
        HttpHeaders headers = request.headers();
        if (!request.method().equals(HttpMethod.GET)) {
            return new Refusal(400, "a WebSocket upgrade must use GET");
        }
        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return new Refusal(400, "a WebSocket upgrade needs HTTP/1.1");
        }
        if (headers.getAll(HttpHeaderNames.HOST).size() != 1
                || headers.get(HttpHeaderNames.HOST).isBlank()) {
            return new Refusal(400, "missing or repeated Host header");
        }
        if (!hasToken(headers, HttpHeaderNames.UPGRADE, "websocket")) {
            return new Refusal(400, "the Upgrade header must name websocket");
        }
        if (!hasToken(headers, HttpHeaderNames.CONNECTION, "upgrade")) {
            return new Refusal(400, "the Connection header must include Upgrade");
        }
        List<String> versions = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (versions.isEmpty()) {
            return new Refusal(400, "missing Sec-WebSocket-Version header");
        }
        if (versions.size() != 1 || !versions.get(0).trim().equals(VERSION)) {
            return new Refusal(
                    426,
                    "unsupported WebSocket version; this server speaks 13",
                    Map.of(HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), VERSION));
        }
        List<String> keys = headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (keys.size() != 1 || !isValidKey(keys.get(0).trim())) {
            return new Refusal(400, "missing or malformed Sec-WebSocket-Key header");
        }
        return new Offer(
                keys.get(0).trim(),
                tokens(headers, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL),
                PerMessageDeflate.negotiate(headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)));
    }

    /** A valid key is base64 for exactly 16 bytes. */
    static boolean isValidKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The Sec-WebSocket-Accept value for {@code key}. */
    static String accept(String key) {
        MessageDigest sha1 = SHA1.get();
        byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)); // digest() resets it
        return Base64.getEncoder().encodeToString(digest);
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Every comma-separated token of every {@code name} header, trimmed, empty ones skipped. */
    static List<String> tokens(HttpHeaders headers, CharSequence name) {
        List<String> tokens = new ArrayList<>();
        for (String value : headers.getAll(name)) {
            for (String token : value.split(",")) {
                String trimmed = token.trim();
                if (!trimmed.isEmpty()) {
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }

    private static boolean hasToken(HttpHeaders headers, CharSequence name, String wanted) {
        for (String token : tokens(headers, name)) {
            if (token.toLowerCase(Locale.ROOT).equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
