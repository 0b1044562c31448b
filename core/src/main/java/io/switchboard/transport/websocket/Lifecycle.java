/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.switchboard.session.CloseStatus;
import java.util.function.BooleanSupplier;

/**
 * Where one connection is in its life, and the one place that decides how it closes, after RFC 6455
 * section 7: start the closing handshake (7.1.2), answer the peer's close (5.5.1), fail the connection
 * (7.1.7), give up when the peer does not answer (the close timeout), and note that TCP has closed
 * (7.1.4). Each decision is a {@link Step} the transport carries out; nothing here touches a socket.
 *
 * <p>A close that the server decides while the handler still has messages queued (the peer's close,
 * a message over the size limit, a failure) waits in {@link Phase.Draining} until the handler has
 * taken them, so that its replies precede the close frame (RFC 6455, 5.5.1 lets a close wait for the
 * current message).
 *
 * <p>Owned by the channel's event loop: every method but {@link #phase()} and the queries runs there.
 * The phase is volatile so that other threads (a handler sending) read a current one.
 */
public final class Lifecycle {

    /** Who started the close. */
    enum Initiator {
        /** This server: the handler, a limit, or shutdown. */
        US,
        /** The client, with its close frame. */
        PEER,
        /** A violation or an error: the connection is failed rather than closed politely. */
        FAILURE
    }

    /** The phases of a connection; records so that each carries what it needs. */
    sealed interface Phase {
        /** The handshake is under way; {@code closeOnOpen} is a close asked meanwhile, or null. */
        record Connecting(CloseStatus closeOnOpen) implements Phase {}

        /** Messages flow both ways. */
        record Open() implements Phase {}

        /**
         * A close is decided and waits for the handler to take what came before it. Frames that
         * arrive are dropped; the handler's sends still go out, ahead of the close frame.
         *
         * @param peerClosed whether the peer's close frame has arrived (our close will answer it)
         */
        record Draining(Initiator by, CloseStatus status, boolean peerClosed) implements Phase {}

        /** A close frame is sent or being sent; the connection ends when TCP closes. */
        record Closing(Initiator by, CloseStatus status) implements Phase {}

        /** TCP is closed; {@code status} is what the handler hears. */
        record Closed(CloseStatus status) implements Phase {}

        /** Refused before the upgrade: the handler never saw it open. */
        record Rejected() implements Phase {}
    }

    /** What the transport does after a decision. */
    sealed interface Step {
        /** Nothing now. */
        record Nothing() implements Step {}

        /**
         * Stop reading; call {@link #drained()} once the handler has taken every message that came
         * before, or after the close timeout, whichever is first.
         */
        record Drain() implements Step {}

        /**
         * Write a close frame with {@code frame} ({@link CloseStatus#NO_STATUS}: an empty one), then do
         * as {@code then} says.
         */
        record SendClose(CloseStatus frame, Then then) implements Step {}

        /** Close TCP without a frame. */
        record CloseTcp() implements Step {}
    }

    /** What follows our close frame. */
    enum Then {
        /** Wait for the peer's close frame; close TCP after the close timeout if none comes. */
        AWAIT_PEER,
        /** The peer has closed already: close TCP once the frame is written. */
        CLOSE_WHEN_WRITTEN,
        /** Failing: shut output once written and linger (see LingeringClose), close timeout as a bound. */
        LINGER,
        /** The peer is gone or stuck: close TCP at once, whether or not the frame got out. */
        CLOSE_NOW
    }

    static final Step NOTHING = new Step.Nothing();
    static final Step DRAIN = new Step.Drain();
    static final Step CLOSE_TCP = new Step.CloseTcp();
    private static final Phase OPEN = new Phase.Open();
    private static final Phase CONNECTING = new Phase.Connecting(null);

    /** Whether the peer reads what we write: a close frame to a peer that does not would never arrive. */
    private final BooleanSupplier peerReading;

    private volatile Phase phase = CONNECTING;

    /**
     * A connection in its handshake.
     *
     * @param peerReading whether the peer is reading what we write (asked only when starting a
     *     closing handshake)
     */
    public Lifecycle(BooleanSupplier peerReading) {
        this.peerReading = peerReading;
    }

    /** The phase now; any thread. */
    Phase phase() {
        return phase;
    }

    /** Whether data and control frames are taken: open, and no close decided. Any thread. */
    public boolean reading() {
        return phase == OPEN;
    }

    /** Whether the handler's sends are written: open, or a close waits for the handler. Any thread. */
    public boolean open() {
        return isOpen(phase);
    }

    /** Whether {@code phase} is one where the handler's sends are written. */
    static boolean isOpen(Phase phase) {
        return phase == OPEN || phase instanceof Phase.Draining;
    }

    /** Whether sends are taken: held during the handshake, written while open. Any thread. */
    public boolean sending() {
        Phase now = phase;
        return now == OPEN || now instanceof Phase.Connecting || now instanceof Phase.Draining;
    }

    /** Whether the handshake is still under way. Any thread. */
    boolean connecting() {
        return phase instanceof Phase.Connecting;
    }

    /** Whether the connection has closed or was refused. Any thread. */
    public boolean finished() {
        Phase now = phase;
        return now instanceof Phase.Closed || now instanceof Phase.Rejected;
    }

    /** Whether a close of ours would still change anything (for the slow-consumer policy's one log line). */
    boolean closable() {
        return phase == OPEN || phase == CONNECTING;
    }

    // ---- the handshake ----

