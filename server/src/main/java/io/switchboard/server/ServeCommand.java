/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import sun.misc.Signal;

/** {@code switchboard serve}: starts the server and runs until SIGTERM or Ctrl-C. */
@Command(
        name = "serve",
        description =
                "Starts the chat server (rooms, direct messages, presence, clock, web page) and Centrifugo-compatible channels.",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        showDefaultValues = true,
        defaultValueProvider = SettingsSource.class,
        modelTransformer = ServeOptions.class,
        footerHeading = "%nSettings%n",
        footer = {
            "Every option can also be set in the config file, as KEY=VALUE with the option's name without"
                    + " dashes (port=9000), and in an environment variable: SWITCHBOARD_ and the name in capitals"
                    + " with underscores (SWITCHBOARD_PORT=9000).",
            "Precedence: the command line, then the environment, then the config file, then the defaults"
                    + " shown. An unknown setting or a bad value stops the server at start, naming it.",
            "Sizes are bytes or take KiB/MiB (64KiB); durations take ms, s, m or h (500ms, 5s).",
            "Channels' namespaces are config file keys only: channel.OPTION=VALUE for channels without a"
                    + " namespace, namespace.NAME.OPTION=VALUE for each namespace; options: "
                    + "history-size, history-ttl, presence, join-leave, recovery, subscribe, publish, conflate-key."
        })
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final SettingsSource source;

    ServeCommand(SettingsSource source) {
        this.source = source;
    }

    /** Checks every setting and resolves them; fails naming the first one that is wrong. */
    Resolved resolve() {
        source.checkKeys(spec);
        return Resolved.of(spec, source.namespaces(spec));
    }

    @Override
    public Integer call() throws Exception {
        // Before the other settings are resolved: reading a key or a certificate may log already.
        LogSetup.use(OperationsOptions.LOG_FORMAT.value(spec));
        Resolved settings = resolve();
        Running running;
        try {
            running = Running.start(settings, System.out);
        } catch (IllegalStateException e) {
            LogSetup.startFailed(settings.operations().logFormat(), e.getMessage());
            return 1;
        }
        Semaphore signals = stopSignals();
        signals.acquire();
        stop(running, settings, signals);
        return 0;
    }

    /**
     * The drain: first {@code /readyz} answers 503 while the node still serves everything, for the
     * shutdown delay (cut short by another signal), so load balancers stop sending new connections;
     * then the connections are closed.
     */
    private static void stop(Running running, Resolved settings, Semaphore signals) throws InterruptedException {
        running.readiness().drain();
        Duration delay = settings.operations().shutdownDelay();
        if (delay.isPositive()) {
            System.out.println("Switchboard stopping: /readyz answers 503, still serving for " + delay.toMillis()
                    + " ms (--shutdown-delay; signal again to skip)");
            signals.tryAcquire(delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        System.out.println("Switchboard stopping: closing connections (up to "
                + settings.limits().timeouts().drainTimeout().toMillis() + " ms)");
        running.close();
        System.out.println("Switchboard stopped");
    }

    /** One permit per SIGTERM or SIGINT (Ctrl-C); the JVM's own handling is replaced, so we exit 0. */
    private static Semaphore stopSignals() {
        Semaphore signals = new Semaphore(0);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> signals.release());
        }
        return signals;
    }

    /** Makes commands with the environment and arguments this process was given. */
    static final class Factory implements CommandLine.IFactory {
        private final Map<String, String> environment;
        private final String[] args;
        private SettingsSource source;

        Factory(Map<String, String> environment, String[] args) {
            this.environment = environment;
            this.args = args;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == SettingsSource.class) {
                return type.cast(source());
            }
            if (type == ServeCommand.class) {
                return type.cast(new ServeCommand(source()));
            }
            if (type == TokenCommand.class) {
                return type.cast(new TokenCommand(environment, java.time.Clock.systemUTC()));
            }
            return CommandLine.defaultFactory().create(type);
        }

        private SettingsSource source() {
            if (source == null) {
                source = new SettingsSource(environment, args);
            }
            return source;
        }
    }
}
