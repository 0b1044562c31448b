/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.Server;
import io.switchboard.channels.Namespaces;
import io.switchboard.engine.Retention;
import io.switchboard.redis.RedisSettings;
import io.switchboard.security.Hosts;
import io.switchboard.server.chat.ChatSettings;
import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The lines {@code serve} prints at start: where it listens, what it exposes, and its limits. */
final class Banner {

    private Banner() {}

    /**
     * Prints the banner of {@code server}, started with {@code settings}, and of its {@code internal}
     * listener (or {@code null}), to {@code out}.
     */
    static void print(PrintStream out, String host, Server server, Server internal, Resolved settings) {
        ChatSettings chat = settings.chat();
        out.println(
                "Switchboard listening on " + (server.secure() ? "https://" : "http://") + host + ":" + server.port());
        if (internal != null) {
            out.println(internal(settings.operations().internalHost(), internal.port()));
        }
        exposure(
                        host,
                        server.address().getAddress().isLoopbackAddress(),
                        settings.tokens() != null,
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
                settings.tokens() != null
                        ? "from " + settings.tokens().source() + " (401 without one)"
                        : "from the user query parameter");
        rows.put("tls", tls(settings));
        rows.put(
                "server API",
                settings.apiKey().enabled()
                        ? "on: POST /api/<method> with the key in X-API-Key"
                        : "off (no --api-key; /api calls get 401)");
        rows.put("channel namespaces", namespaces(settings.namespaces()));
        rows.put(
                "channel connections",
                settings.tokens() != null
                        ? "with a connection token (" + settings.tokens().source() + ")"
                        : "without a token, as anonymous users (no --jwt-* option)");
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
                    + " Give --jwt-secret (or --jwt-public-key or --jwt-jwks-url), or listen on 127.0.0.1.");
        }
        if (!allowedHosts.contains(Hosts.ANY)) {
            lines.add("  Requests by host name must name one of the allowed hosts (" + String.join(", ", allowedHosts)
                    + "; any IP address is served); others get 400. Add the names clients use with --allowed-hosts.");
        }
        return lines;
    }

    /** The internal listener's line: where it listens and what it serves instead of the main port. */
    static String internal(String host, int port) {
        return "Switchboard internal listener on http://" + host + ":" + port
                + " (/healthz, /readyz, /metrics, /admin, /api: not on the main port)";
    }

    /** The retention row of the banner: the times to live and the memory budget (in memory only). */
    static String retention(Retention retention, boolean redis) {
        return "rooms " + Converters.describe(retention.streamTtl()) + " after the last message, queued direct"
                + " messages " + Converters.describe(retention.queueTtl()) + " after the last"
                + (redis ? "" : ", " + (retention.maxBytes() >> 10) + " KiB in memory at most");
    }

    /** The namespaces row of the banner: their names, or none. */
    static String namespaces(Namespaces namespaces) {
        return namespaces.byName().isEmpty()
                ? "none (only channels without a namespace)"
                : String.join(", ", new TreeSet<>(namespaces.byName().keySet()));
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
}
