/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Who one connection's log lines are about, as structured fields beside the message (SLF4J 2 key-value
 * pairs, which a JSON layout renders as fields): {@value #ADDRESS} (the peer's ip:port), {@value
 * #SESSION} (the session's address), {@value #ROUTE} (the route's pattern, never the raw path, so its
 * values are bounded) and {@value #USER} once authenticated; a close adds {@value #CODE}. Prints as
 * the session's address, which is how the messages have always named a connection, so the pieces that
 * log take it as their {@code who}.
 *
 * <p>Threads: any; the user is set once, before the handler's {@code onConnect}.
 */
public final class ConnectionLog {

    /** The peer's ip:port. */
    public static final String ADDRESS = "address";
    /** The session's address. */
    public static final String SESSION = "session";
    /** The route's pattern. */
    public static final String ROUTE = "route";
    /** The authenticated user's name. */
    public static final String USER = "user";
    /** A close code, as a number. */
    public static final String CODE = "code";

    /** The session's address as printed: made once, not for every line. */
    private final String session;

    /** The peer, formatted only when a line is written: most connections never log one. */
    private final SocketAddress remote;

    private final String route;
    private volatile String user;

    /**
     * @param session the session's address
     * @param remote the peer's address
     * @param route the route's pattern, or null when not known
     */
    public ConnectionLog(Object session, SocketAddress remote, String route) {
        this.session = session.toString();
        this.remote = remote;
        this.route = route;
    }

    /** The authenticated user's name, from now on in every line. */
    public void user(String name) {
        this.user = name;
    }

    /** An info line about {@code who}: with its fields when it is a connection's log, else plain. */
    public static LoggingEventBuilder info(Logger log, Object who) {
        return fields(log.atInfo(), who);
    }

    /** A warning about {@code who}, as {@link #info}. */
    public static LoggingEventBuilder warn(Logger log, Object who) {
        return fields(log.atWarn(), who);
    }

    private static LoggingEventBuilder fields(LoggingEventBuilder event, Object who) {
        return who instanceof ConnectionLog connection ? connection.addTo(event) : event;
    }

    /** Adds the {@value #ADDRESS} of {@code remote} to {@code event}: for lines before a session exists. */
    public static LoggingEventBuilder peer(LoggingEventBuilder event, SocketAddress remote) {
        return event.addKeyValue(ADDRESS, address(remote));
    }

    /** Adds this connection's fields to {@code event}. */
    public LoggingEventBuilder addTo(LoggingEventBuilder event) {
        LoggingEventBuilder with = event.addKeyValue(ADDRESS, address(remote)).addKeyValue(SESSION, session);
        if (route != null) {
            with = with.addKeyValue(ROUTE, route);
        }
        String name = user;
        return name == null ? with : with.addKeyValue(USER, name);
    }

    /** The peer's address as ip:port (without the host name or slash a socket address prints). */
    public static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (inet.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(remote);
    }

    @Override
    public String toString() {
        return session;
    }
}
