/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * A server as {@code ./switchboard serve ARGS} runs it (the same options, resolved the same way), in
 * this process on a loopback port, which {@link #stop()} and {@link #startAgain()} take down and
 * bring back on the same port, as an operator restarting a node would.
 */
public final class ServedNode implements AutoCloseable {

    private final List<String> args;
    private Running running;
    private final int port;

    private ServedNode(List<String> args) {
        this.args = List.copyOf(args);
        this.running = launch(this.args, 0);
        this.port = running.server().port();
    }

    /** Starts {@code serve} with {@code args} (a free port unless they name one). */
    public static ServedNode start(List<String> args) {
        return new ServedNode(args);
    }

    private static Running launch(List<String> args, int port) {
        List<String> all = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", String.valueOf(port)));
        all.addAll(args);
        String[] line = all.toArray(String[]::new);
        CommandLine command = new CommandLine(new Main(), new ServeCommand.Factory(Map.of(), line));
        CommandLine.ParseResult parsed = command.parseArgs(line);
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        return Running.start(serve.resolve(), new PrintStream(OutputStream.nullOutputStream()));
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
    public String http(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** {@code ws://127.0.0.1:PORT} followed by {@code path}. */
    public String ws(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    /** Stops the node as SIGTERM does: connections are closed, new ones refused. */
    public synchronized void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    /** Starts the node again on its port with the same options. */
    public synchronized void startAgain() {
        if (running != null) {
            throw new IllegalStateException("the node on port " + port + " is running");
        }
        running = launch(args, port);
    }

    @Override
    public void close() {
        stop();
    }
}
