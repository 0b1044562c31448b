/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.Server;
import io.switchboard.engine.Retention;
import io.switchboard.redis.RedisSettings;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.settings.Buffers;
import io.switchboard.settings.Capacity;
import io.switchboard.settings.Limits;
import io.switchboard.settings.Messages;
import io.switchboard.settings.RateLimit;
import io.switchboard.settings.RateLimitPolicy;
import io.switchboard.settings.Timeouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Every option of {@code serve}, declared once, in the order {@code --help} lists them. Defaults come
 * from the records that own the settings ({@link Limits#defaults()}, {@link ChatSettings#defaults()},
 * {@link Retention#defaults()}, {@link RedisSettings}); what those records check is reported under
 * the option's name, and only what nothing else checks is checked here.
 */
final class ServeOptions implements CommandLine.IModelTransformer {

    private static final Limits LIMITS = Limits.defaults();
    private static final Messages MESSAGES = LIMITS.messages();
    private static final Buffers BUFFERS = LIMITS.buffers();
    private static final Timeouts TIMEOUTS = LIMITS.timeouts();
    private static final Capacity CAPACITY = LIMITS.capacity();
    private static final RateLimit RATE = LIMITS.rateLimit();
    private static final ChatSettings CHAT = ChatSettings.defaults();
    private static final Retention RETENTION = Retention.defaults();
    /** A Redis URI's settings hold the node defaults; the URI itself has none. */
    private static final RedisSettings REDIS = RedisSettings.of("redis://localhost");

    static final ServeOption<String> HOST = ServeOption.of(
            "--host",
            "HOST",
            Unit.TEXT,
            "127.0.0.1",
            "Address to listen on: this machine only by default; 0.0.0.0 for every interface"
                    + " (then give --jwt-secret: without it anyone can claim any user name).");
    static final ServeOption<Integer> PORT = ServeOption.of(
                    "--port", "PORT", Unit.COUNT, Server.DEFAULT_PORT, "Port to listen on (0: any free port).")
            .checked(port -> port >= 0 && port <= 65535, "must be 0-65535, not %s");
    static final ServeOption<Path> TLS_CERT = ServeOption.of(
            "--tls-cert",
            "FILE",
            Unit.FILE,
            null,
            "Serve https:// and wss:// (instead of http:// and ws://) with this PEM certificate"
                    + " chain, the server's certificate first; needs --tls-key.");
    static final ServeOption<Path> TLS_KEY = ServeOption.of(
            "--tls-key",
            "FILE",
            Unit.FILE,
            null,
            "The private key of --tls-cert: PEM, PKCS #8 (BEGIN PRIVATE KEY), RSA or EC.");
    static final ServeOption<Boolean> DEV_TLS = ServeOption.of(
            "--dev-tls",
            null,
            Unit.SWITCH,
            false,
            "Serve https:// and wss:// with a self-signed certificate for localhost and 127.0.0.1,"
                    + " made in memory at start; browsers warn. For development only.");
    static final ServeOption<Path> CONFIG =
            ServeOption.of("--config", "FILE", Unit.FILE, null, "A properties file of settings (see Settings below).");
    static final ServeOption<Integer> HISTORY_SIZE = ServeOption.of(
                    "--history-size", "N", Unit.COUNT, CHAT.historySize(), "Messages kept per room.")
            .feeding("historySize");
    static final ServeOption<Integer> QUEUED_PER_USER = ServeOption.of(
                    "--queued-per-user",
                    "N",
                    Unit.COUNT,
                    CHAT.queuedPerUser(),
                    "Direct messages kept for a user who is away; the oldest go first.")
            .feeding("queuedPerUser");
    static final ServeOption<Duration> HISTORY_TTL = ServeOption.of(
                    "--history-ttl",
                    "DURATION",
                    Unit.DURATION,
                    RETENTION.streamTtl(),
                    "A room's history (and its message ids) is forgotten this long after its last message.")
            .feeding("streamTtl");
    static final ServeOption<Duration> QUEUED_TTL = ServeOption.of(
                    "--queued-ttl",
                    "DURATION",
                    Unit.DURATION,
                    RETENTION.queueTtl(),
                    "Direct messages kept for a user who is away are forgotten this long after the last"
                            + " one was kept.")
            .feeding("queueTtl");
    static final ServeOption<Integer> HISTORY_MEMORY = ServeOption.of(
                    "--history-memory",
                    "SIZE",
                    Unit.SIZE,
                    Math.toIntExact(RETENTION.maxBytes()),
                    "Without --redis: the most room history and queued direct messages kept in memory"
                            + " (2 bytes a character plus overheads); past it the least recently written rooms"
                            + " and queues are forgotten whole. At least 1MiB.")
            .feeding("maxBytes");
    static final ServeOption<Integer> MAX_CHAT_MESSAGE = ServeOption.of(
                    "--max-chat-message",
                    "CHARS",
                    Unit.COUNT,
                    CHAT.maxMessageChars(),
                    "Longest chat message, in characters.")
            .feeding("maxMessageChars");
    static final ServeOption<Integer> MAX_MESSAGE_SIZE = ServeOption.of(
                    "--max-message-size",
                    "SIZE",
                    Unit.SIZE,
                    MESSAGES.maxMessageBytes(),
                    "Largest WebSocket frame and message; bigger closes with 1009.")
            .feeding("maxFrameBytes", "maxMessageBytes");
    static final ServeOption<Integer> MAX_FRAGMENTS = ServeOption.of(
                    "--max-fragments",
                    "N",
                    Unit.COUNT,
                    MESSAGES.maxFragments(),
                    "Most frames one WebSocket message may arrive in; more closes with 1009."
                            + " Default: the message size in 64-byte pieces (" + MESSAGES.fragmentLimit()
                            + " for " + Converters.size(MESSAGES.maxMessageBytes()) + ").")
            .feeding("maxFragments");
    static final ServeOption<Integer> OUTBOUND_BUFFER = ServeOption.of(
                    "--outbound-buffer",
                    "SIZE",
                    Unit.SIZE,
                    BUFFERS.outboundBufferBytes(),
                    "Bytes queued for one client before it counts as a slow consumer (closed with 1008).")
            .feeding("outboundBufferBytes");
    static final ServeOption<Boolean> DEFLATE = ServeOption.of(
                    "--deflate",
                    null,
                    Unit.SWITCH,
                    MESSAGES.deflate(),
                    "Compress messages (permessage-deflate) with clients that offer it; --no-deflate turns it off.")
            .feeding("deflate");
    static final ServeOption<Duration> DRAIN_TIMEOUT = ServeOption.of(
                    "--drain-timeout",
                    "DURATION",
                    Unit.DURATION,
                    TIMEOUTS.drainTimeout(),
                    "On SIGTERM or Ctrl-C, how long open connections get to close.")
            .feeding("drainTimeout");
    static final ServeOption<Duration> HANDSHAKE_TIMEOUT = ServeOption.of(
                    "--handshake-timeout",
                    "DURATION",
                    Unit.DURATION,
                    TIMEOUTS.handshakeTimeout(),
                    "Time a connection has to send a complete HTTP request or upgrade, and may stay"
                            + " idle between keep-alive requests; then it is closed.")
            .feeding("handshakeTimeout");
    static final ServeOption<Duration> PING_INTERVAL = ServeOption.of(
                    "--ping-interval",
                    "DURATION",
                    Unit.DURATION,
                    TIMEOUTS.pingInterval(),
                    "A WebSocket silent this long is pinged.")
            .feeding("pingInterval");
    static final ServeOption<Duration> PONG_TIMEOUT = ServeOption.of(
                    "--pong-timeout",
                    "DURATION",
                    Unit.DURATION,
                    TIMEOUTS.pongTimeout(),
                    "A pinged WebSocket that sends nothing back for this long is closed with 1001.")
            .feeding("pongTimeout");
    static final ServeOption<Integer> MAX_CONNECTIONS = ServeOption.of(
                    "--max-connections",
                    "N",
                    Unit.COUNT,
                    CAPACITY.maxConnections(),
                    "Open WebSocket connections, at most; more are refused with 503.")
            .feeding("maxConnections");
    static final ServeOption<Integer> MAX_CONNECTIONS_PER_ADDRESS = ServeOption.of(
                    "--max-connections-per-address",
                    "N",
                    Unit.COUNT,
                    CAPACITY.maxConnectionsPerAddress(),
                    "Open WebSocket connections from one IP address, at most; more are refused with 429.")
            .feeding("maxConnectionsPerAddress");
    static final ServeOption<Integer> RATE_LIMIT = ServeOption.of(
                    "--rate-limit",
                    "N",
                    Unit.COUNT,
                    RATE.perSecond(),
                    "Messages per second one connection may send in the long run; 0 turns the limit off.")
            .feeding("rateLimit.perSecond");
    static final ServeOption<Integer> RATE_BURST = ServeOption.of(
                    "--rate-burst",
                    "N",
                    Unit.COUNT,
                    RATE.burst(),
                    "Messages one connection may send at once after a quiet spell.")
            .feeding("rateLimit.burst");
    static final ServeOption<RateLimitPolicy> RATE_LIMIT_POLICY = ServeOption.of(
                    "--rate-limit-policy",
                    "POLICY",
                    Unit.choice(RateLimitPolicy.class),
                    RATE.policy(),
                    "Over the rate limit: close (with 1008) or drop (the message; the chat answers rate_limited).")
            .feeding("rateLimit.policy");
    static final ServeOption<List<String>> ALLOWED_ORIGINS = ServeOption.of(
                    "--allowed-origins",
                    "ORIGINS",
                    Unit.LIST,
                    LIMITS.access().allowedOrigins(),
                    "Origins whose pages may open WebSockets besides the server's own, comma-separated"
                            + " (https://app.example,https://b.example); * allows every origin. Clients that"
                            + " send no Origin (not browsers) are always allowed; others get 403.")
            .feeding("allowedOrigins");
    static final ServeOption<List<String>> ALLOWED_HOSTS = ServeOption.of(
                    "--allowed-hosts",
                    "HOSTS",
                    Unit.LIST,
                    LIMITS.access().allowedHosts(),
                    "Host names requests may name (the Host header), comma-separated, besides the --host"
                            + " address when it is a specific one: chat.example, .example.com (and its"
                            + " subdomains), * for any. An IP address is always allowed. Others get 400"
                            + " (against DNS rebinding).")
            .feeding("allowedHosts");
    static final ServeOption<String> JWT_SECRET = ServeOption.of(
                    "--jwt-secret",
                    "SECRET",
                    Unit.TEXT,
                    null,
                    "Makes the chat take user names from HS256 tokens signed with this secret"
                            + " (at least 32 bytes) instead of the user query parameter; no token: 401.")
            .checked(secret -> secret.getBytes(StandardCharsets.UTF_8).length >= 32, "must be at least 32 bytes long");
    static final ServeOption<Path> JWT_PUBLIC_KEY = ServeOption.of(
            "--jwt-public-key",
            "FILE",
            Unit.FILE,
            null,
            "Instead of --jwt-secret: take tokens signed by the private half of this PEM public key"
                    + " (BEGIN PUBLIC KEY; RSA: RS256, EC: ES256, Ed25519: EdDSA).");
    static final ServeOption<String> JWT_JWKS_URL = ServeOption.of(
            "--jwt-jwks-url",
            "URL",
            Unit.TEXT,
            null,
            "Instead of --jwt-secret: take tokens signed by a key of the JWK set at this http(s) URL"
                    + " (fetched when needed, again for an unknown kid, at most every 10s).");
    static final ServeOption<String> JWT_ISSUER = ServeOption.of(
            "--jwt-issuer", "ISSUER", Unit.TEXT, null, "With a token key: tokens must carry this iss claim.");
    static final ServeOption<String> JWT_AUDIENCE = ServeOption.of(
            "--jwt-audience", "AUDIENCE", Unit.TEXT, null, "With a token key: tokens' aud claim must name this.");
    static final ServeOption<String> API_KEY = ServeOption.of(
            "--api-key",
            "KEY",
            Unit.TEXT,
            null,
            "Turns on the channels' server API (POST /api/<method>) for callers that send this key in"
                    + " X-API-Key; without it every /api call gets 401.");
    static final ServeOption<Integer> IO_THREADS = ServeOption.of(
                    "--io-threads", "N", Unit.COUNT, 0, "Network threads; 0 means one per core.")
            .checked(threads -> threads >= 0, "must be 0 or more, not %s");
    static final ServeOption<String> REDIS_URI = ServeOption.of(
            "--redis",
            "URI",
            Unit.TEXT,
            null,
            "Run as one node of a cluster: redis://HOST:PORT[/DB], rediss:// for TLS, or"
                    + " redis-sentinel://HOST:PORT[,HOST:PORT...][/DB]#MASTER to follow Sentinel's failovers."
                    + " Without it everything stays in memory.");
    static final ServeOption<String> REDIS_PASSWORD = ServeOption.of(
            "--redis-password",
            "PASSWORD",
            Unit.TEXT,
            null,
            "The Redis password (better here or in SWITCHBOARD_REDIS_PASSWORD than in the URI).");
    static final ServeOption<String> REDIS_PREFIX = ServeOption.of(
            "--redis-prefix",
            "PREFIX",
            Unit.TEXT,
            REDIS.prefix(),
            "Put before every Redis key and channel; the nodes of one cluster share it.");
    static final ServeOption<Duration> REDIS_TIMEOUT = ServeOption.of(
            "--redis-timeout",
            "DURATION",
            Unit.DURATION,
            REDIS.commandTimeout(),
            "With --redis: a Redis command slower than this fails, and Redis counts as down until it answers.");
    static final ServeOption<Duration> NODE_HEARTBEAT = ServeOption.of(
            "--node-heartbeat",
            "DURATION",
            Unit.DURATION,
            REDIS.heartbeat(),
            "With --redis: how often a node tells the others it is alive.");
    static final ServeOption<Duration> NODE_EXPIRY = ServeOption.of(
            "--node-expiry",
            "DURATION",
            Unit.DURATION,
            REDIS.nodeExpiry(),
            "With --redis: a node silent this long is gone; its users leave their rooms.");

    /** Every option, in the order of {@code --help}. */
    static final List<ServeOption<?>> ALL = Stream.concat(
                    Stream.of(
                            HOST,
                            PORT,
                            TLS_CERT,
                            TLS_KEY,
                            DEV_TLS,
                            CONFIG,
                            HISTORY_SIZE,
                            QUEUED_PER_USER,
                            HISTORY_TTL,
                            QUEUED_TTL,
                            HISTORY_MEMORY,
                            MAX_CHAT_MESSAGE,
                            MAX_MESSAGE_SIZE,
                            MAX_FRAGMENTS,
                            OUTBOUND_BUFFER,
                            DEFLATE,
                            DRAIN_TIMEOUT,
                            HANDSHAKE_TIMEOUT,
                            PING_INTERVAL,
                            PONG_TIMEOUT,
                            MAX_CONNECTIONS,
                            MAX_CONNECTIONS_PER_ADDRESS,
                            RATE_LIMIT,
                            RATE_BURST,
                            RATE_LIMIT_POLICY,
                            ALLOWED_ORIGINS,
                            ALLOWED_HOSTS,
                            JWT_SECRET,
                            JWT_PUBLIC_KEY,
                            JWT_JWKS_URL,
                            JWT_ISSUER,
                            JWT_AUDIENCE,
                            API_KEY,
                            IO_THREADS,
                            REDIS_URI,
                            REDIS_PASSWORD,
                            REDIS_PREFIX,
                            REDIS_TIMEOUT,
                            NODE_HEARTBEAT,
                            NODE_EXPIRY),
                    OperationsOptions.ALL.stream())
            .toList();

    /** Adds every option to {@code serve}'s command, as picocli builds it. */
    @Override
    public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec command) {
        ALL.forEach(option -> command.addOption(option.spec()));
        return command;
    }

    /** The option that sets {@code setting} (as a record's complaint names it), if any. */
    static Optional<ServeOption<?>> feeding(String setting) {
        return ALL.stream().filter(option -> option.feeds().contains(setting)).findFirst();
    }
}
