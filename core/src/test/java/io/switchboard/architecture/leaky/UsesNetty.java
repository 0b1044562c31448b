/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.architecture.leaky;

import io.netty.buffer.ByteBuf;

/** A deliberate Netty type outside the transport that {@code ArchitectureTest} must reject. */
public final class UsesNetty {

    private UsesNetty() {}

    /** Hands a Netty buffer's size out of a package that should not see Netty. */
    public static int size(ByteBuf buffer) {
        return buffer.readableBytes();
    }
}
