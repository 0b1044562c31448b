/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.http;

/**
 * Serves plain HTTP requests on a route. Runs on a virtual thread, so it may block. An exception is
 * logged once and answered with 500; the connection stays usable.
 */
@FunctionalInterface
public interface HttpHandler {

    /** Answers {@code request}. */
    HttpResponse handle(HttpRequest request) throws Exception;
}
