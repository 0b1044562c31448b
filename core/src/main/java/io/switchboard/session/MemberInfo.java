/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.Objects;
import java.util.Optional;

/**
 * One member of a group as presence reports it.
 *
 * @param address the session's address
 * @param user the authenticated user's name, or {@code null} for an anonymous session
 */
public record MemberInfo(Address address, String user) {

    public MemberInfo {
        Objects.requireNonNull(address, "address");
    }

    /** The user's name, if the session has one. */
    public Optional<String> userName() {
        return Optional.ofNullable(user);
    }
}
