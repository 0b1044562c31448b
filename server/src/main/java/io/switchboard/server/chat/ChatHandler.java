/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.chat;

import io.switchboard.engine.History;
import io.switchboard.engine.UnavailableException;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Decision;
import io.switchboard.session.Event;
import io.switchboard.session.Hub;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.session.User;
import io.switchboard.session.WebSocketHandler;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One chat connection. On connect it joins the room and its user's group, sends the welcome (members,
 * history or what was missed since {@code since}) and any direct messages kept while the user was
 * away, and tells the room when this is the user's first connection there. Then it turns text into
 * room or direct messages (and pings into pongs), and on disconnect tells the room when the user's
 * last connection left.
 */
final class ChatHandler implements WebSocketHandler {

    /** How long a connection waits for the engine or history before giving up with 1011. */
    private static final long ENGINE_TIMEOUT_SECONDS = 10;

    /** The event that makes a user's connections look for queued direct messages. */
    static final String DRAIN_EVENT = "chat.drain";

    /** The event that closes a user's connections (the admin page's disconnect). */
    static final String DISCONNECT_EVENT = "chat.disconnect";

    /** How those connections are closed: final, the client does not come back on its own. */
    static final CloseStatus DISCONNECTED = new CloseStatus(4501, "disconnected by an administrator");

    private final ChatApplication app;
    private String room;
    private String user;

    ChatHandler(ChatApplication app) {
        this.app = app;
    }

    // A room's group and stream share a Redis Cluster hash tag, {ROOM} (room names have no braces),
    // so on a cluster a message is stored and published by one script on the room's slot.
    private static final String ROOM_GROUP_PREFIX = "room:{";

    static String roomGroup(String room) {
        return ROOM_GROUP_PREFIX + room + "}";
    }

    /** The room whose group {@code group} is, or null for another group. */
    static String roomOfGroup(String group) {
        return group.startsWith(ROOM_GROUP_PREFIX) && group.endsWith("}")
                ? group.substring(ROOM_GROUP_PREFIX.length(), group.length() - 1)
                : null;
    }

    static String userGroup(String user) {
        return "user:" + user;
    }

    static String roomStream(String room) {
        return "chat:{" + room + "}";
    }

    static String directQueue(String user) {
        return "direct:" + user;
    }

    @Override
    public Decision onConnect(Session session) throws Exception {
        room = session.scope().pathParam("room");
        if (!Names.valid(room)) {
            return Decision.reject(400, "invalid room: a name is " + Names.RULE);
        }
        user = session.user().map(User::name).orElse(null);
        if (user == null) {
            return Decision.reject(400, "missing user: add ?user=NAME (" + Names.RULE + ")");
        }
        Long since;
        try {
            since = parseSince(session.scope().queryParam("since").orElse(null));
        } catch (IllegalArgumentException e) {
            return Decision.reject(400, e.getMessage());
        }
        String epoch = session.scope().queryParam("epoch").orElse(null);
        await(session.join(userGroup(user)));
        MembershipChange change = joinAndWelcome(session, since, epoch);
        sendQueuedDirectMessages(session);
        if (change.userPresenceChanged()) {
            session.hub()
                    .broadcast(
                            roomGroup(room),
                            Message.text(ChatProtocol.presence("join", room, user)),
                            session.address());
        }
        app.local().opened(session.address(), user, room);
        return Decision.accept();
    }

    private static Long parseSince(String value) {
        if (value == null) {
            return null;
        }
        try {
            long since = Long.parseLong(value);
            if (since >= 0) {
                return since;
            }
        } catch (NumberFormatException e) {
            // fall through to the one message below
        }
        throw new IllegalArgumentException("invalid since: a message id is a whole number, 0 or more");
    }

