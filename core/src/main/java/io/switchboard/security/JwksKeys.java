/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import com.nimbusds.jose.jwk.JWKSet;
import io.switchboard.security.TokenVerifier.Problem;
import io.switchboard.security.TokenVerifier.Rejected;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of a JWK set fetched from a URL (RFC 7517), cached. The set is fetched on first use, again
 * when a token names a key id the cache does not have (the issuer rotated its keys) or when the cache
 * is older than its maximum age; never more often than once per refetch interval, so a flood of
 * tokens with made-up key ids costs the key server one request per interval. A fetch that fails
 * (refused, timed out, not a key set) is logged once; tokens it left unchecked are {@link
 * Problem#UNAVAILABLE}, and keys fetched earlier stay in use. Fetches have a deadline: a key server
 * that accepts and then says nothing cannot hold a login for longer than the timeout.
 *
 * <p>Thread-safe: lookups of known keys read a volatile snapshot; fetches happen one at a time.
 */
final class JwksKeys {

    private static final Logger log = LoggerFactory.getLogger(JwksKeys.class);
    /** A key set bigger than this is refused: hundreds of keys fit in far less. */
    static final int MAX_BYTES = 256 * 1024;

    /**
     * Where the set is and how it is fetched.
     *
     * @param url the key set's {@code http://} or {@code https://} URL
     * @param timeout how long connecting, and then the whole answer, may take
     * @param refetchInterval the least time between two fetches
     * @param maxAge how long fetched keys are used before the set is fetched again
     */
    record Settings(URI url, Duration timeout, Duration refetchInterval, Duration maxAge) {
        Settings {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                throw new IllegalArgumentException("a JWKS URL must be http:// or https://, not '" + url + "'");
            }
            for (Duration duration : List.of(timeout, refetchInterval, maxAge)) {
                if (duration.isNegative() || duration.isZero()) {
                    throw new IllegalArgumentException("JWKS timeouts and intervals must be positive, not " + duration);
                }
            }
        }
    }

    /** The keys as last fetched, when, and whether the last attempt failed. */
    private record Snapshot(List<VerificationKey> keys, Instant fetchedAt, Instant triedAt, boolean failed) {}

    private final Settings settings;
    private final Clock clock;
    private final HttpClient http;
    // A lock, not a monitor: on JDK 21 a virtual thread blocked in a monitor pins its carrier.
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Snapshot snapshot = new Snapshot(List.of(), null, null, false);

    JwksKeys(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The keys that may have signed a token with key id {@code kid} (or {@code null}); fetches the
     * set when it has to and may. Empty when the set, freshly fetched, has no such key.
     */
    List<VerificationKey> keys(String kid) throws Rejected {
        Snapshot current = snapshot;
        if (current.fetchedAt() != null && has(current, kid) && !stale(current)) {
            return current.keys();
        }
        fetching.lock();
        try {
            current = snapshot;
            if (!(current.fetchedAt() != null && has(current, kid) && !stale(current)) && mayFetch(current)) {
                current = fetch(current);
            }
        } finally {
            fetching.unlock();
        }
        if (current.fetchedAt() == null || (current.failed() && !has(current, kid))) {
            throw new Rejected(Problem.UNAVAILABLE, "token key set unavailable");
        }
        return current.keys();
    }

    private static boolean has(Snapshot snapshot, String kid) {
        return kid == null || snapshot.keys().stream().anyMatch(key -> kid.equals(key.keyId()));
    }

    private boolean stale(Snapshot current) {
        return !clock.instant().isBefore(current.fetchedAt().plus(settings.maxAge()));
    }

    private boolean mayFetch(Snapshot current) {
        return current.triedAt() == null
                || !clock.instant().isBefore(current.triedAt().plus(settings.refetchInterval()));
    }

    /** Fetches the set once; on failure keeps the keys fetched before and logs one line. */
    private Snapshot fetch(Snapshot previous) {
        Instant now = clock.instant();
        Snapshot next;
        try {
            List<VerificationKey> keys = parse(download());
            next = new Snapshot(keys, now, now, false);
        } catch (FetchFailed e) {
            log.warn("token key set {} unavailable: {}", settings.url(), e.getMessage());
            next = new Snapshot(previous.keys(), previous.fetchedAt(), now, true);
        }
        snapshot = next;
        return next;
    }

    private String download() throws FetchFailed {
        HttpRequest request = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, info -> new Bounded(MAX_BYTES));
        try {
            HttpResponse<byte[]> response = answer.get(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                throw new FetchFailed("HTTP status " + response.statusCode());
            }
            return new String(response.body(), StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new FetchFailed("no answer within " + settings.timeout().toMillis() * 2 + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new FetchFailed(cause.getClass().getSimpleName()
                    + Optional.ofNullable(cause.getMessage()).map(m -> " " + m).orElse(""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new FetchFailed("interrupted");
        }
    }

    private static List<VerificationKey> parse(String body) throws FetchFailed {
        JWKSet set;
        try {
            set = JWKSet.parse(body);
        } catch (ParseException | RuntimeException e) {
            throw new FetchFailed("not a JWK set");
        }
        return set.getKeys().stream()
                .flatMap(jwk -> VerificationKey.of(jwk).stream())
                .toList();
    }

    /** Collects an answer's body up to a bound; past it, stops reading and fails. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Bounded(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (received.size() + buffer.remaining() > limit) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("larger than " + limit + " bytes"));
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                received.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(received.toByteArray());
        }
    }

    /** Why a fetch failed, for the log line. */
    private static final class FetchFailed extends Exception {
        FetchFailed(String reason) {
            super(reason.replace('\n', ' ').replace('\r', ' '), null, false, false);
        }
    }
}
