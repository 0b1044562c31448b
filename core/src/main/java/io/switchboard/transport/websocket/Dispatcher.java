/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.switchboard.session.CloseStatus;
import io.switchboard.session.Event;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one connection's handler: one callback at a time, in arrival order, through a {@link
 * Mailbox} on the handler's threads (a virtual thread per burst, or the event loop). A callback that
 * throws goes to the handler's {@code onError} (by default: log once, close with 1011); once that
 * has left the session closing, the handler is done: later messages are skipped, and only {@code
 * onDisconnect} still runs. Posts before {@link #start()} wait for the handshake to complete.
 *
 * <p>Threads: the event loop posts; the handler's thread runs the callbacks and reports what it
 * took to the {@link InboundFlow}.
 */
public final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /** What the mailbox carries to the handler. */
    sealed interface Signal permits Open, Text, Binary, Deliver, Disconnect, Barrier {}

    /** The connection is open: {@code onOpen}, ahead of everything else. */
    record Open() implements Signal {}

    record Text(String text, int size) implements Signal {}

    record Binary(byte[] data) implements Signal {}

    record Deliver(Event event) implements Signal {}

    record Disconnect(CloseStatus status) implements Signal {}

    /** Runs {@code task} on the loop once the handler has taken every signal posted before it. */
    record Barrier(Runnable task) implements Signal {}

    private final WebSocketHandler handler;
    private final Session session;
    private final InboundFlow flow;
    private final Executor loop;
    private final BooleanSupplier inLoop;
    /** Runs after {@code onDisconnect}, whatever it did: the session's groups and registrations go. */
    private final Runnable ended;

    private final Mailbox<Signal> mailbox;
    /**
     * The handler's side of the lifecycle, apart from the connection's phase: set once a callback
     * threw and left the session closing, or once {@code onOpen} was skipped; later messages are
     * then not delivered, only {@code onDisconnect}. Written on the handler's thread, read on both.
     */
    private volatile boolean failed;
    /** The connection, as log lines name it. */
    private final Object who;
    /** Whether dropping events was logged: once per connection. Loop only. */
    private boolean overloadLogged;

    /**
     * @param handlerThreads where callbacks run, or null to run them on the loop
     * @param loop the connection's event loop, and {@code inLoop} whether the caller is on it
     */
    public Dispatcher(
            WebSocketHandler handler,
            Session session,
            InboundFlow flow,
            Executor handlerThreads,
            Executor loop,
            BooleanSupplier inLoop,
            Runnable ended) {
        this(handler, session, flow, handlerThreads, loop, inLoop, ended, session.address());
    }

    /** @param who the connection, as log lines name it (its {@link ConnectionLog}) */
    public Dispatcher(
            WebSocketHandler handler,
            Session session,
            InboundFlow flow,
            Executor handlerThreads,
            Executor loop,
            BooleanSupplier inLoop,
            Runnable ended,
            Object who) {
        this.who = who;
        this.handler = handler;
        this.session = session;
        this.flow = flow;
        this.loop = loop;
        this.inLoop = inLoop;
        this.ended = ended;
        this.mailbox = handlerThreads == null
                ? new Mailbox<>(this::onLoop, this::handle, inLoop)
                : new Mailbox<>(handlerThreads, this::handle);
    }

    /** The connection is open: {@code onOpen} runs first, then what was posted so far. Call once. */
    public void open() {
        mailbox.start(new Open());
    }

    /** The connection never opened: what was posted so far runs ({@code onDisconnect}). Call once. */
    public void start() {
        mailbox.start();
    }

    /** A text message of {@code size} bytes for {@code onText}. On the loop. */
    public void text(String text, int size) {
        flow.queued(size);
        if (mailbox.tryEnter()) { // a handler on the loop with nothing queued: no signal object
            takeText(text, size);
            mailbox.leave();
            return;
        }
        mailbox.post(new Text(text, size));
    }

    /** A binary message for {@code onBinary}. On the loop. */
    public void binary(byte[] data) {
        flow.queued(data.length);
        if (mailbox.tryEnter()) {
            takeBinary(data);
            mailbox.leave();
            return;
        }
        mailbox.post(new Binary(data));
    }

    /** A group event for {@code onEvent}; dropped when the handler is far behind. On the loop. */
    public void event(Event event) {
        if (flow.overloaded()) {
            if (!overloadLogged) {
                overloadLogged = true;
                ConnectionLog.warn(log, who)
                        .log("events for {} arrive faster than its handler takes them; dropping", session.address());
            }
            return;
        }
        flow.queued(event.json().length());
        mailbox.post(new Deliver(event));
    }

    /** Runs {@code task} on the loop once the handler has taken everything posted before. */
    public void afterQueued(Runnable task) {
        mailbox.post(new Barrier(task));
    }

    /** The connection has ended: {@code onDisconnect} after what is queued, then {@code ended}. */
    public void disconnect(CloseStatus status) {
        mailbox.post(new Disconnect(status));
    }

    private void handle(Signal signal) {
        switch (signal) {
            case Open open -> {
                if (session.isOpen()) {
                    onOpen();
                } else {
                    // Closed during the handshake, or lost before the handler's thread got here: the
                    // handler never saw it open, so no message reaches it either; onDisconnect still runs.
                    failed = true;
                }
            }
            case Barrier barrier -> onLoop(barrier.task());
            case Disconnect disconnect -> disconnected(disconnect.status());
            case Text text -> takeText(text.text(), text.size());
            case Binary binary -> takeBinary(binary.data());
            case Deliver deliver -> {
                flow.taken(deliver.event().json().length());
                if (!failed) {
                    onEvent(deliver.event());
                }
            }
        }
    }

    private void takeText(String text, int size) {
        flow.taken(size);
        if (!failed) {
            onText(text);
        }
    }

    private void takeBinary(byte[] data) {
        flow.taken(data.length);
        if (!failed) {
            onBinary(data);
        }
    }

    private void onOpen() {
        try {
            handler.onOpen(session);
        } catch (Throwable e) {
            answerFailure(e);
        }
    }

    private void onText(String text) {
        try {
            handler.onText(session, text);
        } catch (Throwable e) {
            answerFailure(e);
        }
    }

    private void onBinary(byte[] data) {
        try {
            handler.onBinary(session, data);
        } catch (Throwable e) {
            answerFailure(e);
        }
    }

    private void onEvent(Event event) {
        try {
            handler.onEvent(session, event);
        } catch (Throwable e) {
            answerFailure(e);
        }
    }

    private void disconnected(CloseStatus status) {
        try {
            handler.onDisconnect(session, status);
        } catch (Throwable e) {
            // The connection is closed: there is nothing for onError to answer or close, and it
            // already ran for an earlier failure. Logged once, whatever came before.
            ConnectionLog.warn(log, who)
                    .addKeyValue(ConnectionLog.CODE, status.code())
                    .setCause(e)
                    .log(
                            "onDisconnect for {} on {} failed",
                            session.address(),
                            session.scope().path());
        } finally {
            ended.run();
        }
    }

    /** The handler's {@code onError} decides; once the session is closing, later messages are not delivered. */
    private void answerFailure(Throwable error) {
        try {
            handler.onError(session, error);
        } catch (Throwable again) {
            again.addSuppressed(error);
            ConnectionLog.warn(log, who)
                    .addKeyValue(ConnectionLog.CODE, CloseStatus.INTERNAL_ERROR.code())
                    .setCause(again)
                    .log(
                            "onError for {} on {} failed; closing with 1011",
                            session.address(),
                            session.scope().path());
            session.close(CloseStatus.INTERNAL_ERROR);
        }
        failed = !session.isOpen();
    }

    private void onLoop(Runnable task) {
        if (inLoop.getAsBoolean()) {
            task.run();
        } else {
            Loops.execute(loop, task); // a stopped loop has closed the channel: nothing left to do
        }
    }
}
