package io.switchboard;

import io.switchboard.security.Hosts;
import io.switchboard.security.Origins;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every bound the server enforces, each with a default. Immutable; change one with
 * {@code Limits.defaults().toBuilder().maxMessageBytes(1 << 20).build()}.
 */
public final class Limits {

    private static final Limits DEFAULTS = new Builder().build();

    /** {@link #maxFragments()} follows the message size unless set: the message size in pieces of this many bytes. */
    private static final int FRAGMENT_BYTES = 64;

    private static final int MIN_FRAGMENTS = 16;

    private final int maxFrameBytes;
    private final int maxMessageBytes;
    private final int maxFragments;
    private final Integer maxFragmentsSetting; // as set, or null: a copy of these limits derives it again
    private final int outboundBufferBytes;
    private final int inboundBufferBytes;
    private final int maxHttpBodyBytes;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final Duration closeTimeout;
    private final Duration drainTimeout;
    private final boolean deflate;
    private final Duration handshakeTimeout;
    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final RateLimit rateLimit;
    private final List<String> allowedOrigins;
    private final List<String> allowedHosts;

    private Limits(Builder b) {
        this.maxFrameBytes = positive("maxFrameBytes", b.maxFrameBytes);
        this.maxMessageBytes = positive("maxMessageBytes", b.maxMessageBytes);
        this.maxFragmentsSetting = b.maxFragments;
        this.maxFragments = b.maxFragments == null
                ? Math.max(MIN_FRAGMENTS, maxMessageBytes / FRAGMENT_BYTES)
                : positive("maxFragments", b.maxFragments);
        this.outboundBufferBytes = positive("outboundBufferBytes", b.outboundBufferBytes);
        this.inboundBufferBytes = positive("inboundBufferBytes", b.inboundBufferBytes);
        this.maxHttpBodyBytes = positive("maxHttpBodyBytes", b.maxHttpBodyBytes);
        this.slowConsumerPolicy = Objects.requireNonNull(b.slowConsumerPolicy, "slowConsumerPolicy");
        this.closeTimeout = positive("closeTimeout", b.closeTimeout);
        this.drainTimeout = positive("drainTimeout", b.drainTimeout);
        this.deflate = b.deflate;
        this.handshakeTimeout = positive("handshakeTimeout", b.handshakeTimeout);
        this.pingInterval = positive("pingInterval", b.pingInterval);
        this.pongTimeout = positive("pongTimeout", b.pongTimeout);
        this.maxConnections = positive("maxConnections", b.maxConnections);
        this.maxConnectionsPerAddress = positive("maxConnectionsPerAddress", b.maxConnectionsPerAddress);
        this.rateLimit = Objects.requireNonNull(b.rateLimit, "rateLimit");
        this.allowedOrigins = normalizeOrigins(b.allowedOrigins);
        this.allowedHosts = Hosts.normalize(b.allowedHosts);
    }

    /** Checks and normalizes an origin allow-list; fails naming an entry that is not an origin. */
    public static List<String> normalizeOrigins(List<String> origins) {
        Objects.requireNonNull(origins, "allowedOrigins");
        return origins.stream()
                .map(origin -> Origins.normalize(
                        Objects.requireNonNull(origin, "allowedOrigins entry").trim()))
                .distinct()
                .toList();
    }

    /**
     * The defaults: 64 KiB frames and messages, messages in at most 1,024 fragments, 1 MiB buffers, close slow consumers, 5 s close and
     * drain timeouts, 10 s to send a request, a ping after 25 s of silence answered within 20 s,
     * 100,000 WebSocket connections of which 1,000 per address, 100 messages a second in bursts of 200
     * per connection, only same-origin browser pages, only requests naming a loopback host (or the
     * listen address), and permessage-deflate on.
     */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these limits. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Largest payload of one frame; a bigger frame closes the connection with 1009. Default 64 KiB. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Largest message after joining fragments; a bigger one closes with 1009. Default 64 KiB. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /**
     * Most frames one message may arrive in; one more closes the connection with 1009. Fragments are
     * joined into one buffer, so they cost no memory beyond their bytes, but each costs the work of a
     * frame: this bounds that work where the rate limit is off. Unless set, the message size in
     * 64-byte pieces (the smallest fragments the Autobahn testsuite sends), at least 16: 1,024 for the
     * default 64 KiB, and it grows with {@link #maxMessageBytes()}.
     */
    public int maxFragments() {
        return maxFragments;
    }

    /** Bytes queued for one client before the slow consumer policy applies. Default 1 MiB. */
    public int outboundBufferBytes() {
        return outboundBufferBytes;
    }