    /**
     * Joins the room and sends the welcome, with the snapshot taken between two appends. A
     * {@code since} from another epoch (the server restarted, or the room was forgotten and began
     * again) means nothing here: the client gets everything kept, as with {@code since=0}, and
     * {@code recovered} false. The welcome carries the newest messages that fit its byte budget and
     * {@code more} when older ones are kept (a client pages through them with a history request).
     */
    private MembershipChange joinAndWelcome(Session session, Long since, String epoch) throws Exception {
        ReentrantLock lock = app.lockFor(room);
        lock.lock();
        try {
            MembershipChange change = await(session.join(roomGroup(room)));
            Backlog backlog = backlog(since, epoch);
            List<String> members = await(session.hub().members(roomGroup(room))).stream()
                    .map(MemberInfo::user)
                    .filter(Objects::nonNull)
                    .distinct()
                    .sorted()
                    .toList();
            // A room of thousands still fits: the first names in a quarter of the budget.
            members = Pages.names(members, app.settings().welcomeBytes() / 4);
            List<String> fitting =
                    Pages.newest(backlog.payloads(), app.settings().welcomeBytes());
            boolean cut = fitting.size() < backlog.payloads().size();
            session.send(ChatProtocol.welcome(
                    room, user, members, fitting, backlog.recovered() && !cut, backlog.epoch(), cut));
            return change;
        } finally {
            lock.unlock();
        }
    }

    /** What a joiner is owed: the room's kept messages, or those after its position. */
    private record Backlog(List<String> payloads, boolean recovered, String epoch) {}

    private Backlog backlog(Long since, String clientEpoch) throws Exception {
        History history = app.history();
        String stream = roomStream(room);
        // While the history is unreachable nothing is known, and a client's position stays good.
        // A client without an epoch gets the one this node numbers its own messages under meanwhile.
        Supplier<Backlog> unknown =
                () -> new Backlog(List.of(), false, clientEpoch != null ? clientEpoch : history.currentEpoch(stream));
        // Without the client's epoch, its position is taken as one of the history this node knew before
        // asking: a node learns that Redis lost its data (a new history epoch) only by asking.
        String known = history.epoch();
        try {
            History.Recovery recovery = await(history.since(stream, since == null ? 0 : since));
            if (recovery.epoch().isEmpty()) {
                return unknown.get();
            }
            if (since == null) {
                return new Backlog(payloads(recovery), true, recovery.epoch());
            }
            if (clientEpoch != null && !clientEpoch.equals(recovery.epoch())) {
                History.Recovery all = await(history.since(stream, 0)); // another life: all it keeps
                return all.epoch().isEmpty() ? unknown.get() : new Backlog(payloads(all), false, all.epoch());
            }
            boolean sameHistory = clientEpoch != null || known.equals(history.epoch()); // read after the answer
            return new Backlog(payloads(recovery), recovery.complete() && sameHistory, recovery.epoch());
        } catch (UnavailableException e) {
            return unknown.get();
        }
    }

    private static List<String> payloads(History.Recovery recovery) {
        return recovery.entries().stream().map(History.Entry::payload).toList();
    }

    /**
     * One page of the room's kept messages after {@code since}: the oldest that fit the welcome budget
     * (at least one). A {@code since} of another epoch than the room's means nothing here: the page
     * starts from 0, not complete. While the history is unreachable the answer is the error {@code
     * unavailable}, never a page, which a client would take for the end.
     */
    private void sendHistoryPage(Session session, ChatProtocol.HistoryRequest request) throws Exception {
        String stream = roomStream(room);
        History.Recovery recovery = readOrNull(stream, request.since());
        boolean otherEpoch =
                recovery != null && request.epoch() != null && !request.epoch().equals(recovery.epoch());
        if (otherEpoch) {
            recovery = readOrNull(stream, 0);
        }
        if (recovery == null) {
            session.send(ChatProtocol.historyUnavailable());
            return;
        }
        List<String> all = payloads(recovery);
        List<String> page = Pages.oldest(all, app.settings().welcomeBytes());
        boolean complete = recovery.complete() && !otherEpoch;
        session.send(ChatProtocol.historyPage(room, page, complete, recovery.epoch(), page.size() < all.size()));
    }

    /** The kept messages after {@code since}, or null when the history cannot be read (an empty epoch). */
    private History.Recovery readOrNull(String stream, long since) throws Exception {
        try {
            History.Recovery recovery = await(app.history().since(stream, since));
            return recovery.epoch().isEmpty() ? null : recovery;
        } catch (UnavailableException e) {
            return null;
        }
    }

