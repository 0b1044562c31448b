/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The commands the generator sends in Centrifugo's JSON client protocol, each as a whole masked
 * text frame, and the HS256 connection tokens it connects with. Written by hand, since the bench
 * sends a handful of fixed shapes and must not spend its CPU on a JSON library.
 */
public final class ProtocolCommands {

    /** The id of the connect command; the subscribe command is {@link #SUBSCRIBE_ID}, publications count on from there. */
    public static final long CONNECT_ID = 1;

    /** The id of the subscribe command. */
    public static final long SUBSCRIBE_ID = 2;

    private static final byte[] PONG = {'{', '}'};

    private ProtocolCommands() {}

    /** {@code {"id":1,"connect":{"token":T,"name":"bench"}}}. */
    public static ByteBuf connect(ByteBufAllocator alloc, String token) {
        return text(alloc, "{\"id\":" + CONNECT_ID + ",\"connect\":{\"token\":\"" + token + "\",\"name\":\"bench\"}}");
    }

    /** {@code {"id":2,"subscribe":{"channel":C}}}. */
    public static ByteBuf subscribe(ByteBufAllocator alloc, String channel) {
        return text(alloc, "{\"id\":" + SUBSCRIBE_ID + ",\"subscribe\":{\"channel\":\"" + channel + "\"}}");
    }

    /** {@code {"id":N,"publish":{"channel":C,"data":DATA}}}, {@code data} being JSON already. */
    public static ByteBuf publish(ByteBufAllocator alloc, long id, String channel, String data) {
        return text(alloc, "{\"id\":" + id + ",\"publish\":{\"channel\":\"" + channel + "\",\"data\":" + data + "}}");
    }

    /** The answer to the protocol's ping: an empty object. */
    public static ByteBuf pong(ByteBufAllocator alloc) {
        return ClientFrames.frame(alloc, ClientFrames.TEXT, PONG);
    }

    /** An HS256 JWT for user {@code subject}, expiring in a day, signed with {@code secret}. */
    public static String token(byte[] secret, String subject) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        long expires = System.currentTimeMillis() / 1000 + 86_400;
        String header = base64.encodeToString(bytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
        String claims = base64.encodeToString(bytes("{\"sub\":\"" + subject + "\",\"exp\":" + expires + "}"));
        String signed = header + "." + claims;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signed + "." + base64.encodeToString(mac.doFinal(bytes(signed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static ByteBuf text(ByteBufAllocator alloc, String json) {
        return ClientFrames.frame(alloc, ClientFrames.TEXT, bytes(json));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
