/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.ssl.SslHandler;
import io.switchboard.routing.PathSegments;
import io.switchboard.session.Headers;
import io.switchboard.session.Scope;
import io.switchboard.session.internal.LastSeen;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the immutable {@link Scope} of a request from Netty's view of it. */
public final class Scopes {

    private static final InetSocketAddress UNKNOWN = InetSocketAddress.createUnresolved("unknown", 0);

    /** The path, Host and Origin last seen: a connection keeps its scope for life, and most share these. */
    private static final LastSeen PATH = new LastSeen();

    private static final LastSeen HOST = new LastSeen();

    private static final LastSeen ORIGIN = new LastSeen();

    private Scopes() {}

    /** The raw path of a request target: origin form as is, the path of absolute form, "" otherwise. */
    public static String rawPath(String uri) {
        String target = uri;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            if (scheme < 0) {
                return "";
            }
            int slash = target.indexOf('/', scheme + 3);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int end = target.length();
        int query = target.indexOf('?');
        int fragment = target.indexOf('#');
        if (query >= 0) {
            end = query;
        }
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return target.substring(0, end);
    }

    public static Scope of(
            Channel channel, FullHttpRequest request, String rawPath, Map<String, String> params, boolean ws) {
        boolean secure = channel.pipeline().get(SslHandler.class) != null;
        String scheme = ws ? (secure ? "wss" : "ws") : (secure ? "https" : "http");
        String decodedPath = decodedPath(rawPath);
        Headers.Builder headers = Headers.builder();
        request.headers().forEach(entry -> headers.add(entry.getKey(), shared(entry.getKey(), entry.getValue())));
        return new Scope(
                scheme,
                decodedPath,
                params,
                query(request.uri()),
                headers.build(),
                cookies(request),
                remote(channel.remoteAddress()),
                Handshake.tokens(request.headers(), HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
    }

    /** The Host or Origin {@code value} as the last equal one seen; other headers' values as they are. */
    private static String shared(String name, String value) {
        if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
            return HOST.share(value);
        }
        return HttpHeaderNames.ORIGIN.contentEqualsIgnoreCase(name) ? ORIGIN.share(value) : value;
    }

    private static String decodedPath(String rawPath) {
        List<String> segments = PathSegments.decode(rawPath);
        return PATH.share(segments == null ? rawPath : "/" + String.join("/", segments));
    }

    private static Map<String, List<String>> query(String uri) {
        int question = uri.indexOf('?');
        if (question < 0) {
            return Map.of();
        }
        try {
            return new QueryStringDecoder(uri.substring(question + 1), false).parameters();
        } catch (IllegalArgumentException e) {
            return Map.of(); // a malformed escape: treat the query as absent
        }
    }

    private static Map<String, String> cookies(FullHttpRequest request) {
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String header : request.headers().getAll(HttpHeaderNames.COOKIE)) {
            try {
                addCookies(cookies, header);
            } catch (IllegalArgumentException e) {
                // Netty refuses a whole header for one name that trims to nothing ("\u0001=x"; the
                // request decoder refuses those with 400, but a scope must not depend on it): decode
                // its pairs one by one and drop only the bad ones
                for (String pair : header.split(";")) {
                    try {
                        addCookies(cookies, pair);
                    } catch (IllegalArgumentException bad) {
                        // a cookie without a usable name is no cookie
                    }
                }
            }
        }
        return cookies;
    }

    private static void addCookies(Map<String, String> cookies, String header) {
        for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
            cookies.putIfAbsent(cookie.name(), cookie.value());
        }
    }

    private static InetSocketAddress remote(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : UNKNOWN;
    }
}
