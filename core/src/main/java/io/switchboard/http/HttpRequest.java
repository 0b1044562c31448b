/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.http;

import io.switchboard.session.Scope;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A complete plain HTTP request.
 *
 * @param method the request method, upper case ({@code GET}, {@code POST}, ...)
 * @param scope path, parameters, query, headers, cookies and remote address
 * @param body the request body (empty for none); limited by {@code Limits.maxHttpBodyBytes}
 */
public record HttpRequest(String method, Scope scope, byte[] body) {

    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(body, "body");
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the method is {@code GET} or {@code HEAD}. */
    public boolean isRead() {
        return method.equals("GET") || method.equals("HEAD");
    }
}
