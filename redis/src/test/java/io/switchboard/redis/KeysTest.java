/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Key names: what belongs together shares a slot whatever a name holds, and every name reads back. */
class KeysTest {

    private static final List<String> NAMES = List.of(
            "lobby", "s:{room}", "g:{room}", "}", "}x", "{}", "{}x", "a}b", "{", "=x", "~{~x}", "{x}", "x{y}z{w}", "");

    private final Keys keys = new Keys("p:", 0, true);

    @Test
    void aNameReadsBackFromItsChannelAndNoTwoNamesShareOne() {
        Set<String> tagged = new HashSet<>();
        for (String name : NAMES) {
            assertThat(keys.groupOf(keys.groupChannel(name))).as(name).isEqualTo(name);
            assertThat(tagged.add(Keys.tagged(name))).as(name).isTrue();
        }
    }

    @Test
    void aGroupsKeysAndChannelShareASlotAndSoDoAStreamsAndANodes() {
        for (String name : NAMES) {
            assertThat(slots(
                            keys.members(name),
                            keys.users(name),
                            keys.nodeMembers(name, "n1"),
                            keys.groupChannel(name)))
                    .as("group %s", name)
                    .hasSize(1);
            assertThat(slots(keys.history(name), keys.historyTop(name), keys.historyBirth(name)))
                    .as("stream %s", name)
                    .hasSize(1);
            assertThat(slots(keys.alive(name), keys.nodeGroups(name), keys.nodeSessions(name), keys.nodeChannel(name)))
                    .as("node %s", name)
                    .hasSize(1);
        }
    }

    @Test
    void aStreamAndAGroupWithOneHashTagShareASlot() {
        assertThat(slots(keys.history("chat:{lobby}"), keys.groupChannel("room:{lobby}")))
                .hasSize(1);
        assertThat(slots(keys.history("channel:{=}news}"), keys.groupChannel("ch:{=}news}")))
                .hasSize(1);
    }

    private static Set<Integer> slots(byte[]... names) {
        Set<Integer> slots = new HashSet<>();
        for (byte[] name : names) {
            slots.add(SlotHash.getSlot(name));
        }
        return slots;
    }
}
