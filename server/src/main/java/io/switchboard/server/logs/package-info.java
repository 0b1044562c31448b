/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The server's log lines, as Logback writes them through {@link io.switchboard.server.logs.LineEncoder}:
 * one readable line per event ({@code plain}) or one JSON object per line ({@code json}), each with
 * the event's key-value pairs, and never split or made invalid by what a client sent. The encoder
 * needs Logback, which the runnable jar brings; code that embeds the server logs through its own
 * SLF4J provider and does not use this package.
 */
package io.switchboard.server.logs;
