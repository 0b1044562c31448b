/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.engine.InMemoryHistory;
import io.switchboard.engine.Retention;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.testkit.TestServer;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** {@link Application#router()}'s {@code /readyz}: not ready before the application starts, nor from its drain on. */
class ApplicationReadinessTest {

    @Test
    void readyFromTheStartUntilTheDrain() {
        try (InMemoryHistory history = InMemoryHistory.sweeping(Retention.defaults());
                Application app = new Application(ChatSettings.defaults(), history, Clock.systemUTC());
                TestServer server = TestServer.start(b -> b.router(app.router()).authenticator(app.authenticator()))) {
            assertThat(server.get("/readyz").statusCode()).isEqualTo(503);
            assertThat(server.get("/readyz").body()).contains("starting");

            app.start(server.server());
            assertThat(server.get("/readyz").statusCode()).isEqualTo(200);

            app.readiness().drain();
            assertThat(server.get("/readyz").statusCode()).isEqualTo(503);
            assertThat(server.get("/readyz").body()).contains("draining");
        }
    }
}
