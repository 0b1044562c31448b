/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import io.switchboard.session.Scope;

/**
 * Decides who is connecting, from the upgrade request, before any handler runs. It may block (it
 * runs on a virtual thread). The default lets everyone in anonymously.
 */
@FunctionalInterface
public interface Authenticator {

    /** Everyone is anonymous. */
    Authenticator ANONYMOUS = scope -> Authentication.anonymous();

    /** Authenticates the request described by {@code scope}. */
    Authentication authenticate(Scope scope) throws Exception;
}
