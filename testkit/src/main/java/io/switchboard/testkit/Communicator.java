package io.switchboard.testkit;

import io.switchboard.json.Json;
import io.switchboard.session.Address;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Decision;
import io.switchboard.session.Event;
import io.switchboard.session.Groups;
import io.switchboard.session.Hub;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.MembershipChange;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.session.Session;
import io.switchboard.session.User;
import io.switchboard.session.WebSocketHandler;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>{@link #close()} fails if the handler sent something the test did not read.
 */
public final class Communicator implements AutoCloseable {

    private final CommunicatorNode node;
    private final boolean ownsNode;
    private final WebSocketHandler handler;
    private final TestSession session;
    private final Recorder<ClientEvent> output = new Recorder<>("communicator");
    private final ExecutorService callbacks =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    private final Duration timeout = Recorder.DEFAULT_TIMEOUT;
    private volatile User user;
    private volatile boolean failed;
    private final AtomicBoolean finishing = new AtomicBoolean();

    Communicator(CommunicatorNode node, WebSocketHandler handler, Scope scope) {
        this(node, false, handler, scope);
    }

    private Communicator(CommunicatorNode node, boolean ownsNode, WebSocketHandler handler, Scope scope) {
        this.node = node;
        this.ownsNode = ownsNode;
        this.handler = handler;
        this.session = new TestSession(Address.next(node.id()), scope);
    }

    /** A communicator on a node of its own, for a connection to {@code path}. */
    public static Communicator of(Supplier<? extends WebSocketHandler> handlers, String path) {
        return of(handlers, Scope.builder(path).build());
    }

    /** A communicator on a node of its own, for a connection with {@code scope}. */
    public static Communicator of(Supplier<? extends WebSocketHandler> handlers, Scope scope) {
        return new Communicator(new CommunicatorNode(), true, handlers.get(), scope);
    }

    /** Makes the session belong to {@code who}, as an authenticator would; call before {@link #connect()}. */
    public Communicator asUser(User who) {
        this.user = who;
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
        return Optional.ofNullable(user).map(User::name);
    }

    /** Runs {@code connect} and returns its decision; an accepted session opens. */
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
        if (decision instanceof Decision.Accept) {
            session.open();
            CloseStatus closedInConnect = session.closed.getNow(null);
            if (closedInConnect != null) {
                // As on a server: the close is sent after the handshake, and disconnect follows.
                scheduleFinish(closedInConnect);
            }
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
        if (session.markClosed(status) && session.opened) {
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
        callbacks.execute(() -> {
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
        });
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
            for (String group : Set.copyOf(session.groups)) {
                session.leave(group);
            }
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

    /** The session as the handler sees it; what it sends is recorded for the test. */
    private final class TestSession implements Session {
        private final Address address;
        private final Scope scope;
        private final Set<String> groups = ConcurrentHashMap.newKeySet();
        private final Map<String, Object> attributes = new ConcurrentHashMap<>();
        private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        private volatile boolean open;
        private volatile boolean opened;

        TestSession(Address address, Scope scope) {
            this.address = address;
            this.scope = scope;
        }

        void open() {
            open = true;
            opened = true;
            node.register(Communicator.this);
            node.engine().connected(member());
        }

        /** True the first time: the session was open or connecting and is now closed. */
        boolean markClosed(CloseStatus status) {
            open = false;
            return closed.complete(status);
        }

        MemberInfo member() {
            return new MemberInfo(address, user == null ? null : user.name());
        }

        @Override
        public Address address() {
            return address;
        }

        @Override
        public Scope scope() {
            return scope;
        }

        @Override
        public Optional<User> user() {
            return Optional.ofNullable(user);
        }

        @Override
        public Optional<String> subprotocol() {
            return Optional.empty();
        }

        @Override
        public boolean send(String text) {
            return send(Message.text(text));
        }

        @Override
        public boolean send(byte[] data) {
            return send(Message.binary(data));
        }

        @Override
        public boolean send(Message message) {
            if (closed.isDone()) {
                return false;
            }
            output.record(
                    switch (message) {
                        case Message.Text text -> new ClientEvent.Text(text.text());
                        case Message.Binary binary -> new ClientEvent.Binary(binary.data());
                    });
            return true;
        }

        @Override
        public void close(CloseStatus status) {
            if (!status.sendable()) {
                throw new IllegalArgumentException("close code " + status.code() + " may not be sent");
            }
            if (markClosed(status)) {
                output.record(new ClientEvent.Closed(status.code(), status.reason()));
                if (opened) {
                    scheduleFinish(status);
                }
            }
        }

        @Override
        public boolean isOpen() {
            return open && !closed.isDone();
        }

        @Override
        public CompletionStage<CloseStatus> closeFuture() {
            return closed.minimalCompletionStage();
        }

        @Override
        public CompletionStage<MembershipChange> join(String group) {
            Groups.requireValidName(group);
            if (groups.add(group)) {
                node.joinLocal(group, Communicator.this);
            }
            return node.engine().join(group, member());
        }

        @Override
        public CompletionStage<MembershipChange> leave(String group) {
            Groups.requireValidName(group);
            if (groups.remove(group)) {
                node.leaveLocal(group, Communicator.this);
            }
            return node.engine().leave(group, member());
        }

        @Override
        public Set<String> groups() {
            return Collections.unmodifiableSet(groups);
        }

        @Override
        public Hub hub() {
            return node.engine();
        }

        @Override
        public Map<String, Object> attributes() {
            return attributes;
        }
    }
}
