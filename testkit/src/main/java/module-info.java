/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Test helpers for users of Switchboard: an in-process server, clients, a communicator, engine and
 * history contract suites, a hand-moved clock and scheduler.
 */
module io.switchboard.testkit {
    requires transitive io.switchboard;
    requires transitive java.net.http;
    requires transitive org.junit.jupiter.api;

    exports io.switchboard.testkit;
}
