/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsApi.ClientInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection's state: who it is once connected, until when, and its subscriptions.
 * Guarded by {@link #lock}, which the handler's callbacks and the expiry timers take.
 */
final class ClientState {

    final ReentrantLock lock = new ReentrantLock();
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    final Map<String, ScheduledFuture<?>> subscriptionExpiries = new HashMap<>();
    final String client;
    boolean connected;
    boolean closing;
    String user = "";
    JsonNode connInfo;
    long expiresAt;
    ScheduledFuture<?> ping;
    ScheduledFuture<?> expiry;

    ClientState(String client) {
        this.client = client;
    }

    /**
     * One subscription.
     *
     * @param channel its channel
     * @param options its namespace's options
     * @param chanInfo its subscription token's {@code info}, or null
     * @param expiresAt its subscription token's {@code exp} in epoch seconds, 0 for never
     * @param server whether the server subscribed it (connection token or server API)
     */
    record Subscription(String channel, NamespaceOptions options, JsonNode chanInfo, long expiresAt, boolean server) {

        Subscription withExpiry(long value) {
            return new Subscription(channel, options, chanInfo, value, server);
        }
    }

    /** This connection as others see it, in {@code channel} (null: in none). */
    ClientInfo info(String channel) {
        Subscription subscription = channel == null ? null : subscriptions.get(channel);
        return new ClientInfo(client, user, connInfo, subscription == null ? null : subscription.chanInfo());
    }
}
