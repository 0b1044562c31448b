/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.Server;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.server.ServerHandle;
import io.switchboard.bench.server.SwitchboardTarget;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code connect} scenario's lean client over real sockets: a handshake completes only on a 101
 * with the right accept value, a refusal fails it, and the scenario counts handshakes and no failures.
 */
class ConnectScenarioTest {

    @Test
    void theAcceptValueIsTheOneOfRfc6455() {
        String key = "dGhlIHNhbXBsZSBub25jZQ==";
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";

        assertThat(Handshakes.accepted(head + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", key))
                .isTrue();
        assertThat(Handshakes.accepted(head + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n", key))
                .isFalse();
        assertThat(Handshakes.accepted(
                        "HTTP/1.1 200 OK\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", key))
                .isFalse();
    }

    @Test
    void aHandshakeCompletesAgainstARealServerAndARefusalFails() throws Exception {
        Server server = SwitchboardTarget.start("loop", "127.0.0.1", 0, 1);
        InetAddress local = InetAddress.getLoopbackAddress();
        try (Handshakes accepted = new Handshakes(ws(server, "/ws/echo"), 1);
                Handshakes refused = new Handshakes(ws(server, "/nowhere"), 1)) {
            for (int i = 0; i < 3; i++) {
                accepted.once(local).get(10, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> refused.once(local).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("upgrade refused: HTTP/1.1 404");
        } finally {
            server.close();
        }
    }

    @Test
    void theScenarioCountsHandshakesAndNoFailures() throws Exception {
        Server server = SwitchboardTarget.start("loop", "127.0.0.1", 0, 1);
        try (Connector connector = new Connector(1);
                ServerHandle handle = ServerHandle.existing(
                        "loop",
                        "127.0.0.1",
                        server.port(),
                        ProcessHandle.current().pid())) {
            String[] args = {"connect", "--concurrency", "4", "--sources", "2", "--duration", "1", "--warmup", "0"};
            Result result = new ConnectScenario().run(handle, new Options(args, 1), connector);

            assertThat((Long) result.get("handshakes")).isPositive();
            assertThat(result.get("failures")).isEqualTo(0L);
        } finally {
            server.close();
        }
    }

    private static URI ws(Server server, String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }
}
