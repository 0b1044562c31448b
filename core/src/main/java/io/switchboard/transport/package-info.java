/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The Netty side, and with its subpackages the only code that sees Netty: the wiring on top of them.
 * Not an API: its public types exist only so that {@link io.switchboard.Server} can start them, and
 * so that this package can call its subpackages.
 *
 * <p>Three subpackages below it, none depending on this one: {@code transport.websocket} (the
 * protocol pieces of one connection), {@code transport.fanout} (the node's registry and per-loop
 * broadcast shards; depends on websocket) and {@code transport.http} (request checks and responses;
 * depends on websocket). This package wires them: {@code NettyServer}, {@code ServerContext} and
 * {@code ServerSettings}, {@code ChannelSetup} (the whole pipeline in one place), {@code
 * HttpDispatcher}, {@code PlainHttp}, {@code Upgrade} and {@code Admission}, {@code Drain}, and
 * {@code WebSocketConnection}, the Netty wiring of one connection's pieces, which takes part in
 * fan-out as a {@code Member} and gives its {@link io.switchboard.session.internal.ConnectionSession} a {@code
 * SessionLink}. Each class states which thread owns it; almost everything runs on the connection's
 * event loop.
 */
package io.switchboard.transport;
