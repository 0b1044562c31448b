/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The WebSocket protocol pieces of one connection, each with one job and none needing the server:
 * the strict frame decoder and the guards on the wire ({@code StrictFrameDecoder}, {@code
 * Cork}, {@code WireUtf8Check}), permessage-deflate ({@code PerMessageDeflate}, {@code
 * DeflateCodec}), {@code Frames}, {@code MessageReader} with its {@code FragmentAssembler} and {@code
 * TokenBucket}, {@code Lifecycle} (every close decided after RFC 6455 section 7) carried out by
 * {@code Closer}, {@code Heartbeat}, {@code InboundFlow}, {@code Outbound} and {@code Outbox}, {@code
 * Dispatcher} with its {@code Mailbox}, and {@code Loops}. Depends on {@code session}, {@code
 * settings}, {@code time} and Netty only; never on the other transport packages. Almost everything is
 * owned by the connection's event loop; each piece states the few methods other threads may call.
 */
package io.switchboard.transport.websocket;
