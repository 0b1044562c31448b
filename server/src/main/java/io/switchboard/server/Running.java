package io.switchboard.server;

import io.switchboard.Server;
import io.switchboard.channels.Channels;
import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryHistory;
import io.switchboard.engine.Retention;
import io.switchboard.redis.RedisEngine;
import io.switchboard.redis.RedisHistory;
import io.switchboard.redis.RedisSettings;
import io.switchboard.routing.Router;
import io.switchboard.security.TokenAuthenticator;
import io.switchboard.server.admin.AdminPage;
import java.io.PrintStream;
import java.time.Clock;

/** A started server with its application. */
final class Running implements AutoCloseable {

    private final Server server;
    private final Application app;
    private final History history;
    private final AdminPage admin;

    private Running(Server server, Application app, History history, AdminPage admin) {
        this.server = server;
        this.app = app;
        this.history = history;
        this.admin = admin;
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
        AdminPage admin = admin(settings, app, history);
        Server server;
        try {
            Server.Builder builder = Server.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .limits(settings.limits())
                    .router(admin == null ? app.router() : withAdmin(app, admin))
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
        if (admin != null) {
            admin.start(server);
        }
        Banner.print(out, settings.host(), server, settings);
        return new Running(server, app, history, admin);
    }

    /** The admin page, when {@code --admin-password} is given; else null, and {@code /admin} is 404. */
    private static AdminPage admin(Resolved settings, Application app, History history) {
        String password = settings.operations().adminPassword();
        return password == null
                ? null
                : new AdminPage(password, app.chat(), app.channels(), history, Clock.systemUTC());
    }

    private static Router withAdmin(Application app, AdminPage admin) {
        return Router.builder()
                .mount("/", app.router())
                .mount(AdminPage.PATH, admin.router())
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
        if (admin != null) {
            admin.close();
        }
        app.close();
        server.close();
        history.close();
    }
}
