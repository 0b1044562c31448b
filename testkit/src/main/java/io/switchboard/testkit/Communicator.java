/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import io.switchboard.json.Json;
import io.switchboard.routing.RouteMatch;
import io.switchboard.routing.Router;
import io.switchboard.session.Address;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Decision;
import io.switchboard.session.Event;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.session.Session;
import io.switchboard.session.User;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.session.internal.ConnectionSession;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Drives one handler as if a client were connected, with no network: connect, send, receive what
 * the handler sends (with a timeout), expect nothing, disconnect. Callbacks run one at a time on a
 * thread of their own, as on a server; a callback that throws goes to the handler's {@code onError}, which by default closes the session with 1011. When
 * the handler closes the session, {@code disconnect} follows, as it would after the client's answer.
 *
 * <pre>{@code
 * try (Communicator client = Communicator.of(EchoHandler::new, "/ws/echo")) {
 *     assertInstanceOf(Decision.Accept.class, client.connect());
 *     client.sendText("hello");
 *     assertEquals("hello", client.receiveText());
 * }
 * }</pre>
 *
 * <p>{@link #close()} fails if the handler sent something the test did not read. The session is
 * the server's own {@link ConnectionSession}; the communicator is the connection under it.
 */
public final class Communicator implements AutoCloseable {

    private final CommunicatorNode node;
    private final boolean ownsNode;
    private final WebSocketHandler handler;
    private final ConnectionSession session;
    private final ConnectionSession.Control control;
    private final Recorder<ClientEvent> output = new Recorder<>("communicator");
    private final HeldBroadcasts held = new HeldBroadcasts();
    private final ExecutorService callbacks =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    private final Duration timeout = Recorder.DEFAULT_TIMEOUT;
    private volatile boolean failed;
    private final AtomicBoolean finishing = new AtomicBoolean();
    /** Whether the handler accepted the connection. */
    private volatile boolean opened;
    /** How the connection closed (by the handler or the client), or null while it has not. */
    private final AtomicReference<CloseStatus> closed = new AtomicReference<>();

    Communicator(CommunicatorNode node, WebSocketHandler handler, Scope scope) {
        this(node, false, handler, scope);
    }

    private Communicator(CommunicatorNode node, boolean ownsNode, WebSocketHandler handler, Scope scope) {
        this.node = node;
        this.ownsNode = ownsNode;
        this.handler = handler;
        this.control = ConnectionSession.create(Address.next(node.id()), scope, node.engine(), new Link());
        this.session = control.session();
    }

    /** A communicator on a node of its own, for a connection to {@code path}. */
    public static Communicator of(Supplier<? extends WebSocketHandler> handlers, String path) {
        return of(handlers, Scope.builder(path).build());
    }

    /** A communicator on a node of its own, for a connection with {@code scope}. */
    public static Communicator of(Supplier<? extends WebSocketHandler> handlers, Scope scope) {
        return new Communicator(new CommunicatorNode(), true, handlers.get(), scope);
    }

    /**
     * A communicator on a node of its own for a connection to {@code path} (with an optional query),
     * routed through {@code router} as the server routes it: the handler is the matching WebSocket
     * route's, and the scope has its path parameters. Fails naming the path when no WebSocket route
     * matches, where the server would answer 404.
     */
    public static Communicator of(Router router, String path) {
        int question = path.indexOf('?');
        String bare = question < 0 ? path : path.substring(0, question);
        RouteMatch match = router.match(bare)
                .filter(found -> found.acceptsWebSocket())
                .orElseThrow(() -> new IllegalArgumentException("no WebSocket route matches " + path));
        Scope.Builder scope = Scope.builder(bare).pathParams(match.params());
        if (question >= 0) {
            for (String pair : path.substring(question + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int equals = pair.indexOf('=');
                    scope.query(
                            decode(equals < 0 ? pair : pair.substring(0, equals)),
                            equals < 0 ? "" : decode(pair.substring(equals + 1)));
                }
            }
        }
        return of(match.websocket(), scope.build());
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** Makes the session belong to {@code who}, as an authenticator would; call before {@link #connect()}. */
    public Communicator asUser(User who) {
        control.authenticated(who);
        return this;
    }

    /** The session the handler sees. */
    public Session session() {
        return session;
    }

    Address address() {
        return session.address();
    }

    Optional<String> userName() {
        return session.user().map(User::name);
    }

    /**
     * Runs {@code onConnect} and returns its decision; an accepted session opens, and {@code onOpen}
     * has run when this returns.
     */
    public Decision connect() {
        Decision decision = await(CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return handler.onConnect(session);
                    } catch (Exception e) {
                        throw new AssertionError("connect threw " + e, e);
                    }
                },
                callbacks));
        if (decision instanceof Decision.Accept accept) {
            control.opened(accept.subprotocol().orElse(null));
            opened = true;
            node.register(this);
            node.engine().connected(session.member());
            CloseStatus closedInConnect = closed.get();
            if (closedInConnect != null) {
                // As on a server: the close is sent after the handshake, and disconnect follows.
                scheduleFinish(closedInConnect);
            } else {
                // As on a server, onOpen is the first callback; connect returns once it has run.
                await(CompletableFuture.runAsync(() -> dispatch(() -> handler.onOpen(session)), callbacks));
            }
        } else if (markClosed(CloseStatus.ABNORMAL)) {
            // Refused, as on a server: what connect joined is left, and disconnect never runs.
            control.leaveEngineGroups();
            node.unregister(this);
        }
        return decision;
    }

    /** Connects and fails unless the handler accepts. */
    public void connectAccepted() {
        Decision decision = connect();
        if (!(decision instanceof Decision.Accept)) {
            throw new AssertionError("expected the handler to accept but it decided " + decision);
        }
    }

    /** The client sends a text message. */
    public void sendText(String text) {
        post(() -> handler.onText(session, text));
    }

    /** The client sends {@code value} as JSON text. */
    public void sendJson(Object value) {
        sendText(Json.write(value));
    }

    /** The client sends a binary message. */
    public void sendBinary(byte[] data) {
        post(() -> handler.onBinary(session, data));
    }

    /** A group event reaches the session. */
    public void deliver(Event event) {
        post(() -> handler.onEvent(session, event));
    }

    /** The client goes away with {@code status}; waits for {@code disconnect} to finish. */
    public void disconnect(CloseStatus status) {
        if (markClosed(status) && opened) {
            await(scheduleFinish(status));
        }
    }

    /** The next message the handler sent to the client. */
    public Message receive() {
        ClientEvent event = output.next(timeout);
        return switch (event) {
            case ClientEvent.Text text -> Message.text(text.text());
            case ClientEvent.Binary binary -> Message.binary(binary.data());
            default -> throw new AssertionError("expected a message but got " + event);
        };
    }

    /** The next message must be text; returns it. */
    public String receiveText() {
        return output.next(ClientEvent.Text.class, timeout).text();
    }

    /** The next message must be JSON text; returns it read as {@code kind}. */
    public <T> T receiveJson(Class<T> kind) {
        return Json.read(receiveText(), kind);
    }

    /** The next message must be binary; returns it. */
    public byte[] receiveBinary() {
        return output.next(ClientEvent.Binary.class, timeout).data();
    }

    /** The handler must close the session next; returns the status it closed with. */
    public CloseStatus expectClosed() {
        ClientEvent.Closed closed = output.next(ClientEvent.Closed.class, timeout);
        return new CloseStatus(closed.code(), closed.reason());
    }

    /** Fails if the handler sends anything within {@code quiet}. */
    public void expectNothing(Duration quiet) {
        output.expectNothing(quiet);
    }

    /** Disconnects (1000) if still open, stops the callback thread and checks nothing was left unread. */
    @Override
    public void close() {
        disconnect(CloseStatus.NORMAL);
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsNode) {
            node.close();
        }
        output.assertEmpty();
    }

    private interface Callback {
        void run() throws Exception;
    }

    private void post(Callback callback) {
        callbacks.execute(() -> dispatch(callback));
    }

    /** Runs a callback as the server does: a failure goes to onError; once closing, nothing more runs. */
    private void dispatch(Callback callback) {
        if (failed) {
            return;
        }
        try {
            callback.run();
        } catch (Throwable e) {
            try {
                handler.onError(session, e);
            } catch (Throwable again) {
                session.close(CloseStatus.INTERNAL_ERROR);
            }
            failed = !session.isOpen();
        }
    }

    /**
     * Runs {@link #finish} once, after the callbacks queued so far. Both the handler's close and an
     * accepted {@code connect} that had already closed may ask; only the first one counts.
     */
    private CompletableFuture<Void> scheduleFinish(CloseStatus status) {
        if (!finishing.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> finish(status), callbacks);
    }

    /** Runs {@code disconnect}, then leaves what the handler did not leave, as the server does. */
    private void finish(CloseStatus status) {
        try {
            handler.onDisconnect(session, status);
        } catch (Exception e) {
            throw new AssertionError("disconnect threw " + e, e);
        } finally {
            control.leaveEngineGroups();
            node.engine().disconnected(session.member());
            node.unregister(this);
        }
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError assertion) {
                throw assertion;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the handler did not finish within " + timeout.toMillis() + " ms", e);
        }
    }

    /** True the first time: the connection was open or connecting and is now closed. */
    private boolean markClosed(CloseStatus status) {
        if (!closed.compareAndSet(null, status)) {
            return false;
        }
        control.closed(status);
        return true;
    }

    /** A broadcast to a group the session is in: sent, or held while the handler holds the group. */
    void broadcast(String group, Message message) {
        held.deliver(group, message, session::send);
    }

    /** The connection under the session: what the handler sends is recorded for the test. */
    private final class Link implements ConnectionSession.Link {
        @Override
        public boolean write(Message message) {
            if (closed.get() != null) {
                return false;
            }
            output.record(
                    switch (message) {
                        case Message.Text text -> new ClientEvent.Text(text.text());
                        case Message.Binary binary -> new ClientEvent.Binary(binary.data());
                    });
            return true;
        }

        /** The client answers at once: the close is recorded, and disconnect follows. */
        @Override
        public void startClosing(CloseStatus status) {
            if (markClosed(status)) {
                output.record(new ClientEvent.Closed(status.code(), status.reason()));
                if (opened) {
                    scheduleFinish(status);
                }
            }
        }

        @Override
        public boolean isOpen() {
            return opened && closed.get() == null;
        }

        @Override
        public boolean isFinished() {
            return closed.get() != null;
        }

        @Override
        public void joined(String group) {
            node.joinLocal(group, Communicator.this);
        }

        @Override
        public void left(String group) {
            node.leaveLocal(group, Communicator.this);
            held.cancel(group);
        }

        @Override
        public void hold(String group) {
            held.start(group);
        }

        @Override
        public void release(String group, Message first, Predicate<Message> keep) {
            held.release(group, first, keep, this::write);
        }
    }
}
