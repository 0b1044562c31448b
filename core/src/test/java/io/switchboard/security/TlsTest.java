/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM loading, with the test certificate for localhost in {@code src/test/resources/tls}. */
class TlsTest {

    @TempDir
    Path dir;

    private Path cert;
    private Path key;

    @BeforeEach
    void copyTheTestCertificate() throws Exception {
        cert = copy("localhost.crt");
        key = copy("localhost.key");
    }

    @Test
    void pemFilesLoad() throws Exception {
        Tls tls = Tls.pem(cert, key);
        assertThat(tls.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(tls.certificate().getSubjectAlternativeNames()).isNotEmpty();
        assertThat(tls.keyManagers().getKeyManagers()).isNotEmpty();
        assertThat(tls.trustStore().isCertificateEntry("switchboard")).isTrue();
    }

    @Test
    void aKeyAndChainInMemoryMakeTheSameTls() throws Exception {
        Tls loaded = Tls.pem(cert, key);
        PrivateKey privateKey = (PrivateKey) exportable(loaded).getKey("switchboard", "switchboard".toCharArray());
        Tls made = Tls.of(privateKey, List.of(loaded.certificate()));
        assertThat(made.certificate()).isEqualTo(loaded.certificate());
        assertThatThrownBy(() -> Tls.of(privateKey, List.of()))
                .hasMessageContaining("at least the server's certificate");
    }

    @Test
    void badFilesAreNamed() throws Exception {
        Path badCert = dir.resolve("bad-cert.pem");
        Path badKey = dir.resolve("bad-key.pem");
        Files.writeString(badCert, "not a certificate");
        Files.writeString(badKey, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Tls.pem(badCert, key)).hasMessageContaining(badCert.toString());
        assertThatThrownBy(() -> Tls.pem(cert, badKey))
                .hasMessageContaining(badKey.toString())
                .hasMessageContaining("PKCS #8");
        assertThatThrownBy(() -> Tls.pem(dir.resolve("missing.pem"), key)).hasMessageContaining("missing.pem");
        Files.writeString(badKey, pem("PRIVATE KEY", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> Tls.pem(cert, badKey)).hasMessageContaining("not RSA, EC or Ed25519");
    }

    private Path copy(String name) throws Exception {
        Path file = dir.resolve(name);
        try (InputStream in = TlsTest.class.getResourceAsStream("/tls/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    /** The key inside a Tls, reached the way a test may: through its key managers' store. */
    private static KeyStore exportable(Tls tls) throws Exception {
        var field = Tls.class.getDeclaredField("keyStore");
        field.setAccessible(true);
        return (KeyStore) field.get(tls);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
