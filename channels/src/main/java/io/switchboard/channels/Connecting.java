/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ClientState.Subscription;
import io.switchboard.security.TokenVerifier;
import io.switchboard.session.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code connect} and {@code refresh} commands: who a connection is (its token), until when, and
 * the channels its token subscribes it to; and the end of a connection whose token expired.
 */
final class Connecting {

    private static final Logger LOG = LoggerFactory.getLogger(Connecting.class);

    /** The version a connect reply names. */
    static final String VERSION = "switchboard-0.1.0";

    private final Context context;
    private final Subscriber subscriber;
    private final Timers timers;

    Connecting(Context context, Subscriber subscriber, Timers timers) {
        this.context = context;
        this.subscriber = subscriber;
        this.timers = timers;
    }

    void connect(Session session, ClientState state, Command.Call call, Replies replies) {
        if (state.connected) {
            throw new Disconnect(DisconnectCode.BAD_REQUEST, "a second connect");
        }
        Tokens.Connection token = credentials(call.text("token"));
        state.user = token.user();
        state.connInfo = token.info();
        state.expiresAt = token.expiresAt();
        Await.of(session.join(ChannelNames.userGroup(state.user)));
        state.connected = true;
        if (state.expiry != null) {
            state.expiry.cancel(false); // the connect timeout's
            state.expiry = null;
        }
        context.local().connected(state.user);
        timers.startPings(session, state);
        scheduleExpiry(session, state);
        subscribeAndReply(session, state, call, token.channels(), replies);
    }

    private Tokens.Connection credentials(String token) {
        if (token.isEmpty()) {
            if (!context.anonymous()) {
                throw new ChannelsException(ErrorCode.UNAUTHORIZED, "a connect without a token");
            }
            return new Tokens.Connection("", 0, null, List.of());
        }
        return verified(token);
    }

    /** The claims of a connection token; an invalid one ends the connection, others are errors. */
    /**
     * The claims of a connection token. One past its {@code exp} is expired even within the
     * verifier's leeway: taken, it would be disconnected at once (3005) and come back in a loop.
     */
    private Tokens.Connection verified(String token) {
        try {
            Tokens.Connection connection = context.tokens().connection(token);
            if (connection.expiresAt() > 0 && connection.expiresAt() <= context.nowSeconds()) {
                throw new ChannelsException(ErrorCode.TOKEN_EXPIRED, "the token expired");
            }
            return connection;
        } catch (Tokens.Refused refused) {
            if (refused.problem() == TokenVerifier.Problem.INVALID) {
                throw new Disconnect(DisconnectCode.INVALID_TOKEN, refused.getMessage());
            }
            throw new ChannelsException(refused.code(), refused.getMessage());
        }
    }

    /**
     * Subscribes the token's channels, then sends the connect reply with their results, followed by
     * the publications made meanwhile that are newer than them, as a subscribe does.
     */
    private void subscribeAndReply(
            Session session, ClientState state, Command.Call call, List<String> channels, Replies replies) {
        Map<String, String> subs = new LinkedHashMap<>();
        List<Subscriber.Joined> joined = new ArrayList<>();
        JsonNode asked = call.body().path("subs");
        try {
            for (String channel : channels) {
                serverSubscribe(session, state, channel, recovery(asked.path(channel)), joined);
            }
        } catch (RuntimeException e) { // the store failed: no reply, so nothing may stay held
            joined.forEach(made ->
                    subscriber.unsubscribe(session, state, made.subscription().channel(), 0, ""));
            throw e;
        }
        joined.forEach(made -> subs.put(made.subscription().channel(), made.result()));
        subscriber.release(session, state, replies, Wire.reply(call.id(), "connect", result(state, subs)), joined);
    }

    /** What a reconnecting client asks of a server-side subscription it had: where to recover from. */
    static Positions.Request recovery(JsonNode asked) {
        if (!asked.isObject()) {
            return Positions.Request.NONE;
        }
        return new Positions.Request(
                asked.path("recover").asBoolean(false),
                Math.max(0, asked.path("offset").asLong(0)),
                asked.path("epoch").asText(""));
    }

    private void serverSubscribe(
            Session session,
            ClientState state,
            String channel,
            Positions.Request request,
            List<Subscriber.Joined> joined) {
        try {
            NamespaceOptions options = subscriber.admit(state, channel);
            Subscription subscription = new Subscription(channel, options, null, 0, true);
            joined.add(subscriber.subscribe(session, state, subscription, request));
        } catch (ChannelsException e) {
            LOG.info("Client {} not subscribed to {} from its token: {}", state.client, channel, e.getMessage());
        }
    }

    private String result(ClientState state, Map<String, String> subs) {
        StringBuilder out = new StringBuilder(128)
                .append("{\"client\":")
                .append(Wire.quote(state.client))
                .append(",\"version\":")
                .append(Wire.quote(VERSION))
                .append(",\"ping\":")
                .append(context.pingInterval().toSeconds())
                .append(",\"pong\":true");
        if (state.expiresAt > 0) {
            out.append(",\"expires\":true,\"ttl\":").append(context.ttl(state.expiresAt));
        }
        if (!subs.isEmpty()) {
            out.append(",\"subs\":{");
            String separator = "";
            for (Map.Entry<String, String> sub : subs.entrySet()) {
                out.append(separator)
                        .append(Wire.quote(sub.getKey()))
                        .append(':')
                        .append(sub.getValue());
                separator = ",";
            }
            out.append('}');
        }
        return out.append('}').toString();
    }

    void refresh(Session session, ClientState state, Command.Call call, Replies replies) {
        Tokens.Connection token;
        try {
            token = verified(call.text("token"));
        } catch (ChannelsException e) {
            if (e.code() != ErrorCode.TOKEN_EXPIRED) {
                throw e;
            }
            // The client gives up on an error here; reconnecting, it fetches a fresh token.
            throw new Disconnect(DisconnectCode.EXPIRED, "the refresh token had expired");
        }
        if (!token.user().equals(state.user)) {
            throw new Disconnect(DisconnectCode.INVALID_TOKEN, "a refresh token for another user");
        }
        state.expiresAt = token.expiresAt();
        scheduleExpiry(session, state);
        String result = "{\"client\":" + Wire.quote(state.client) + ",\"version\":" + Wire.quote(VERSION)
                + (state.expiresAt > 0 ? ",\"expires\":true,\"ttl\":" + context.ttl(state.expiresAt) : "") + "}";
        replies.add(Wire.reply(call.id(), "refresh", result));
    }

    private void scheduleExpiry(Session session, ClientState state) {
        if (state.expiry != null) {
            state.expiry.cancel(false);
            state.expiry = null;
        }
        if (state.expiresAt > 0) {
            state.expiry = timers.at(state.expiresAt, state, () -> {
                if (timers.expired(state.expiresAt)) {
                    LOG.info("Client {} of user '{}' disconnected: its token expired", state.client, state.user);
                    state.closing = true;
                    session.close(DisconnectCode.EXPIRED.code(), DisconnectCode.EXPIRED.reason());
                }
            });
        }
    }
}
