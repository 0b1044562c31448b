/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The healthy chat members: {@code rooms} rooms of {@code members} users each, all joined before
 * anyone sends, each sending {@code rate} messages a second (well under the server's rate limit)
 * and checking, through its room's {@link RoomLedger}, that it receives every room message exactly
 * once and in id order. Room 0 is the busy one: longer messages, and the non-readers join it.
 */
final class HealthyChat {

    /** Where the non-readers go: the room with the most traffic. */
    static final String BUSY_ROOM = "soak-0";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireClient client;
    private final List<RoomLedger> rooms = new ArrayList<>();
    private final List<Joined> joined = new ArrayList<>();
    private final List<ScheduledFuture<?>> senders = new ArrayList<>();
    private final Map<Integer, Integer> unexpectedCloses = new TreeMap<>();
    private boolean stopping;

    private record Joined(Wire wire, RoomLedger room, RoomLedger.Member member) {}

    HealthyChat(WireClient client) {
        this.client = client;
    }

    /** Opens every member's connection and waits for every welcome. */
    void join(int roomCount, int members, long timeoutMillis) throws Exception {
        for (int r = 0; r < roomCount; r++) {
            RoomLedger room = new RoomLedger("soak-" + r);
            rooms.add(room);
            for (int m = 0; m < members; m++) {
                RoomLedger.Member member = room.member("healthy" + r + "_" + m);
                Wire wire = client.open(
                        WireClient.Setup.of("/ws/chat/" + room.room() + "?user=" + member.user(), listener(member)));
                wire.closed.thenAccept(code -> closed(code));
                joined.add(new Joined(wire, room, member));
            }
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (Joined j : joined) {
            j.wire().opened.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        }
        for (RoomLedger room : rooms) {
            room.awaitWelcomes(deadline);
        }
    }

    /**
     * Every member sends {@code rate} messages a second of 80 characters, except in the busy room:
     * {@code busyRate} a second of {@code busyLength} characters.
     */
    void startSending(int rate, int busyRate, int busyLength) {
        for (int i = 0; i < joined.size(); i++) {
            Joined j = joined.get(i);
            boolean busy = j.room().room().equals(BUSY_ROOM);
            int length = busy ? busyLength : 80;
            long period = 1_000_000 / (busy ? busyRate : rate);
            long[] sequence = {0};
            senders.add(j.wire()
                    .channel
                    .eventLoop()
                    .scheduleAtFixedRate(
                            () -> {
                                String text = RoomLedger.text(j.member().user(), sequence[0]++, length);
                                j.room().sent(text);
                                j.wire().send(Frames.text(j.wire().channel.alloc(), "{\"message\":\"" + text + "\"}"));
                            },
                            period * i / joined.size(),
                            period,
                            TimeUnit.MICROSECONDS));
        }
    }

    /** Stops sending and waits up to {@code timeoutMillis} for every message sent to arrive everywhere. */
    boolean stopAndDrain(long timeoutMillis) throws InterruptedException {
        senders.forEach(s -> s.cancel(false));
        for (Joined j : joined) {
            j.wire().channel.eventLoop().submit(() -> {}).await(1000); // a send in progress has finished
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        boolean all = true;
        for (RoomLedger room : rooms) {
            all &= room.awaitDelivered(deadline);
        }
        return all;
    }

    /** Closes every member's connection; closes from here on are expected. */
    void close() {
        synchronized (this) {
            stopping = true;
        }
        for (Joined j : joined) {
            j.wire().send(Frames.close(j.wire().channel.alloc(), 1000));
        }
        long deadline = System.currentTimeMillis() + 5000;
        for (Joined j : joined) {
            if (j.wire().awaitClosed(Math.max(1, deadline - System.currentTimeMillis())) == null) {
                j.wire().abort();
            }
        }
    }

    RoomLedger.Totals totals() {
        RoomLedger.Totals totals = new RoomLedger.Totals(0, 0, 0, 0, 0, 0, 0, 0);
        for (RoomLedger room : rooms) {
            totals = totals.plus(room.totals());
        }
        return totals;
    }

    /** Healthy connections the server closed while they were supposed to stay: close code to count. */
    synchronized Map<Integer, Integer> unexpectedCloses() {
        return Map.copyOf(unexpectedCloses);
    }

    private synchronized void closed(int code) {
        if (!stopping) {
            unexpectedCloses.merge(code, 1, Integer::sum);
        }
    }

    private static Wire.Listener listener(RoomLedger.Member member) {
        return (wire, opcode, payload, index, length) -> {
            if (opcode != Frames.TEXT) {
                member.error();
                return;
            }
            read(member, payload, index, length);
        };
    }

    private static void read(RoomLedger.Member member, ByteBuf payload, int index, int length) {
        JsonNode message;
        try {
            message = JSON.readTree(payload.toString(index, length, StandardCharsets.UTF_8));
        } catch (IOException e) {
            member.error();
            return;
        }
        switch (message.path("type").asText()) {
            case "welcome" -> {
                long last = 0;
                for (JsonNode old : message.path("history")) {
                    last = Math.max(last, old.path("id").asLong());
                }
                member.welcome(last);
            }
            case "message" ->
                member.message(
                        message.path("id").asLong(), message.path("message").asText());
            case "error" -> member.error();
            default -> {} // join, leave: others come and go
        }
    }
}
