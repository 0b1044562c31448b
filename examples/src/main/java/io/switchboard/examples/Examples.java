/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import io.switchboard.Server;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs one example by name: {@code ./switchboard example NAME [--port N] [--host H]}. Ctrl-C stops it
 * cleanly (open connections are closed with 1001).
 */
public final class Examples {

    private static final Map<String, String> DESCRIPTIONS = new TreeMap<>(Map.of(
            "echo", "ws://HOST:PORT/ws/echo echoes text and binary messages",
            "broadcast-chat", "ws://HOST:PORT/ws/chat sends every message to everyone",
            "private-chat", "ws://HOST:PORT/ws/{username} sends {\"message\",\"to_user\"} to one user",
            "clock", "ws://HOST:PORT/ws/clock pushes the time every second (open it in a browser too)",
            "countdown", "ws://HOST:PORT/ws/countdown counts to nine after your first message"));

    private Examples() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0 || args[0].equals("list") || args[0].equals("--help")) {
            System.out.print(usage());
            return;
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        run(args[0], rest);
    }

    /** The list of examples and how to run one. */
    static String usage() {
        StringBuilder text = new StringBuilder("examples:\n");
        DESCRIPTIONS.forEach((name, line) -> text.append(String.format("  %-15s %s%n", name, line)));
        return text.append("run one with: ./switchboard example NAME [--port N] [--host H]\n")
                .toString();
    }

    /**
     * Starts the named example with {@code --port}/{@code --host} from {@code args} and serves until
     * stopped. A bad name or option prints one line and exits with status 2.
     */
    static void run(String name, String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(name, args);
        } catch (IllegalArgumentException e) {
            System.err.println("example: " + e.getMessage());
            System.exit(2);
            return;
        }
        Running running = start(options, Clock.systemDefaultZone());
        Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        System.out.println("example " + name + ": "
                + DESCRIPTIONS
                        .get(name)
                        .replace(
                                "HOST:PORT",
                                options.host() + ":" + running.server().port()));
        running.server().awaitClose();
    }

    /**
     * What the command line asked for.
     *
     * @param name the example
     * @param host the address to listen on
     * @param port the port to listen on, 0 for any free one
     */
    record Options(String name, String host, int port) {

        /** Reads {@code --port N} and {@code --host H}; fails with a one-line message on anything else. */
        static Options parse(String name, String[] args) {
            if (!DESCRIPTIONS.containsKey(name)) {
                throw new IllegalArgumentException(
                        "no example named '" + name + "'; try: " + String.join(", ", DESCRIPTIONS.keySet()));
            }
            int port = 8000;
            String host = "0.0.0.0";
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = port(value(args, ++i, "--port"));
                    case "--host" -> host = value(args, ++i, "--host");
                    default ->
                        throw new IllegalArgumentException(
                                "unknown option '" + args[i] + "'; options are --port N and --host H");
                }
            }
            return new Options(name, host, port);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--port needs a number from 0 to 65535, not '" + text + "'");
        }
    }

    /** Sets up {@code builder} for the named example: its routes and, for private-chat, who is connecting. */
    static Server.Builder configure(String name, Server.Builder builder) {
        return switch (name) {
            case "echo" -> builder.router(EchoExample.router());
            case "broadcast-chat" -> builder.router(BroadcastChatExample.router());
            case "private-chat" ->
                builder.router(PrivateChatExample.router()).authenticator(PrivateChatExample.USER_FROM_PATH);
            case "clock" -> builder.router(ClockExample.router());
            case "countdown" -> builder.router(CountdownExample.router());
            default -> throw new IllegalArgumentException("no example named '" + name + "'");
        };
    }

    /** Starts an example: its server and, for the clock, the ticker that reads {@code clock}. */
    static Running start(Options options, Clock clock) {
        Server server = configure(
                        options.name(), Server.builder().host(options.host()).port(options.port()))
                .start();
        ScheduledExecutorService ticker =
                options.name().equals("clock") ? ClockExample.startTicker(server.hub(), clock) : null;
        return new Running(server, ticker);
    }

    /**
     * A started example.
     *
     * @param server the server
     * @param ticker the clock's ticker, or {@code null} for the other examples
     */
    record Running(Server server, ScheduledExecutorService ticker) implements AutoCloseable {

        /** Stops the ticker, then the server (open connections are closed with 1001). */
        @Override
        public void close() {
            if (ticker != null) {
                ticker.shutdownNow();
            }
            server.close();
        }
    }
}
