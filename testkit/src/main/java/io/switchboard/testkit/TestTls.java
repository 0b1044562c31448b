/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.security.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, and an HTTP client that
 * trusts it and nothing else: what {@link TestServer#startTls} serves and its clients connect with.
 * The certificate and its key are fixed test material shipped beside this class (valid until 2126,
 * never to be trusted outside tests), loaded through {@link Tls#pem} as a server's files are, so no
 * test waits for keytool.
 */
public final class TestTls {

    private static final class Holder {
        static final Tls CERTIFICATE = load();
        static final HttpClient CLIENT = trusting(CERTIFICATE);
    }

    private TestTls() {}

    /** The shared test certificate. */
    public static Tls certificate() {
        return Holder.CERTIFICATE;
    }

    /** An HTTP and WebSocket client that trusts {@link #certificate()} only. */
    public static HttpClient client() {
        return Holder.CLIENT;
    }

    /** An SSL context that trusts {@code tls}'s certificate only, for other clients. */
    public static SSLContext trusting(Tls tls, String protocol) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(tls.trustStore());
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the test certificate: " + e.getMessage(), e);
        }
    }

    /** The certificate and key in this package's resources, read from files as a server reads them. */
    private static Tls load() {
        try {
            Path dir = Files.createTempDirectory("switchboard-test-tls");
            try {
                return Tls.pem(copy("localhost.crt", dir), copy("localhost.key", dir));
            } finally {
                for (String name : new String[] {"localhost.crt", "localhost.key"}) {
                    Files.deleteIfExists(dir.resolve(name));
                }
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the test certificate: " + e.getMessage(), e);
        }
    }

    private static Path copy(String resource, Path dir) throws IOException {
        Path file = dir.resolve(resource);
        try (InputStream in = TestTls.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource + " beside " + TestTls.class.getName());
            }
            Files.copy(in, file);
        }
        return file;
    }

    private static HttpClient trusting(Tls tls) {
        return HttpClient.newBuilder()
                .sslContext(trusting(tls, "TLS"))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
