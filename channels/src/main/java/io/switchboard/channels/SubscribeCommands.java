/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ClientState.Subscription;
import io.switchboard.channels.NamespaceOptions.SubscribeRule;
import io.switchboard.session.Session;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code subscribe}, {@code sub_refresh} and {@code unsubscribe} commands, and the server's own
 * subscribes and unsubscribes of a connection: who may subscribe (the namespace's rule, or a
 * subscription token for this user and channel), and the end of a subscription whose token expired.
 */
final class SubscribeCommands {

    private static final Logger LOG = LoggerFactory.getLogger(SubscribeCommands.class);

    private final Context context;
    private final Subscriber subscriber;
    private final Timers timers;

    SubscribeCommands(Context context, Subscriber subscriber, Timers timers) {
        this.context = context;
        this.subscriber = subscriber;
        this.timers = timers;
    }

    void subscribe(Session session, ClientState state, Command.Call call, Replies replies) {
        String channel = channel(call);
        NamespaceOptions options = subscriber.admit(state, channel);
        Subscription subscription = permitted(state, channel, options, call.text("token"));
        Positions.Request request = Connecting.recovery(call.body());
        Subscriber.Joined joined = subscriber.subscribe(session, state, subscription, request);
        subscriber.release(
                session, state, replies, Wire.reply(call.id(), "subscribe", joined.result()), List.of(joined));
        scheduleExpiry(session, state, subscription);
    }

    /** The subscription the connection may make, or {@link ErrorCode#PERMISSION_DENIED}. */
    private Subscription permitted(ClientState state, String channel, NamespaceOptions options, String token) {
        if (!token.isEmpty()) {
            Tokens.Subscription claims = verified(state, channel, token);
            return new Subscription(channel, options, claims.info(), claims.expiresAt(), false);
        }
        boolean allowed =
                switch (options.subscribe()) {
                    case ANONYMOUS -> true;
                    case AUTHENTICATED -> !state.user.isEmpty();
                    case TOKEN -> false;
                };
        if (!allowed) {
            throw new ChannelsException(ErrorCode.PERMISSION_DENIED);
        }
        return new Subscription(channel, options, null, 0, false);
    }

    /** Whether {@code state} may subscribe to {@code channel} without a token. */
    static boolean mayJoinWithoutToken(ClientState state, NamespaceOptions options) {
        return options.subscribe() == SubscribeRule.ANONYMOUS
                || (options.subscribe() == SubscribeRule.AUTHENTICATED && !state.user.isEmpty());
    }

    private Tokens.Subscription verified(ClientState state, String channel, String token) {
        Tokens.Subscription claims;
        try {
            claims = context.tokens().subscription(token);
        } catch (Tokens.Refused refused) {
            throw new ChannelsException(refused.code(), refused.getMessage());
        }
        if (claims.expiresAt() > 0 && claims.expiresAt() <= context.nowSeconds()) { // within the leeway
            throw new ChannelsException(ErrorCode.TOKEN_EXPIRED, "the subscription token expired");
        }
        if (!claims.user().equals(state.user) || !claims.channel().equals(channel)) {
            throw new ChannelsException(
                    ErrorCode.PERMISSION_DENIED, "a subscription token for another user or channel");
        }
        return claims;
    }

    void refresh(Session session, ClientState state, Command.Call call, Replies replies) {
        String channel = channel(call);
        Subscription subscription = state.subscriptions.get(channel);
        if (subscription == null) {
            throw new ChannelsException(ErrorCode.PERMISSION_DENIED, "not subscribed");
        }
        Tokens.Subscription claims;
        try {
            claims = verified(state, channel, call.text("token"));
        } catch (ChannelsException e) {
            if (e.code() != ErrorCode.TOKEN_EXPIRED) {
                throw e;
            }
            // The client gives up on an error here; unsubscribed as expired, it resubscribes with a fresh token.
            LOG.info("Client {} unsubscribed from {}: its refresh token had expired", state.client, channel);
            cancelExpiry(state, channel);
            subscriber.unsubscribe(session, state, channel, Subscriber.UNSUBSCRIBE_EXPIRED, "subscription expired");
            replies.add(Wire.reply(call.id(), "sub_refresh", "{}"));
            return;
        }
        Subscription refreshed = subscription.withExpiry(claims.expiresAt());
        state.subscriptions.put(channel, refreshed);
        scheduleExpiry(session, state, refreshed);
        String result = refreshed.expiresAt() > 0
                ? "{\"expires\":true,\"ttl\":" + context.ttl(refreshed.expiresAt()) + "}"
                : "{}";
        replies.add(Wire.reply(call.id(), "sub_refresh", result));
    }

    void unsubscribe(Session session, ClientState state, Command.Call call, Replies replies) {
        String channel = channel(call);
        cancelExpiry(state, channel);
        subscriber.unsubscribe(session, state, channel, 0, "");
        replies.add(Wire.reply(call.id(), "unsubscribe", "{}"));
    }

    /** The server subscribes the connection (server API): the client learns it from a subscribe push. */
    void serverSubscribe(Session session, ClientState state, String channel) {
        NamespaceOptions options = subscriber.admit(state, channel);
        Subscription subscription = new Subscription(channel, options, null, 0, true);
        Subscriber.Joined joined = subscriber.subscribe(session, state, subscription, Positions.Request.NONE);
        subscriber.release(
                session,
                state,
                new Replies(session),
                Wire.push(channel, "subscribe", joined.result()),
                List.of(joined));
    }

    /** The server unsubscribes the connection (server API): the client learns it from an unsubscribe push. */
    void serverUnsubscribe(Session session, ClientState state, String channel) {
        cancelExpiry(state, channel);
        subscriber.unsubscribe(session, state, channel, Subscriber.UNSUBSCRIBE_SERVER, "server unsubscribe");
    }

    private void scheduleExpiry(Session session, ClientState state, Subscription subscription) {
        String channel = subscription.channel();
        cancelExpiry(state, channel);
        if (subscription.expiresAt() == 0) {
            return;
        }
        ScheduledFuture<?> timer = timers.at(subscription.expiresAt(), state, () -> {
            Subscription now = state.subscriptions.get(channel);
            if (now != null && timers.expired(now.expiresAt())) {
                LOG.info("Client {} unsubscribed from {}: its subscription token expired", state.client, channel);
                state.subscriptionExpiries.remove(channel);
                subscriber.unsubscribe(session, state, channel, Subscriber.UNSUBSCRIBE_EXPIRED, "subscription expired");
            }
        });
        state.subscriptionExpiries.put(channel, timer);
    }

    private static void cancelExpiry(ClientState state, String channel) {
        ScheduledFuture<?> timer = state.subscriptionExpiries.remove(channel);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The command's channel, checked. */
    static String channel(Command.Call call) {
        JsonNode channel = call.body().get("channel");
        if (channel == null || !channel.isTextual()) {
            throw new ChannelsException(ErrorCode.BAD_REQUEST, "a channel is required");
        }
        return ChannelNames.require(channel.asText());
    }
}
