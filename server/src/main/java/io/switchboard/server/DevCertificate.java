/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.security.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The self-signed certificate {@code serve --dev-tls} makes on the spot: for {@code localhost} and
 * {@code 127.0.0.1}, valid for 30 days, made with the JDK's keytool. It lives here rather than in
 * core because a library has no business starting processes; the key never touches the disk for
 * longer than it takes to read keytool's store back from a private temporary directory.
 */
final class DevCertificate {

    private static final String ALIAS = "switchboard";
    private static final String STORE = "dev.p12";
    private static final char[] PASSWORD = "switchboard".toCharArray();

    private DevCertificate() {}

    /** A new certificate and key; fails with {@link IllegalStateException} naming what went wrong. */
    static Tls make() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("switchboard-dev-tls", ownerOnly());
            Path store = dir.resolve(STORE);
            runKeytool(store);
            return read(store);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a development certificate: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a development certificate", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void runKeytool(Path store) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        ALIAS,
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "30",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        new String(PASSWORD),
                        "-keypass",
                        new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool could not make a development certificate: " + output.strip());
        }
    }

    private static Tls read(Path store) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate certificate : keys.getCertificateChain(ALIAS)) {
            chain.add((X509Certificate) certificate);
        }
        return Tls.of((PrivateKey) keys.getKey(ALIAS, PASSWORD), chain);
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
        };
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(STORE));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing the start for
        }
    }
}
