/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.metrics;

import io.switchboard.http.HttpHandler;
import io.switchboard.http.HttpRequest;
import io.switchboard.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the meters in Prometheus' text exposition format 0.0.4, read when asked (HEAD:
 * the headers alone; other methods: 405). A scrape answers while the engine is down or the server
 * drains: it only reads numbers.
 */
final class MetricsEndpoint implements HttpHandler {

    /** The text exposition format's content type, as Prometheus asks for it. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> scrape;

    MetricsEndpoint(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        if (!request.isRead()) {
            return HttpResponse.text(405, "Method Not Allowed").withHeader("Allow", "GET, HEAD");
        }
        return HttpResponse.of(200, CONTENT_TYPE, scrape.get().getBytes(StandardCharsets.UTF_8))
                .withHeader("Cache-Control", "no-store");
    }
}
