package io.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

    @TempDir
    Path dir;

    @Test
    void aDevelopmentCertificateNamesLocalhost() throws Exception {
        Tls tls = Tls.selfSigned();
        assertThat(tls.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(tls.certificate().getSubjectAlternativeNames()).isNotEmpty();
        KeyManagerFactory keys = tls.keyManagers();
        assertThat(keys.getKeyManagers()).isNotEmpty();
        assertThat(tls.trustStore().isCertificateEntry("switchboard")).isTrue();
    }

    @Test
    void pemFilesLoad() throws Exception {
        Tls dev = Tls.selfSigned();
        KeyStore store = exportable(dev);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, pem("CERTIFICATE", dev.certificate().getEncoded()));
        Files.writeString(
                key,
                pem(
                        "PRIVATE KEY",
                        store.getKey("switchboard", "switchboard".toCharArray()).getEncoded()));

        Tls loaded = Tls.pem(cert, key);
        assertThat(loaded.certificate()).isEqualTo(dev.certificate());
        assertThat(loaded.keyManagers().getKeyManagers()).isNotEmpty();
    }

    @Test
    void badFilesAreNamed() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, "not a certificate");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Tls.pem(cert, key)).hasMessageContaining(cert.toString());
        Files.writeString(
                cert, pem("CERTIFICATE", Tls.selfSigned().certificate().getEncoded()));
        assertThatThrownBy(() -> Tls.pem(cert, key))
                .hasMessageContaining(key.toString())
                .hasMessageContaining("PKCS #8");
        assertThatThrownBy(() -> Tls.pem(dir.resolve("missing.pem"), key)).hasMessageContaining("missing.pem");
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
