package io.switchboard.server;

import io.switchboard.Server;
import io.switchboard.channels.Channels;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.engine.Retention;
import io.switchboard.redis.RedisEngine;
import io.switchboard.redis.RedisHistory;
import io.switchboard.redis.RedisSettings;
import io.switchboard.security.TokenAuthenticator;
import java.io.PrintStream;
import java.time.Clock;

/** A started server with its application. */
final class Running implements AutoCloseable {

    private final Server server;
    private final Application app;
    private final History history;

    private Running(Server server, Application app, History history) {
        this.server = server;
        this.app = app;
        this.history = history;
    }

    /**
     * Starts everything and prints the banner to {@code out}. Fails with {@link IllegalStateException}
     * if the port cannot be bound or Redis cannot be reached.
     */
    static Running start(Resolved settings, PrintStream out) {
        RedisSettings redis = settings.redis();
        Retention retention = settings.chat().retention();
        History history = redis == null ? InMemoryHistory.sweeping(retention) : RedisHistory.connect(redis, retention);
        Application app = new Application(
                settings.chat(), history, Clock.systemUTC(), channels(settings, history), settings.apiKey());
        Server server;
        try {
            Server.Builder builder = Server.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .limits(settings.limits())
                    .router(app.router())
                    .authenticator(
                            settings.tokens() == null
                                    ? app.authenticator()
                                    : app.authenticator(new TokenAuthenticator(
                                            settings.tokens().verifier())));
            if (settings.tls() != null) {
                builder.tls(settings.tls());
            }
            if (settings.ioThreads() > 0) {
                builder.ioThreads(settings.ioThreads());
            }
            if (redis != null) {
                builder.engine(RedisEngine.connect(redis));
            }
            server = builder.start();
        } catch (RuntimeException e) {
            app.close();
            history.close();
            throw e;
        }
        app.start(server);
        Banner.print(out, settings.host(), server, settings);
        return new Running(server, app, history);
    }

    /**
     * The channels, on the chat's history and with its token check. Without token options nothing
     * could ever sign a connection token, so connections without one are let in, as anonymous users
     * (who may only use namespaces with {@code subscribe=anonymous}); with them a token is required.
     */
    private static Channels channels(Resolved settings, History history) {
        Channels.Builder channels = Channels.builder().history(history).namespaces(settings.namespaces());
        if (settings.tokens() != null) {
            channels.tokens(settings.tokens().verifier());
        }
        return channels.anonymous(settings.tokens() == null).build();
    }

    Server server() {
        return server;
    }

    /** Refuses new connections, closes open ones with 1001 within the drain timeout, stops the rest. */
    @Override
    public void close() {
        server.close();
        app.close();
        history.close();
    }
}
