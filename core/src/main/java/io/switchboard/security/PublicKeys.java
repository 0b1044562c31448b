/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Reads the public key that checks tokens from a PEM file holding a SubjectPublicKeyInfo ({@code
 * -----BEGIN PUBLIC KEY-----}, what {@code openssl pkey -pubout} writes): RSA, EC or Ed25519. A file
 * that is missing or holds anything else fails with a one-line message naming it.
 */
public final class PublicKeys {

    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    private static final List<String> KINDS = List.of("RSA", "EC", "Ed25519");
    /** Far more than any public key's PEM; a bigger file is the wrong file. */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private PublicKeys() {}

    /** The public key in {@code file}; fails with {@link IllegalArgumentException} naming the file. */
    public static PublicKey pem(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(file + " is too big to be a PEM public key");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot read the public key file " + file + ": " + why(e));
        }
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + " holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " holds a PEM public key that is not valid base64");
        }
        return decode(der, file.toString());
    }

    private static String why(Exception e) {
        return switch (e) {
            case NoSuchFileException missing -> "no such file";
            case AccessDeniedException denied -> "permission denied";
            default -> e.getClass().getSimpleName();
        };
    }

    /** The key in a DER SubjectPublicKeyInfo, of whichever supported kind it is. */
    static PublicKey decode(byte[] der, String source) {
        for (String kind : KINDS) {
            try {
                return KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | ClassCastException e) {
                // not this kind; try the next
            }
        }
        throw new IllegalArgumentException(source + " holds no RSA, EC or Ed25519 public key");
    }
}
