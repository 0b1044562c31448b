package io.switchboard.testkit;

import io.switchboard.Tls;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One self-signed certificate for {@code localhost} and {@code 127.0.0.1} per test run, made on first
 * use and kept in memory, and an HTTP client that trusts it and nothing else: what
 * {@link TestServer#startTls} serves and its clients connect with.
 */
public final class TestTls {

    private static final class Holder {
        static final Tls CERTIFICATE = Tls.selfSigned();
        static final HttpClient CLIENT = trusting(CERTIFICATE);
    }

    private TestTls() {}

    /** The shared certificate (made with the JDK's keytool the first time, about a second). */
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

    private static HttpClient trusting(Tls tls) {
        return HttpClient.newBuilder()
                .sslContext(trusting(tls, "TLS"))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
