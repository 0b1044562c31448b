/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open WebSocket connections, in all and per remote IP address, against the limits. A slot is
 * taken before the handler runs and given back when the channel closes, whatever the reason, so no
 * path can leak one.
 */
public final class ConnectionSlots {

    /** Why a connection got no slot. */
    public enum Refused {
        /** The server holds {@code maxConnections}: 503. */
        SERVER_FULL,
        /** The client's address holds {@code maxConnectionsPerAddress}: 429. */
        ADDRESS_FULL
    }

    private final int max;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<Object, Integer> perAddress = new ConcurrentHashMap<>();

    public ConnectionSlots(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /** Takes a slot for {@code channel} until it closes; {@code null} when granted, else why not. */
    public Refused acquire(Channel channel) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            return Refused.SERVER_FULL;
        }
        Object address = key(channel.remoteAddress());
        boolean[] granted = {false};
        perAddress.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerAddress) {
                return count;
            }
            granted[0] = true;
            return now + 1;
        });
        if (!granted[0]) {
            total.decrementAndGet();
            return Refused.ADDRESS_FULL;
        }
        channel.closeFuture().addListener(closed -> release(address));
        return null;
    }

    private void release(Object address) {
        perAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        total.decrementAndGet();
    }

    /** The IP address without the port; other kinds of address as they are. */
    private static Object key(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return remote == null ? "unknown" : remote;
    }
}
