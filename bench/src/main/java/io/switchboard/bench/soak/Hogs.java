/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Attacks on the server's connection handling: clients that never read, connections opened and
 * dropped as fast as possible, and handshakes that stop half way.
 */
final class Hogs {

    private static final long HOLD_MILLIS = 20_000;

    private Hogs() {}

    /**
     * Joins the busy room and never reads, so that the server's queue for it fills (a tiny receive
     * buffer would not make that faster: the kernel drops what does not fit and the server's TCP backs
     * off, so the bytes stay in the server's socket buffer); after 20 s (or at the end of the attack) it reads again to learn how the server ended it.
     */
    static final class NonReader extends Attack {
        NonReader(int lanes) {
            super("non-reader", lanes);
        }

        @Override
        boolean cycle(int lane) throws Exception {
            Wire wire = open(WireClient.Setup.of(
                            "/ws/chat/" + HealthyChat.BUSY_ROOM + "?user=nonreader" + lane, Wire.Listener.IGNORE)
                    .notAnsweringPings());
            if (wire == null) {
                return true;
            }
            wire.channel.config().setAutoRead(false);
            long deadline = System.currentTimeMillis() + HOLD_MILLIS;
            while (!stopped() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100); // holding the connection is the attack
            }
            wire.channel.config().setAutoRead(true);
            finish(wire, "", 8000); // a server that gave up on it may wait its close timeout (5 s) before closing TCP
            return true;
        }
    }

    /**
     * Connections that come and go: a join that sends one message and closes properly, a join that
     * drops TCP, a TCP connection closed at once, and an upgrade abandoned before its answer.
     */
    static final class Churn extends Attack {
        private final AtomicInteger next = new AtomicInteger();

        Churn(int lanes) {
            super("churn", lanes);
        }

        @Override
        boolean cycle(int lane) throws Exception {
            int n = next.getAndIncrement();
            String room = "/ws/chat/churn-" + n % 20 + "?user=churn" + lane;
            switch (n % 4) {
                case 0 -> joinAndLeave(room);
                case 1 -> {
                    Wire wire = open(WireClient.Setup.of(room, Wire.Listener.IGNORE));
                    if (wire != null) {
                        wire.abort();
                        stats().outcome("join, then TCP dropped");
                    }
                }
                case 2 -> {
                    Wire wire = connect();
                    if (wire != null) {
                        wire.abort();
                        stats().outcome("TCP connect and close");
                    }
                }
                default -> {
                    Wire wire = connect();
                    if (wire != null) {
                        wire.send(io.netty.buffer.Unpooled.wrappedBuffer(client().upgradeRequest(room)));
                        wire.abort();
                        stats().outcome("upgrade sent, TCP dropped");
                    }
                }
            }
            return true;
        }

        private void joinAndLeave(String room) throws InterruptedException {
            CompletableFuture<Void> welcomed = new CompletableFuture<>();
            Wire wire = open(WireClient.Setup.of(room, (w, opcode, payload, index, length) -> welcomed.complete(null)));
            if (wire == null) {
                return;
            }
            try {
                welcomed.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                stats().outcome("join: no welcome");
            }
            send(wire, Frames.text(wire.channel.alloc(), "{\"message\":\"hello and goodbye\"}"), 1);
            send(wire, Frames.close(wire.channel.alloc(), 1000), 1);
            finish(wire, "join, message, close:", 5000);
        }
    }

    /**
     * Twenty connections at a time that send half an upgrade request and then nothing; the server
     * must close each after its handshake timeout (10 s by default).
     */
    static final class HalfOpen extends Attack {
        private static final int AT_ONCE = 20;

        HalfOpen() {
            super("half-open", 1);
        }

        @Override
        boolean cycle(int lane) throws Exception {
            List<Wire> wires = new ArrayList<>();
            for (int i = 0; i < AT_ONCE && !stopped(); i++) {
                Wire wire = connect();
                if (wire != null) {
                    byte[] request = client().upgradeRequest("/ws/echo");
                    send(wire, io.netty.buffer.Unpooled.wrappedBuffer(request, 0, request.length / 2), 0);
                    wires.add(wire);
                }
            }
            long deadline = System.currentTimeMillis() + 15_000;
            while (!stopped()
                    && System.currentTimeMillis() < deadline
                    && wires.stream().anyMatch(Wire::isOpen)) {
                Thread.sleep(100); // wait for the server's timeout, or the end of the soak
            }
            for (Wire wire : wires) {
                Integer code = wire.awaitClosed(0);
                if (code != null) {
                    stats().outcome("closed by the server");
                } else if (!stopped()) {
                    stats().outcome("still open after 15 s (we closed)");
                }
                wire.abort();
            }
            return true;
        }
    }
}
