/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.engine.InMemoryEngine;
import io.switchboard.session.Address;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.MembershipChange;
import io.switchboard.session.Scope;
import io.switchboard.session.User;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one session implementation over a link that records what it is asked: no network. */
class ConnectionSessionTest {

    private final RecordingLink link = new RecordingLink();
    private final List<String> asked = link.asked;
    private final InMemoryEngine engine = new InMemoryEngine();
    private final ConnectionSession.Control control =
            ConnectionSession.create(Address.next("node1"), Scope.builder("/ws").build(), engine, link);
    private final ConnectionSession session = control.session();

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void sendsFailFromTheMomentCloseReturnsAndTheSessionIsNoLongerOpen() {
        assertThat(session.send("a")).isTrue();
        assertThat(session.isOpen()).isTrue();
        session.close(4000, "bye");
        assertThat(session.send("b")).isFalse();
        assertThat(session.isOpen()).isFalse();
        assertThat(asked).containsExactly("write a", "close 4000");
    }

    @Test
    void aCodeThatMayNotBeSentIsRefused() {
        assertThatThrownBy(() -> session.close(CloseStatus.ABNORMAL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("close code 1006 may not be sent");
        assertThat(asked).isEmpty();
    }

    @Test
    void groupsAreJoinedOnceLocallyAndLeftOnTheEngineAfterTheEnd() {
        control.authenticated(User.named("ann"));
        session.join("room");
        session.join("room");
        assertThat(session.groups()).containsExactly("room");
        assertThat(session.member().userName()).contains("ann");
        control.leaveEngineGroups();
        assertThat(session.groups()).isEmpty();
        assertThat(asked).containsExactly("joined room");
    }

    @Test
    void aFinishedConnectionTakesNoMoreGroups() {
        link.finish();
        assertThat(session.join("room").toCompletableFuture().join()).isEqualTo(MembershipChange.NONE);
        assertThat(session.groups()).isEmpty();
    }

    @Test
    void theCloseFutureCompletesWithTheStatusTheTransportReports() {
        control.opened("chat.v1");
        assertThat(session.subprotocol()).contains("chat.v1");
        assertThat(session.closeFuture().toCompletableFuture()).isNotDone();
        control.closed(CloseStatus.GOING_AWAY);
        assertThat(session.closeFuture().toCompletableFuture().getNow(null)).isEqualTo(CloseStatus.GOING_AWAY);
        assertThat(session.attributes()).isSameAs(session.attributes());
    }

    @Test
    void whatChangesTheSessionIsNotOnTheSessionAHandlerHolds() {
        for (var method : ConnectionSession.class.getMethods()) {
            assertThat(method.getName())
                    .as("public method of the session")
                    .isNotIn("authenticated", "opened", "closed", "leaveEngineGroups");
        }
    }
}
