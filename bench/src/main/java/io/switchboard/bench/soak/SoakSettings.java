/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What one soak run does: how long it attacks, the server's heap and how much it may grow, the
 * healthy traffic, which attacks run, and their bounds.
 *
 * @param attackSeconds how long the attack lasts
 * @param calmSeconds healthy traffic alone before the attack (the latency baseline) and after it
 * @param heap the server's {@code -Xmx}, e.g. {@code 256m}
 * @param heapMarginMiB how far the heap after the attack (after full collections) may stay above the start
 * @param jar the server's jar, or null to run it from this JVM's class path
 * @param serverArgs more {@code serve} options, e.g. {@code --history-size 50}
 * @param log where the server's output goes
 * @param attacks which attacks run, by name ({@link Soak#ATTACKS})
 * @param chatRooms rooms of healthy chat members; room 0 is the busy one
 * @param chatMembers healthy members per room
 * @param chatRate messages a second each healthy member sends
 * @param busyRate messages a second each healthy member of the busy room sends
 * @param busyLength characters in each healthy message of the busy room
 * @param echoClients healthy echo connections
 * @param echoRate messages a second each echo connection sends
 * @param poisonRooms rooms the history poisoner fills, in all
 * @param poisonDirects direct messages to absent users, in all
 * @param healthzSeconds how long one {@code /healthz} answer may take before it counts as failed
 */
record SoakSettings(
        int attackSeconds,
        int calmSeconds,
        String heap,
        int heapMarginMiB,
        Path jar,
        List<String> serverArgs,
        Path log,
        Set<String> attacks,
        int chatRooms,
        int chatMembers,
        int chatRate,
        int busyRate,
        int busyLength,
        int echoClients,
        int echoRate,
        int poisonRooms,
        int poisonDirects,
        int healthzSeconds) {

    SoakSettings {
        if (attackSeconds < 1 || calmSeconds < 1) {
            throw new IllegalArgumentException("the attack and the calm need at least a second each");
        }
        if (chatRooms < 1 || chatMembers < 1 || chatRate < 1 || busyRate < 1 || echoClients < 1 || echoRate < 1) {
            throw new IllegalArgumentException(
                    "healthy traffic needs at least one room, member, echo client and message a second");
        }
        for (String attack : attacks) {
            if (!Soak.ATTACKS.contains(attack)) {
                throw new IllegalArgumentException("unknown attack '" + attack + "'; known: " + Soak.ATTACKS);
            }
        }
        serverArgs = List.copyOf(serverArgs);
        attacks = Set.copyOf(attacks);
    }

    /** The defaults of {@code ./switchboard soak}: two minutes of every attack on a 256 MB heap. */
    static SoakSettings defaults() {
        return new SoakSettings( // attack, calm, heap, margin, jar, serve options, log, attacks,
                // rooms, members, rate, busy rate, busy length, echo clients, echo rate, poison rooms and DMs, healthz
                120,
                5,
                "256m",
                32,
                Path.of("server/target/switchboard.jar"),
                List.of(),
                Path.of("bench/results/soak-server.log"),
                Set.copyOf(Soak.ATTACKS),
                3,
                4,
                10,
                25,
                4000,
                4,
                20,
                150,
                4000,
                3);
    }
}
