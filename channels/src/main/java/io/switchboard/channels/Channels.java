/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.Server;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.json.Json;
import io.switchboard.routing.Router;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.security.TokenVerifier;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Hub;
import io.switchboard.session.WebSocketHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * General channels: Centrifugo's client protocol on {@link #PATH} and its server API as Java ({@link
 * ChannelsApi}), over the server's engine (groups, presence, delivery on every node) and a {@link
 * History} (publications kept for recovery). Build one, mount its {@link #handlers()} (or {@link
 * #router()}), start the server, then {@link #start(Server)} it:
 *
 * <pre>{@code
 * Channels channels = Channels.builder().history(history).namespaces(namespaces).tokens(verifier).build();
 * Server server = Server.builder().router(channels.router()).start();
 * channels.start(server);
 * }</pre>
 *
 * <p>Every publication, from a client or from {@link #publish}, goes out through one method,
 * {@code Publications.deliver}. {@link #channels} and {@link #info} answer for this node only: the
 * engine reports a group's members on every node but cannot list groups. Presence reports client ids
 * and users, without {@code conn_info} and {@code chan_info}. Thread-safe.
 */
public final class Channels implements ChannelsApi, AutoCloseable {

    /** Where clients connect: {@code ws://HOST:PORT/connection/websocket}. */
    public static final String PATH = "/connection/websocket";

    private final Context context;
    private final Reads reads;
    private final String name;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final Instant started;
    private volatile Hub hub;
    private volatile String nodeId = "";

    private Channels(Builder builder) {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "channels-timers");
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
        Publications publications =
                new Publications(Objects.requireNonNullElseGet(builder.history, InMemoryHistory::new));
        this.context = new Context(
                builder.namespaces,
                publications,
                new Tokens(builder.tokens),
                builder.hooks,
                new LocalChannels(),
                builder.clock,
                timers,
                builder.maxSubscriptions,
                builder.pingInterval,
                builder.anonymous,
                builder.expiryGrace,
                builder.connectTimeout);
        this.reads = new Reads(publications);
        this.name = builder.name;
        this.started = builder.clock.instant();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One client connection handler per connection, for a route on {@link #PATH}. */
    public Supplier<WebSocketHandler> handlers() {
        return () -> new ClientHandler(context);
    }

    /**
     * The route's options: the framework's defaults, and a latest value that replaced older ones
     * for a backed-up subscriber carries how many in its publication's {@code conflated} tag.
     */
    public WebSocketOptions websocketOptions() {
        return WebSocketOptions.DEFAULTS.withConflatedText(Wire::conflated);
    }

    /** A router with {@link #handlers()} on {@link #PATH}; mount it, or use it as the server's router. */
    public Router router() {
        return Router.builder().websocket(PATH, handlers(), websocketOptions()).build();
    }

    /** Gives the API the server's hub: call once the server is started, before the API is used. */
    public void start(Server server) {
        start(server.hub(), server.nodeId());
    }

    /** As {@link #start(Server)}, with a hub and a node id given apart. */
    public void start(Hub hub, String nodeId) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    /** The namespaces this server knows. */
    public Namespaces namespaces() {
        return context.namespaces();
    }

    /**
     * Closes every client connection of this node with {@link DisconnectCode#SHUTDOWN} (clients
     * reconnect, to another node or to this one restarted) and stops the timers. Call it before
     * closing the server, whose drain would close them with 1001.
     */
    @Override
    public void close() {
        context.local().closeAll(DisconnectCode.SHUTDOWN);
        context.timers().shutdownNow();
        blocking.shutdown();
    }

    @Override
    public CompletionStage<StreamPosition> publish(Publish publish) {
        return Await.attempt(() -> {
            String channel = ChannelNames.require(publish.channel());
            NamespaceOptions options = context.namespaces().of(channel);
            if (publish.data() == null) {
                throw new ChannelsException(ErrorCode.BAD_REQUEST, "a publication needs data");
            }
            return context.publications()
                    .deliver(hub(), channel, options, publish.skipHistory(), publish.data(), null, publish.tags())
                    .exceptionallyCompose(Await::failed);
        });
    }

    /** Most channels one {@link #broadcast} publishes to. */
    public static final int MAX_BROADCAST_CHANNELS = 1_000;

    @Override
    public CompletionStage<List<Result<StreamPosition>>> broadcast(List<String> channels, Publish publish) {
        if (channels.size() > MAX_BROADCAST_CHANNELS) {
            return CompletableFuture.failedFuture(new ChannelsException(
                    ErrorCode.BAD_REQUEST, "a broadcast names at most " + MAX_BROADCAST_CHANNELS + " channels"));
        }
        List<CompletableFuture<Result<StreamPosition>>> each = new ArrayList<>(channels.size());
        for (String channel : channels) {
            Publish one = new Publish(channel, publish.data(), publish.tags(), publish.skipHistory());
            each.add(publish(one)
                    .handle((position, failure) -> failure == null
                            ? new Result<StreamPosition>(position, null)
                            : new Result<StreamPosition>(null, Await.translate(Await.unwrap(failure))))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public CompletionStage<Void> subscribe(String user, String channel, String client) {
        return toUser(ServerCommands.SUBSCRIBE, user, client, channel, 0, "");
    }

    @Override
    public CompletionStage<Void> unsubscribe(String user, String channel, String client) {
        return toUser(ServerCommands.UNSUBSCRIBE, user, client, channel, 0, "");
    }

    @Override
    public CompletionStage<Void> disconnect(String user, String client, Disconnect disconnect) {
        Disconnect how = disconnect != null
                ? disconnect
                : new Disconnect(DisconnectCode.FORCE_NO_RECONNECT.code(), DisconnectCode.FORCE_NO_RECONNECT.reason());
        return Await.attempt(() -> {
            if (how.code() < 3000 || how.code() > 4999) {
                throw new ChannelsException(ErrorCode.BAD_REQUEST, "a disconnect code is 3000 to 4999");
            }
            if (how.reason() != null
                    && how.reason().getBytes(StandardCharsets.UTF_8).length > CloseStatus.MAX_REASON_BYTES) {
                throw new ChannelsException(
                        ErrorCode.BAD_REQUEST,
                        "a disconnect reason is at most " + CloseStatus.MAX_REASON_BYTES + " bytes");
            }
            return toUser(ServerCommands.DISCONNECT, user, client, null, how.code(), how.reason());
        });
    }

    /**
     * Sends {@code data} to every connection of {@code user} (or only {@code client}, if given) as a
     * {@code message} push, which the client hands to its {@code message} listeners. Not part of
     * Centrifugo's server API; the Java counterpart of a client's {@code send}.
     */
    public CompletionStage<Void> message(String user, String client, com.fasterxml.jackson.databind.JsonNode data) {
        return toUser(ServerCommands.MESSAGE, user, client, null, 0, Json.write(data));
    }

    private CompletionStage<Void> toUser(
            String type, String user, String client, String channel, int code, String reason) {
        return Await.attempt(() -> {
            if (channel != null) {
                context.namespaces().of(ChannelNames.require(channel));
            }
            ServerCommands.Body body = new ServerCommands.Body(client, channel, code, reason == null ? "" : reason);
            hub().event(ChannelNames.userGroup(user == null ? "" : user), ServerCommands.event(type, body));
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletionStage<Map<String, ClientInfo>> presence(String channel) {
        return blocking(() -> Reads.presence(hub(), withPresence(channel)));
    }

    @Override
    public CompletionStage<PresenceStats> presenceStats(String channel) {
        return blocking(() -> Reads.presenceStats(hub(), withPresence(channel)));
    }

    private String withPresence(String channel) {
        if (!context.namespaces().of(ChannelNames.require(channel)).presence()) {
            throw new ChannelsException(ErrorCode.NOT_AVAILABLE);
        }
        return channel;
    }

    @Override
    public CompletionStage<HistoryPage> history(String channel, int limit, StreamPosition since, boolean reverse) {
        return blocking(() -> {
            NamespaceOptions options = context.namespaces().of(ChannelNames.require(channel));
            if (!options.keepsHistory()) {
                throw new ChannelsException(ErrorCode.NOT_AVAILABLE);
            }
            Reads.Page page = reads.history(channel, options, limit, since, reverse);
            List<Publication> publications = page.entries().stream()
                    .map(entry -> PublicationReader.read(channel, entry))
                    .toList();
            return new HistoryPage(publications, page.position());
        });
    }

    /**
     * Forgets {@code channel}'s history on every node: its next publication is offset 1 under a new
     * epoch, so a client's old position is unrecoverable rather than mistaken for a new one. A
     * namespace without a history answers {@link ErrorCode#NOT_AVAILABLE}.
     */
    @Override
    public CompletionStage<Void> historyRemove(String channel) {
        return Await.attempt(() -> {
            String name = ChannelNames.require(channel);
            if (!context.namespaces().of(name).keepsHistory()) {
                throw new ChannelsException(ErrorCode.NOT_AVAILABLE);
            }
            return context.publications().remove(name).exceptionallyCompose(Await::failed);
        });
    }

    /** This node's channels with a subscriber: the engine cannot list groups across nodes. */
    @Override
    public CompletionStage<Map<String, Integer>> channels(String pattern) {
        return CompletableFuture.completedFuture(context.local().channels(pattern));
    }

    /** This node alone. */
    @Override
    public CompletionStage<List<NodeInfo>> info() {
        Duration uptime = Duration.between(started, context.clock().instant());
        return CompletableFuture.completedFuture(List.of(context.local().node(nodeId, name, uptime)));
    }

    private Hub hub() {
        Hub current = hub;
        if (current == null) {
            throw new ChannelsException(ErrorCode.NOT_AVAILABLE, "channels not started: call start(server)");
        }
        return current;
    }

    private <T> CompletionStage<T> blocking(Supplier<T> operation) {
        return CompletableFuture.supplyAsync(operation, blocking).exceptionallyCompose(Await::failed);
    }

    /** Builds {@link Channels}; every setting has a default but the token verifier. */
    public static final class Builder {
        private History history;
        private Namespaces namespaces = Namespaces.DEFAULTS;
        private TokenVerifier tokens = token -> {
            throw new TokenVerifier.Rejected(TokenVerifier.Problem.INVALID, "no token verifier is configured");
        };
        private ClientHooks hooks = ClientHooks.NONE;
        private Clock clock = Clock.systemUTC();
        private int maxSubscriptions = 128;
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration expiryGrace = Duration.ofSeconds(25);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean anonymous;
        private String name = "switchboard";

        private Builder() {}

        /** Where publications are kept (default: a new in-memory history; use the engine's for many nodes). */
        public Builder history(History value) {
            history = Objects.requireNonNull(value, "history");
            return this;
        }

        /** Each channel's options (default: {@link Namespaces#DEFAULTS}). */
        public Builder namespaces(Namespaces value) {
            namespaces = Objects.requireNonNull(value, "namespaces");
            return this;
        }

        /** Checks connection and subscription tokens (default: every token is refused). */
        public Builder tokens(TokenVerifier value) {
            tokens = Objects.requireNonNull(value, "tokens");
            return this;
        }

        /** What rpc and send do (default: rpc is method not found, send is ignored). */
        public Builder hooks(ClientHooks value) {
            hooks = Objects.requireNonNull(value, "hooks");
            return this;
        }

        /** The time tokens expire by (default: the system clock). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Most channels one connection may subscribe to (default 128); past it, error 106. */
        public Builder maxSubscriptions(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("max subscriptions is at least 1, not " + value);
            }
            maxSubscriptions = value;
            return this;
        }

        /** How often the server pings a client (default 25 s, whole seconds). */
        public Builder pingInterval(Duration value) {
            if (value.toSeconds() < 1) {
                throw new IllegalArgumentException("the ping interval is at least 1 s, not " + value);
            }
            pingInterval = value;
            return this;
        }

        /** How long past its token's expiry an unrefreshed connection or subscription lives on (default 25 s). */
        public Builder expiryGrace(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("the expiry grace is not negative: " + value);
            }
            expiryGrace = value;
            return this;
        }

        /** How long a connection may stay open without a connect command (default 10 s); then it is closed as stale. */
        public Builder connectTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("the connect timeout is positive, not " + value);
            }
            connectTimeout = value;
            return this;
        }

        /** Whether a connect without a token is accepted, as an anonymous user (default false). */
        public Builder anonymous(boolean value) {
            anonymous = value;
            return this;
        }

        /** This node's name in {@code info} (default "switchboard"). */
        public Builder name(String value) {
            name = Objects.requireNonNull(value, "name");
            return this;
        }

        public Channels build() {
            return new Channels(this);
        }
    }
}
