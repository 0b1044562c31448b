/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/** Routing: path patterns with named parameters, routes and immutable, nestable routers. */
package io.switchboard.routing;
