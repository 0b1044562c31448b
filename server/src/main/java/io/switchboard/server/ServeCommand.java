package io.switchboard.server;

import io.switchboard.Limits;
import io.switchboard.RateLimit;
import io.switchboard.RateLimitPolicy;
import io.switchboard.Server;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.engine.Retention;
import io.switchboard.redis.RedisEngine;
import io.switchboard.redis.RedisHistory;
import io.switchboard.redis.RedisSettings;
import io.switchboard.security.Hosts;
import io.switchboard.security.Jwt;
import io.switchboard.security.Tls;
import io.switchboard.security.TokenAuthenticator;
import io.switchboard.server.chat.ChatSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code switchboard serve}: starts the server and runs until SIGTERM or Ctrl-C. */
@Command(
        name = "serve",
        description = "Starts the chat server (rooms, direct messages, presence, clock, web page).",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        showDefaultValues = true,
        defaultValueProvider = SettingsSource.class,
        footerHeading = "%nSettings%n",
        footer = {
            "Every option can also be set in the config file, as KEY=VALUE with the option's name without"
                    + " dashes (port=9000), and in an environment variable: SWITCHBOARD_ and the name in capitals"
                    + " with underscores (SWITCHBOARD_PORT=9000).",
            "Precedence: the command line, then the environment, then the config file, then the defaults"
                    + " shown. An unknown setting or a bad value stops the server at start, naming it.",
            "Sizes are bytes or take KiB/MiB (64KiB); durations take ms, s, m or h (500ms, 5s)."
        })
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final SettingsSource source;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address to listen on: this machine only by default; 0.0.0.0 for every interface"
                    + " (then give --jwt-secret: without it anyone can claim any user name).")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8000",
            description = "Port to listen on (0: any free port).")
    int port;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description = "Serve https:// and wss:// (instead of http:// and ws://) with this PEM certificate"
                    + " chain, the server's certificate first; needs --tls-key.")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description = "The private key of --tls-cert: PEM, PKCS #8 (BEGIN PRIVATE KEY), RSA or EC.")
    Path tlsKey;

    @Option(
            names = "--dev-tls",
            description = "Serve https:// and wss:// with a self-signed certificate for localhost and 127.0.0.1,"
                    + " made in memory at start; browsers warn. For development only.")
    boolean devTls;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A properties file of settings (see Settings below).")
    Path config;

    @Option(names = "--history-size", paramLabel = "N", defaultValue = "100", description = "Messages kept per room.")
    int historySize;

    @Option(
            names = "--queued-per-user",
            paramLabel = "N",
            defaultValue = "100",
            description = "Direct messages kept for a user who is away; the oldest go first.")
    int queuedPerUser;

    @Option(
            names = "--history-ttl",
            paramLabel = "DURATION",
            defaultValue = "24h",
            converter = Converters.TimeSpan.class,
            description = "A room's history (and its message ids) is forgotten this long after its last message.")
    Duration historyTtl;

    @Option(
            names = "--queued-ttl",
            paramLabel = "DURATION",
            defaultValue = "24h",
            converter = Converters.TimeSpan.class,
            description = "Direct messages kept for a user who is away are forgotten this long after the last"
                    + " one was kept.")
    Duration queuedTtl;

    @Option(
            names = "--history-memory",
            paramLabel = "SIZE",
            defaultValue = "64MiB",
            converter = Converters.ByteSize.class,
            description = "Without --redis: the most room history and queued direct messages kept in memory"
                    + " (2 bytes a character plus overheads); past it the least recently written rooms and"
                    + " queues are forgotten whole. At least 1MiB.")
    int historyMemory;

    @Option(
            names = "--max-chat-message",
            paramLabel = "CHARS",
            defaultValue = "4096",
            description = "Longest chat message, in characters.")
    int maxChatMessage;

    @Option(
            names = "--max-message-size",
            paramLabel = "SIZE",
            defaultValue = "64KiB",
            converter = Converters.ByteSize.class,
            description = "Largest WebSocket frame and message; bigger closes with 1009.")
    int maxMessageSize;

    @Option(
            names = "--max-fragments",
            paramLabel = "N",
            description = "Most frames one WebSocket message may arrive in; more closes with 1009."
                    + " Default: the message size in 64-byte pieces (1024 for 64KiB).")
    Integer maxFragments;

    @Option(
            names = "--outbound-buffer",
            paramLabel = "SIZE",
            defaultValue = "1MiB",
            converter = Converters.ByteSize.class,
            description = "Bytes queued for one client before it counts as a slow consumer (closed with 1008).")
    int outboundBuffer;

    @Option(
            names = "--deflate",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Compress messages (permessage-deflate) with clients that offer it; --no-deflate turns"
                    + " it off.")
    boolean deflate;

    @Option(
            names = "--drain-timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = Converters.TimeSpan.class,
            description = "On SIGTERM or Ctrl-C, how long open connections get to close.")
    Duration drainTimeout;

    @Option(
            names = "--handshake-timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = Converters.TimeSpan.class,
            description = "Time a connection has to send a complete HTTP request or upgrade, and may stay"
                    + " idle between keep-alive requests; then it is closed.")
    Duration handshakeTimeout;

    @Option(
            names = "--ping-interval",
            paramLabel = "DURATION",
            defaultValue = "25s",
            converter = Converters.TimeSpan.class,
            description = "A WebSocket silent this long is pinged.")
    Duration pingInterval;

    @Option(
            names = "--pong-timeout",
            paramLabel = "DURATION",
            defaultValue = "20s",
            converter = Converters.TimeSpan.class,
            description = "A pinged WebSocket that sends nothing back for this long is closed with 1001.")
    Duration pongTimeout;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            defaultValue = "100000",
            description = "Open WebSocket connections, at most; more are refused with 503.")
    int maxConnections;

    @Option(
            names = "--max-connections-per-address",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Open WebSocket connections from one IP address, at most; more are refused with 429.")
    int maxConnectionsPerAddress;

    @Option(
            names = "--rate-limit",
            paramLabel = "N",
            defaultValue = "100",
            description = "Messages per second one connection may send in the long run; 0 turns the limit off.")
    int rateLimit;

    @Option(
            names = "--rate-burst",
            paramLabel = "N",
            defaultValue = "200",
            description = "Messages one connection may send at once after a quiet spell.")
    int rateBurst;

    @Option(
            names = "--rate-limit-policy",
            paramLabel = "POLICY",
            defaultValue = "close",
            description =
                    "Over the rate limit: close (with 1008) or drop (the message, answering with an" + " error event).")
    String rateLimitPolicy;

    @Option(
            names = "--allowed-origins",
            paramLabel = "ORIGINS",
            split = ",",
            description = "Origins whose pages may open WebSockets besides the server's own, comma-separated"
                    + " (https://app.example,https://b.example); * allows every origin. Clients that send"
                    + " no Origin (not browsers) are always allowed; others get 403.")
    List<String> allowedOrigins;

    @Option(
            names = "--allowed-hosts",
            paramLabel = "HOSTS",
            split = ",",
            description =
                    "Host names requests may name (the Host header), comma-separated, besides the --host"
                            + " address when it is a specific one: chat.example, .example.com (and its subdomains),"
                            + " * for any. Default: localhost, .localhost, 127.0.0.1, ::1; an IP address is always allowed. Others get 400 (against DNS rebinding).")
    List<String> allowedHosts;

    @Option(
            names = "--jwt-secret",
            paramLabel = "SECRET",
            description = "Makes the chat take user names from HS256 tokens signed with this secret"
                    + " (at least 32 bytes) instead of the user query parameter; no token: 401.")
    String jwtSecret;

    @Option(
            names = "--io-threads",
            paramLabel = "N",
            defaultValue = "0",
            description = "Network threads; 0 means one per core.")
    int ioThreads;

    @Option(
            names = "--redis",
            paramLabel = "URI",
            description = "Run as one node of a cluster: redis://HOST:PORT[/DB], or rediss:// for TLS."
                    + " Without it everything stays in memory.")
    String redis;

    @Option(
            names = "--redis-password",
            paramLabel = "PASSWORD",
            description = "The Redis password (better here or in SWITCHBOARD_REDIS_PASSWORD than in the URI).")
    String redisPassword;

    @Option(
            names = "--redis-prefix",
            paramLabel = "PREFIX",
            defaultValue = RedisSettings.DEFAULT_PREFIX,
            description = "Put before every Redis key and channel; the nodes of one cluster share it.")
    String redisPrefix;

    @Option(
            names = "--redis-timeout",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = Converters.TimeSpan.class,
            description =
                    "With --redis: a Redis command slower than this fails, and Redis counts as down until it answers.")
    Duration redisTimeout;

    @Option(
            names = "--node-heartbeat",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = Converters.TimeSpan.class,
            description = "With --redis: how often a node tells the others it is alive.")
    Duration nodeHeartbeat;

    @Option(
            names = "--node-expiry",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = Converters.TimeSpan.class,
            description = "With --redis: a node silent this long is gone; its users leave their rooms.")
    Duration nodeExpiry;

    ServeCommand(SettingsSource source) {
        this.source = source;
    }

    /**
     * What the options, environment and config file add up to.
     *
     * @param host the address to listen on
     * @param port the port
     * @param limits the server's limits
     * @param chat the chat's limits
     * @param ioThreads network threads, 0 for one per core
     * @param redis where the cluster's Redis is, or {@code null} to keep everything in memory
     * @param jwtSecret the token secret, or {@code null} to take chat users from the query
     * @param tls the certificate for https:// and wss://, or {@code null} for plain http:// and ws://
     * @param devTls whether {@code tls} is a self-signed certificate made at start
     */
    record Resolved(
            String host,
            int port,
            Limits limits,
            ChatSettings chat,
            int ioThreads,
            RedisSettings redis,
            String jwtSecret,
            Tls tls,
            boolean devTls) {}

    /** Checks every setting and resolves them; fails naming the first one that is wrong. */
    Resolved resolve() {
        source.checkKeys(spec);
        check(
                jwtSecret == null || jwtSecret.getBytes(StandardCharsets.UTF_8).length >= 32,
                "--jwt-secret must be at least 32 bytes long");
        return new Resolved(host, port, limits(), chatSettings(), ioThreads, redisSettings(), jwtSecret, tls(), devTls);
    }

    @Override
    public Integer call() throws Exception {
        Resolved settings = resolve();
        Running running;
        try {
            running = Running.start(settings, System.out);
        } catch (IllegalStateException e) {
            System.err.println("switchboard: " + e.getMessage());
            return 1;
        }
        awaitStopSignal();
        System.out.println("Switchboard stopping: closing connections (up to " + drainTimeout.toMillis() + " ms)");
        running.close();
        System.out.println("Switchboard stopped");
        return 0;
    }

    /** A started server with its application. */
    static final class Running implements AutoCloseable {
        private final Server server;
        private final Application app;
        private final History history;

        private Running(Server server, Application app, History history) {
            this.server = server;
            this.app = app;
            this.history = history;
        }

        /**
         * Starts everything and prints the banner to {@code out}. Fails with {@link IllegalStateException}
         * if the port cannot be bound or Redis cannot be reached.
         */
        static Running start(Resolved settings, PrintStream out) {
            RedisSettings redis = settings.redis();
            Retention retention = settings.chat().retention();
            History history =
                    redis == null ? InMemoryHistory.sweeping(retention) : RedisHistory.connect(redis, retention);
            Application app = new Application(settings.chat(), history, Clock.systemUTC());
            Server server;
            try {
                Server.Builder builder = Server.builder()
                        .host(settings.host())
                        .port(settings.port())
                        .limits(settings.limits())
                        .router(app.router())
                        .authenticator(
                                settings.jwtSecret() == null
                                        ? app.authenticator()
                                        : app.authenticator(new TokenAuthenticator(new Jwt(
                                                settings.jwtSecret().getBytes(StandardCharsets.UTF_8),
                                                Clock.systemUTC(),
                                                30))));
                if (settings.tls() != null) {
                    builder.tls(settings.tls());
                }
                if (settings.ioThreads() > 0) {
                    builder.ioThreads(settings.ioThreads());
                }
                if (redis != null) {
                    builder.engine(RedisEngine.connect(redis));
                }
                server = builder.start();
            } catch (RuntimeException e) {
                history.close();
                throw e;
            }
            app.start(server);
            printBanner(out, settings.host(), server, settings);
            return new Running(server, app, history);
        }

        Server server() {
            return server;
        }

        /** Refuses new connections, closes open ones with 1001 within the drain timeout, stops the rest. */
        @Override
        public void close() {
            server.close();
            app.close();
            history.close();
        }
    }

    private Limits limits() {
        check(port >= 0 && port <= 65535, "--port must be 0-65535, not " + port);
        check(ioThreads >= 0, "--io-threads must be 0 or more, not " + ioThreads);
        check(maxConnections >= 1, "--max-connections must be at least 1, not " + maxConnections);
        check(maxFragments == null || maxFragments >= 1, "--max-fragments must be at least 1, not " + maxFragments);
        check(
                maxConnectionsPerAddress >= 1,
                "--max-connections-per-address must be at least 1, not " + maxConnectionsPerAddress);
        check(rateLimit >= 0, "--rate-limit must be 0 (off) or more, not " + rateLimit);
        check(rateLimit == 0 || rateBurst >= 1, "--rate-burst must be at least 1, not " + rateBurst);
        String policy = rateLimitPolicy.trim().toLowerCase(Locale.ROOT);
        check(
                policy.equals("close") || policy.equals("drop"),
                "--rate-limit-policy must be close or drop, not '" + rateLimitPolicy + "'");
        List<String> origins = allowedOrigins == null
                ? List.of()
                : allowedOrigins.stream()
                        .map(String::trim)
                        .filter(origin -> !origin.isEmpty())
                        .toList();
        try {
            Limits.normalizeOrigins(origins);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--allowed-origins: " + e.getMessage());
        }
        Limits.Builder limits = Limits.builder();
        if (allowedHosts != null) {
            try {
                limits.allowedHosts(Hosts.normalize(allowedHosts.stream()
                        .map(String::trim)
                        .filter(entry -> !entry.isEmpty())
                        .toList()));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--allowed-hosts: " + e.getMessage());
            }
        }
        if (maxFragments != null) {
            limits.maxFragments(maxFragments);
        }
        return limits.maxFrameBytes(maxMessageSize)
                .maxMessageBytes(maxMessageSize)
                .outboundBufferBytes(outboundBuffer)
                .drainTimeout(drainTimeout)
                .deflate(deflate)
                .handshakeTimeout(handshakeTimeout)
                .pingInterval(pingInterval)
                .pongTimeout(pongTimeout)
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .rateLimit(
                        rateLimit == 0
                                ? RateLimit.OFF
                                : RateLimit.of(rateLimit, rateBurst)
                                        .withPolicy(RateLimitPolicy.valueOf(policy.toUpperCase(Locale.ROOT))))
                .allowedOrigins(origins)
                .build();
    }

    private ChatSettings chatSettings() {
        check(historySize >= 1, "--history-size must be at least 1, not " + historySize);
        check(queuedPerUser >= 1, "--queued-per-user must be at least 1, not " + queuedPerUser);
        check(maxChatMessage >= 1, "--max-chat-message must be at least 1, not " + maxChatMessage);
        check(
                historyMemory >= Retention.MIN_BYTES,
                "--history-memory must be at least 1MiB, not " + historyMemory + " bytes");
        // A quarter of the outbound buffer: a welcome always fits beside what else a joiner is sent.
        int welcomeBytes = Math.min(ChatSettings.DEFAULT_WELCOME_BYTES, Math.max(1, outboundBuffer / 4));
        return new ChatSettings(
                historySize,
                queuedPerUser,
                maxChatMessage,
                welcomeBytes,
                new Retention(historyTtl, queuedTtl, historyMemory));
    }

    private RedisSettings redisSettings() {
        if (redis == null || redis.isBlank()) {
            return null;
        }
        try {
            return RedisSettings.of(redis.trim())
                    .withPassword(redisPassword)
                    .withPrefix(redisPrefix)
                    .withHeartbeat(nodeHeartbeat, nodeExpiry)
                    .withCommandTimeout(redisTimeout);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--redis: " + e.getMessage());
        }
    }

    /** The certificate: from --tls-cert and --tls-key, made up for --dev-tls, or none. */
    private Tls tls() {
        check(!devTls || (tlsCert == null && tlsKey == null), "--dev-tls and --tls-cert/--tls-key exclude each other");
        check(tlsKey == null || tlsCert != null, "--tls-key needs --tls-cert (the certificate chain it belongs to)");
        check(tlsCert == null || tlsKey != null, "--tls-cert needs --tls-key (the certificate's private key)");
        if (devTls) {
            try {
                return DevCertificate.make();
            } catch (IllegalStateException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--dev-tls: " + e.getMessage());
            }
        }
        if (tlsCert == null) {
            return null;
        }
        try {
            return Tls.pem(tlsCert, tlsKey);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    static void printBanner(PrintStream out, String host, Server server, Resolved settings) {
        ChatSettings chat = settings.chat();
        out.println(
                "Switchboard listening on " + (server.secure() ? "https://" : "http://") + host + ":" + server.port());
        exposure(
                        host,
                        server.address().getAddress().isLoopbackAddress(),
                        settings.jwtSecret() != null,
                        server.allowedHosts())
                .forEach(out::println);
        if (settings.devTls()) {
            out.println("  TLS: made a self-signed certificate for localhost and 127.0.0.1, in memory only"
                    + " (for development; browsers will warn)");
        }
        Map<String, String> rows = new LinkedHashMap<>(settings.limits().describe());
        rows.put(
                "allowed hosts",
                server.allowedHosts().contains(Hosts.ANY) ? "any" : String.join(", ", server.allowedHosts()));
        rows.put("history per room", chat.historySize() + " messages");
        rows.put("queued direct messages per user", String.valueOf(chat.queuedPerUser()));
        rows.put("max chat message", chat.maxMessageChars() + " characters");
        rows.put("history kept", retention(chat.retention(), settings.redis() != null));
        rows.put("welcome history", chat.welcomeBytes() + " bytes at most (older messages paged)");
        rows.put(
                "chat users",
                settings.jwtSecret() != null ? "from HS256 tokens (401 without one)" : "from the user query parameter");
        rows.put("tls", tls(settings));
        rows.put(
                "transport",
                server.transportName() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        rows.put("engine", engine(settings.redis(), server.nodeId()));
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        out.println("  limits:");
        rows.forEach((name, value) -> out.printf("    %-" + width + "s  %s%n", name, value));
        out.flush();
    }

    /**
     * The banner's lines about exposure: beyond this machine ({@code loopback} false) and without a
     * token secret, a stranger can claim any user name (and receive that user's direct messages);
     * and only the allowed host names are answered.
     */
    static List<String> exposure(String host, boolean loopback, boolean tokens, List<String> allowedHosts) {
        List<String> lines = new ArrayList<>();
        if (loopback) {
            return lines;
        }
        if (!tokens) {
            lines.add("  WARNING: listening beyond this machine (" + host + ") without --jwt-secret: anyone who can"
                    + " reach this port can claim any user name with ?user= and receive that user's direct messages."
                    + " Give --jwt-secret, or listen on 127.0.0.1.");
        }
        if (!allowedHosts.contains(Hosts.ANY)) {
            lines.add("  Requests by host name must name one of the allowed hosts (" + String.join(", ", allowedHosts)
                    + "; any IP address is served); others get 400. Add the names clients use with --allowed-hosts.");
        }
        return lines;
    }

    /** The retention row of the banner: the times to live and the memory budget (in memory only). */
    static String retention(Retention retention, boolean redis) {
        return "rooms " + Converters.describe(retention.streamTtl()) + " after the last message, queued direct"
                + " messages " + Converters.describe(retention.queueTtl()) + " after the last"
                + (redis ? "" : ", " + (retention.maxBytes() >> 10) + " KiB in memory at most");
    }

    /** The TLS row of the banner: off, or whose certificate until when. */
    static String tls(Resolved settings) {
        if (settings.tls() == null) {
            return "off (http:// and ws://)";
        }
        X509Certificate certificate = settings.tls().certificate();
        String owner = settings.devTls()
                ? "self-signed for localhost and 127.0.0.1"
                : certificate.getSubjectX500Principal().getName();
        return "https:// and wss://, certificate " + owner + ", valid until "
                + certificate.getNotAfter().toInstant();
    }

    /** The engine row of the banner: in memory, or which Redis and how nodes are watched. */
    static String engine(RedisSettings redis, String nodeId) {
        if (redis == null) {
            return "in memory (one node)";
        }
        return "redis " + redis.display() + ", prefix " + redis.prefix() + ", node " + nodeId + ", heartbeat "
                + redis.heartbeat().toMillis() + " ms, expiry "
                + redis.nodeExpiry().toMillis() + " ms";
    }

    /** Blocks until SIGTERM or SIGINT (Ctrl-C); the JVM's own handling is replaced, so we exit 0. */
    private static void awaitStopSignal() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.countDown());
        }
        stop.await();
    }

    /** Makes commands with the environment and arguments this process was given. */
    static final class Factory implements CommandLine.IFactory {
        private final Map<String, String> environment;
        private final String[] args;
        private SettingsSource source;

        Factory(Map<String, String> environment, String[] args) {
            this.environment = environment;
            this.args = args;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == SettingsSource.class) {
                return type.cast(source());
            }
            if (type == ServeCommand.class) {
                return type.cast(new ServeCommand(source()));
            }
            return CommandLine.defaultFactory().create(type);
        }

        private SettingsSource source() {
            if (source == null) {
                source = new SettingsSource(environment, args);
            }
            return source;
        }
    }
}
