package io.switchboard.bench.scenario;

import io.switchboard.bench.client.Connector;
import io.switchboard.bench.server.ServerHandle;

/** One way of loading a server; bounded in time and count, it prints progress and returns a result. */
public interface Scenario {

    /** The scenario's name, as typed on the command line. */
    String name();

    /** Loads {@code server} as {@code options} say, with connections from {@code connector}. */
    Result run(ServerHandle server, Options options, Connector connector) throws Exception;
}
