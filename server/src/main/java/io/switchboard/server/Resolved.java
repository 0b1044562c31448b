/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static io.switchboard.server.ServeOptions.*;

import io.switchboard.channels.Namespaces;
import io.switchboard.channels.api.ApiKey;
import io.switchboard.engine.Retention;
import io.switchboard.redis.RedisSettings;
import io.switchboard.security.Tls;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.settings.InvalidSettingException;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the options, environment and config file add up to.
 *
 * @param host the address to listen on
 * @param port the port
 * @param limits the server's limits
 * @param chat the chat's limits
 * @param ioThreads network threads, 0 for one per core
 * @param redis where the cluster's Redis is, or {@code null} to keep everything in memory
 * @param tokens the token check, or {@code null} to take chat users from the query
 * @param tls the certificate for https:// and wss://, or {@code null} for plain http:// and ws://
 * @param devTls whether {@code tls} is a self-signed certificate made at start
 * @param apiKey the key of the channels' server API ({@link ApiKey#NONE}: the API is off)
 * @param namespaces the channels' namespaces, from the config file
 * @param operations metrics, the internal listener, the admin page, logs, the shutdown delay
 */
record Resolved(
        String host,
        int port,
        Limits limits,
        ChatSettings chat,
        int ioThreads,
        RedisSettings redis,
        TokenOptions.Tokens tokens,
        Tls tls,
        boolean devTls,
        ApiKey apiKey,
        Namespaces namespaces,
        Operations operations) {

    /**
     * Resolves {@code serve}'s parsed options and the namespaces the config file holds; fails naming
     * the first one that is wrong.
     */
    static Resolved of(CommandSpec command, Namespaces namespaces) {
        Limits limits = named(command, () -> limits(command));
        return new Resolved(
                HOST.value(command),
                PORT.value(command),
                limits,
                named(command, () -> chat(command, limits)),
                IO_THREADS.value(command),
                redis(command),
                TokenOptions.tokens(command),
                TlsOptions.tls(command),
                DEV_TLS.value(command),
                ApiKey.of(API_KEY.value(command)),
                namespaces,
                OperationsOptions.operations(command));
    }

    private static Limits limits(CommandSpec command) {
        int perSecond = RATE_LIMIT.value(command);
        RateLimit rate = perSecond == 0
                ? RateLimit.OFF
                : RateLimit.of(perSecond, RATE_BURST.value(command)).withPolicy(RATE_LIMIT_POLICY.value(command));
        int messageBytes = MAX_MESSAGE_SIZE.value(command);
        return Limits.defaults()
                .withMessages(m -> m.withMaxFrameBytes(messageBytes)
                        .withMaxMessageBytes(messageBytes)
                        .withMaxFragments(MAX_FRAGMENTS.value(command))
                        .withDeflate(DEFLATE.value(command)))
                .withBuffers(b -> b.withOutboundBufferBytes(OUTBOUND_BUFFER.value(command)))
                .withTimeouts(t -> t.withDrainTimeout(DRAIN_TIMEOUT.value(command))
                        .withHandshakeTimeout(HANDSHAKE_TIMEOUT.value(command))
                        .withPingInterval(PING_INTERVAL.value(command))
                        .withPongTimeout(PONG_TIMEOUT.value(command)))
                .withCapacity(c -> c.withMaxConnections(MAX_CONNECTIONS.value(command))
                        .withMaxConnectionsPerAddress(MAX_CONNECTIONS_PER_ADDRESS.value(command)))
                .withRateLimit(rate)
                .withAccess(a -> a.withAllowedOrigins(ALLOWED_ORIGINS.value(command))
                        .withAllowedHosts(ALLOWED_HOSTS.value(command)));
    }

    private static ChatSettings chat(CommandSpec command, Limits limits) {
        // A quarter of the outbound buffer: a welcome always fits beside what else a joiner is sent.
        int welcomeBytes = Math.min(
                ChatSettings.DEFAULT_WELCOME_BYTES, Math.max(1, limits.buffers().outboundBufferBytes() / 4));
        return new ChatSettings(
                HISTORY_SIZE.value(command),
                QUEUED_PER_USER.value(command),
                MAX_CHAT_MESSAGE.value(command),
                welcomeBytes,
                new Retention(HISTORY_TTL.value(command), QUEUED_TTL.value(command), HISTORY_MEMORY.value(command)));
    }

    private static RedisSettings redis(CommandSpec command) {
        String uri = REDIS_URI.value(command);
        if (uri == null || uri.isBlank()) {
            return null;
        }
        try {
            return RedisSettings.of(uri.trim())
                    .withPassword(REDIS_PASSWORD.value(command))
                    .withPrefix(REDIS_PREFIX.value(command))
                    .withHeartbeat(NODE_HEARTBEAT.value(command), NODE_EXPIRY.value(command))
                    .withCommandTimeout(REDIS_TIMEOUT.value(command));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), REDIS_URI.name() + ": " + e.getMessage());
        }
    }

    /**
     * What {@code settings} makes; a record's complaint about a setting is reported under the name of
     * the option that set it: {@code maxConnections must be at least 1, not 0} becomes {@code
     * --max-connections must be at least 1, not 0}.
     */
    private static <T> T named(CommandSpec command, Supplier<T> settings) {
        try {
            return settings.get();
        } catch (InvalidSettingException e) {
            String option =
                    ServeOptions.feeding(e.setting()).map(ServeOption::name).orElseThrow(() -> e);
            throw new CommandLine.ParameterException(command.commandLine(), option + e.problem());
        }
    }
}