    /** Bytes of messages waiting for one connection's handler before reading pauses. Default 1 MiB. */
    public int inboundBufferBytes() {
        return inboundBufferBytes;
    }

    /** Largest plain HTTP request body; a bigger one gets 413. Default 1 MiB. */
    public int maxHttpBodyBytes() {
        return maxHttpBodyBytes;
    }

    /** What happens to a client that does not read. Default {@link SlowConsumerPolicy#CLOSE}. */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return slowConsumerPolicy;
    }

    /** How long to wait for the client's close frame after sending ours. Default 5 s. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** How long {@code Server.close()} waits for connections to finish closing. Default 5 s. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * Whether the server accepts permessage-deflate (RFC 7692) when a client offers it. Default on.
     * The server always answers with {@code server_no_context_takeover} so that a broadcast is
     * compressed once for all its recipients, and sends messages under 64 bytes uncompressed. The
     * message size limit applies to the inflated size: a message that inflates past it closes with
     * 1009.
     */
    public boolean deflate() {
        return deflate;
    }

    /**
     * How long a connection may take to send a complete HTTP request (an upgrade or a plain one), and
     * how long it may stay silent between keep-alive requests; then it is closed. Against slowloris.
     * Default 10 s.
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How long a WebSocket may stay silent before the server pings it. Anything the client sends
     * counts, not only pongs. Default 25 s.
     */
    public Duration pingInterval() {
        return pingInterval;
    }

    /**
     * How long after a ping the server waits for anything from the client (normally the pong) before
     * it closes the connection with 1001 ("ping timeout") without waiting for the closing handshake.
     * Default 20 s.
     */
    public Duration pongTimeout() {
        return pongTimeout;
    }

    /** Open WebSocket connections on this server, at most; an upgrade over it gets 503. Default 100,000. */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Open WebSocket connections from one remote IP address, at most; an upgrade over it gets 429.
     * Default 1,000 (a lot of people behind one NAT still fit).
     */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /**
     * Messages per second each connection may send, unless its route sets its own; a message's first
     * frame counts as one, then every 16th fragment of it, and each ping and pong (see {@link
     * RateLimit}). Default {@link
     * RateLimit#DEFAULT}: 100 a second, bursts of 200, close with 1008 over it.
     */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    /**
     * Origins, besides the server's own, whose pages may open WebSockets, unless a route sets its
     * own list; {@code *} allows all. Normalized (see {@link Origins}). Default none: same-origin
     * pages and non-browser clients (no {@code Origin} header) only; others get 403.
     */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Host names, besides the address the server listens on when that is a specific one, that
     * requests may name in their {@code Host} header; others get 400, against DNS rebinding (see
     * {@link Hosts}). {@code *} allows all, {@code .example.com} a domain and its subdomains. Default
     * {@link Hosts#LOOPBACK}: localhost and names under it, 127.0.0.1 and ::1 (any IP address is served anyway).
     */
    public List<String> allowedHosts() {
        return allowedHosts;
    }

    /** Every limit by name, in a stable order, for the table printed at startup. */
    public Map<String, String> describe() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("max frame size", bytes(maxFrameBytes));
        rows.put("max message size", bytes(maxMessageBytes));
        rows.put("max fragments per message", String.valueOf(maxFragments));
        rows.put("outbound buffer per connection", bytes(outboundBufferBytes));
        rows.put("inbound buffer per connection", bytes(inboundBufferBytes));
        rows.put("max HTTP body", bytes(maxHttpBodyBytes));
        rows.put("slow consumer policy", slowConsumerPolicy.name().toLowerCase(java.util.Locale.ROOT));
        rows.put("close timeout", closeTimeout.toMillis() + " ms");
        rows.put("drain timeout", drainTimeout.toMillis() + " ms");
        rows.put("permessage-deflate", deflate ? "on (messages from 64 B)" : "off");
        rows.put("handshake timeout", handshakeTimeout.toMillis() + " ms");
        rows.put("ping interval", pingInterval.toMillis() + " ms");
        rows.put("pong timeout", pongTimeout.toMillis() + " ms");
        rows.put("max connections", String.valueOf(maxConnections));
        rows.put("max connections per address", String.valueOf(maxConnectionsPerAddress));
        rows.put("messages per connection", rateLimit.describe());
        rows.put(
                "allowed origins",
                allowedOrigins.contains(Origins.ANY)
                        ? "any"
                        : allowedOrigins.isEmpty()
                                ? "same origin"
                                : "same origin, " + String.join(", ", allowedOrigins));
        rows.put("allowed hosts", allowedHosts.contains(Hosts.ANY) ? "any" : String.join(", ", allowedHosts));
        return rows;
    }

    /** {@code n} bytes in the largest whole unit: {@code 65536} is {@code 64 KiB}. */
    public static String bytes(long n) {
        if (n >= 1 << 20 && n % (1 << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1 << 10 && n % (1 << 10) == 0) {
            return (n >> 10) + " KiB";
        }
        return n + " B";
    }

    @Override
    public String toString() {
        return "Limits" + describe();
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
        return value;
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
        return value;
    }

    /** Sets limits one at a time; {@link #build()} checks them. */
    public static final class Builder {
        private int maxFrameBytes = 64 * 1024;
        private int maxMessageBytes = 64 * 1024;
        private Integer maxFragments; // null: derived from the message size
        private int outboundBufferBytes = 1024 * 1024;
        private int inboundBufferBytes = 1024 * 1024;
        private int maxHttpBodyBytes = 1024 * 1024;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.CLOSE;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration drainTimeout = Duration.ofSeconds(5);
        private boolean deflate = true;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pongTimeout = Duration.ofSeconds(20);
        private int maxConnections = 100_000;
        private int maxConnectionsPerAddress = 1_000;
        private RateLimit rateLimit = RateLimit.DEFAULT;
        private List<String> allowedOrigins = List.of();
        private List<String> allowedHosts = Hosts.LOOPBACK;

        private Builder() {}

        private Builder(Limits from) {
            maxFrameBytes = from.maxFrameBytes;
            maxMessageBytes = from.maxMessageBytes;
            maxFragments = from.maxFragmentsSetting;
            outboundBufferBytes = from.outboundBufferBytes;
            inboundBufferBytes = from.inboundBufferBytes;
            maxHttpBodyBytes = from.maxHttpBodyBytes;
            slowConsumerPolicy = from.slowConsumerPolicy;
            closeTimeout = from.closeTimeout;
            drainTimeout = from.drainTimeout;
            deflate = from.deflate;
            handshakeTimeout = from.handshakeTimeout;
            pingInterval = from.pingInterval;
            pongTimeout = from.pongTimeout;
            maxConnections = from.maxConnections;
            maxConnectionsPerAddress = from.maxConnectionsPerAddress;
            rateLimit = from.rateLimit;
            allowedOrigins = from.allowedOrigins;
            allowedHosts = from.allowedHosts;
        }

        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = value;
            return this;
        }

        public Builder maxMessageBytes(int value) {
            this.maxMessageBytes = value;
            return this;
        }

        /** Most frames one message may arrive in; see {@link Limits#maxFragments()}. */
        public Builder maxFragments(int value) {
            this.maxFragments = value;
            return this;
        }

        public Builder outboundBufferBytes(int value) {
            this.outboundBufferBytes = value;
            return this;
        }

        public Builder inboundBufferBytes(int value) {
            this.inboundBufferBytes = value;
            return this;
        }

        public Builder maxHttpBodyBytes(int value) {
            this.maxHttpBodyBytes = value;
            return this;
        }

        public Builder slowConsumerPolicy(SlowConsumerPolicy value) {
            this.slowConsumerPolicy = value;
            return this;
        }

        public Builder closeTimeout(Duration value) {
            this.closeTimeout = value;
            return this;
        }

        public Builder drainTimeout(Duration value) {
            this.drainTimeout = value;
            return this;
        }

        /** Whether to accept permessage-deflate offers; see {@link Limits#deflate()}. */
        public Builder deflate(boolean value) {
            this.deflate = value;
            return this;
        }

        public Builder handshakeTimeout(Duration value) {
            this.handshakeTimeout = value;
            return this;
        }

        public Builder pingInterval(Duration value) {
            this.pingInterval = value;
            return this;
        }

        public Builder pongTimeout(Duration value) {
            this.pongTimeout = value;
            return this;
        }

        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        public Builder maxConnectionsPerAddress(int value) {
            this.maxConnectionsPerAddress = value;
            return this;
        }

        public Builder rateLimit(RateLimit value) {
            this.rateLimit = value;
            return this;
        }

        /** Origins allowed besides the server's own, such as {@code https://app.example}; {@code *} for any. */
        public Builder allowedOrigins(List<String> value) {
            this.allowedOrigins = value;
            return this;
        }

        /** Host names requests may name besides the listen address; {@code *} for any. See {@link Limits#allowedHosts()}. */
        public Builder allowedHosts(List<String> value) {
            this.allowedHosts = value;
            return this;
        }

        public Limits build() {
            return new Limits(this);
        }
    }
}
