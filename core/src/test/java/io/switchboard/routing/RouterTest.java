/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.http.HttpHandler;
import io.switchboard.http.HttpResponse;
import io.switchboard.http.StaticFiles;
import io.switchboard.session.Handlers;
import io.switchboard.session.WebSocketHandler;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Route tables: matching, specificity, duplicates, nesting and decoding. */
class RouterTest {

    private static final HttpHandler OK = request -> HttpResponse.text(200, "ok");
    private static final Supplier<WebSocketHandler> WS = Handlers.of(ws -> {});

    /** The pattern of the route {@code path} matches, or "none". */
    private static String matched(Router router, String path) {
        return router.match(path).map(m -> m.route().pattern().text()).orElse("none");
    }

    private static Map<String, String> params(Router router, String path) {
        return router.match(path)
                .orElseThrow(() -> new AssertionError("no match for " + path))
                .params();
    }

    @Test
    void eachKindOfRouteMatchesItsPath() {
        Router router = Router.builder()
                .websocket("/ws/echo", WS)
                .http("/healthz", OK)
                .route("/ws/clock", OK, WS)
                .build();

        RouteMatch echo = router.match("/ws/echo").orElseThrow();
        assertThat(echo.route().acceptsWebSocket()).isTrue();
        assertThat(echo.route().acceptsHttp()).isFalse();
        RouteMatch health = router.match("/healthz").orElseThrow();
        assertThat(health.route().acceptsWebSocket()).isFalse();
        assertThat(health.route().acceptsHttp()).isTrue();
        RouteMatch clock = router.match("/ws/clock").orElseThrow();
        assertThat(clock.route().acceptsWebSocket()).isTrue();
        assertThat(clock.route().acceptsHttp()).isTrue();
        assertThat(router.match("/ws/nothing")).isEmpty();
        assertThat(router.match("/ws/echo/")).as("no trailing-slash leniency").isEmpty();
    }

    @Test
    void pathParametersAreFilledIn() {
        Router router = Router.builder()
                .websocket("/ws/chat/{room}", WS)
                .websocket("/ws/{username}", WS)
                .build();

        assertThat(params(router, "/ws/chat/lobby")).isEqualTo(Map.of("room", "lobby"));
        assertThat(params(router, "/ws/bob")).isEqualTo(Map.of("username", "bob"));
        assertThat(params(router, "/ws/chat"))
                .as("a literal route would win; here the parameter takes 'chat'")
                .isEqualTo(Map.of("username", "chat"));
    }

    @Test
    void aLiteralSegmentBeatsAParameterWhichBeatsARestParameter() {
        Router router = Router.builder()
                .http("/files/{path...}", OK)
                .http("/files/{name}", OK)
                .http("/files/readme", OK)
                .build();

        assertThat(matched(router, "/files/readme")).isEqualTo("/files/readme");
        assertThat(matched(router, "/files/other")).isEqualTo("/files/{name}");
        assertThat(matched(router, "/files/a/b")).isEqualTo("/files/{path...}");
        assertThat(params(router, "/files/a/b")).isEqualTo(Map.of("path", "a/b"));
    }

    @Test
    void specificityIsDecidedAtTheFirstSegmentThatDiffersWhateverTheOrderOfDeclaration() {
        Router router = Router.builder().http("/{a}/b", OK).http("/x/{b}", OK).build();

        assertThat(matched(router, "/x/b")).isEqualTo("/x/{b}");
        assertThat(matched(router, "/y/b")).isEqualTo("/{a}/b");
        assertThat(router.routes()).extracting(route -> route.pattern().text()).containsExactly("/x/{b}", "/{a}/b");
    }

    @Test
    void theRootRouteMatchesOnlyTheRoot() {
        Router router = Router.builder().http("/", OK).build();

        assertThat(matched(router, "/")).isEqualTo("/");
        assertThat(matched(router, "/index.html")).isEqualTo("none");
        assertThat(matched(router, "")).isEqualTo("none");
    }

    @Test
    void twoRoutesWithTheSameShapeFailTheBuildNamingBoth() {
        Router.Builder builder = Router.builder().websocket("/ws/{room}", WS).http("/ws/{name}", OK);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate route '/ws/{name}': '/ws/{room}' already matches the same paths");
    }

    @Test
    void theSameLiteralTwiceFailsTheBuild() {
        Router.Builder builder = Router.builder().http("/healthz", OK).http("/healthz", OK);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate route '/healthz': '/healthz' already matches the same paths");
    }

