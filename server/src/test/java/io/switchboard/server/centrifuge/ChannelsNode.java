package io.switchboard.server.centrifuge;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.Channels;
import io.switchboard.channels.ChannelsApi;
import io.switchboard.channels.ChannelsException;
import io.switchboard.channels.ClientHooks;
import io.switchboard.channels.DisconnectCode;
import io.switchboard.channels.ErrorCode;
import io.switchboard.channels.NamespaceSettings;
import io.switchboard.channels.Namespaces;
import io.switchboard.redis.RedisEngine;
import io.switchboard.redis.RedisHistory;
import io.switchboard.redis.RedisSettings;
import io.switchboard.security.JwtVerifier;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One node of a cluster with the channels alone, on the Redis engine and history, on a loopback
 * port: the server the shared Node suite ({@code src/test/centrifuge/*.test.mjs}) expects, with the
 * namespaces and rpc methods of the channels module's {@code CentrifugeNodeClientTest} (keep them
 * equal): {@code private:} takes a subscription token, only the server publishes to {@code feed:},
 * {@code plain:} is anonymous without history or presence; rpc {@code echo}, {@code reconnect} (a
 * server-side disconnect the client reconnects after), {@code publish} (by the server) and {@code
 * message} (a message push to the caller).
 */
final class ChannelsNode implements AutoCloseable {

    /** The namespaces the shared Node suite expects, in the settings file's form. */
    private static final Namespaces NAMESPACES = NamespaceSettings.read(Map.of(
            "namespace.private.subscribe", "token",
            "namespace.private.publish", "subscribers",
            "namespace.feed.publish", "server",
            "namespace.plain.subscribe", "anonymous",
            "namespace.plain.history-size", "0",
            "namespace.plain.recovery", "false",
            "namespace.plain.presence", "false",
            "namespace.plain.join-leave", "false"));

    private final RedisHistory history;
    private final Channels channels;
    private final TestServer server;

    private ChannelsNode(RedisSettings redis) {
        history = RedisHistory.connect(redis);
        Hooks hooks = new Hooks();
        channels = Channels.builder()
                .history(history)
                .namespaces(NAMESPACES)
                .tokens(JwtVerifier.builder()
                        .hmacSecret(Tokens.SECRET.getBytes(StandardCharsets.UTF_8))
                        .build())
                .hooks(hooks)
                .expiryGrace(Duration.ofSeconds(5))
                .build();
        hooks.channels = channels;
        server = TestServer.start(b ->
                b.router(channels.router()).engine(RedisEngine.connect(redis)).ioThreads(1));
        channels.start(server.server());
    }

    static ChannelsNode start(RedisSettings redis) {
        return new ChannelsNode(redis);
    }

    /** {@code ws://HOST:PORT/connection/websocket}. */
    String url() {
        return server.ws(Channels.PATH).toString();
    }

    @Override
    public void close() {
        try {
            server.server().close();
        } finally {
            channels.close();
            history.close();
        }
    }

    /** The rpc methods of the shared Node suite. */
    private static final class Hooks implements ClientHooks {
        private volatile Channels channels;

        @Override
        public JsonNode rpc(Caller caller, String method, JsonNode data) {
            switch (method) {
                case "echo" -> {
                    return data;
                }
                case "reconnect" -> {
                    DisconnectCode code = DisconnectCode.FORCE_RECONNECT;
                    await(channels.disconnect(
                            caller.user(), caller.client(), new ChannelsApi.Disconnect(code.code(), code.reason())));
                    return null;
                }
                case "publish" -> {
                    String channel = data.path("channel").asText();
                    await(channels.publish(new ChannelsApi.Publish(channel, data.get("data"), Map.of(), false)));
                    return null;
                }
                case "message" -> {
                    await(channels.message(caller.user(), caller.client(), data));
                    return null;
                }
                default -> throw new ChannelsException(ErrorCode.METHOD_NOT_FOUND);
            }
        }

        private static void await(CompletionStage<?> call) {
            try {
                call.toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the channels did not do what the rpc asked", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
