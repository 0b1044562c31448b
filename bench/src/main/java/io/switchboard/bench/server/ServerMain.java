/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.switchboard.Server;

/**
 * Runs one server under test in its own process:
 * {@code ServerMain baseline|netty|vertx|vertx-bus|loop|vt|chat|channels|channels-loop PORT THREADS [HOST] [--stats on|off]}.
 * Prints {@code READY <port> <pid>} once it listens, then serves until killed. {@code --stats off}
 * builds a Switchboard server that counts nothing ({@code Server.Builder.stats(false)}); on (the
 * default), its numbers are read once a second as a scrape would.
 */
public final class ServerMain {

    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        String host = args.length > 3 && !args[3].startsWith("--") ? args[3] : "127.0.0.1";
        boolean stats = stats(args);
        int bound;
        if (kind.equals("baseline")) {
            BaselineServer server = new BaselineServer(host, port, threads);
            bound = server.port();
        } else if (kind.equals("netty")) {
            bound = new NettyServer(host, port, threads).port();
        } else if (kind.equals("vertx") || kind.equals("vertx-bus")) {
            VertxServer server = new VertxServer(host, port, threads, kind.equals("vertx-bus"));
            if (!server.nativeTransport()) {
                System.out.println("WARNING vertx runs on NIO: its native transport is not available");
            }
            bound = server.port();
        } else if (kind.equals("channels")) {
            bound = ProtocolTarget.start(host, port, threads).port();
        } else if (kind.equals("channels-loop")) {
            bound = ProtocolTarget.start(host, port, threads, SwitchboardTarget.BENCH_OUTBOUND_BUFFER, true)
                    .port();
        } else {
            Server server =
                    SwitchboardTarget.start(kind, host, port, threads, SwitchboardTarget.BENCH_OUTBOUND_BUFFER, stats);
            bound = server.port();
        }
        System.out.println("READY " + bound + " " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.currentThread().join(); // serve until the driver ends this process
    }

    /** Whether {@code --stats} (after the third argument) leaves counting on: {@code on}, the default, or {@code off}. */
    static boolean stats(String[] args) {
        for (int i = 3; i + 1 < args.length; i++) {
            if (args[i].equals("--stats")) {
                return switch (args[i + 1]) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--stats takes on or off, not " + args[i + 1]);
                };
            }
        }
        return true;
    }
}
