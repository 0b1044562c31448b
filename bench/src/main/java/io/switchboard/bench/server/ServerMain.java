/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.server;

import io.switchboard.Server;

/**
 * Runs one server under test in its own process:
 * {@code ServerMain baseline|loop|vt|chat|channels|channels-loop PORT THREADS}. Prints {@code READY <port> <pid>} once it
 * listens, then serves until killed.
 */
public final class ServerMain {

    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        String host = args.length > 3 ? args[3] : "127.0.0.1";
        int bound;
        if (kind.equals("baseline")) {
            BaselineServer server = new BaselineServer(host, port, threads);
            bound = server.port();
        } else if (kind.equals("channels")) {
            bound = ProtocolTarget.start(host, port, threads).port();
        } else if (kind.equals("channels-loop")) {
            bound = ProtocolTarget.start(host, port, threads, SwitchboardTarget.BENCH_OUTBOUND_BUFFER, true)
                    .port();
        } else {
            Server server = SwitchboardTarget.start(kind, host, port, threads);
            bound = server.port();
        }
        System.out.println("READY " + bound + " " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.currentThread().join(); // serve until the driver ends this process
    }
}
