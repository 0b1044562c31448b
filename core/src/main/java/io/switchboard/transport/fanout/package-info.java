/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Fan-out on this node: the {@code LocalRegistry} of sessions by address, by user and by group, and
 * one {@code Shard} per event loop that writes a broadcast, encoded once, to the members on its loop.
 * A connection takes part as a {@code Member}, an interface the connection above implements, so this
 * package depends on {@code engine}, {@code session}, Netty and {@code transport.websocket} (frame
 * encoding), never on the wiring. The registry is safe from any thread; a shard's group table is
 * touched only on its own loop.
 */
package io.switchboard.transport.fanout;
