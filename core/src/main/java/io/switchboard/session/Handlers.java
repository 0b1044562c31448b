/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Handlers from lambdas, for endpoints small enough not to deserve a class:
 *
 * <pre>{@code
 * router.websocket("/ws/echo", Handlers.of(ws -> ws
 *         .onText(Session::send)
 *         .onBinary(Session::send)));
 * }</pre>
 *
 * <p>The lambdas are shared by every connection; keep per-connection state in
 * {@link Session#attributes()}. Callbacks not given behave as {@link WebSocketHandler}'s defaults.
 */
public final class Handlers {

    private Handlers() {}

    /** A handler supplier configured by {@code configure}; each connection gets its own handler. */
    public static Supplier<WebSocketHandler> of(Consumer<Builder> configure) {
        Builder builder = new Builder();
        configure.accept(builder);
        Builder frozen = builder.copy();
        return () -> new LambdaHandler(frozen);
    }

    /** Decides about a new connection. */
    @FunctionalInterface
    public interface ConnectCallback {
        Decision onConnect(Session session) throws Exception;
    }

    /** Answers a callback's failure. */
    @FunctionalInterface
    public interface ErrorCallback {
        void accept(Session session, Throwable error);
    }

    /** A callback on a session alone. */
    @FunctionalInterface
    public interface SessionCallback {
        void accept(Session session) throws Exception;
    }

    /** Runs for a session and a value. */
    @FunctionalInterface
    public interface Callback<T> {
        void accept(Session session, T value) throws Exception;
    }

    /** Collects the callbacks. Every method returns this builder. */
    public static final class Builder {
        private ConnectCallback connect = session -> Decision.accept();
        private SessionCallback open;
        private Callback<String> text;
        private Callback<byte[]> binary;
        private Callback<Event> event;
        private Callback<CloseStatus> disconnect;
        private ErrorCallback error;
        private Execution execution = Execution.VIRTUAL_THREAD;

        private Builder() {}

        /** Decides whether to accept each connection (accept by default). */
        public Builder onConnect(ConnectCallback callback) {
            this.connect = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /**
         * Runs {@code callback} once each connection is open, after the handshake and before any
         * message; see {@link WebSocketHandler#onOpen}. A join or a welcome that nothing may
         * overtake belongs in {@link #onConnect}, which runs before the handshake completes.
         */
        public Builder onOpen(SessionCallback callback) {
            this.open = Objects.requireNonNull(callback, "callback");
            return this;
        }

        public Builder onText(Callback<String> callback) {
            this.text = Objects.requireNonNull(callback, "callback");
            return this;
        }

        public Builder onBinary(Callback<byte[]> callback) {
            this.binary = Objects.requireNonNull(callback, "callback");
            return this;
        }

        public Builder onEvent(Callback<Event> callback) {
            this.event = Objects.requireNonNull(callback, "callback");
            return this;
        }

        public Builder onDisconnect(Callback<CloseStatus> callback) {
            this.disconnect = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /** What a failed callback does; logs once and closes with 1011 unless set. */
        public Builder onError(ErrorCallback callback) {
            this.error = Objects.requireNonNull(callback, "callback");
            return this;
        }

        /**
         * Where the callbacks run: {@link Execution#VIRTUAL_THREAD} by default, or {@link
         * Execution#EVENT_LOOP} for callbacks that never block.
         */
        public Builder execution(Execution where) {
            this.execution = Objects.requireNonNull(where, "where");
            return this;
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.connect = connect;
            copy.open = open;
            copy.text = text;
            copy.binary = binary;
            copy.event = event;
            copy.disconnect = disconnect;
            copy.error = error;
            copy.execution = execution;
            return copy;
        }
    }

    private record LambdaHandler(Builder callbacks) implements WebSocketHandler {
        @Override
        public Decision onConnect(Session session) throws Exception {
            return callbacks.connect.onConnect(session);
        }

        @Override
        public void onOpen(Session session) throws Exception {
            if (callbacks.open != null) {
                callbacks.open.accept(session);
            }
        }

        @Override
        public void onText(Session session, String text) throws Exception {
            if (callbacks.text == null) {
                WebSocketHandler.super.onText(session, text);
            } else {
                callbacks.text.accept(session, text);
            }
        }

        @Override
        public void onBinary(Session session, byte[] data) throws Exception {
            if (callbacks.binary == null) {
                WebSocketHandler.super.onBinary(session, data);
            } else {
                callbacks.binary.accept(session, data);
            }
        }

        @Override
        public void onEvent(Session session, Event event) throws Exception {
            if (callbacks.event != null) {
                callbacks.event.accept(session, event);
            }
        }

        @Override
        public void onDisconnect(Session session, CloseStatus status) throws Exception {
            if (callbacks.disconnect != null) {
                callbacks.disconnect.accept(session, status);
            }
        }

        @Override
        public void onError(Session session, Throwable failure) {
            if (callbacks.error == null) {
                WebSocketHandler.super.onError(session, failure);
            } else {
                callbacks.error.accept(session, failure);
            }
        }

        @Override
        public Execution execution() {
            return callbacks.execution;
        }
    }
}
