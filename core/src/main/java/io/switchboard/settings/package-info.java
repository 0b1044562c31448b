/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The server's settings: every bound it enforces, each with a default, as immutable records grouped
 * by concern ({@link io.switchboard.settings.Messages messages}, {@link
 * io.switchboard.settings.Buffers buffers}, {@link io.switchboard.settings.Timeouts timeouts}, {@link
 * io.switchboard.settings.Capacity capacity}, the {@link io.switchboard.settings.RateLimit rate
 * limit} and {@link io.switchboard.settings.Access access}) composed into {@link
 * io.switchboard.settings.Limits}. Each record checks itself when made and fails with an {@link
 * io.switchboard.settings.InvalidSettingException} whose message starts with the setting's name.
 * This package depends on nothing of Switchboard's but the allow-list rules of {@code security}.
 */
package io.switchboard.settings;
