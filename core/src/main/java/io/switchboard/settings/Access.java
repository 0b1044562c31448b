/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

import io.switchboard.security.Hosts;
import io.switchboard.security.Origins;
import java.util.List;
import java.util.Objects;

/**
 * Which browser pages may open WebSockets, and which host names requests may name.
 *
 * @param allowedOrigins origins, besides the server's own, whose pages may open WebSockets, unless a
 *     route sets its own list; {@code *} allows all. Normalized (see {@link Origins}). Default none:
 *     same-origin pages and non-browser clients (no {@code Origin} header) only; others get 403
 * @param allowedHosts host names, besides the address the server listens on when that is a specific
 *     one, that requests may name in their {@code Host} header; others get 400, against DNS
 *     rebinding (see {@link Hosts}). {@code *} allows all, {@code .example.com} a domain and its
 *     subdomains. Default {@link Hosts#LOOPBACK}: localhost and names under it, 127.0.0.1 and ::1 (any
 *     IP address is served anyway)
 */
public record Access(List<String> allowedOrigins, List<String> allowedHosts) {

    static final Access DEFAULTS = new Access(List.of(), Hosts.LOOPBACK);

    public Access {
        allowedOrigins = checked("allowedOrigins", allowedOrigins, Access::normalizeOrigins);
        allowedHosts = checked("allowedHosts", allowedHosts, Hosts::normalize);
    }

    /** Checks and normalizes an origin allow-list; fails naming an entry that is not an origin. */
    public static List<String> normalizeOrigins(List<String> origins) {
        Objects.requireNonNull(origins, "allowedOrigins");
        return origins.stream()
                .map(origin -> Origins.normalize(
                        Objects.requireNonNull(origin, "allowedOrigins entry").trim()))
                .distinct()
                .toList();
    }

    public Access withAllowedOrigins(List<String> value) {
        return new Access(value, allowedHosts);
    }

    public Access withAllowedHosts(List<String> value) {
        return new Access(allowedOrigins, value);
    }

    private static List<String> checked(
            String setting, List<String> value, java.util.function.UnaryOperator<List<String>> normalize) {
        Objects.requireNonNull(value, setting);
        try {
            return normalize.apply(value);
        } catch (InvalidSettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting, ": " + e.getMessage());
        }
    }
}
