/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The host allow-list, against DNS rebinding. A page on {@code evil.example} whose name the attacker
 * then points at 127.0.0.1 reaches a server on the victim's machine as its own origin: the browser
 * sends {@code Origin: http://evil.example:8000} and {@code Host: evil.example:8000}, which agree,
 * so the same-origin check passes. Only the {@code Host} header gives the name away, so every
 * request must name a host the server knows as its own. An entry of the list is {@code *} (every
 * host), {@code .example.com} (that domain and all its subdomains), or a host name or IP address
 * ({@code localhost}, {@code 127.0.0.1}, {@code ::1}); ports are not compared.
 *
 * <p>A {@code Host} that is an IP address is always allowed: rebinding needs a name to rebind, and a
 * page whose origin is an address was served from that address. So clients that reach the server by
 * any address ({@code 127.0.0.2}, a LAN address) need no entry; only names do.
 */
public final class Hosts {

    /** The entry that allows every host. */
    public static final String ANY = "*";

    /** The names of this machine's loopback interface, the default list. */
    public static final List<String> LOOPBACK = List.of("localhost", ".localhost", "127.0.0.1", "::1");

    private Hosts() {}

    /**
     * Whether a request whose {@code Host} header is {@code host} may be served, given the allow-list
     * {@code allowed} (normalized with {@link #normalize}). A malformed header is not allowed.
     */
    public static boolean allowed(String host, List<String> allowed) {
        if (allowed.contains(ANY)) {
            return true;
        }
        Optional<String> name = name(host);
        if (name.isEmpty()) {
            return false;
        }
        if (isAddress(name.get())) {
            return true;
        }
        for (String entry : allowed) {
            if (entry.equals(name.get()) || (entry.startsWith(".") && matchesDomain(name.get(), entry))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why a request with the {@code Host} headers {@code hosts} may not be served, in one line, or
     * null when it may: HTTP/1.1 ({@code http11}) requires exactly one (RFC 9112, section 3.2), which
     * must be {@link #allowed}; an HTTP/1.0 request may have none.
     */
    public static String problem(List<String> hosts, boolean http11, List<String> allowed) {
        if (hosts.isEmpty() && !http11) {
            return null;
        }
        if (hosts.size() != 1 || hosts.get(0).isBlank()) {
            return "missing or repeated Host header";
        }
        String host = hosts.get(0);
        if (!allowed(host, allowed)) {
            String shown = host.length() > 100 ? host.substring(0, 100) + "..." : host;
            return "host '" + shown + "' is not allowed (add it to the allowed hosts)";
        }
        return null;
    }

    /**
     * An allow-list entry in a form fit for comparison: lower case, IPv6 addresses without brackets,
     * no trailing dot. Fails naming the value if it is not a host name, an address, a {@code
     * .domain} or {@code *}.
     */
    public static String normalize(String entry) {
        Objects.requireNonNull(entry, "host");
        String trimmed = entry.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals(ANY)) {
            return trimmed;
        }
        String bare =
                trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
        bare = withoutTrailingDot(bare);
        boolean domain = bare.startsWith(".");
        if (!wellFormed(domain ? bare.substring(1) : bare)) {
            throw new IllegalArgumentException(
                    "'" + entry + "' is not a host: expected a name, an address, .domain or '*'");
        }
        return bare;
    }

    /** Normalizes every entry of a list, dropping repeats; fails naming the first bad one. */
    public static List<String> normalize(List<String> entries) {
        Objects.requireNonNull(entries, "allowedHosts");
        return entries.stream().map(Hosts::normalize).distinct().toList();
    }

    /**
     * The host name of a {@code Host} header ({@code name}, {@code name:port}, {@code [v6]} or
     * {@code [v6]:port}): lower case, without port, brackets or trailing dot. Empty when the header is
     * malformed.
     */
    public static Optional<String> name(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String value = host.trim().toLowerCase(Locale.ROOT);
        String name;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            name = value.substring(1, close);
            if (!isIpv6(name)) {
                return Optional.empty(); // brackets hold an IPv6 address and nothing else
            }
            String rest = value.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return Optional.empty();
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = value.indexOf(':');
            name = colon < 0 ? value : value.substring(0, colon);
            port = colon < 0 ? "" : value.substring(colon + 1);
        }
        name = withoutTrailingDot(name);
        if (!port.chars().allMatch(c -> c >= '0' && c <= '9') || !wellFormed(name)) {
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /** An IPv4 address in dotted-quad form, or an IPv6 address (the only names with a colon). */
    static boolean isAddress(String name) {
        if (name.indexOf(':') >= 0) {
            return isIpv6(name);
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty()
                    || part.length() > 3
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code name} has an IPv6 address's form: hex digits, colons and dots (an embedded IPv4
     * address), with at least two colons. Not {@code localhost:evil.example}, which brackets would
     * otherwise pass off as an address.
     */
    private static boolean isIpv6(String name) {
        return name.chars().filter(c -> c == ':').count() >= 2
                && name.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.');
    }

    private static boolean matchesDomain(String name, String dotDomain) {
        return name.endsWith(dotDomain) || name.equals(dotDomain.substring(1));
    }

    private static String withoutTrailingDot(String name) {
        return name.endsWith(".") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
    }

    /** Letters, digits, dots, hyphens, underscores and (for IPv6) colons: nothing that could hide another name. */
    private static boolean wellFormed(String name) {
        return !name.isEmpty()
                && name.length() <= 253
                && name.chars()
                        .allMatch(c -> (c >= 'a' && c <= 'z')
                                || (c >= '0' && c <= '9')
                                || c == '.'
                                || c == '-'
                                || c == '_'
                                || c == ':');
    }
}
