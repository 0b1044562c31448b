/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.switchboard.bench.client.Connector;
import io.switchboard.bench.server.ServerHandle;
import java.util.List;

/** One way of loading a server; bounded in time and count, it prints progress and returns a result. */
public interface Scenario {

    /** The scenario's name, as typed on the command line. */
    String name();

    /** Loads {@code server} as {@code options} say, with connections from {@code connector}. */
    Result run(ServerHandle server, Options options, Connector connector) throws Exception;

    /**
     * The servers to run against for {@code --server CHOICE}, in order: {@code both} is the baseline
     * and Switchboard with handlers on the loop, {@code all} adds virtual threads, {@code peers} is the baseline, the strong Netty and Vert.x servers
     * and Switchboard on the loop (issue 16), otherwise a list.
     */
    default List<String> servers(String choice) {
        return switch (choice) {
            case "both" -> List.of("baseline", "loop");
            case "all" -> List.of("baseline", "loop", "vt");
            case "peers" -> List.of("baseline", "netty", "vertx", "loop");
            default -> List.of(choice.split(","));
        };
    }

    /** The server whose figure the others are divided by, when it ran. */
    default String reference() {
        return "baseline";
    }
}
