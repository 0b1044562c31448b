/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.json.Json;
import io.switchboard.testkit.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The admin API over real HTTP, as a browser or a script calls it, for one server at {@code base}. */
final class AdminHttp {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    AdminHttp(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(builder(path, headers).GET());
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        return send(builder(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Logs in with {@code password}; the session cookie and its CSRF token. */
    Session login(String password) {
        HttpResponse<String> answer =
                post("/admin/api/login", "password=" + password, "Content-Type", "application/x-www-form-urlencoded");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String cookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        String csrf = Json.read(answer.body(), Map.class).get("csrf").toString();
        return new Session(cookie, cookie.substring(0, cookie.indexOf(';')), csrf);
    }

    /** JSON of a {@code GET} that must answer 200. */
    @SuppressWarnings("unchecked")
    Map<String, Object> json(String path, String... headers) {
        HttpResponse<String> answer = get(path, headers);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return Json.read(answer.body(), Map.class);
    }

    private HttpRequest.Builder builder(String path, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits up to {@code seconds} for {@code condition}, failing with {@code what}: see {@link Eventually}. */
    static void eventually(String what, int seconds, BooleanSupplier condition) {
        Eventually.until(what, Duration.ofSeconds(seconds), condition);
    }

    /**
     * A logged-in browser's credentials.
     *
     * @param setCookie the whole {@code Set-Cookie} header, with its attributes
     * @param cookie what the browser sends back: {@code NAME=VALUE}
     * @param csrf the session's CSRF token
     */
    record Session(String setCookie, String cookie, String csrf) {}
}
