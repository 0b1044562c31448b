/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.json.JsonException;
import io.switchboard.routing.Router;
import io.switchboard.session.JsonHandler;
import io.switchboard.session.Session;
import io.switchboard.testkit.ClientEvent;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON handlers over real sockets: typed records in and out, bad JSON closing 1007 or answered, binary refused. */
class JsonHandlerTest {

    record Order(String item, int quantity, List<String> notes) {}

    record Receipt(String item, int quantity, int total) {}

    /** Prices each order at 3 a piece. */
    static final class Shop extends JsonHandler<Order> {
        Shop() {
            super(Order.class);
        }

        @Override
        protected void onJson(Session session, Order order) {
            session.sendJson(new Receipt(order.item(), order.quantity(), order.quantity() * 3));
        }
    }

    /** A shop that answers bad JSON in its own error shape and keeps the connection. */
    static final class PoliteShop extends JsonHandler<Order> {
        PoliteShop() {
            super(Order.class);
        }

        @Override
        protected void onJson(Session session, Order order) {
            session.sendJson(order);
        }

        @Override
        protected void onInvalidJson(Session session, JsonException error) {
            session.sendJson(Map.of("error", "bad_json", "detail", error.getMessage()));
        }
    }

    private static final Router ROUTER = Router.builder()
            .websocket("/ws/shop", Shop::new)
            .websocket("/ws/polite", PoliteShop::new)
            .build();

    @Test
    void recordsGoInAndOut() {
        try (TestServer server = TestServer.start(ROUTER)) {
            TestClient client = server.connect("/ws/shop");
            client.sendJson(new Order("tea", 2, List.of("green")));
            assertThat(client.expectJson(Receipt.class)).isEqualTo(new Receipt("tea", 2, 6));
            client.sendText("{\"item\":\"cake\",\"quantity\":1,\"extra\":\"ignored\"}");
            assertThat(client.expectText()).isEqualTo("{\"item\":\"cake\",\"quantity\":1,\"total\":3}");
        }
    }

    @Test
    void aHandlerMayAnswerUndecodableJsonInItsOwnShapeAndKeepTheConnection() {
        try (TestServer server = TestServer.start(ROUTER)) {
            TestClient client = server.connect("/ws/polite");
            for (String bad : List.of(
                    "not json",
                    "{\"item\":\"tea\",",
                    "{\"item\":\"tea\",\"quantity\":\"many\"}",
                    "[1,2]",
                    "null",
                    "{\"item\":\"tea\",\"quantity\":1} trailing")) {
                client.sendText(bad);
                Map<?, ?> error = client.expectJson(Map.class);
                assertThat(error.get("error")).as(bad).isEqualTo("bad_json");
                assertThat((String) error.get("detail")).as(bad).isNotBlank().doesNotContain("\n");
            }
            client.sendJson(new Order("tea", 1, List.of()));
            assertThat(client.expectText()).isEqualTo("{\"item\":\"tea\",\"quantity\":1,\"notes\":[]}");
        }
    }

    @Test
    void binaryClosesWith1003() {
        try (TestServer server = TestServer.start(ROUTER)) {
            TestClient client = server.connect("/ws/shop");
            client.sendBinary(new byte[] {'{', '}'});
            assertThat(client.expectClosed())
                    .isEqualTo(new ClientEvent.Closed(1003, "this endpoint speaks JSON text only"));
        }
    }

    @Test
    void byDefaultUndecodableJsonClosesWith1007SayingWhy() {
        try (TestServer server = TestServer.start(ROUTER)) {
            TestClient client = server.connect("/ws/shop");
            client.sendJson(new Order("tea", 1, null));
            assertThat(client.expectJson(Receipt.class)).isEqualTo(new Receipt("tea", 1, 3));
            client.sendText("{oops");
            ClientEvent.Closed closed = client.expectClosed();
            assertThat(closed.code()).isEqualTo(1007);
            assertThat(closed.reason()).isNotBlank();
        }
    }
}
