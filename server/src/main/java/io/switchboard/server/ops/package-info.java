/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * What an operator's tools ask a node, apart from its clients: whether it lives ({@code /healthz}),
 * whether it should get new connections ({@link io.switchboard.server.ops.Readiness}, {@code /readyz}),
 * its metrics, its admin page and the server API, assembled in one place
 * ({@link io.switchboard.server.ops.OperationalRoutes}) and served on the main port or on the internal
 * listener.
 */
package io.switchboard.server.ops;
