/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

/** Where a handler's callbacks run. Either way, callbacks for one connection never overlap. */
public enum Execution {
    /**
     * On a virtual thread, one connection's callbacks at a time, in arrival order. Handler code may
     * block (call a database, sleep); an idle connection holds no thread. The default.
     */
    VIRTUAL_THREAD,
    /**
     * Directly on the connection's network thread. Fastest, but the handler must never block: while
     * it runs, every other connection on the same thread waits.
     */
    EVENT_LOOP
}
