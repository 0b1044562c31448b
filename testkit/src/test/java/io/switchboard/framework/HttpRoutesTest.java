/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Plain HTTP routes on the WebSocket port: methods, bodies, errors, keep-alive and pipelining. */
class HttpRoutesTest {

    private static final Router ROUTER = Router.builder()
            .http("/echo", request -> HttpResponse.text(200, request.method() + " " + request.bodyText())
                    .withHeader("X-Query", request.scope().queryParam("q").orElse("-")))
            .http("/json", request -> HttpResponse.json(201, Map.of("ok", true)))
            .http("/boom", request -> {
                throw new IllegalStateException("boom");
            })
            .http("/nothing", request -> null)
            .build();

    @Test
    void aHandlerSeesMethodBodyAndQueryAndSetsStatusHeadersAndBody() {
        try (TestServer server = TestServer.start(ROUTER)) {
            var post = server.send(HttpRequest.newBuilder(server.http("/echo?q=x%20y"))
                    .POST(HttpRequest.BodyPublishers.ofString("héllo")));
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.body()).isEqualTo("POST héllo");
            assertThat(post.headers().firstValue("X-Query")).hasValue("x y");
            assertThat(post.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");

            var json = server.get("/json");
            assertThat(json.statusCode()).isEqualTo(201);
            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(json.body()).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void aFailingHandlerGets500AndTheConnectionStaysUsable() {
        try (LogCapture log = LogCapture.start();
                TestServer server = TestServer.start(ROUTER);
                RawClient raw = server.raw()) {
            RawClient.HttpHead failed = raw.request("GET /boom HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("Internal Server Error");
            RawClient.HttpHead none = raw.request("GET /nothing HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(none.status()).isEqualTo(500);
            RawClient.HttpHead next = raw.request("GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("GET ");
            assertThat(log.linesWith("HTTP handler for GET /boom failed")).hasSize(1);
        }
    }

    @Test
    void headAnswersWithTheHeadersOfGetAndNoBody() {
        try (TestServer server = TestServer.start(ROUTER);
                RawClient raw = server.raw()) {
            raw.writeRaw("HEAD /json HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
            RawClient.HttpHead head = raw.readResponseHead();
            assertThat(head.status()).isEqualTo(201);
            assertThat(head.header("Content-Length")).isEqualTo("11");
            // Had HEAD sent a body, this response would be read from the middle of it.
            RawClient.HttpHead get = raw.request("GET /json HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(get.status()).isEqualTo(201);
            assertThat(get.body()).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Router router = Router.builder()
                .http("/slow", request -> {
                    release.await(10, TimeUnit.SECONDS);
                    return HttpResponse.text(200, "slow");
                })
                .http("/fast", request -> HttpResponse.text(200, "fast"))
                .build();
        try (TestServer server = TestServer.start(router);
                RawClient raw = server.raw()) {
            raw.writeRaw(
                    ("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n" + "GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                    + "GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .getBytes());
            release.countDown();
            assertThat(raw.readResponse().body()).isEqualTo("slow");
            assertThat(raw.readResponse().body()).isEqualTo("fast");
            assertThat(raw.readResponse().body()).isEqualTo("fast");
        }
    }

    @Test
    void connectionCloseIsHonoured() {
        try (TestServer server = TestServer.start(ROUTER);
                RawClient raw = server.raw()) {
            RawClient.HttpHead answer =
                    raw.request("GET /json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).isEqualTo(201);
            assertThat(answer.header("Connection")).isEqualTo("close");
            raw.expectEof();
        }
    }

    @Test
    void aBodyOverTheLimitIs413() {
        try (TestServer server = TestServer.start(b ->
                        b.router(ROUTER).limits(Limits.defaults().withCapacity(c -> c.withMaxHttpBodyBytes(1024))));
                RawClient raw = server.raw()) {
            RawClient.HttpHead fits = raw.request(
                    "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1024\r\n\r\n" + "a".repeat(1024));
            assertThat(fits.status()).isEqualTo(200);
            RawClient.HttpHead tooBig = raw.request(
                    "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1025\r\n\r\n" + "a".repeat(1025));
            assertThat(tooBig.status()).isEqualTo(413);
        }
    }

    @Test
    void aMalformedRequestIs400() {
        try (TestServer server = TestServer.start(ROUTER);
                RawClient raw = server.raw()) {
            RawClient.HttpHead answer =
                    raw.request("GET /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: nope\r\n\r\n");
            assertThat(answer.status()).isEqualTo(400);
            raw.expectEof();
        }
    }

    @Test
    void aTooLongRequestLineIs414() {
        try (TestServer server = TestServer.start(ROUTER);
                RawClient raw = server.raw()) {
            RawClient.HttpHead answer =
                    raw.request("GET /echo?q=" + "a".repeat(9000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(answer.status()).isEqualTo(414);
        }
    }
}
