/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The blocking style: a function that owns a connection, waits for messages and returns when done
 * (the dwebsocket pattern), on a virtual thread.
 */
package io.switchboard.blocking;