    @Override
    public void onText(Session session, String text) throws Exception {
        switch (ChatProtocol.parse(text, app.settings().maxMessageChars())) {
            case ChatProtocol.Ping ping -> session.send(ChatProtocol.pong());
            case ChatProtocol.HistoryRequest request -> sendHistoryPage(session, request);
            case ChatProtocol.DirectsRequest request -> sendQueuedDirectMessages(session);
            case ChatProtocol.Invalid invalid -> session.send(ChatProtocol.error(invalid.code(), invalid.detail()));
            case ChatProtocol.RoomMessage message -> sendToRoom(session, message.text());
            case ChatProtocol.Direct direct -> sendDirect(session, direct);
        }
    }

    private void sendToRoom(Session session, String text) throws Exception {
        Hub hub = session.hub();
        long ts = app.clock().millis();
        ReentrantLock lock = app.lockFor(room);
        lock.lock();
        try {
            await(app.history()
                    .appendAndBroadcast(
                            roomStream(room),
                            ChatProtocol.message(room, user, text, ts),
                            app.settings().historySize(),
                            hub,
                            roomGroup(room)));
        } catch (UnavailableException e) { // the store refused it (out of memory, say): nobody got it
            session.send(ChatProtocol.error("unavailable", "the message could not be sent; try again later"));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reaches every connection of the recipient and of the sender. When the recipient has none, the
     * message is kept for them and the sender told so; a nudge to the recipient's group then catches
     * a connection that opened between the send and the keeping.
     */
    private void sendDirect(Session session, ChatProtocol.Direct direct) throws Exception {
        String payload = ChatProtocol.direct(
                user, direct.to(), direct.text(), app.clock().millis());
        Hub hub = session.hub();
        int reached = await(hub.sendToUser(direct.to(), Message.text(payload)));
        if (!direct.to().equals(user)) {
            hub.sendToUser(user, Message.text(payload));
        }
        if (reached == 0) {
            try {
                await(app.history()
                        .enqueue(
                                directQueue(direct.to()),
                                payload,
                                app.settings().queuedPerUser()));
            } catch (UnavailableException e) {
                session.send(ChatProtocol.error(
                        "unavailable", "the message could not be kept for " + direct.to() + "; try again later"));
                return;
            }
            session.send(ChatProtocol.queued(direct.to()));
            hub.event(userGroup(direct.to()), new Event(DRAIN_EVENT, "{}"));
        }
    }

    @Override
    public void onBinary(Session session, byte[] data) {
        session.close(CloseStatus.UNSUPPORTED_DATA.withReason("the chat speaks JSON text only"));
    }

    @Override
    public void onEvent(Session session, Event event) throws Exception {
        if (event.type().equals(DRAIN_EVENT)) {
            sendQueuedDirectMessages(session);
        } else if (event.type().equals(DISCONNECT_EVENT)) {
            session.close(DISCONNECTED);
        }
    }

    /**
     * Sends what was kept for the user, oldest first, as much as one page (the welcome budget) holds,
     * taken in one step: the rest stays kept, in order, and the client is told {@code more_directs},
     * so that however many long messages wait, none makes the connection a slow consumer. While the
     * history is unreachable they stay kept (a take that timed out never takes effect).
     */
    private void sendQueuedDirectMessages(Session session) throws Exception {
        History.Page page;
        try {
            page = await(app.history().take(directQueue(user), app.settings().welcomeBytes()));
        } catch (UnavailableException e) {
            return;
        }
        for (String payload : page.payloads()) {
            session.send(payload);
        }
        if (page.more()) {
            session.send(ChatProtocol.moreDirects());
        }
    }

    @Override
    public void onDisconnect(Session session, CloseStatus status) throws Exception {
        app.local().closed(session.address());
        session.leave(userGroup(user));
        MembershipChange change = await(session.leave(roomGroup(room)));
        if (change.userPresenceChanged()) {
            session.hub().broadcast(roomGroup(room), Message.text(ChatProtocol.presence("leave", room, user)));
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(ENGINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("the engine did not answer within " + ENGINE_TIMEOUT_SECONDS + " s");
        }
    }
}
