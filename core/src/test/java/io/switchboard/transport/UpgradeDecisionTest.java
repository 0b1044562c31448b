/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.session.Decision;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import org.junit.jupiter.api.Test;

/** Which handlers let an upgrade be decided on the event loop, without the hop to a virtual thread. */
class UpgradeDecisionTest {

    private record Plain() implements WebSocketHandler {
        @Override
        public void onText(Session session, String text) {
            session.send(text);
        }
    }

    private record Deciding() implements WebSocketHandler {
        @Override
        public Decision onConnect(Session session) {
            return Decision.reject(403, "no");
        }
    }

    /** Inherits an onConnect of its own from a class between it and the interface. */
    private static class Base implements WebSocketHandler {
        @Override
        public Decision onConnect(Session session) {
            return Decision.accept();
        }
    }

    private static final class Derived extends Base {}

    @Test
    void aHandlerKeepingTheDefaultConnectIsDecidedAtOnce() {
        assertThat(Upgrade.acceptsByDefault(Plain.class)).isTrue();
    }

    @Test
    void aHandlerWithItsOwnConnectGoesToAVirtualThreadWhereItMayBlock() {
        assertThat(Upgrade.acceptsByDefault(Deciding.class)).isFalse();
        assertThat(Upgrade.acceptsByDefault(Derived.class)).isFalse();
    }
}
