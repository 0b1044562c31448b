package io.switchboard.server;

import io.switchboard.Server;
import io.switchboard.channels.Channels;
import io.switchboard.engine.Engine;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryEngine;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.engine.Retention;
import io.switchboard.redis.RedisEngine;
import io.switchboard.redis.RedisHistory;
import io.switchboard.redis.RedisSettings;
import io.switchboard.routing.Router;
import io.switchboard.security.TokenAuthenticator;
import io.switchboard.server.metrics.ServerMetrics;
import java.io.PrintStream;
import java.time.Clock;

/** A started server with its application. */
final class Running implements AutoCloseable {

    private final Server server;
    private final Application app;
    private final History history;
    private final ServerMetrics metrics;

    private Running(Server server, Application app, History history, ServerMetrics metrics) {
        this.server = server;
        this.app = app;
        this.history = history;
        this.metrics = metrics;
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
        // Metrics: null with --no-metrics (the server then counts nothing and serves no /metrics).
        ServerMetrics metrics = settings.operations().metrics() ? new ServerMetrics() : null;
        Engine engine;
        Server server;
        try {
            Server.Builder builder = Server.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .limits(settings.limits())
                    .router(routes(app, metrics))
                    .stats(metrics != null)
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
            engine = redis == null ? new InMemoryEngine() : RedisEngine.connect(redis);
            server = builder.engine(engine).start();
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            app.close();
            history.close();
            throw e;
        }
        app.start(server);
        if (metrics != null) {
            metrics.bind(new ServerMetrics.Node(server, engine, history, app.channels()));
        }
        Banner.print(out, settings.host(), server, settings);
        return new Running(server, app, history, metrics);
    }

    /** The application's routes, with {@code /metrics} beside them when metrics are on. */
    private static Router routes(Application app, ServerMetrics metrics) {
        if (metrics == null) {
            return app.router();
        }
        return Router.builder()
                .http("/metrics", metrics.handler())
                .mount("/", app.router())
                .build();
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

    /**
     * Closes the channels' client connections with 3001 (shutdown: their clients reconnect, to another
     * node or to this one restarted), then refuses new connections and closes the others with 1001
     * within the drain timeout, and stops the rest.
     */
    @Override
    public void close() {
        app.close();
        server.close();
        history.close();
        if (metrics != null) {
            metrics.close();
        }
    }
}