    @Test
    void aMalformedRouteFailsWhenDeclaredNamingIt() {
        assertThatThrownBy(() -> Router.builder().websocket("ws/echo", WS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ws/echo'");
    }

    @Test
    void aMountedRouterServesItsRoutesBelowThePrefix() {
        Router api = Router.builder()
                .http("/", OK)
                .http("/items", OK)
                .http("/items/{id}", OK)
                .build();
        Router router = Router.builder()
                .mount("/api/{version}", api)
                .http("/healthz", OK)
                .build();

        assertThat(matched(router, "/api/v1")).isEqualTo("/api/{version}");
        assertThat(matched(router, "/api/v1/items")).isEqualTo("/api/{version}/items");
        assertThat(params(router, "/api/v2/items/7")).isEqualTo(Map.of("version", "v2", "id", "7"));
        assertThat(matched(router, "/items")).as("only below the prefix").isEqualTo("none");
        assertThat(matched(router, "/healthz")).isEqualTo("/healthz");
    }

    @Test
    void routersNestMoreThanOneLevelDeep() {
        Router inner = Router.builder().websocket("/{room}", WS).build();
        Router middle = Router.builder().mount("/chat", inner).build();
        Router outer = Router.builder().mount("/ws", middle).build();

        assertThat(matched(outer, "/ws/chat/lobby")).isEqualTo("/ws/chat/{room}");
        assertThat(params(outer, "/ws/chat/lobby")).isEqualTo(Map.of("room", "lobby"));
        assertThat(outer.match("/ws/chat/lobby").orElseThrow().route().acceptsWebSocket())
                .isTrue();
    }

    @Test
    void mountingAtTheRootKeepsEveryPath() {
        Router inner = Router.builder().http("/a", OK).build();

        assertThat(matched(Router.builder().mount("/", inner).build(), "/a")).isEqualTo("/a");
    }

    @Test
    void aMountThatCollidesWithAnotherRouteFailsTheBuildNamingBoth() {
        Router inner = Router.builder().http("/items", OK).build();
        Router.Builder builder = Router.builder().http("/api/items", OK).mount("/api", inner);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate route '/api/items': '/api/items' already matches the same paths");
    }

    @Test
    void aMountThatRepeatsAParameterNameFails() {
        Router inner = Router.builder().http("/{id}", OK).build();

        assertThatThrownBy(() -> Router.builder().mount("/users/{id}", inner))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid route '/users/{id}/{id}': parameter 'id' appears twice");
    }

    @Test
    void filesServeThePrefixAndEverythingBelowIt() {
        Router router = Router.builder()
                .files("/static", StaticFiles.classpath("http/static"))
                .build();

        assertThat(router.match("/static").orElseThrow().params()).isEmpty();
        assertThat(params(router, "/static/css/site.css")).isEqualTo(Map.of(StaticFiles.FILE_PARAM, "css/site.css"));
    }

    @Test
    void segmentsArePercentDecodedBeforeMatching() {
        Router router = Router.builder()
                .websocket("/ws/{username}", WS)
                .http("/café", OK)
                .build();

        assertThat(params(router, "/ws/b%C3%B8b")).isEqualTo(Map.of("username", "bøb"));
        assertThat(params(router, "/ws/a%20b")).isEqualTo(Map.of("username", "a b"));
        assertThat(params(router, "/ws/a+b")).as("'+' is not a space in a path").isEqualTo(Map.of("username", "a+b"));
        assertThat(params(router, "/ws/a%2Fb"))
                .as("an escaped slash stays inside its segment")
                .isEqualTo(Map.of("username", "a/b"));
        assertThat(matched(router, "/caf%C3%A9")).isEqualTo("/café");
        assertThat(matched(router, "/ws%2Fbob"))
                .as("an escaped slash never splits a segment")
                .isEqualTo("none");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ws/%", "/ws/%4", "/ws/%zz", "/ws/%C3", "/ws/%FF", "/ws/%C0%AF", "ws/bob"})
    void aPathThatCannotBeDecodedMatchesNothing(String path) {
        Router router = Router.builder().websocket("/ws/{username}", WS).build();

        assertThat(router.match(path)).isEmpty();
    }

    @Test
    void anUndecodablePathMatchesNothingEvenWhenItsCharactersSpellALiteralRoute() {
        Router router = Router.builder().http("/é", OK).build();

        // As in the request line read as ISO-8859-1: "/\u00e9" is the single byte 0xE9, not UTF-8.
        assertThat(router.match("/\u00e9")).isEmpty();
        assertThat(matched(router, "/%C3%A9")).isEqualTo("/é");
    }

    @Test
    void routesAreListedMostSpecificFirst() {
        Router router = Router.builder()
                .http("/{a...}", OK)
                .http("/{a}", OK)
                .http("/x", OK)
                .build();

        assertThat(router.routes())
                .extracting(route -> route.pattern().text())
                .containsExactly("/x", "/{a}", "/{a...}");
        assertThatThrownBy(() -> router.routes().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aRouteNeedsAHandler() {
        assertThatThrownBy(() -> new Route(PathPattern.parse("/x"), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("route '/x' has no handler");
    }

    @Test
    void aMatchsParametersCannotBeChanged() {
        Optional<RouteMatch> match = Router.builder().http("/{x}", OK).build().match("/y");

        assertThatThrownBy(() -> match.orElseThrow().params().put("x", "z"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
