/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;

/**
 * The server's certificate and key for {@code wss://} and {@code https://}: from PEM files, or a key
 * and chain made elsewhere (the server module makes a self-signed one for local development). Bad
 * files fail here, at startup, naming the file and what is wrong. The transport builds its TLS
 * context from {@link #keyManagers()}.
 */
public final class Tls {

    private static final char[] PASSWORD = "switchboard".toCharArray();

    private final KeyStore keyStore;
    private final X509Certificate certificate;

    private Tls(KeyStore keyStore, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    /**
     * The certificate chain in {@code certificates} (PEM, the server's certificate first) and its
     * private key in {@code privateKey} (PEM, PKCS #8: {@code BEGIN PRIVATE KEY}; RSA or EC).
     */
    public static Tls pem(Path certificates, Path privateKey) {
        List<X509Certificate> chain = readCertificates(certificates);
        PrivateKey key = readKey(privateKey);
        return of(key, chain);
    }

    /**
     * {@code key} and its certificate {@code chain} (the server's certificate first), already in
     * memory: for certificates made at run time, such as the server's development certificate.
     */
    public static Tls of(PrivateKey key, List<X509Certificate> chain) {
        Objects.requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a TLS certificate chain needs at least the server's certificate");
        }
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("switchboard", key, PASSWORD, chain.toArray(Certificate[]::new));
            return new Tls(keys, chain.get(0));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key does not fit the certificate: " + e.getMessage(), e);
        }
    }

    /** The server's own certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Key managers for an SSL engine (the transport builds its TLS context from them). */
    public KeyManagerFactory keyManagers() {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore, PASSWORD);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the TLS key: " + e.getMessage(), e);
        }
    }

    /** A key store holding the certificate alone, for clients (tests) that should trust it. */
    public KeyStore trustStore() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("switchboard", certificate);
            return trust;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<X509Certificate> readCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> read =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : read) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("TLS certificate file " + file + " holds no certificate");
            }
            return chain;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TLS certificate file " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "TLS certificate file " + file + " is not PEM X.509: " + e.getMessage(), e);
        }
    }

    private static PrivateKey readKey(Path file) {
        String text;
        try {
            text = Files.readString(Objects.requireNonNull(file, "privateKey"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TLS key file " + file + ": " + e.getMessage(), e);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("TLS key file " + file
                    + " holds no PKCS #8 key (BEGIN PRIVATE KEY); convert with: openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("TLS key file " + file + " holds a key that is not RSA, EC or Ed25519");
    }
}
