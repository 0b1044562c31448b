/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.session.CloseStatus;
import io.switchboard.session.Event;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection speaking Centrifugo's client protocol (JSON). Each frame's commands run in
 * order and their replies go out as one frame; a command that fails gets the protocol's error reply,
 * a frame that cannot be read or a command out of place ends the connection with the protocol's
 * close code. Each refusal is one log line; nothing a client sends reaches another connection.
 */
final class ClientHandler implements WebSocketHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);

    private final Context context;
    private final Subscriber subscriber;
    private final Connecting connecting;
    private final SubscribeCommands subscribes;
    private final StreamCommands streams;
    private final ServerCommands server;
    private final Timers timers;
    private ClientState state;

    ClientHandler(Context context) {
        this.context = context;
        this.subscriber = new Subscriber(context);
        this.timers = new Timers(context);
        this.connecting = new Connecting(context, subscriber, timers);
        this.subscribes = new SubscribeCommands(context, subscriber, timers);
        this.streams = new StreamCommands(context);
        this.server = new ServerCommands(subscribes);
    }

    @Override
    public void onOpen(Session session) {
        state = new ClientState(session.address().value());
        context.local().opened(session);
        state.lock.lock();
        try {
            timers.staleAfterConnectTimeout(session, state);
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public void onText(Session session, String text) {
        Replies replies = new Replies(session);
        state.lock.lock();
        try {
            for (Command command : CommandParser.parse(text)) {
                // Closed by the server (a ban, an expired token): what the client had queued is not run.
                if (state.closing || !session.isOpen() || !run(session, command, replies)) {
                    break;
                }
            }
        } finally {
            replies.flush();
            state.lock.unlock();
        }
    }

    /** Runs one command; false when the connection is ending. */
    private boolean run(Session session, Command command, Replies replies) {
        try {
            switch (command) {
                case Command.Pong pong -> {}
                case Command.Malformed malformed ->
                    throw new Disconnect(DisconnectCode.BAD_REQUEST, malformed.reason());
                case Command.Call call -> call(session, call, replies);
            }
            return true;
        } catch (ChannelsException e) {
            long id = command instanceof Command.Call call ? call.id() : 0;
            LOG.info(
                    "Client {} of user '{}': {} refused: {}",
                    state.client,
                    state.user,
                    describe(command),
                    e.getMessage());
            if (id > 0) { // a send has no reply, not even an error
                replies.add(Wire.error(id, e.code(), temporary(e.code())));
            }
            return true;
        } catch (Disconnect e) {
            disconnect(session, e, replies);
            return false;
        } catch (RuntimeException e) {
            LOG.warn("Client {} of user '{}': {} failed", state.client, state.user, describe(command), e);
            long id = command instanceof Command.Call call ? call.id() : 0;
            if (id > 0) {
                replies.add(Wire.error(id, ErrorCode.INTERNAL, true));
            }
            return true;
        }
    }

    private void disconnect(Session session, Disconnect e, Replies replies) {
        LOG.info(
                "Client {} of user '{}' disconnected ({} {}): {}",
                state.client,
                state.user,
                e.code().code(),
                e.code().reason(),
                e.getMessage());
        replies.flush();
        state.closing = true;
        session.close(e.code().code(), e.code().reason());
    }

    private static boolean temporary(ErrorCode code) {
        return code == ErrorCode.INTERNAL || code == ErrorCode.TOO_MANY_REQUESTS;
    }

    private static String describe(Command command) {
        return command instanceof Command.Call call && call.method() != null ? call.method() : "a command";
    }

    private void call(Session session, Command.Call call, Replies replies) {
        if (call.method() == null) {
            throw new ChannelsException(ErrorCode.METHOD_NOT_FOUND);
        }
        if (!state.connected && !call.method().equals("connect")) {
            throw new Disconnect(DisconnectCode.BAD_REQUEST, call.method() + " before connect");
        }
        switch (call.method()) {
            case "connect" -> connecting.connect(session, state, call, replies);
            case "refresh" -> connecting.refresh(session, state, call, replies);
            case "subscribe" -> subscribes.subscribe(session, state, call, replies);
            case "sub_refresh" -> subscribes.refresh(session, state, call, replies);
            case "unsubscribe" -> subscribes.unsubscribe(session, state, call, replies);
            case "publish" -> streams.publish(session, state, call, replies);
            case "presence" -> streams.presence(session, state, call, replies);
            case "presence_stats" -> streams.presenceStats(session, state, call, replies);
            case "history" -> streams.history(state, call, replies);
            case "rpc" -> streams.rpc(state, call, replies);
            case "send" -> streams.send(state, call);
            case "ping" -> replies.add(Wire.reply(call.id(), "ping", "{}"));
            default -> throw new ChannelsException(ErrorCode.METHOD_NOT_FOUND);
        }
    }

    @Override
    public void onBinary(Session session, byte[] data) {
        LOG.info("Client {} disconnected: a binary frame (this endpoint speaks the JSON protocol)", state.client);
        session.close(DisconnectCode.BAD_REQUEST.code(), DisconnectCode.BAD_REQUEST.reason());
    }

    @Override
    public void onEvent(Session session, Event event) {
        state.lock.lock();
        try {
            if (state.connected && !state.closing) {
                server.handle(session, state, event);
            }
        } catch (ChannelsException e) {
            LOG.info("Client {}: server command {} refused: {}", state.client, event.type(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Client {}: server command {} failed", state.client, event.type(), e);
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public void onDisconnect(Session session, CloseStatus status) {
        context.local().closed(session);
        if (state == null) {
            return;
        }
        state.lock.lock();
        try {
            state.closing = true;
            Timers.stop(state);
            if (state.connected) {
                subscriber.unsubscribeAll(session, state);
                context.local().disconnected(state.user);
                state.connected = false;
            }
        } finally {
            state.lock.unlock();
        }
    }
}
