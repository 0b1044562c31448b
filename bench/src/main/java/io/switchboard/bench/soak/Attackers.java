/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the attacks: each on event loops of its own, from a loopback address of its own
 * (127.0.0.10, .11, ...: per-address limits then bound each attack, not the healthy clients on
 * 127.0.0.1), each lane a virtual thread repeating the attack's cycle until stopped.
 */
final class Attackers {

    private final List<Attack> attacks;
    private final List<WireClient> clients = new ArrayList<>();
    private final List<Thread> lanes = new ArrayList<>();

    Attackers(List<Attack> attacks) {
        this.attacks = List.copyOf(attacks);
    }

    void start(InetSocketAddress server) throws UnknownHostException {
        for (int i = 0; i < attacks.size(); i++) {
            Attack attack = attacks.get(i);
            WireClient client = new WireClient(
                    attack.name(), 1, server, InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (10 + i)}));
            clients.add(client);
            attack.start(client);
            for (int lane = 0; lane < attack.lanes(); lane++) {
                int id = lane;
                lanes.add(Thread.ofVirtual()
                        .name("soak-" + attack.name() + "-" + lane)
                        .start(() -> run(attack, id)));
            }
        }
    }

    private static void run(Attack attack, int lane) {
        while (!attack.stopped()) {
            try {
                if (!attack.cycle(lane)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                attack.stats().outcome("attacker error: " + e.getClass().getSimpleName());
            }
        }
    }

    /** Stops every lane (each ends its cycle within seconds), then closes every attacker's connection. */
    void stop(long millis) throws InterruptedException {
        attacks.forEach(Attack::stop);
        long deadline = System.currentTimeMillis() + millis;
        for (Thread lane : lanes) {
            if (!lane.join(java.time.Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis())))) {
                lane.interrupt();
            }
        }
        clients.forEach(WireClient::close);
    }

    List<Attack> attacks() {
        return attacks;
    }
}
