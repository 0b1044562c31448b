package io.switchboard.testkit;

import io.switchboard.engine.History;
import io.switchboard.engine.InMemoryHistory;
import java.util.Collections;
import java.util.List;

/** The history contract, held against the in-memory history: one node's store, shared by every "node". */
class InMemoryHistoryContractTest extends HistoryContract {

    @Override
    protected List<History> newCluster(int count) {
        return Collections.nCopies(count, new InMemoryHistory());
    }
}
