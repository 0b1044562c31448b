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

    /** Opens one connection for {@code client}, connects (and subscribes) it; returns it once ready. */
    static Channel open(Connector connector, URI target, ProtocolClient client) throws Exception {
        Channel channel = connector.connect(target, null, client).get(30, TimeUnit.SECONDS);
        client.start(channel);
        client.ready().get(30, TimeUnit.SECONDS);
        return channel;
    }
}
