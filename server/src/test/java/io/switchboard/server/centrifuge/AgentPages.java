/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The agent's page for Chromium, served on loopback by the JDK's HTTP server, as an application's
 * own site would serve it: the page, the agent module and the browser build of the centrifuge
 * client from {@code node_modules} (never from the network). Its origin is another than the
 * nodes', which allow it with {@code --allowed-origins}.
 */
final class AgentPages implements AutoCloseable {

    private static final Map<String, Path> FILES = Map.of(
            "/page.html", NodeLink.PROJECT.resolve("agent/page.html"),
            "/agent.js", NodeLink.PROJECT.resolve("agent/agent.js"),
            "/centrifuge.js", NodeLink.PROJECT.resolve("node_modules/centrifuge/dist/centrifuge.js"));

    private final HttpServer server;

    private AgentPages(HttpServer server) {
        this.server = server;
    }

    static AgentPages start() {
        NodeLink.requireInstalled();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", AgentPages::serve);
            server.start();
            return new AgentPages(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Path file = FILES.get(exchange.getRequestURI().getPath());
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            String type = file.toString().endsWith(".html") ? "text/html" : "text/javascript";
            exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the origin the pages come from. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The agent's page. */
    String page() {
        return origin() + "/page.html";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
