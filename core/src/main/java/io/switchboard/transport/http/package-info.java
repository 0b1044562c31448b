/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The HTTP side that needs no server context: request checks ({@code RequestChecks}, {@code
 * Handshake}), the responses Switchboard writes ({@code Responses}), the scope of a request ({@code
 * Scopes}), the per-address connection budget ({@code ConnectionSlots}) and the request timeout.
 * Depends on {@code http}, {@code routing}, {@code security}, {@code session}, {@code time}, Netty
 * and {@code transport.websocket} (the permessage-deflate offer), never on the wiring. The handlers
 * and checks run on the channel's event loop; {@code ConnectionSlots} is shared by every loop.
 */
package io.switchboard.transport.http;
