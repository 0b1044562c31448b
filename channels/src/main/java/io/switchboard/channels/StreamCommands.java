/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsApi.ClientInfo;
import io.switchboard.channels.ChannelsApi.PresenceStats;
import io.switchboard.channels.ChannelsApi.StreamPosition;
import io.switchboard.engine.History;
import io.switchboard.json.Json;
import io.switchboard.session.Session;
import java.util.Map;

/**
 * The commands about a channel's content and audience, {@code publish}, {@code presence}, {@code
 * presence_stats} and {@code history}, and the two handed to Java code, {@code rpc} and {@code send}.
 */
final class StreamCommands {

    private final Context context;
    private final Reads reads;

    StreamCommands(Context context) {
        this.context = context;
        this.reads = new Reads(context.publications());
    }

    void publish(Session session, ClientState state, Command.Call call, Replies replies) {
        String channel = SubscribeCommands.channel(call);
        NamespaceOptions options = context.namespaces().of(channel);
        boolean subscribed = state.subscriptions.containsKey(channel);
        boolean allowed =
                switch (options.publish()) {
                    case CLIENTS -> subscribed || SubscribeCommands.mayJoinWithoutToken(state, options);
                    case SUBSCRIBERS -> subscribed;
                    case SERVER -> false;
                };
        if (!allowed) {
            throw new ChannelsException(ErrorCode.PERMISSION_DENIED);
        }
        JsonNode data = call.body().get("data");
        if (data == null) {
            throw new ChannelsException(ErrorCode.BAD_REQUEST, "a publication needs data");
        }
        Await.of(context.publications()
                .deliver(session.hub(), channel, options, false, data, state.info(channel), Map.of()));
        replies.add(Wire.reply(call.id(), "publish", "{}"));
    }

    void presence(Session session, ClientState state, Command.Call call, Replies replies) {
        String channel = readable(state, call, context.namespaces()).channel;
        requirePresence(channel);
        StringBuilder out = new StringBuilder("{\"presence\":{");
        String separator = "";
        for (Map.Entry<String, ClientInfo> entry :
                Reads.presence(session.hub(), channel).entrySet()) {
            out.append(separator)
                    .append(Wire.quote(entry.getKey()))
                    .append(':')
                    .append(Wire.clientInfo(entry.getValue()));
            separator = ",";
        }
        replies.add(Wire.reply(call.id(), "presence", out.append("}}").toString()));
    }

    void presenceStats(Session session, ClientState state, Command.Call call, Replies replies) {
        String channel = readable(state, call, context.namespaces()).channel;
        requirePresence(channel);
        PresenceStats stats = Reads.presenceStats(session.hub(), channel);
        replies.add(Wire.reply(
                call.id(),
                "presence_stats",
                "{\"num_clients\":" + stats.numClients() + ",\"num_users\":" + stats.numUsers() + "}"));
    }

    private void requirePresence(String channel) {
        if (!context.namespaces().of(channel).presence()) {
            throw new ChannelsException(ErrorCode.NOT_AVAILABLE);
        }
    }

    void history(ClientState state, Command.Call call, Replies replies) {
        Readable target = readable(state, call, context.namespaces());
        if (!target.options.keepsHistory()) {
            throw new ChannelsException(ErrorCode.NOT_AVAILABLE);
        }
        JsonNode sinceNode = call.body().get("since");
        StreamPosition since = sinceNode == null || !sinceNode.isObject()
                ? null
                : new StreamPosition(
                        sinceNode.path("offset").asLong(0),
                        sinceNode.path("epoch").asText(""));
        int limit = call.body().path("limit").asInt(0);
        Reads.Page page = reads.history(
                target.channel,
                target.options,
                limit,
                since,
                call.body().path("reverse").asBoolean());
        StringBuilder out = new StringBuilder("{\"publications\":[");
        String separator = "";
        for (History.Entry entry : page.entries()) {
            out.append(separator).append(Wire.pubOf(target.channel, entry.payload()));
            separator = ",";
        }
        out.append("],\"epoch\":").append(Wire.quote(page.position().epoch()));
        out.append(",\"offset\":").append(page.position().offset()).append('}');
        replies.add(Wire.reply(call.id(), "history", out.toString()));
    }

    /** A channel the connection may read (presence, history): one it is subscribed to. */
    private record Readable(String channel, NamespaceOptions options) {}

    private static Readable readable(ClientState state, Command.Call call, Namespaces namespaces) {
        String channel = SubscribeCommands.channel(call);
        NamespaceOptions options = namespaces.of(channel);
        if (!state.subscriptions.containsKey(channel)) {
            throw new ChannelsException(ErrorCode.PERMISSION_DENIED, "not subscribed");
        }
        return new Readable(channel, options);
    }

    void rpc(ClientState state, Command.Call call, Replies replies) {
        JsonNode answer = context.hooks()
                .rpc(caller(state), call.text("method"), call.body().get("data"));
        replies.add(Wire.reply(call.id(), "rpc", answer == null ? "{}" : "{\"data\":" + Json.write(answer) + "}"));
    }

    void send(ClientState state, Command.Call call) {
        context.hooks().send(caller(state), call.body().get("data"));
    }

    private static ClientHooks.Caller caller(ClientState state) {
        return new ClientHooks.Caller(state.client, state.user, state.connInfo);
    }
}
