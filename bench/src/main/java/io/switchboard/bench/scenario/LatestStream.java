/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.switchboard.bench.client.ClientFrames;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.client.ProtocolClient;
import io.switchboard.bench.client.ProtocolCommands;
import io.switchboard.bench.server.ServerHandle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * How the {@code conflation} scenario's clients reach a conflated stream: through Centrifugo's
 * protocol on the {@code channels} server (connect, subscribe to a channel of a namespace with a
 * conflation key, publish commands), or, on the {@code loop} and {@code vt} servers, through the
 * framework alone ({@code /ws/latest}, where the server calls {@code hub.broadcastLatest} with the
 * data's key: the mechanism the channels use, without the protocol).
 */
final class LatestStream {

    private final ServerHandle server;
    private final boolean protocol;
    private final String channel;
    private final byte[] secret;

    LatestStream(ServerHandle server, Options options) {
        this.server = server;
        this.protocol = !List.of("loop", "vt").contains(server.kind());
        this.channel = options.string("channel", "conflated:ticks");
        this.secret = ProtocolClients.secret(options);
    }

    /** What the result calls the stream. */
    String name() {
        return protocol ? channel : "/ws/latest (hub.broadcastLatest)";
    }

    /** Opens {@code count} subscribers, connection i seeing publications through {@code publications.apply(i)}; returns them ready. */
    List<Channel> subscribe(
            Connector connector, int count, String prefix, IntFunction<ProtocolClient.Publications> publications)
            throws Exception {
        URI target = server.ws(protocol ? ChannelBroadcastScenario.PATH : "/ws/latest");
        ProtocolClient[] clients = new ProtocolClient[count];
        List<Channel> channels = Clients.open(
                connector,
                target,
                count,
                List.of(),
                50,
                i -> protocol
                        ? (clients[i] = new ProtocolClient(
                                ProtocolCommands.token(secret, prefix + i), channel, publications.apply(i)))
                        : ProtocolClient.plainText(publications.apply(i)));
        if (protocol) {
            ProtocolClients.startAll(channels, clients);
            ProtocolClients.settle(channels, clients);
        }
        return channels;
    }

    /** Opens the publisher's connection, ready to publish. */
    Channel publisher(Connector connector) throws Exception {
        if (protocol) {
            ProtocolClient client =
                    new ProtocolClient(ProtocolCommands.token(secret, "publisher"), null, (b, f, t) -> {});
            return ProtocolClients.open(connector, server.ws(ChannelBroadcastScenario.PATH), client);
        }
        ClientFrames.Listener ignore = (ctx, opcode, payload, index, length) -> {};
        return connector.connect(server.ws("/ws/latest-pub"), null, ignore).get(30, TimeUnit.SECONDS);
    }

    /** The frame that publishes {@code data} (JSON) as message {@code sequence}. */
    ByteBuf publish(ByteBufAllocator alloc, long sequence, String data) {
        return protocol
                ? ProtocolCommands.publish(alloc, sequence + ProtocolCommands.SUBSCRIBE_ID + 1, channel, data)
                : ClientFrames.frame(alloc, ClientFrames.TEXT, data.getBytes(StandardCharsets.UTF_8));
    }
}
