/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard;

import io.switchboard.engine.Engine;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.routing.Router;
import io.switchboard.security.Authenticator;
import io.switchboard.security.Tls;
import io.switchboard.session.Hub;
import io.switchboard.settings.Limits;
import io.switchboard.stats.ServerStats;
import io.switchboard.time.Ticker;
import io.switchboard.transport.NettyServer;
import io.switchboard.transport.ServerSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A running Switchboard server: HTTP and WebSocket on one port.
 *
 * <pre>{@code
 * Server server = Server.builder()
 *         .port(8000)
 *         .router(Router.builder().websocket("/ws/echo", EchoHandler::new).build())
 *         .start();
 * ...
 * server.close(); // refuses new connections, closes open ones with 1001, waits for them
 * }</pre>
 *
 * <p>Thread-safe. Uses the native epoll transport where present and NIO otherwise (the system
 * property {@code switchboard.transport=nio} forces NIO).
 */
public final class Server implements AutoCloseable {

    /** The port a server listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 8000;

    private final NettyServer transport;

    private Server(NettyServer transport) {
        this.transport = transport;
    }

    /** A builder with the defaults: {@code 0.0.0.0:8000}, in-memory engine, default limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address the server listens on (with the real port when started on port 0). */
    public InetSocketAddress address() {
        return transport.address();
    }

    /** The port the server listens on. */
    public int port() {
        return transport.address().getPort();
    }

    /** Sends to groups, users and sessions from outside any handler (a ticker, an HTTP endpoint). */
    public Hub hub() {
        return transport.hub();
    }

    /** This node's id: the prefix of every session address it hands out. */
    public String nodeId() {
        return transport.nodeId();
    }

    /** How many WebSocket sessions are open now. */
    public int openSessions() {
        return transport.openSessions();
    }

    /** What this server has counted of its traffic (all 0 but open connections when built with {@code stats(false)}). */
    public ServerStats stats() {
        return transport.stats();
    }

    /** The limits in effect. */
    public Limits limits() {
        return transport.limits();
    }

    /**
     * The host names requests may name in {@code Host} (others get 400): {@link io.switchboard.settings.Access#allowedHosts()}
     * plus the address the server listens on when that is a specific one.
     */
    public List<String> allowedHosts() {
        return transport.allowedHosts();
    }

    /** Whether the server speaks TLS: {@code https://} and {@code wss://} rather than {@code http://}, {@code ws://}. */
    public boolean secure() {
        return transport.secure();
    }

    /** The transport in use: {@code epoll} or {@code nio}. */
    public String transportName() {
        return transport.transportName();
    }

    /** Closes with the drain timeout from the limits. */
    @Override
    public void close() {
        close(transport.limits().timeouts().drainTimeout());
    }

    /**
     * Stops: refuses new connections at once, closes every open WebSocket with 1001 (going away), waits
     * up to {@code drain} for them to finish closing, then drops what is left and releases threads.
     * Returns when done. Closing twice does nothing.
     */
    public void close(Duration drain) {
        transport.close(drain);
    }

    /** Blocks until the server is closed (by {@link #close()} from another thread or a shutdown hook). */
    public void awaitClose() throws InterruptedException {
        transport.awaitClose();
    }

    /** Collects settings; {@link #start()} binds the port. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private Router router;
        private Limits limits = Limits.defaults();
        private Engine engine;
        private Authenticator authenticator = Authenticator.ANONYMOUS;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private String nodeId;
        private Tls tls;
        private Ticker ticker = Ticker.SYSTEM;
        private boolean counting = true;

        private Builder() {}

        /**
         * The address to listen on; {@code 0.0.0.0} (all) by default. Requests must still name an
         * allowed host ({@link io.switchboard.settings.Access#allowedHosts()}): loopback names and a specific listen address
         * unless the limits add others.
         */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** The port to listen on; 8000 by default, 0 for any free port. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, not " + value);
            }
            this.port = value;
            return this;
        }

        /** The routes. Required. */
        public Builder router(Router value) {
            this.router = Objects.requireNonNull(value, "router");
            return this;
        }

        /**
         * Sizes, buffers, timeouts, heartbeats, connection counts, rate limit and allowed origins;
         * {@link Limits#defaults()} by default.
         */
        public Builder limits(Limits value) {
            this.limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** The engine for groups, users and presence; a new {@link InMemoryEngine} by default. */
        public Builder engine(Engine value) {
            this.engine = Objects.requireNonNull(value, "engine");
            return this;
        }

        /** Who is connecting; everyone is anonymous by default. */
        public Builder authenticator(Authenticator value) {
            this.authenticator = Objects.requireNonNull(value, "authenticator");
            return this;
        }

        /** Network threads; one per core by default. */
        public Builder ioThreads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("ioThreads must be at least 1, not " + value);
            }
            this.ioThreads = value;
            return this;
        }

        /** This node's id, letters and digits; random by default. */
        public Builder nodeId(String value) {
            if (value == null || !value.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException("a node id is 1-32 letters, digits, '_' or '-': '" + value + "'");
            }
            this.nodeId = value;
            return this;
        }

        /**
         * Serves {@code https://} and {@code wss://} with this certificate, on the same port, instead of
         * plain HTTP; {@code null} (the default) for plain.
         */
        public Builder tls(Tls value) {
            this.tls = value;
            return this;
        }

        /**
         * The clock the server measures elapsed time with (timeout deadlines, idle time, the rate
         * limit's tokens); {@link Ticker#SYSTEM} by default. Timers still wake on the event loop's
         * own time, so a clock moved by hand takes effect at the next check, not at once: the unit
         * tests of each timeout drive both with fakes.
         */
        public Builder ticker(Ticker value) {
            this.ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /**
         * Whether the server counts its traffic for {@link Server#stats()} (and so for metrics); on by
         * default. Off, the hot paths skip even the counter increments.
         */
        public Builder stats(boolean value) {
            this.counting = value;
            return this;
        }

        /** Binds the port and starts serving. Fails naming the address if it cannot listen. */
        public Server start() {
            if (router == null) {
                throw new IllegalStateException("a server needs a router: call router(...) before start()");
            }
            String id = nodeId != null
                    ? nodeId
                    : "n"
                            + HexFormat.of()
                                    .toHexDigits(ThreadLocalRandom.current().nextInt());
            ServerSettings settings = new ServerSettings(
                    host,
                    port,
                    router,
                    limits,
                    engine != null ? engine : new InMemoryEngine(),
                    authenticator,
                    ioThreads,
                    id,
                    tls,
                    ticker,
                    counting);
            return new Server(NettyServer.start(settings));
        }
    }
}
