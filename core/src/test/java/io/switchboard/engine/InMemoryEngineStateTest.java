/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.session.Address;
import io.switchboard.session.MemberInfo;
import org.junit.jupiter.api.Test;

/** The in-memory engine keeps nothing for a group once its last member has left. */
class InMemoryEngineStateTest {

    @Test
    void aGroupsPresenceIsForgottenWithItsLastMember() {
        InMemoryEngine engine = new InMemoryEngine();
        MemberInfo ann = new MemberInfo(new Address("n1.1"), "ann");
        MemberInfo annAgain = new MemberInfo(new Address("n1.2"), "ann");
        MemberInfo anonymous = new MemberInfo(new Address("n1.3"), null);
        for (int i = 0; i < 1000; i++) {
            for (MemberInfo member : new MemberInfo[] {ann, annAgain, anonymous}) {
                engine.join("room:" + i, member).toCompletableFuture().join();
            }
        }
        assertThat(engine.groupCount()).isEqualTo(1000);

        for (int i = 0; i < 1000; i++) {
            engine.leave("room:" + i, ann).toCompletableFuture().join();
            engine.leave("room:" + i, anonymous).toCompletableFuture().join();
        }
        assertThat(engine.groupCount()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            engine.leave("room:" + i, annAgain).toCompletableFuture().join();
        }
        assertThat(engine.groupCount()).isZero();
        engine.leave("room:0", ann).toCompletableFuture().join(); // leaving a forgotten group makes nothing
        assertThat(engine.groupCount()).isZero();
    }
}
