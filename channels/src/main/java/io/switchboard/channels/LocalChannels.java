/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.session.Session;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * This node's channel connections and subscriptions, counted for {@code channels} and {@code info}:
 * the engine reports a group's members but cannot list groups, so these answers are per node.
 */
final class LocalChannels {

    private final Map<String, AtomicInteger> subscribers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> users = new ConcurrentHashMap<>();
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    /** A client connection opened here. */
    void opened(Session session) {
        sessions.add(session);
    }

    /** A client connection here closed. */
    void closed(Session session) {
        sessions.remove(session);
    }

    /** Closes every client connection here with {@code code}. */
    void closeAll(DisconnectCode code) {
        sessions.forEach(session -> session.close(code.code(), code.reason()));
    }

    void connected(String user) {
        clients.incrementAndGet();
        users.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
    }

    void disconnected(String user) {
        clients.decrementAndGet();
        decrement(users, user);
    }

    void subscribed(String channel) {
        subscriptions.incrementAndGet();
        subscribers.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
    }

    void unsubscribed(String channel) {
        subscriptions.decrementAndGet();
        decrement(subscribers, channel);
    }

    private static void decrement(Map<String, AtomicInteger> counts, String key) {
        counts.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Channels with a subscriber here whose name matches {@code pattern} ({@code *}: any run), with counts. */
    Map<String, Integer> channels(String pattern) {
        Pattern matcher = pattern == null || pattern.isEmpty() ? null : glob(pattern);
        Map<String, Integer> found = new TreeMap<>();
        subscribers.forEach((channel, count) -> {
            if (matcher == null || matcher.matcher(channel).matches()) {
                found.put(channel, count.get());
            }
        });
        return found;
    }

    private static Pattern glob(String pattern) {
        String[] parts = pattern.split("\\*", -1);
        StringBuilder regex = new StringBuilder(Pattern.quote(parts[0]));
        for (int i = 1; i < parts.length; i++) {
            regex.append(".*").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }

    int clients() {
        return clients.get();
    }

    int users() {
        return users.size();
    }

    int channelCount() {
        return subscribers.size();
    }

    int subscriptions() {
        return subscriptions.get();
    }

    /** This node as the server API's {@code info} reports it. */
    ChannelsApi.NodeInfo node(String id, String name, java.time.Duration uptime) {
        return new ChannelsApi.NodeInfo(
                id, name, Connecting.VERSION, clients(), users(), channelCount(), subscriptions(), uptime);
    }
}