    /**
     * The 101 is written. Returns the close asked during the handshake, or null; the caller hands it
     * to {@link #close} once what was held for the client is written.
     */
    public CloseStatus opened() {
        if (!(phase instanceof Phase.Connecting connecting)) {
            return null;
        }
        phase = OPEN;
        return connecting.closeOnOpen();
    }

    /** Refused before the upgrade. */
    public void rejected() {
        phase = new Phase.Rejected();
    }

    /** Accepted, but the connection went away before the 101 was written. */
    public void lostBeforeOpen() {
        phase = new Phase.Closed(CloseStatus.ABNORMAL);
    }

    // ---- RFC 6455, 7.1.2: start the closing handshake ----

    /** We close with {@code status}: the handler, shutdown, or the slow-consumer policy. */
    Step close(CloseStatus status) {
        return switch (phase) {
            case Phase.Connecting c
            when c.closeOnOpen() == null -> {
                phase = new Phase.Connecting(status); // sent once the handshake completes
                yield NOTHING;
            }
            case Phase.Open o -> startClosing(status, false);
            // A failure under way wins: its close goes out once the handler is drained.
            case Phase.Draining d when d.by() != Initiator.FAILURE -> startClosing(status, d.peerClosed());
            default -> NOTHING;
        };
    }

    /** We close with {@code status} once the handler has answered what came before (a message too big). */
    Step closeAfterQueued(CloseStatus status) {
        return drainThen(Initiator.US, status, false);
    }

    private Step startClosing(CloseStatus status, boolean peerClosed) {
        phase = new Phase.Closing(Initiator.US, status);
        if (peerClosed) {
            return new Step.SendClose(status, Then.CLOSE_WHEN_WRITTEN); // ours is the answer
        }
        if (peerReading.getAsBoolean()) {
            return new Step.SendClose(status, Then.AWAIT_PEER);
        }
        return CLOSE_TCP; // a client that does not read will not read our close frame either
    }

    // ---- RFC 6455, 5.5.1 and 7.1.3: the peer's close frame ----

    /** The peer's close frame arrived, with {@code status} ({@link CloseStatus#NO_STATUS} if it named none). */
    Step peerClosed(CloseStatus status) {
        return switch (phase) {
            case Phase.Open o -> drainThen(Initiator.PEER, status, true);
            case Phase.Draining d -> {
                phase = new Phase.Draining(d.by(), d.status(), true); // our close will be the answer
                yield NOTHING;
            }
            case Phase.Closing c -> CLOSE_TCP; // the answer to ours: the server closes TCP first
            default -> NOTHING;
        };
    }

    // ---- RFC 6455, 7.1.7: fail the connection ----

    /** A violation or an error: once the handler has what came before, a close frame and TCP closed. */
    Step fail(CloseStatus status) {
        return switch (phase) {
            case Phase.Open o -> drainThen(Initiator.FAILURE, status, false);
            case Phase.Draining d -> NOTHING; // a close is on its way
            case Phase.Closed c -> NOTHING;
            case Phase.Rejected r -> NOTHING;
            default -> CLOSE_TCP;
        };
    }

    /** No answer to a ping: the peer is gone or stuck; a close frame for a live one, and TCP closed now. */
    Step unresponsive(CloseStatus status) {
        if (!open()) {
            return NOTHING; // closing: the close timeout takes over
        }
        phase = new Phase.Closing(Initiator.FAILURE, status);
        return new Step.SendClose(status, Then.CLOSE_NOW);
    }

    private Step drainThen(Initiator by, CloseStatus status, boolean peerClosed) {
        if (phase != OPEN) {
            return NOTHING;
        }
        phase = new Phase.Draining(by, status, peerClosed);
        return DRAIN;
    }

    /** The handler has taken what came before the close (or the close timeout ran out): the close goes out. */
    Step drained() {
        if (!(phase instanceof Phase.Draining draining)) {
            return NOTHING; // closed meanwhile, by the handler or the heartbeat
        }
        CloseStatus status = draining.status();
        return switch (draining.by()) {
            case US -> startClosing(status, draining.peerClosed());
            case PEER -> {
                phase = new Phase.Closing(Initiator.PEER, status);
                CloseStatus echo = status.equals(CloseStatus.NO_STATUS) ? status : new CloseStatus(status.code(), "");
                yield new Step.SendClose(echo, Then.CLOSE_WHEN_WRITTEN);
            }
            case FAILURE -> {
                phase = new Phase.Closing(Initiator.FAILURE, status);
                yield new Step.SendClose(status, Then.LINGER);
            }
        };
    }

    // ---- RFC 6455, 7.1.1 and 7.1.4: the end ----

    /** The close timeout ran out with TCP still open: close it. */
    Step timedOut() {
        return finished() ? NOTHING : CLOSE_TCP;
    }

    /**
     * Whether the close under way carries the peer's code: its close frame came first and ours
     * echoes it. Asked before {@link #tcpClosed}, to count the code as the client's.
     */
    public boolean peerChoseCode() {
        return phase instanceof Phase.Closing closing && closing.by() == Initiator.PEER;
    }

    /** TCP is closed. Returns the status the handler hears: the close's, or 1006 if there was none. */
    public CloseStatus tcpClosed() {
        CloseStatus status = phase instanceof Phase.Closing closing ? closing.status() : CloseStatus.ABNORMAL;
        phase = new Phase.Closed(status);
        return status;
    }

    @Override
    public String toString() {
        return phase.toString();
    }
}
