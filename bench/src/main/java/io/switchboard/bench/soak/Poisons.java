/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attacks with bad or heavy content: malformed frames and messages, history that fills fresh rooms
 * with the largest messages allowed, and direct messages queued for users who never come.
 */
final class Poisons {

    /** The longest chat message the server takes by default, in characters. */
    static final int LONGEST = 4000;

    private Poisons() {}

    /** Short connections, each sending one kind of bad input; the outcome is named after the kind. */
    static final class BadInput extends Attack {
        private static final String[] KINDS = {
            "bad UTF-8 to echo", "bad UTF-8 to chat", "oversized frame", "bad JSON", "binary to chat",
            "reserved bit", "reserved opcode", "fragmented ping", "unmasked frame", "close code 999",
            "chat message too long"
        };
        private final AtomicInteger next = new AtomicInteger();

        BadInput(int lanes) {
            super("poisoner", lanes);
        }

        @Override
        boolean cycle(int lane) throws Exception {
            int kind = Math.floorMod(next.getAndIncrement(), KINDS.length);
            boolean chat = kind == 1 || kind == 3 || kind == 4 || kind == 10;
            AtomicLong errors = new AtomicLong();
            Wire wire = open(WireClient.Setup.of(
                    chat ? "/ws/chat/poison-bad?user=bad" + lane : "/ws/echo", (w, opcode, payload, index, length) -> {
                        if (payload.toString(index, length, StandardCharsets.UTF_8)
                                .contains("\"error\"")) {
                            errors.incrementAndGet();
                        }
                    }));
            if (wire == null) {
                return true;
            }
            ByteBufAllocator alloc = wire.channel.alloc();
            boolean keptOpen = kind == 3 || kind == 10; // answered with an error reply, not a close
            send(wire, poison(alloc, kind), 1);
            if (keptOpen) {
                send(wire, Frames.text(alloc, "{\"type\":\"ping\"}"), 1); // its pong says the error came first
                send(wire, Frames.close(alloc, 1000), 1);
            }
            finish(wire, KINDS[kind], 5000);
            if (keptOpen) {
                stats().outcome(KINDS[kind] + (errors.get() > 0 ? ": error reply" : ": no error reply"));
            }
            return true;
        }

        private static ByteBuf poison(ByteBufAllocator alloc, int kind) {
            return switch (kind) {
                case 0 -> Frames.frame(alloc, true, 0, Frames.TEXT, new byte[] {'a', (byte) 0xC3, (byte) 0x28});
                case 1 -> Frames.frame(alloc, true, 0, Frames.TEXT, bytes("{\"message\":\"\u00ff\"}", (byte) 0xFF));
                case 2 ->
                    Frames.header(alloc.buffer(), true, 0, Frames.TEXT, 1 << 20).writeZero(64 * 1024);
                case 3 -> Frames.text(alloc, "{not json");
                case 4 -> Frames.frame(alloc, true, 0, Frames.BINARY, new byte[] {1, 2, 3});
                case 5 -> Frames.frame(alloc, true, Frames.RSV1, Frames.TEXT, new byte[] {'a'});
                case 6 -> Frames.frame(alloc, true, 0, 0x3, new byte[] {'a'});
                case 7 -> Frames.frame(alloc, false, 0, Frames.PING, new byte[] {'a'});
                case 8 -> alloc.buffer().writeByte(0x81).writeByte(0x01).writeByte('a');
                case 9 -> Frames.close(alloc, 999);
                default -> Frames.text(alloc, "{\"message\":\"" + "x".repeat(LONGEST * 2) + "\"}");
            };
        }

        /** {@code text} in UTF-8 with its one {@code ÿ} replaced by the lone byte {@code bad}. */
        private static byte[] bytes(String text, byte bad) {
            byte[] utf8 = text.replace('\u00ff', '?').getBytes(StandardCharsets.UTF_8);
            utf8[text.indexOf('\u00ff')] = bad;
            return utf8;
        }
    }

