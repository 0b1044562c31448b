package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ClientState.Subscription;
import io.switchboard.security.TokenVerifier;
import io.switchboard.session.Session;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
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
        Await.of(session.join(ChannelNames.clientGroup(state.client)));
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
    private Tokens.Connection verified(String token) {
        try {
            return context.tokens().connection(token);
        } catch (Tokens.Refused refused) {
            if (refused.problem() == TokenVerifier.Problem.INVALID) {
                throw new Disconnect(DisconnectCode.INVALID_TOKEN, refused.getMessage());
            }
            throw new ChannelsException(refused.code(), refused.getMessage());
        }
    }

    /**
     * Subscribes the token's channels and sends the connect reply with their results while this
     * node's publications to them wait, as a subscribe does: the locks are taken in one order.
     */
    private void subscribeAndReply(
            Session session, ClientState state, Command.Call call, List<String> channels, Replies replies) {
        TreeSet<Integer> stripes = new TreeSet<>();
        channels.forEach(channel -> stripes.add(context.publications().stripeOf(channel)));
        List<ReentrantLock> held =
                stripes.stream().map(context.publications()::lock).toList();
        held.forEach(ReentrantLock::lock);
        try {
            Map<String, String> subs = new LinkedHashMap<>();
            JsonNode asked = call.body().path("subs");
            for (String channel : channels) {
                serverSubscribe(session, state, channel, recovery(asked.path(channel)), subs);
            }
            replies.sendBeforeLaterBroadcasts(Wire.reply(call.id(), "connect", result(state, subs)));
        } finally {
            held.reversed().forEach(ReentrantLock::unlock);
        }
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
            Session session, ClientState state, String channel, Positions.Request request, Map<String, String> subs) {
        try {
            NamespaceOptions options = subscriber.admit(state, channel);
            Subscription subscription = new Subscription(channel, options, null, 0, true);
            subscriber.subscribe(
                    session, state, subscription, Positions.Request.NONE, result -> subs.put(channel, result));
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
        Tokens.Connection token = verified(call.text("token"));
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
