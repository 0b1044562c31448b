/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The origin check against cross-site WebSocket hijacking. Browsers send an {@code Origin} header
 * with every WebSocket upgrade and let any page open a socket to any server with the user's
 * cookies, so the server must decide which pages it talks to. Accepted: requests without an
 * {@code Origin} (not from a browser: nothing to hijack), requests whose origin is the server's
 * own (its host and port are the {@code Host} header's), and origins in the allow-list. An entry
 * of the list is {@code *} (every origin), {@code null} (the opaque origin of sandboxed pages and
 * files), or {@code scheme://host[:port]}, compared without case and with the scheme's default port.
 */
public final class Origins {

    /** The entry that allows every origin. */
    public static final String ANY = "*";

    private Origins() {}

    /**
     * Whether a request with the {@code Origin} header {@code origin} (or {@code null} when absent)
     * and the {@code Host} header {@code host} may open a WebSocket, given the allow-list {@code
     * allowed} (normalized with {@link #normalize}).
     */
    public static boolean allowed(String origin, String host, List<String> allowed) {
        return allowed(origin, host, false, allowed);
    }

    /**
     * As {@link #allowed(String, String, List)}, for a request that came over TLS when {@code secure}:
     * then only an {@code https} page is the server's own, so that a page served without TLS from
     * the same host (which anyone on the network path could have altered) cannot borrow the user's
     * cookies for a {@code wss://} socket.
     */
    public static boolean allowed(String origin, String host, boolean secure, List<String> allowed) {
        if (origin == null || allowed.contains(ANY)) {
            return true;
        }
        String normalized;
        try {
            normalized = normalize(origin.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return allowed.contains(normalized)
                || ((!secure || normalized.startsWith("https://")) && sameAsHost(normalized, host));
    }

    /**
     * An allow-list entry or an {@code Origin} value in a form fit for comparison: lower case, no
     * default port, no trailing slash. Fails naming the value if it is not an origin.
     */
    public static String normalize(String origin) {
        if (origin.equals(ANY) || origin.equals("null")) {
            return origin;
        }
        String bad = "'" + origin + "' is not an origin: expected scheme://host[:port], '*' or 'null'";
        URI uri;
        try {
            uri = new URI(origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(bad);
        }
        if (uri.getScheme() == null
                || uri.getHost() == null
                || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(bad);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() == defaultPort(scheme) ? -1 : uri.getPort();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port < 0 ? "" : ":" + port);
    }

    /** Whether a normalized origin names the host and port of the {@code Host} header. */
    private static boolean sameAsHost(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        int schemeEnd = origin.indexOf("://");
        String scheme = origin.substring(0, schemeEnd);
        String authority = origin.substring(schemeEnd + 3);
        return authority.equals(withoutDefaultPort(host.trim().toLowerCase(Locale.ROOT), defaultPort(scheme)));
    }

    private static String withoutDefaultPort(String host, int defaultPort) {
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']') && host.substring(colon + 1).equals(String.valueOf(defaultPort))) {
            return host.substring(0, colon);
        }
        return host;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }
}
