/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The chat server over TLS: {@code --tls-cert}/{@code --tls-key} (from PEM files made for the test
 * run in a temporary directory, never kept) and {@code --dev-tls}.
 */
class TlsServeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static Path cert;
    private static Path key;
    private static KeyStore trust;

    /** A certificate and its key in PEM files, made with the JDK's keytool. */
    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("test.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "test",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "password")
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = keytool.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "password".toCharArray());
        }
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Files.writeString(cert, pem("CERTIFICATE", keys.getCertificate("test").getEncoded()));
        Files.writeString(
                key,
                pem("PRIVATE KEY", keys.getKey("test", "password".toCharArray()).getEncoded()));
        trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test", keys.getCertificate("test"));
    }

    @Test
    void theChatServerAnswersHttpsWithTheCertificateFromPemFiles() throws Exception {
        Path config = dir.resolve("tls.properties");
        Files.writeString(config, "tls-cert=" + cert + "\ntls-key=" + key + "\n");
        Resolved settings = resolve(Map.of(), "--host", "127.0.0.1", "--port", "0", "--config", config.toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Running running = Running.start(settings, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            int port = running.server().port();
            String banner = printed.toString(StandardCharsets.UTF_8);
            assertThat(banner.lines().findFirst()).hasValue("Switchboard listening on https://127.0.0.1:" + port);
            assertThat(banner).containsPattern("tls +https:// and wss://, certificate CN=localhost, valid until ");

            HttpResponse<String> health = trusting()
                    .send(
                            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz"))
                                    .timeout(TIMEOUT)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        }
    }

    @Test
    void theTlsOptionsComeFromTheEnvironmentToo() {
        Resolved settings =
                resolve(Map.of("SWITCHBOARD_TLS_CERT", cert.toString(), "SWITCHBOARD_TLS_KEY", key.toString()));
        assertThat(settings.tls().certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=localhost");
        assertThat(settings.devTls()).isFalse();
        assertThat(resolve(Map.of()).tls()).isNull();
        assertThat(Banner.tls(resolve(Map.of()))).isEqualTo("off (http:// and ws://)");
    }

    @Test
    void devTlsMakesACertificateAtStartAndSaysSo() throws Exception {
        Resolved settings = resolve(Map.of("SWITCHBOARD_DEV_TLS", "true"), "--host", "127.0.0.1", "--port", "0");
        assertThat(settings.devTls()).isTrue();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Running running = Running.start(settings, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String banner = printed.toString(StandardCharsets.UTF_8);
            assertThat(banner.lines().findFirst())
                    .hasValue("Switchboard listening on https://127.0.0.1:"
                            + running.server().port());
            assertThat(banner)
                    .contains("made a self-signed certificate for localhost and 127.0.0.1, in memory only")
                    .containsPattern("tls +https:// and wss://, certificate self-signed for localhost");
        }
    }

    @Test
    void badTlsSettingsStopTheStartNamingTheFileOrOption() throws Exception {
        Path missing = dir.resolve("missing-cert.pem");
        assertThatThrownBy(() -> resolve(Map.of(), "--tls-cert", missing.toString(), "--tls-key", key.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("missing-cert.pem");
        Path notAKey = dir.resolve("not-a-key.pem");
        Files.writeString(notAKey, "hello");
        assertThatThrownBy(() -> resolve(Map.of(), "--tls-cert", cert.toString(), "--tls-key", notAKey.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("not-a-key.pem")
                .hasMessageContaining("PKCS #8");
        assertThatThrownBy(() -> resolve(Map.of(), "--tls-cert", cert.toString()))
                .hasMessageContaining("--tls-cert needs --tls-key");
        assertThatThrownBy(() -> resolve(Map.of(), "--tls-key", key.toString()))
                .hasMessageContaining("--tls-key needs --tls-cert");
        assertThatThrownBy(() ->
                        resolve(Map.of(), "--dev-tls", "--tls-cert", cert.toString(), "--tls-key", key.toString()))
                .hasMessageContaining("--dev-tls and --tls-cert/--tls-key exclude each other");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(
                    new String[] {"serve", "--port", "0", "--tls-cert", missing.toString(), "--tls-key", key.toString()
                    },
                    Map.of());
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read TLS certificate file " + missing);
    }

    @Test
    void helpListsTheTlsOptions() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(new String[] {"serve", "--help"}, Map.of())).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--tls-cert=FILE")
                .contains("--tls-key=FILE")
                .contains("--dev-tls");
    }

    private static HttpClient trusting() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(TIMEOUT)
                .build();
    }

    private static Resolved resolve(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine line = new CommandLine(new Main(), new ServeCommand.Factory(env, all));
        CommandLine.ParseResult parsed = line.parseArgs(all);
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        return serve.resolve();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
