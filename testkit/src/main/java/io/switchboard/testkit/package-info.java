/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Test helpers for Switchboard applications: {@link io.switchboard.testkit.Communicator} drives a
 * handler without sockets; {@link io.switchboard.testkit.TestServer} runs a real server on a free
 * port with {@link io.switchboard.testkit.TestClient}s that record what they receive;
 * {@link io.switchboard.testkit.RawClient} writes exact bytes; and
 * {@link io.switchboard.testkit.EngineContract} holds an engine to the rules every engine keeps.
 * Nothing here sleeps to wait: every expectation waits for its event with a timeout.
 */
package io.switchboard.testkit;
