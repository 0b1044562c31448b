package io.switchboard.channels;

import io.switchboard.channels.ClientState.Subscription;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.Membership;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Subscribes and unsubscribes one connection: joins the channel's group, reads its stream and sends
 * the result while this node's publications to the channel wait (see {@link Publications}), tells
 * the channel (join and leave pushes where the namespace wants them), and counts it.
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
     * Joins {@code subscription}'s channel and hands its result object to {@code send} while this
     * node's publications to the channel wait, so that the result goes out before any of them.
     */
    void subscribe(
            Session session,
            ClientState state,
            Subscription subscription,
            Positions.Request request,
            Consumer<String> send) {
        String channel = subscription.channel();
        String group = ChannelNames.group(channel);
        ReentrantLock lock = context.publications().lockFor(channel);
        lock.lock();
        try {
            Await.of(session.join(group));
            String result;
            try {
                if (subscription.options().presence()) {
                    Await.of(membership(session).join(ChannelNames.presenceGroup(channel), member(session, state)));
                }
                result = result(subscription, positions.fields(channel, subscription.options(), request));
            } catch (RuntimeException e) {
                session.leave(group);
                membership(session).leave(ChannelNames.presenceGroup(channel), member(session, state));
                throw e;
            }
            state.subscriptions.put(channel, subscription);
            context.local().subscribed(channel);
            send.accept(result);
        } finally {
            lock.unlock();
        }
        if (subscription.options().joinLeave()) {
            String join = Wire.push(channel, "join", "{\"info\":" + Wire.clientInfo(state.info(channel)) + "}");
            session.hub().broadcast(group, Message.text(join), session.address());
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
