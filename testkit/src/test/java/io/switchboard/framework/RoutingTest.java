/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.http.HttpResponse;
import io.switchboard.json.Json;
import io.switchboard.routing.Router;
import io.switchboard.session.Decision;
import io.switchboard.session.Handlers;
import io.switchboard.session.Scope;
import io.switchboard.session.Session;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routes over real sockets: one port for HTTP and WebSocket, the three kinds of route, nesting, the scope. */
class RoutingTest {

    private static final Router ECHO = Router.builder()
            .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)))
            .build();

    @Test
    void onePortServesPlainHttpAndWebSocket() {
        Router router = Router.builder()
                .http("/healthz", request -> HttpResponse.text(200, "ok"))
                .mount("/", ECHO)
                .build();
        try (TestServer server = TestServer.start(router)) {
            var health = server.get("/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok");

            TestClient client = server.connect("/ws/echo");
            client.sendText("hello");
            assertThat(client.expectText()).isEqualTo("hello");
        }
    }

    @Test
    void theNativeTransportIsUsedWherePresentAndNioWhenAskedFor() {
        String forced = System.clearProperty("switchboard.transport");
        try {
            try (TestServer server = TestServer.start(ECHO)) {
                assertThat(server.server().transportName())
                        .isEqualTo(io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio");
            }
            System.setProperty("switchboard.transport", "nio");
            try (TestServer server = TestServer.start(ECHO)) {
                assertThat(server.server().transportName()).isEqualTo("nio");
                TestClient client = server.connect("/ws/echo");
                client.sendText("over nio");
                assertThat(client.expectText()).isEqualTo("over nio");
            }
        } finally {
            if (forced == null) {
                System.clearProperty("switchboard.transport");
            } else {
                System.setProperty("switchboard.transport", forced);
            }
        }
    }

    @Test
    void anUnknownPathIs404ForPlainRequestsAndUpgrades() {
        try (TestServer server = TestServer.start(ECHO)) {
            assertThat(server.get("/nowhere").statusCode()).isEqualTo(404);
            assertThat(server.get("/ws/echo/").statusCode())
                    .as("no trailing slash is added or removed")
                    .isEqualTo(404);
            assertThat(server.refusedStatus("/ws/nowhere")).isEqualTo(404);
        }
    }

    @Test
    void aPlainGetOnAWebSocketOnlyRouteIs426NamingTheVersion() {
        try (TestServer server = TestServer.start(ECHO)) {
            var response = server.get("/ws/echo");
            assertThat(response.statusCode()).isEqualTo(426);
            assertThat(response.headers().firstValue("Sec-WebSocket-Version")).hasValue("13");
            assertThat(response.headers().firstValue("Upgrade")).hasValue("websocket");
        }
    }

    @Test
    void aRouteServingBothAnswersAPlainGetAndAcceptsAnUpgradeOnTheSamePath() {
        Router router = Router.builder()
                .route(
                        "/clock",
                        request -> HttpResponse.html("<p>the clock</p>"),
                        Handlers.of(ws -> ws.onOpen(session -> session.send("tick"))))
                .build();
        try (TestServer server = TestServer.start(router)) {
            var page = server.get("/clock");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).isEqualTo("<p>the clock</p>");

            TestClient client = server.connect("/clock");
            assertThat(client.expectText()).isEqualTo("tick");
        }
    }

    @Test
    void anHttpOnlyRouteAnswersAnUpgradeRequestAsPlainHttp() {
        Router router = Router.builder()
                .http("/api/items", request -> HttpResponse.json(200, List.of("a", "b")))
                .build();
        try (TestServer server = TestServer.start(router);
                RawClient raw = server.raw()) {
            RawClient.HttpHead answer = raw.upgrade("/api/items");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Content-Type")).isEqualTo("application/json");
            assertThat(answer.body()).isEqualTo("[\"a\",\"b\"]");
            assertThat(server.refusedStatus("/api/items")).isEqualTo(200);
        }
    }

    @Test
    void routersNestUnderPrefixes() {
        Router items = Router.builder()
                .http("/items", request -> HttpResponse.text(200, "all items"))
                .http(
                        "/items/{id}",
                        request ->
                                HttpResponse.text(200, "item " + request.scope().pathParam("id")))
                .websocket(
                        "/live/{id}",
                        Handlers.of(
                                ws -> ws.onOpen(s -> s.send("live " + s.scope().pathParam("id")))))
                .build();
        Router api = Router.builder().mount("/v1", items).build();
        Router root = Router.builder().mount("/api", api).mount("/", ECHO).build();
        try (TestServer server = TestServer.start(root)) {
            assertThat(server.get("/api/v1/items").body()).isEqualTo("all items");
            assertThat(server.get("/api/v1/items/42").body()).isEqualTo("item 42");
            assertThat(server.get("/items").statusCode()).isEqualTo(404);
            assertThat(server.get("/api/items").statusCode()).isEqualTo(404);
            assertThat(server.connect("/api/v1/live/7").expectText()).isEqualTo("live 7");
            TestClient echo = server.connect("/ws/echo");
            echo.sendText("still here");
            assertThat(echo.expectText()).isEqualTo("still here");
        }
    }

    @Test
    void theMostSpecificRouteWins() {
        Router router = Router.builder()
                .http(
                        "/users/{name}",
                        request ->
                                HttpResponse.text(200, "user " + request.scope().pathParam("name")))
                .http("/users/me", request -> HttpResponse.text(200, "me"))
                .http(
                        "/users/{name}/{rest...}",
                        request -> HttpResponse.text(
                                200,
                                "under " + request.scope().pathParam("name") + ": "
                                        + request.scope().pathParam("rest")))
                .build();
        try (TestServer server = TestServer.start(router)) {
            assertThat(server.get("/users/me").body()).isEqualTo("me");
            assertThat(server.get("/users/ann").body()).isEqualTo("user ann");
            assertThat(server.get("/users/ann/a/b").body()).isEqualTo("under ann: a/b");
            assertThat(server.get("/users").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void pathParametersArePercentDecodedAndABadEscapeMatchesNothing() {
        Router router = Router.builder()
                .websocket(
                        "/ws/chat/{room}",
                        Handlers.of(ws -> ws.onOpen(s -> s.send(s.scope().pathParam("room")))))
                .http(
                        "/echo/{word}",
                        request -> HttpResponse.text(200, request.scope().pathParam("word")))
                .build();
        try (TestServer server = TestServer.start(router)) {
            assertThat(server.connect("/ws/chat/caf%C3%A9%20cr%C3%A8me").expectText())
                    .isEqualTo("café crème");
            assertThat(server.get("/echo/a%2Fb").body()).isEqualTo("a/b");
            assertThat(server.get("/echo/%C3%28").statusCode()).as("not UTF-8").isEqualTo(404);
        }
        try (TestServer server = TestServer.start(router);
                RawClient raw = server.raw()) {
            RawClient.HttpHead bad = raw.request("GET /echo/%ZZ HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(bad.status()).isEqualTo(404);
        }
    }

    @Test
    void theScopeHoldsPathParamsQueryHeadersCookiesRemoteAddressAndSubprotocols() throws Exception {
        Router router = Router.builder()
                .route(
                        "/rooms/{room}",
                        request -> HttpResponse.json(200, describe(request.scope())),
                        Handlers.of(ws -> ws.onConnect(session -> {
                            session.sendJson(describe(session.scope()));
                            List<String> offered = session.scope().subprotocols();
                            return offered.isEmpty() ? Decision.accept() : Decision.accept(offered.get(0));
                        })))
                .build();
        try (TestServer server = TestServer.start(router)) {
            TestClient client = server.connect(
                    "/rooms/lobby?user=ann&tag=a&tag=b&empty=",
                    Map.of("X-Trace", "t-1", "Cookie", "session=s3cr3t; theme=dark"),
                    List.of("chat.v2", "chat.v1"));
            Map<?, ?> ws = client.expectJson(Map.class);
            assertThat(ws.get("scheme")).isEqualTo("ws");
            assertThat(ws.get("path")).isEqualTo("/rooms/lobby");
            assertThat(ws.get("params")).isEqualTo(Map.of("room", "lobby"));
            assertThat(ws.get("query"))
                    .isEqualTo(Map.of("user", List.of("ann"), "tag", List.of("a", "b"), "empty", List.of("")));
            assertThat(ws.get("trace")).isEqualTo("t-1");
            assertThat(ws.get("cookies")).isEqualTo(Map.of("session", "s3cr3t", "theme", "dark"));
            assertThat(ws.get("remoteHost")).isEqualTo("127.0.0.1");
            assertThat(ws.get("subprotocols")).isEqualTo(List.of("chat.v2", "chat.v1"));
            assertThat(client.subprotocol()).isEqualTo("chat.v2");

            var http = server.send(HttpRequest.newBuilder(server.http("/rooms/hall?user=bob"))
                    .header("X-Trace", "t-2")
                    .header("Cookie", "theme=light"));
            Map<?, ?> plain = Json.read(http.body(), Map.class);
            assertThat(plain.get("scheme")).isEqualTo("http");
            assertThat(plain.get("params")).isEqualTo(Map.of("room", "hall"));
            assertThat(plain.get("query")).isEqualTo(Map.of("user", List.of("bob")));
            assertThat(plain.get("trace")).isEqualTo("t-2");
            assertThat(plain.get("cookies")).isEqualTo(Map.of("theme", "light"));
            assertThat(plain.get("subprotocols")).isEqualTo(List.of());
        }
    }

    @Test
    void theRemoteAddressIsThePeersAddressAndPort() {
        Router router = Router.builder()
                .websocket(
                        "/whoami",
                        Handlers.of(ws -> ws.onOpen(s ->
                                s.send(s.scope().remoteAddress().getAddress().getHostAddress() + ":"
                                        + s.scope().remoteAddress().getPort()))))
                .build();
        try (TestServer server = TestServer.start(router);
                RawClient raw = server.raw()) {
            assertThat(raw.upgrade("/whoami").status()).isEqualTo(101);
            assertThat(raw.readFrame().text()).isEqualTo("127.0.0.1:" + raw.localPort());
        }
    }

    @Test
    void aDuplicateRouteFailsAtBuildNamingBoth() {
        assertThatThrownBy(() -> Router.builder()
                        .websocket("/ws/{room}", Handlers.of(ws -> {}))
                        .http("/ws/{name}", request -> HttpResponse.text(200, ""))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/ws/{name}")
                .hasMessageContaining("/ws/{room}");
        Router inner = Router.builder()
                .http("/b", request -> HttpResponse.text(200, ""))
                .build();
        assertThatThrownBy(() -> Router.builder()
                        .http("/a/b", request -> HttpResponse.text(200, ""))
                        .mount("/a", inner)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate route '/a/b'");
    }

    @Test
    void aMalformedRouteFailsAtBuildNamingIt() {
        for (String bad : List.of(
                "ws/echo",
                "/ws/",
                "/ws//echo",
                "/ws/{room",
                "/ws/{}",
                "/ws/{a}/{a}",
                "/files/{rest...}/x",
                "/ws/a{b}",
                "/ws/../x",
                "/ws/a b",
                "/ws/%41")) {
            assertThatThrownBy(() -> Router.builder().http(bad, request -> HttpResponse.text(200, "")))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid route '" + bad + "'");
        }
    }

    private static Map<String, Object> describe(Scope scope) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("scheme", scope.scheme());
        fields.put("path", scope.path());
        fields.put("params", scope.pathParams());
        fields.put("query", scope.query());
        fields.put("trace", scope.header("x-trace").orElse(null));
        fields.put("cookies", scope.cookies());
        fields.put("remoteHost", scope.remoteAddress().getAddress().getHostAddress());
        fields.put("subprotocols", scope.subprotocols());
        return fields;
    }
}
