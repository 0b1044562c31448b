/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Odd request input from the scope fuzz tests, sent over a real socket. */
class ScopeInputTest {

    private static final Router ROUTER = Router.builder()
            .http(
                    "/cookies",
                    request ->
                            HttpResponse.text(200, new TreeMap<>(request.scope().cookies()).toString()))
            .build();

    /**
     * Scopes drops a cookie whose name is a control character (Netty's cookie decoder threw for the
     * whole header); over the wire the request decoder already refuses such a header with 400.
     */
    @Test
    void aControlCharacterInACookieHeaderIsRefusedWith400AndNothingWorse() {
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(ROUTER);
                RawClient raw = server.raw()) {
            raw.writeRaw("GET /cookies HTTP/1.1\r\nHost: localhost\r\nCookie: a=1; \u0001=x; b=2\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            RawClient.HttpHead response = raw.readResponse();
            assertThat(response.status()).isEqualTo(400);
            assertThat(log.linesWith("unexpected error")).isEmpty();
        }
        try (TestServer server = TestServer.start(ROUTER);
                RawClient raw = server.raw()) {
            RawClient.HttpHead response =
                    raw.request("GET /cookies HTTP/1.1\r\nHost: localhost\r\nCookie: a=1;b=2; a=3\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{a=1, b=2}");
        }
    }
}
