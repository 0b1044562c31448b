/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One real centrifuge client, as a test drives it: connect, subscribe, call (publish, presence,
 * history), drop its socket, and read what it reports. Reading is selective: {@link #next} takes
 * the first event that matches and keeps the others, in order, for later reads, since pushes from
 * several nodes (joins, publications) interleave in no order a test may assume.
 */
final class Agent implements AutoCloseable {

    /** How long any expectation about a client waits. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private final String name;
    private final AgentLink link;
    private final List<JsonNode> unread = new ArrayList<>();
    private int ids;

    Agent(String name, AgentLink link) {
        this.name = name;
        this.link = link;
    }

    /** Connects to {@code url} with a connection token of {@code user}; waits for {@code connected}. */
    Agent connect(String url, String user) {
        return connect(url, Tokens.connection(user), List.of());
    }

    /**
     * Connects to {@code url} with {@code token}; when the client asks for another (refresh), it gets
     * the next of {@code refreshTokens} and reports {@code token asked}. Waits for {@code connected}.
     */
    Agent connect(String url, String token, List<String> refreshTokens) {
        call("connect", Map.of("url", url, "token", token, "refreshTokens", refreshTokens));
        next("connected", Map.of());
        return this;
    }

    /** Subscribes to {@code channel}; waits for {@code subscribed} and returns it. */
    JsonNode subscribe(String channel) {
        call("subscribe", Map.of("channel", channel));
        return next("subscribed", Map.of("channel", channel));
    }

    /** Subscribes to {@code channel} with {@code token} (null: none) without waiting for the outcome. */
    void startSubscribing(String channel, String token) {
        startSubscribing(channel, token, null);
    }

    /**
     * As {@link #startSubscribing(String, String)}; when the client asks for another subscription
     * token it gets the next of {@code refreshTokens} (null: it has no way to ask) and reports
     * {@code subscription token asked}.
     */
    void startSubscribing(String channel, String token, List<String> refreshTokens) {
        Map<String, Object> fields = new LinkedHashMap<>(Map.of("channel", channel));
        if (token != null) {
            fields.put("token", token);
        }
        if (refreshTokens != null) {
            fields.put("refreshTokens", refreshTokens);
        }
        call("subscribe", fields);
    }

    /** Runs {@code op}; returns its result, or fails with the client's error. */
    JsonNode call(String op, Map<String, Object> fields) {
        JsonNode outcome = attempt(op, fields);
        if (outcome.get("event").asText().equals("failure")) {
            throw new AssertionError(describe() + ": " + op + " " + fields + " failed: " + outcome);
        }
        return outcome.get("value");
    }

    /** Runs {@code op}; returns its {@code result} or {@code failure} event (with the error's code). */
    JsonNode attempt(String op, Map<String, Object> fields) {
        int id = ++ids;
        Map<String, Object> command = new LinkedHashMap<>(fields);
        command.put("id", id);
        command.put("op", op);
        link.send(command);
        return next(
                "the outcome of " + op + " " + fields,
                event -> event.path("id").asInt() == id
                        && (event.get("event").asText().equals("result")
                                || event.get("event").asText().equals("failure")));
    }

    /** The first unread {@code event} whose fields include {@code fields}. */
    JsonNode next(String event, Map<String, Object> fields) {
        return next(event + " " + fields, e -> e.path("event").asText().equals(event) && has(e, fields));
    }

    private static boolean has(JsonNode event, Map<String, Object> fields) {
        return fields.entrySet().stream()
                .allMatch(f -> event.path(f.getKey()).asText().equals(String.valueOf(f.getValue())));
    }

    /** The first unread event that matches; fails after {@link #WAIT} naming {@code what} and what came. */
    JsonNode next(String what, Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int seen = 0;
        while (true) {
            for (Iterator<JsonNode> it = unread.listIterator(seen); it.hasNext(); seen++) {
                JsonNode event = it.next();
                if (wanted.test(event)) {
                    it.remove();
                    return event;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(describe() + ": waited " + WAIT.toSeconds() + " s for " + what
                        + "; it reported meanwhile " + unread);
            }
            unread.addAll(link.take(Duration.ofNanos(left)));
        }
    }

    /** Waits until the client lost its connection and tries again (whatever the server or network said). */
    JsonNode awaitReconnecting() {
        return next(
                "the client to reconnect",
                e -> e.path("event").asText().equals("connecting")
                        && !e.path("reason").asText().equals("connect called"));
    }

    /** The events of kind {@code event} reported so far and not read, left unread. */
    List<JsonNode> unread(String event) {
        unread.addAll(link.take(Duration.ZERO));
        return unread.stream()
                .filter(e -> e.path("event").asText().equals(event))
                .toList();
    }

    /** The next {@code count} publications on {@code channel}, in the order the client delivered them. */
    List<JsonNode> publications(String channel, int count) {
        List<JsonNode> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            got.add(next("publication", Map.of("channel", channel)));
        }
        return got;
    }

    /** Closes the client's socket as a failing network would; with {@code hold}, its next ones too. */
    void drop(boolean hold) {
        call("drop", Map.of("hold", hold));
    }

    /** Lets the client's sockets through again, to {@code url} from now on. */
    void release(String url) {
        call("release", Map.of("url", url));
    }

    /** "NAME (RUNTIME)". */
    String describe() {
        return name + " (" + link.runtime() + ")";
    }

    @Override
    public void close() {
        link.close();
    }
}
