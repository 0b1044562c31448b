/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The account healthy members keep of one chat room. The server numbers a room's messages 1, 2, 3...
 * and sends every one to every connection in the room, so a member that stays connected must see
 * each id after its welcome exactly once and in order (whoever sent it, attackers included), and
 * must see every message the healthy members sent after it joined.
 *
 * <p>Healthy messages start with a token, {@code soak:USER:SEQ|}, followed by padding. Each member
 * is fed by one event loop; the totals are read once the traffic has stopped.
 */
final class RoomLedger {

    private final String room;
    private final Set<String> sent = new HashSet<>();
    private final List<Member> members = new ArrayList<>();
    private long outstanding; // deliveries of healthy messages still to come, all members together

    RoomLedger(String room) {
        this.room = room;
    }

    String room() {
        return room;
    }

    /** A message text carrying {@code token}, padded to {@code length} characters. */
    static String text(String user, long sequence, int length) {
        StringBuilder text = new StringBuilder(length)
                .append("soak:")
                .append(user)
                .append(':')
                .append(sequence)
                .append('|');
        while (text.length() < length) {
            text.append((char) ('a' + text.length() % 26));
        }
        return text.toString();
    }

    /** The token at the start of a healthy message, or null for anyone else's. */
    static String token(String text) {
        int end = text.indexOf('|');
        return text.startsWith("soak:") && end > 0 ? text.substring(0, end) : null;
    }

    /** Records that a healthy member sent {@code text} to this room. */
    synchronized void sent(String text) {
        if (sent.add(token(text))) {
            outstanding += members.size();
        }
    }

    /** Waits until every member has its welcome; fails when {@code deadline} (epoch millis) passes. */
    synchronized void awaitWelcomes(long deadline) throws InterruptedException, TimeoutException {
        while (members.stream().anyMatch(m -> m.welcomeId < 0)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new TimeoutException("no welcome in " + room + " for some healthy member");
            }
            wait(left);
        }
    }

    /** Waits until every healthy message sent has reached every member, or {@code deadline} passes. */
    synchronized boolean awaitDelivered(long deadline) throws InterruptedException {
        while (outstanding > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** A new member of the room; call before anything is sent. */
    synchronized Member member(String user) {
        Member member = new Member(user);
        members.add(member);
        return member;
    }

    /** The room's figures so far: every member's, summed. */
    synchronized Totals totals() {
        Totals totals = new Totals(sent.size(), 0, 0, 0, 0, 0, 0, 0);
        for (Member member : members) {
            totals = totals.plus(member.totals(sent));
        }
        return totals;
    }

    /** Figures of healthy chat delivery; see {@link Member} for what each counts. */
    record Totals(
            long sent,
            long expected,
            long received,
            long lost,
            long duplicated,
            long outOfOrder,
            long idGaps,
            long errors) {

        Totals plus(Totals other) {
            return new Totals(
                    sent + other.sent,
                    expected + other.expected,
                    received + other.received,
                    lost + other.lost,
                    duplicated + other.duplicated,
                    outOfOrder + other.outOfOrder,
                    idGaps + other.idGaps,
                    errors + other.errors);
        }

        /** True when nothing was lost, repeated, reordered or skipped, and no error came back. */
        boolean clean() {
            return lost == 0 && duplicated == 0 && outOfOrder == 0 && idGaps == 0 && errors == 0;
        }
    }

    /**
     * One member's view: {@code duplicated} counts an id or a healthy text seen twice,
     * {@code outOfOrder} an id lower than one already seen, {@code idGaps} the ids after the welcome
     * never seen (anyone's messages lost), {@code lost} the healthy messages never received, and
     * {@code errors} error replies and messages before the welcome.
     */
    final class Member {
        private final String user;
        private final Set<String> tokens = new HashSet<>();
        private final Set<Long> ids = new HashSet<>();
        private long welcomeId = -1; // no welcome yet
        private long lastId;
        private long received;
        private long duplicated;
        private long outOfOrder;
        private long errors;

        private Member(String user) {
            this.user = user;
        }

        String user() {
            return user;
        }

        boolean welcomed() {
            synchronized (RoomLedger.this) {
                return welcomeId >= 0;
            }
        }

        /** The welcome arrived; {@code lastHistoryId} is its newest history id, 0 when empty. */
        void welcome(long lastHistoryId) {
            synchronized (RoomLedger.this) {
                welcomeId = lastHistoryId;
                lastId = lastHistoryId;
                RoomLedger.this.notifyAll();
            }
        }

        /** A room message {@code id} with {@code text} arrived. */
        void message(long id, String text) {
            synchronized (RoomLedger.this) {
                if (welcomeId < 0) {
                    errors++;
                    return;
                }
                received++;
                String token = token(text);
                boolean repeatedText = token != null && !tokens.add(token);
                if (token != null && !repeatedText && sent.contains(token)) {
                    outstanding--;
                    RoomLedger.this.notifyAll();
                }
                if (id <= welcomeId || !ids.add(id) || repeatedText) {
                    duplicated++;
                } else if (id < lastId) {
                    outOfOrder++;
                } else {
                    lastId = id;
                }
            }
        }

        /** An error reply, or anything the protocol does not allow, arrived. */
        void error() {
            synchronized (RoomLedger.this) {
                errors++;
            }
        }

        private Totals totals(Set<String> sentTokens) {
            long missing = sentTokens.stream().filter(t -> !tokens.contains(t)).count();
            long gaps = welcomeId < 0 ? 0 : lastId - welcomeId - ids.size();
            return new Totals(0, sentTokens.size(), received, missing, duplicated, outOfOrder, gaps, errors);
        }
    }
}
