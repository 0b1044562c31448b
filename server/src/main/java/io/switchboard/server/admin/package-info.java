/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The admin page ({@link io.switchboard.server.admin.AdminPage}, {@code /admin}): a node's live
 * figures sampled once a second, the nodes of its cluster shared through the history, rooms and
 * channels, and a user's connections to look up and close, or a message to publish. One password
 * guards it: a signed session cookie with a CSRF token for the browser, the bearer password for
 * scripts, and a throttle on wrong guesses. Nothing here exists unless {@code --admin-password} is
 * given.
 */
package io.switchboard.server.admin;
