/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.http;

import io.switchboard.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A complete HTTP response. {@code Content-Length} is set by the server from the body.
 *
 * @param status the status code
 * @param headers response headers, in order
 * @param body the body bytes (shared, not copied)
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

    private static final byte[] NONE = new byte[0];

    public HttpResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status " + status + " is outside 100-599");
        }
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(body, "body");
    }

    /** A response with a body of the given content type. */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, Map.of("Content-Type", contentType), body);
    }

    /** {@code text} as {@code text/plain; charset=utf-8}. */
    public static HttpResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code html} as {@code text/html; charset=utf-8} with status 200. */
    public static HttpResponse html(String html) {
        return of(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code value} written as JSON. */
    public static HttpResponse json(int status, Object value) {
        return of(status, "application/json", Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /** A status with no body. */
    public static HttpResponse status(int status) {
        return new HttpResponse(status, Map.of(), NONE);
    }

    /** 404 with a one-line reason. */
    public static HttpResponse notFound() {
        return text(404, "Not Found");
    }

    /** This response with one more header (replacing one of the same name). */
    public HttpResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.remove(name);
        copy.put(name, value);
        return new HttpResponse(status, copy, body);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