    /**
     * Fills fresh rooms with a full history of the longest messages: CJK text (three bytes a
     * character) or control characters (six bytes each once escaped in JSON). Every fifth room is
     * then joined by a probe, which must get its welcome: a history too large to send would make the
     * room unjoinable.
     */
    static final class History extends Attack {
        private final AtomicInteger rooms = new AtomicInteger();
        private final int maxRooms;
        private final int messagesPerRoom;

        History(int lanes, int maxRooms, int messagesPerRoom) {
            super("history-poison", lanes);
            this.maxRooms = maxRooms;
            this.messagesPerRoom = messagesPerRoom;
        }

        @Override
        boolean cycle(int lane) throws Exception {
            int room = rooms.getAndIncrement();
            if (room >= maxRooms) {
                return false;
            }
            String path = "/ws/chat/poison-" + room + "?user=poisoner" + lane;
            Wire wire = open(WireClient.Setup.of(path, Wire.Listener.IGNORE));
            if (wire == null) {
                return true;
            }
            String json = "{\"message\":\"" + (room % 2 == 0 ? cjk() : controls()) + "\"}";
            for (int i = 0; i < messagesPerRoom && wire.isOpen(); i++) {
                send(wire, Frames.text(wire.channel.alloc(), json), 1);
            }
            send(wire, Frames.close(wire.channel.alloc(), 1000), 1);
            finish(wire, "poster", 10_000);
            if (room % 5 == 0) {
                probe(room, lane);
            }
            return true;
        }

        private void probe(int room, int lane) throws InterruptedException {
            CompletableFuture<String> first = new CompletableFuture<>();
            Wire wire = open(WireClient.Setup.of(
                    "/ws/chat/poison-" + room + "?user=probe" + lane,
                    (w, opcode, payload, index, length) ->
                            first.complete(payload.toString(index, Math.min(length, 20), StandardCharsets.UTF_8))));
            if (wire == null) {
                return;
            }
            wire.closed.thenAccept(code -> first.complete("closed " + code));
            String seen;
            try {
                seen = first.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                seen = "nothing";
            }
            stats().outcome(
                            seen.startsWith("{\"type\":\"welcome\"")
                                    ? "probe: room joinable"
                                    : "probe: room unjoinable, " + seen);
            wire.send(Frames.close(wire.channel.alloc(), 1000));
            finish(wire, "probe", 5000);
        }

        private static String cjk() {
            return "漢字仮名交".repeat(LONGEST / 5);
        }

        private static String controls() {
            StringBuilder text = new StringBuilder(LONGEST * 6);
            for (int i = 0; i < LONGEST; i++) {
                text.append(String.format("\\u%04x", 1 + i % 31));
            }
            return text.toString();
        }
    }

    /** Direct messages of the longest kind to users who never connect, each to a new name. */
    static final class Directs extends Attack {
        private final AtomicInteger sent = new AtomicInteger();
        private final int maxMessages;

        Directs(int lanes, int maxMessages) {
            super("dm-poison", lanes);
            this.maxMessages = maxMessages;
        }

        @Override
        boolean cycle(int lane) throws Exception {
            if (sent.get() >= maxMessages) {
                return false;
            }
            Wire wire = open(WireClient.Setup.of("/ws/chat/dm-poison?user=dm" + lane, Wire.Listener.IGNORE));
            if (wire == null) {
                return true;
            }
            String text = "漢字仮名交".repeat(LONGEST / 5);
            for (int i = 0; i < 1000 && wire.isOpen() && !stopped(); i++) {
                int n = sent.getAndIncrement();
                if (n >= maxMessages) {
                    break;
                }
                String json = "{\"message\":\"" + text + "\",\"to_user\":\"absent-" + lane + "-" + n + "\"}";
                send(wire, Frames.text(wire.channel.alloc(), json), 1);
                if (i % 9 == 8) {
                    Thread.sleep(100); // pacing: 90 a second stays under the default rate limit of 100
                }
            }
            send(wire, Frames.close(wire.channel.alloc(), 1000), 1);
            finish(wire, "", 5000);
            return true;
        }
    }
}
