/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.function.Predicate;

/**
 * A filter for {@link Session#release} that can tell when it has nothing left to drop: once {@link
 * #settled} is true after a test, the filter ends and the group's later broadcasts reach the session
 * without being tested. For ordered streams: a filter that drops what is older than a position
 * settles at the first newer item, since nothing older can follow it.
 */
public interface ReleaseFilter extends Predicate<Message> {

    /** Whether every later broadcast of the group would be kept. Asked after each test. */
    boolean settled();
}
