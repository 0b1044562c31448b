/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The immutable per-connection scope. */
class ScopeTest {

    @Test
    void aBuiltScopeHoldsWhatItWasGiven() {
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 4242);
        Scope scope = Scope.builder("/ws/chat/lobby")
                .scheme("wss")
                .pathParams(Map.of("room", "lobby"))
                .query("page", "1")
                .query("page", "2")
                .header("Origin", "https://a.example")
                .cookie("session", "abc")
                .remoteAddress(remote)
                .subprotocols(List.of("chat.v2", "chat.v1"))
                .build();

        assertThat(scope.scheme()).isEqualTo("wss");
        assertThat(scope.path()).isEqualTo("/ws/chat/lobby");
        assertThat(scope.pathParam("room")).isEqualTo("lobby");
        assertThat(scope.queryParam("page")).contains("1");
        assertThat(scope.query().get("page")).containsExactly("1", "2");
        assertThat(scope.header("origin")).contains("https://a.example");
        assertThat(scope.cookie("session")).contains("abc");
        assertThat(scope.remoteAddress()).isEqualTo(remote);
        assertThat(scope.subprotocols()).containsExactly("chat.v2", "chat.v1");
    }

    @Test
    void theBuilderHasPlainDefaults() {
        Scope scope = Scope.builder("/x").build();

        assertThat(scope.scheme()).isEqualTo("ws");
        assertThat(scope.pathParams()).isEmpty();
        assertThat(scope.query()).isEmpty();
        assertThat(scope.headers().names()).isEmpty();
        assertThat(scope.cookies()).isEmpty();
        assertThat(scope.subprotocols()).isEmpty();
        assertThat(scope.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void absentValuesAreEmptyAndAMissingPathParameterIsAMistake() {
        Scope scope = Scope.builder("/x").build();

        assertThat(scope.queryParam("q")).isEmpty();
        assertThat(scope.header("Host")).isEmpty();
        assertThat(scope.cookie("c")).isEmpty();
        assertThatThrownBy(() -> scope.pathParam("room"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the route has no path parameter named 'room'");
    }

    @Test
    void aQueryParameterWithNoValuesIsAbsent() {
        Map<String, List<String>> query = Map.of("flag", List.of());
        Scope scope =
                new Scope("http", "/", Map.of(), query, Headers.empty(), Map.of(), new InetSocketAddress(0), List.of());

        assertThat(scope.queryParam("flag")).isEmpty();
    }

    @Test
    void theScopeIsACopyThatCannotChange() {
        Map<String, String> params = new HashMap<>(Map.of("room", "lobby"));
        List<String> pages = new ArrayList<>(List.of("1"));
        Map<String, List<String>> query = new LinkedHashMap<>(Map.of("page", pages));
        Map<String, String> cookies = new HashMap<>(Map.of("c", "1"));
        List<String> protocols = new ArrayList<>(List.of("p"));
        Scope scope =
                new Scope("ws", "/ws", params, query, Headers.empty(), cookies, new InetSocketAddress(0), protocols);

        params.put("room", "changed");
        pages.add("2");
        query.put("other", List.of("x"));
        cookies.put("c", "2");
        protocols.add("q");

        assertThat(scope.pathParams()).isEqualTo(Map.of("room", "lobby"));
        assertThat(scope.query()).isEqualTo(Map.of("page", List.of("1")));
        assertThat(scope.cookies()).isEqualTo(Map.of("c", "1"));
        assertThat(scope.subprotocols()).containsExactly("p");
        assertThatThrownBy(() -> scope.query().put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scope.query().get("page").add("3")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> scope.pathParams().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void queryParametersKeepTheirOrder() {
        Scope scope = Scope.builder("/x")
                .query("b", "1")
                .query("a", "2")
                .query("c", "3")
                .build();

        assertThat(scope.query().keySet()).containsExactly("b", "a", "c");
    }

    @Test
    void withPathParamsReturnsAnotherScopeAndLeavesThisOne() {
        Scope scope = Scope.builder("/ws/bob").header("Host", "h").build();

        Scope routed = scope.withPathParams(Map.of("username", "bob"));

        assertThat(routed.pathParam("username")).isEqualTo("bob");
        assertThat(routed.header("host")).contains("h");
        assertThat(routed.path()).isEqualTo("/ws/bob");
        assertThat(scope.pathParams()).isEmpty();
    }

    @Test
    void requiredPartsCannotBeNull() {
        assertThatThrownBy(() -> Scope.builder(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Scope.builder("/").scheme(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Scope.builder("/").remoteAddress(null).build())
                .isInstanceOf(NullPointerException.class);
    }
}
