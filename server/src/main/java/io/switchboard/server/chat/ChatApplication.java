/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.chat;

import io.switchboard.engine.Departures;
import io.switchboard.engine.History;
import io.switchboard.http.HttpHandler;
import io.switchboard.http.HttpResponse;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.security.Authentication;
import io.switchboard.security.Authenticator;
import io.switchboard.security.TokenAuthenticator;
import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.Hub;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.session.User;
import io.switchboard.session.WebSocketHandler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The built-in chat: rooms with history and recovery, presence, and direct messages that wait for
 * users who are away. Serve it on {@link #PATH} with {@link #handlers()} and {@link #OPTIONS}, and name users with
 * {@link #authenticator()}; everything it keeps lives in a {@link History}, so it runs on one node
 * in memory or on many with Redis.
 */
public final class ChatApplication {

    /** Where the chat is served: {@code ws://HOST:PORT/ws/chat/{room}?user=NAME[&since=ID]}. */
    public static final String PATH = "/ws/chat/{room}";

    static final String PATH_PREFIX = "/ws/chat/";

    /** Where the chat's {@link Rules} are served as JSON ({@link #rules()}), for the page. */
    public static final String RULES_PATH = "/chat.json";
    /**
     * The chat route's options: a message dropped over the rate limit (with the drop policy) is
     * answered with the chat's error event {@code rate_limited}.
     */
    public static final WebSocketOptions OPTIONS =
            WebSocketOptions.DEFAULTS.withRateLimitReply(ChatProtocol.rateLimited());

    private final ChatSettings settings;
    private final History history;
    private final Clock clock;
    private final ReentrantLock[] roomLocks = new ReentrantLock[64];
    private final LocalRooms local = new LocalRooms();

    public ChatApplication(ChatSettings settings, History history, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.history = Objects.requireNonNull(history, "history");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (int i = 0; i < roomLocks.length; i++) {
            roomLocks[i] = new ReentrantLock();
        }
    }

    /** One {@link ChatHandler} per connection. */
    public Supplier<WebSocketHandler> handlers() {
        return () -> new ChatHandler(this);
    }

    /** Answers {@link #RULES_PATH} with this chat's {@link Rules}. */
    public HttpHandler rules() {
        Rules rules = new Rules(Names.PATTERN, Names.RULE, Names.MAX_LENGTH, settings.maxMessageChars());
        HttpResponse answer = HttpResponse.json(200, rules);
        return request -> answer;
    }

    /**
     * What the chat refuses, for a client to check before sending: the page reads these instead of
     * restating them.
     *
     * @param namePattern the rule for user and room names as a regular expression, usable as an HTML
     *     {@code pattern} attribute
     * @param nameRule the same rule in words
     * @param nameMaxLength the longest name, in characters
     * @param maxMessageChars the longest chat message, in characters (code points)
     */
    public record Rules(String namePattern, String nameRule, int nameMaxLength, int maxMessageChars) {}

    /**
     * Names chat connections by their {@code user} query parameter, refusing a missing or invalid one
     * with 400; other paths go to {@code others}.
     */
    public Authenticator authenticator(Authenticator others) {
        return chatAuthenticator(ChatApplication::userFromQuery, others);
    }

    /**
     * Names chat connections by a verified token instead (see {@link TokenAuthenticator}): the
     * {@code user} query parameter is ignored, a missing or bad token gets 401, and a name from the
     * token must still follow the chat's rule. Other paths go to {@code others}.
     */
    public Authenticator tokenAuthenticator(TokenAuthenticator tokens, Authenticator others) {
        return chatAuthenticator(
                scope -> switch (tokens.authenticate(scope)) {
                    case Authentication.Authenticated ok
                    when !Names.valid(ok.user().name()) ->
                        Authentication.reject(400, "invalid user in the token: a name is " + Names.RULE);
                    case Authentication other -> other;
                },
                others);
    }

    private static Authenticator chatAuthenticator(Authenticator chat, Authenticator others) {
        return scope -> scope.path().startsWith(PATH_PREFIX) ? chat.authenticate(scope) : others.authenticate(scope);
    }

    /** As {@link #authenticator(Authenticator)}, with everyone else anonymous. */
    public Authenticator authenticator() {
        return authenticator(Authenticator.ANONYMOUS);
    }

    private static Authentication userFromQuery(Scope scope) {
        String user = scope.queryParam("user").orElse(null);
        if (user == null) {
            return Authentication.reject(400, "missing user: add ?user=NAME (" + Names.RULE + ")");
        }
        if (!Names.valid(user)) {
            return Authentication.reject(400, "invalid user: a name is " + Names.RULE);
        }
        return Authentication.user(User.named(user));
    }

    /**
     * What the chat does when the engine removes members on its own (their node died): a user whose
     * last connection to a room vanished leaves it, and the room is told, as when they close it.
     */
    public Departures.Listener departures(Hub hub) {
        return (group, member, change) -> {
            String room = ChatHandler.roomOfGroup(group);
            if (room != null && change.userPresenceChanged() && member.user() != null) {
                hub.broadcast(group, Message.text(ChatProtocol.presence("leave", room, member.user())));
            }
        };
    }

    /** Rooms with a connection on this node, with how many (this node only: groups cannot be listed). */
    public Map<String, Integer> localRooms() {
        return local.rooms();
    }

    /** The connections of {@code user} on this node, with their rooms. */
    public List<Connection> localConnections(String user) {
        return local.of(user);
    }

    /**
     * The connections of {@code user} on every node; none for a name outside the chat's rule (a
     * channels user's, say), which no chat connection can have.
     */
    public CompletionStage<List<MemberInfo>> connections(Hub hub, String user) {
        if (!Names.valid(user)) {
            return CompletableFuture.completedFuture(List.of());
        }
        return hub.members(ChatHandler.userGroup(user));
    }

    /**
     * Closes every connection of {@code user}, on every node, with {@link ChatHandler#DISCONNECTED};
     * nothing to do for a name outside the chat's rule.
     */
    public void disconnect(Hub hub, String user) {
        if (Names.valid(user)) {
            hub.event(ChatHandler.userGroup(user), new Event(ChatHandler.DISCONNECT_EVENT, "{}"));
        }
    }

    /**
     * Posts {@code text} to {@code room} from {@code from} (a name outside the users' rule, so nobody
     * can pass for it), kept in the room's history as a member's message is. Blocks until the
     * history took it (at most 10 s), as a member's send does: the room's lock orders it against joins.
     * An invalid room name or a text that is empty or too long fails with {@link IllegalArgumentException}.
     */
    public History.Entry post(Hub hub, String room, String from, String text) throws Exception {
        if (!Names.valid(room)) {
            throw new IllegalArgumentException("invalid room: a name is " + Names.RULE);
        }
        int chars = text.codePointCount(0, text.length());
        if (text.isBlank() || chars > settings.maxMessageChars()) {
            throw new IllegalArgumentException("a message is 1 to " + settings.maxMessageChars() + " characters");
        }
        ReentrantLock lock = lockFor(room);
        lock.lock();
        try {
            return history.appendAndBroadcast(
                            ChatHandler.roomStream(room),
                            ChatProtocol.message(room, from, text, clock.millis()),
                            settings.historySize(),
                            hub,
                            ChatHandler.roomGroup(room))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } finally {
            lock.unlock();
        }
    }

    /**
     * One chat connection on this node.
     *
     * @param address its session's address
     * @param user who
     * @param room where
     */
    public record Connection(Address address, String user, String room) {}

    LocalRooms local() {
        return local;
    }

    ChatSettings settings() {
        return settings;
    }

    History history() {
        return history;
    }

    Clock clock() {
        return clock;
    }

    /**
     * The lock that orders a room's history against joins on this node: a join and its history
     * snapshot happen between two appends, so a newcomer gets each message once, either in its
     * welcome or live.
     */
    ReentrantLock lockFor(String room) {
        return roomLocks[Math.floorMod(room.hashCode(), roomLocks.length)];
    }
}
