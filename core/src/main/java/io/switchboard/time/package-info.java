/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Time as a dependency: the {@link io.switchboard.time.Ticker} every timeout and rate reads, so
 * that tests drive it by hand. Depends on nothing else in Switchboard.
 */
package io.switchboard.time;
