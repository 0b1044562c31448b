/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Centrifugo's server API over HTTP ({@code POST /api/<method>}, JSON, {@code X-API-Key}), so any
 * backend can publish with {@code curl}; a thin layer over {@link io.switchboard.channels.ChannelsApi}.
 */
package io.switchboard.channels.api;
