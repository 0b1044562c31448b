/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Not an API: the one implementation of {@link io.switchboard.session.Session}, shared by the
 * server's transport and the testkit's {@code Communicator}. It has methods that change a session's
 * identity and state (authenticated, opened, closed), which only the transport may call; so this
 * package is exported to the testkit alone, and handlers only ever see the {@code Session}
 * interface. Depends on {@code session}; nothing in {@code session} depends on it.
 */
package io.switchboard.session.internal;
