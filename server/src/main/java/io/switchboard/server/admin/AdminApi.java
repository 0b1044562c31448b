/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelUsers;
import io.switchboard.channels.Channels;
import io.switchboard.channels.ChannelsApi;
import io.switchboard.channels.ChannelsException;
import io.switchboard.http.HttpRequest;
import io.switchboard.http.HttpResponse;
import io.switchboard.json.Json;
import io.switchboard.server.chat.ChatApplication;
import io.switchboard.session.Hub;
import io.switchboard.session.MemberInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin page's JSON: what it shows (figures, nodes, rooms and channels, a user's connections) and
 * what it does (disconnect a user, publish). Each answer is built for one request; the gate has
 * let the request in before any of these run.
 */
final class AdminApi {

    /** Who a message posted from the page to a chat room is from: outside the users' name rule. */
    static final String SENDER = "(admin)";

    /** Names longer than this are refused: the lookups key on them. */
    private static final int MAX_NAME = 256;

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final long WAIT_SECONDS = 10;

    private final Sampler sampler;
    private final ClusterFigures cluster;
    private final ChatApplication chat;
    private final Channels channels;
    private final Supplier<Hub> hub;

    AdminApi(Sampler sampler, ClusterFigures cluster, ChatApplication chat, Channels channels, Supplier<Hub> hub) {
        this.sampler = sampler;
        this.cluster = cluster;
        this.chat = chat;
        this.channels = channels;
        this.hub = hub;
    }

    /** {@code GET api/stats?after=MILLIS}: this node's chart points after a moment (all kept without one). */
    HttpResponse stats(HttpRequest request) {
        long after;
        try {
            after = Long.parseLong(request.scope().queryParam("after").orElse("0"));
        } catch (NumberFormatException e) {
            return HttpResponse.text(400, "after is a time in milliseconds");
        }
        return HttpResponse.json(
                200, Map.of("node", sampler.nodeId(), "points", sampler.ring().pointsAfter(after)));
    }

    /** {@code GET api/nodes}: every node heard from lately, with its figures; this node alone when the store is down. */
    HttpResponse nodes(HttpRequest request) throws Exception {
        List<NodeFigures> nodes;
        boolean shared = true;
        try {
            nodes = await(cluster.nodes());
        } catch (Exception e) { // the store is out of reach, or did not answer in time
            shared = false;
            NodeFigures own = sampler.figures();
            nodes = own == null ? List.of() : List.of(own);
        }
        return HttpResponse.json(200, Map.of("self", sampler.nodeId(), "shared", shared, "nodes", nodes));
    }

    /** {@code GET api/rooms}: chat rooms and channels with connections on this node, with counts. */
    HttpResponse rooms(HttpRequest request) throws Exception {
        return HttpResponse.json(200, Map.of("rooms", chat.localRooms(), "channels", await(channels.channels(null))));
    }

    /** {@code GET api/users/{user}}: the user's chat and channel connections on every node. */
    HttpResponse user(HttpRequest request) throws Exception {
        String user = request.scope().pathParam("user");
        if (!validName(user)) {
            return badName("user");
        }
        Map<String, String> rooms = new HashMap<>();
        chat.localConnections(user).forEach(c -> rooms.put(c.address().value(), c.room()));
        List<Connection> found = new ArrayList<>();
        for (MemberInfo member : await(chat.connections(hub.get(), user))) {
            found.add(Connection.of("chat", member, rooms.get(member.address().value())));
        }
        for (MemberInfo member : await(ChannelUsers.connections(hub.get(), user))) {
            found.add(Connection.of("channels", member, null));
        }
        return HttpResponse.json(200, Map.of("user", user, "connections", found));
    }

    /** {@code POST api/users/{user}/disconnect}: closes the user's chat and channel connections on every node. */
    HttpResponse disconnect(HttpRequest request) throws Exception {
        String user = request.scope().pathParam("user");
        if (!validName(user)) {
            return badName("user");
        }
        chat.disconnect(hub.get(), user);
        await(channels.disconnect(user, null, null));
        LOG.info("admin: disconnected user {}", user);
        return HttpResponse.json(200, Map.of("user", user, "disconnected", true));
    }

    /**
     * {@code POST api/publish} with {@code {"channel": NAME, "data": JSON}} (the channels' publish) or
     * {@code {"room": NAME, "text": TEXT}} (a chat message from {@value #SENDER}).
     */
    HttpResponse publish(HttpRequest request) throws Exception {
        JsonNode body;
        try {
            body = Json.mapper().readTree(request.bodyText());
        } catch (JsonProcessingException e) {
            return HttpResponse.text(400, "the body is a JSON object");
        }
        if (body == null || !body.isObject()) {
            return HttpResponse.text(400, "the body is a JSON object");
        }
        if (body.hasNonNull("channel")) {
            return publishToChannel(body.get("channel").asText(), body.get("data"));
        }
        if (body.hasNonNull("room") && body.hasNonNull("text")) {
            return postToRoom(body.get("room").asText(), body.get("text").asText());
        }
        return HttpResponse.text(400, "publish needs channel and data, or room and text");
    }

    private HttpResponse publishToChannel(String channel, JsonNode data) throws Exception {
        try {
            var position = await(channels.publish(new ChannelsApi.Publish(channel, data, Map.of(), false)));
            return HttpResponse.json(200, Map.of("channel", channel, "offset", position.offset()));
        } catch (ChannelsException e) {
            return HttpResponse.text(400, "cannot publish to " + channel + ": " + e.getMessage());
        }
    }

    private HttpResponse postToRoom(String room, String text) throws Exception {
        try {
            long id = chat.post(hub.get(), room, SENDER, text).id();
            return HttpResponse.json(200, Map.of("room", room, "id", id));
        } catch (IllegalArgumentException e) {
            return HttpResponse.text(400, e.getMessage());
        }
    }

    private static boolean validName(String name) {
        return name != null
                && !name.isBlank()
                && name.length() <= MAX_NAME
                && name.codePoints().noneMatch(Character::isISOControl);
    }

    private static HttpResponse badName(String what) {
        return HttpResponse.text(400, "invalid " + what);
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * One connection of a looked-up user.
     *
     * @param kind {@code chat} or {@code channels}
     * @param address its session's address
     * @param node the node that holds it
     * @param room its chat room, when it is on this node (null otherwise)
     */
    record Connection(String kind, String address, String node, String room) {
        static Connection of(String kind, MemberInfo member, String room) {
            return new Connection(
                    kind, member.address().value(), member.address().node(), room);
        }
    }
}
