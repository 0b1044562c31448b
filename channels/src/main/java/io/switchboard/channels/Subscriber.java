/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.channels.ClientState.Subscription;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.Membership;
import io.switchboard.session.Message;
import io.switchboard.session.ReleaseFilter;
import io.switchboard.session.Session;
import java.util.List;

/**
 * Subscribes and unsubscribes one connection: joins the channel's group holding its broadcasts,
 * reads its stream and sends the result before the publications made meanwhile that are newer than
 * it (see {@link Publications}), tells the channel (join and leave pushes where the namespace wants
 * them), and counts it.
 */
final class Subscriber {

    /** The unsubscribe push's code for a subscription the server ended (the client does not come back). */
    static final int UNSUBSCRIBE_SERVER = 2000;

    /** The unsubscribe push's code for a subscription whose token expired (the client subscribes again). */
    static final int UNSUBSCRIBE_EXPIRED = 2501;

    private final Context context;
    private final Positions positions;

    Subscriber(Context context) {
        this.context = context;
        this.positions = new Positions(context.publications());
    }

    /** The channel's options, after checking the name and the connection's subscription limit. */
    NamespaceOptions admit(ClientState state, String channel) {
        ChannelNames.require(channel);
        NamespaceOptions options = context.namespaces().of(channel);
        if (state.subscriptions.containsKey(channel)) {
            throw new ChannelsException(ErrorCode.ALREADY_SUBSCRIBED);
        }
        if (state.subscriptions.size() >= context.maxSubscriptions()) {
            throw new ChannelsException(
                    ErrorCode.LIMIT_EXCEEDED, "more than " + context.maxSubscriptions() + " subscriptions");
        }
        return options;
    }

    /**
     * A subscription made, its channel's broadcasts to the connection held until {@link #release}.
     *
     * @param result the subscribe result object
     * @param offset the stream offset the result stands at (what it recovered up to), or -1 when it
     *     names none: every held publication is then newer
     */
    record Joined(Subscription subscription, String result, long offset) {}

    /**
     * Joins {@code subscription}'s channel holding its broadcasts ({@link Session#joinHeld}), then
     * reads its stream: a publication made meanwhile, on any node, waits for the result to go out,
     * which {@link #release} does. Nothing is sent here.
     */
    Joined subscribe(Session session, ClientState state, Subscription subscription, Positions.Request request) {
        String channel = subscription.channel();
        String group = ChannelNames.group(channel);
        Await.of(session.joinHeld(group));
        String result;
        try {
            if (subscription.options().presence()) {
                Await.of(membership(session).join(ChannelNames.presenceGroup(channel), member(session, state)));
            }
            result = result(subscription, positions.fields(channel, subscription.options(), request));
        } catch (RuntimeException e) {
            session.leave(group); // ends the hold too
            membership(session).leave(ChannelNames.presenceGroup(channel), member(session, state));
            throw e;
        }
        state.subscriptions.put(channel, subscription);
        context.local().subscribed(channel);
        return new Joined(subscription, result, Wire.offsetOf(result));
    }

    /**
     * Sends what {@code replies} collected, then {@code reply}, then the publications held for each
     * of {@code joined} that are newer than its result (older ones are in it or before its
     * position), then tells the channels of the new subscribers where the namespace wants it.
     */
    void release(Session session, ClientState state, Replies replies, String reply, List<Joined> joined) {
        replies.flush();
        Message first = Message.text(reply);
        for (Joined subscribed : joined) {
            long offset = subscribed.offset();
            String group = ChannelNames.group(subscribed.subscription().channel());
            session.release(group, first, new NewerThan(offset));
            first = null;
        }
        if (first != null) {
            session.send(first);
        }
        for (Joined subscribed : joined) {
            String channel = subscribed.subscription().channel();
            if (subscribed.subscription().options().joinLeave()) {
                String join = Wire.push(channel, "join", "{\"info\":" + Wire.clientInfo(state.info(channel)) + "}");
                session.hub().broadcast(ChannelNames.group(channel), Message.text(join), session.address());
            }
        }
    }

    /**
     * Which held broadcasts go out after a result at {@code offset}: all but older publications.
     * A channel's publications reach a connection in offset order (one node or many), so once a
     * newer one went out no older can follow: the filter is settled and ends.
     */
    private static final class NewerThan implements ReleaseFilter {
        private final long offset;
        private boolean settled;

        NewerThan(long offset) {
            this.offset = offset;
            this.settled = offset < 0; // a result without a position: nothing to drop
        }

        @Override
        public boolean test(Message message) {
            if (settled || !(message instanceof Message.Text text)) {
                return true;
            }
            long published = Wire.publicationOffset(text.text());
            if (published > offset) {
                settled = true;
            }
            return published < 0 || published > offset;
        }

        @Override
        public boolean settled() {
            return settled;
        }
    }

    private String result(Subscription subscription, String fields) {
        StringBuilder out = new StringBuilder(fields.length() + 32).append('{');
        if (subscription.expiresAt() > 0) {
            out.append("\"expires\":true,\"ttl\":").append(context.ttl(subscription.expiresAt()));
            out.append(fields.isEmpty() ? "" : ",");
        }
        return out.append(fields).append('}').toString();
    }

    /**
     * Leaves {@code channel}, telling the channel when the namespace wants it; with {@code code} above
     * 0 the client is told too (an unsubscribe push). Does nothing when not subscribed.
     */
    void unsubscribe(Session session, ClientState state, String channel, int code, String reason) {
        ChannelsApi.ClientInfo info = state.info(channel);
        Subscription subscription = state.subscriptions.remove(channel);
        if (subscription == null) {
            return;
        }
        context.local().unsubscribed(channel);
        String group = ChannelNames.group(channel);
        session.leave(group);
        if (subscription.options().presence()) {
            membership(session).leave(ChannelNames.presenceGroup(channel), member(session, state));
        }
        if (code > 0) {
            session.send(
                    Wire.push(channel, "unsubscribe", "{\"code\":" + code + ",\"reason\":" + Wire.quote(reason) + "}"));
        }
        if (subscription.options().joinLeave()) {
            String leave = Wire.push(channel, "leave", "{\"info\":" + Wire.clientInfo(info) + "}");
            session.hub().broadcast(group, Message.text(leave), session.address());
        }
    }

    /** The engine, which every session's hub is. */
    private static Membership membership(Session session) {
        if (session.hub() instanceof Membership membership) {
            return membership;
        }
        throw new ChannelsException(ErrorCode.INTERNAL, "the session's hub is not the engine");
    }

    private static MemberInfo member(Session session, ClientState state) {
        return new MemberInfo(session.address(), state.user);
    }

    /** Leaves every channel, as a connection ends. */
    void unsubscribeAll(Session session, ClientState state) {
        for (String channel : state.subscriptions.keySet().toArray(String[]::new)) {
            unsubscribe(session, state, channel, 0, "");
        }
    }
}
