/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Who is connecting, decided before the upgrade: the authenticator hook and its token form, origin
 * and host checks, and the server's TLS certificate ({@link io.switchboard.security.Tls}, loaded from
 * PEM files). The authenticated {@link io.switchboard.session.User} is a session value.
 */
package io.switchboard.security;
