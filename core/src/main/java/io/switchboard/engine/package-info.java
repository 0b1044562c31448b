/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The channel layer: the {@link io.switchboard.engine.Engine} interface that carries what a
 * {@link io.switchboard.session.Hub} sends between nodes and keeps presence, the default
 * {@link io.switchboard.engine.InMemoryEngine}, and {@link io.switchboard.engine.History} for
 * recovery and queues. Optional capabilities are tiny interfaces of their own that an engine may
 * implement: {@link io.switchboard.engine.Departures} (the engine removes members on its own, as the
 * Redis engine does for a node that died). An engine or history that shares a store between nodes
 * fails operations it cannot do while the store is unreachable with
 * {@link io.switchboard.engine.UnavailableException}.
 *
 * <p>The engine depends on the session package's values (messages, events, addresses, members) and
 * never the other way: a handler talks to its session and hub without knowing which engine runs.
 */
package io.switchboard.engine;
