/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.channel.Channel;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.client.ProtocolClient;
import io.switchboard.bench.server.ProtocolTarget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Getting many protocol clients connected and subscribed before a scenario starts its clock. */
final class ProtocolClients {

    private ProtocolClients() {}

    /** The HS256 secret the server verifies tokens with: {@code --token-secret}, or the bench server's. */
    static byte[] secret(Options options) {
        return options.string("token-secret", ProtocolTarget.SECRET).getBytes(StandardCharsets.UTF_8);
    }

    /** Sends every client's connect command, then waits (up to a minute) until all are ready. */
    static void startAll(List<Channel> channels, ProtocolClient[] clients) throws Exception {
        for (int i = 0; i < channels.size(); i++) {
            clients[i].start(channels.get(i));
        }
        CompletableFuture.allOf(java.util.Arrays.stream(clients)
                        .map(ProtocolClient::ready)
                        .toArray(CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
    }

    /**
     * Waits until the pushes other than publications (the join of every later subscriber, in a
     * channel with join/leave on: N(N-1)/2 of them for N subscribers) have stopped arriving for a
     * second, at most a minute, so that a measurement does not count the server's work on them
     * against its publications. Returns how many there were.
     */
    static long settle(List<Channel> channels, ProtocolClient[] clients) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = -1;
        while (true) {
            long now = 0;
            for (int i = 0; i < channels.size(); i++) {
                ProtocolClient client = clients[i];
                now += channels.get(i).eventLoop().submit(client::otherPushes).get(15, TimeUnit.SECONDS);
            }
            if (now == last || System.nanoTime() > deadline) {
                return now;
            }
            last = now;
            Thread.sleep(1000); // pushes may still be on their way: look again in a second
        }
    }

    /** Opens one connection for {@code client}, connects (and subscribes) it; returns it once ready. */
    static Channel open(Connector connector, URI target, ProtocolClient client) throws Exception {
        Channel channel = connector.connect(target, null, client).get(30, TimeUnit.SECONDS);
        client.start(channel);
        client.ready().get(30, TimeUnit.SECONDS);
        return channel;
    }
}
