/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.metrics.Exposition;
import io.switchboard.testkit.Eventually;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.RedisServer;
import io.switchboard.testkit.TestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /healthz} and {@code /readyz} of a real {@code serve}: readiness turns 503 from SIGTERM
 * (through the shutdown delay) and while Redis is stopped; with {@code --internal-port} the
 * operational routes move to the internal listener, which answers through the main port's drain.
 */
class ProbesTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String READY = "{\"status\":\"ready\"}";

    @Test
    void readyzTurns503AtSigtermWhileTheNodeServesOnForTheShutdownDelay() throws Exception {
        try (ServeProcess serve = ServeProcess.start("--shutdown-delay", "10m", "--drain-timeout", "3s")) {
            int port = serve.port();
            assertThat(serve.get(port, "/healthz").body()).isEqualTo("{\"status\":\"ok\"}");
            HttpResponse<String> ready = serve.get(port, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo(READY);
            TestClient echo = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/echo"));

            serve.terminate();
            serve.awaitLine("/readyz answers 503");

            HttpResponse<String> leaving = serve.get(port, "/readyz");
            assertThat(leaving.statusCode()).isEqualTo(503);
            assertThat(leaving.body()).contains("\"status\":\"not ready\"", "draining: the node is shutting down");
            assertThat(serve.get(port, "/healthz").statusCode())
                    .as("still alive")
                    .isEqualTo(200);
            echo.sendText("still served");
            assertThat(echo.expectText()).isEqualTo("still served");
            TestClient late = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/echo"));
            late.sendText("new connections too");
            assertThat(late.expectText()).isEqualTo("new connections too");

            serve.terminate(); // a second signal cuts the delay short
            serve.awaitLine("closing connections");
            assertThat(echo.expectClosed().code()).isEqualTo(1001);
            assertThat(late.expectClosed().code()).isEqualTo(1001);
            assertThat(serve.awaitExit()).isZero();
            serve.awaitLine("Switchboard stopped");
            echo.assertNoUnreadEvents();
            late.assertNoUnreadEvents();
        }
    }

    @Test
    void theInternalListenerServesTheOperationalRoutesAloneAndAnswersThroughTheDrain() throws Exception {
        try (ServeProcess serve = ServeProcess.start(
                "--internal-port",
                "0",
                "--api-key",
                "k",
                "--admin-password",
                "an-admin-password",
                "--drain-timeout",
                "1m")) {
            int main = serve.port();
            int internal = serve.internalPort();
            assertThat(serve.get(internal, "/healthz").statusCode()).isEqualTo(200);
            assertThat(serve.get(internal, "/readyz").body()).isEqualTo(READY);
            assertThat(Exposition.parse(serve.get(internal, "/metrics").body()).value("switchboard_connections"))
                    .isZero();
            assertThat(serve.post(internal, "/api/info", "{}", "X-API-Key", "k").statusCode())
                    .isEqualTo(200);
            assertThat(serve.get(internal, "/admin").statusCode()).isEqualTo(200);
            for (String path :
                    List.of("/healthz", "/readyz", "/metrics", "/admin", "/admin/api/session", "/api/info")) {
                assertThat(serve.get(main, path).statusCode())
                        .as(path + " on the main port")
                        .isEqualTo(404);
            }
            HttpResponse<String> posted = serve.post(main, "/api/info", "{}", "X-API-Key", "k");
            assertThat(posted.statusCode())
                    .as("a POST reaches the static files, which take GET and HEAD only")
                    .isEqualTo(405);
            assertThat(posted.headers().firstValue("Allow")).contains("GET, HEAD");
            assertThat(serve.get(internal, "/chat.json").statusCode())
                    .as("the clients' routes stay on the main port")
                    .isEqualTo(404);
            assertThat(serve.get(main, "/chat.json").statusCode()).isEqualTo(200);

            // A client that never answers the server's close holds the main port's drain open.
            try (RawClient held = RawClient.connect("127.0.0.1", main)) {
                assertThat(held.upgrade("/ws/echo").status()).isEqualTo(101);
                serve.terminate();
                serve.awaitLine("closing connections");
                assertThat(held.expectClose().closeCode())
                        .as("the main port drains")
                        .isEqualTo(1001);

                HttpResponse<String> leaving = serve.get(internal, "/readyz");
                assertThat(leaving.statusCode()).isEqualTo(503);
                assertThat(leaving.body()).contains("draining");
                assertThat(serve.get(internal, "/healthz").statusCode()).isEqualTo(200);
                HttpResponse<String> scrape = serve.get(internal, "/metrics");
                assertThat(scrape.statusCode()).as("a scrape during the drain").isEqualTo(200);
                assertThat(Exposition.parse(scrape.body()).value("switchboard_connections"))
                        .as("the held client, still open")
                        .isEqualTo(1);
            }
            assertThat(serve.awaitExit()).isZero();
            serve.awaitLine("Switchboard stopped");
        }
    }

    @Test
    void readyzIs503WhileRedisIsStoppedAnd200WhenItIsBack() {
        try (RedisServer redis = RedisServer.start();
                ServedNode node = ServedNode.start(List.of("--redis", redis.uri(), "--drain-timeout", "500ms"))) {
            URI readyz = URI.create(node.http("/readyz"));
            assertThat(get(readyz).body()).isEqualTo(READY);

            redis.stop();
            awaitStatus(readyz, 503);
            assertThat(get(readyz).body())
                    .contains("the engine's store (Redis) is unavailable")
                    .contains("the history's store (Redis) is unavailable")
                    .doesNotContain("draining");
            assertThat(get(URI.create(node.http("/healthz"))).statusCode())
                    .as("alive all the same")
                    .isEqualTo(200);

            redis.launch();
            awaitStatus(readyz, 200);
            assertThat(get(readyz).body()).isEqualTo(READY);
        }
    }

    private static HttpResponse<String> get(URI uri) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                    HttpRequest.newBuilder(uri).timeout(WAIT).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until {@code uri} answers {@code status}: a probe's status emits no event, so it is polled. */
    private static void awaitStatus(URI uri, int status) {
        Eventually.until(uri + " to answer " + status, WAIT, () -> get(uri).statusCode(), now -> now == status);
    }
}
