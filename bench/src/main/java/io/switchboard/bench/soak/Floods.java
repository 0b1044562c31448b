/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import io.netty.buffer.ByteBuf;

/**
 * Attacks that cost the attacker nothing but bytes: endless fragments of one message and endless
 * pings. Each connection floods until the server closes it, or 64 MiB are sent, or 15 s pass.
 */
final class Floods {

    private static final long MAX_BYTES = 64L << 20;
    private static final long MAX_MILLIS = 15_000;
    private static final int BATCH = 4096; // frames per write

    private Floods() {}

    /** A text frame without FIN, then continuation frames of {@code fragmentBytes} each, for ever. */
    static final class Fragments extends Attack {
        private final int fragmentBytes;

        Fragments(String name, int lanes, int fragmentBytes) {
            super(name, lanes);
            this.fragmentBytes = fragmentBytes;
        }

        @Override
        boolean cycle(int lane) throws Exception {
            Wire wire = open(WireClient.Setup.of("/ws/echo", Wire.Listener.IGNORE));
            if (wire == null) {
                return true;
            }
            send(wire, Frames.frame(wire.channel.alloc(), false, 0, Frames.TEXT, new byte[] {'x'}), 1);
            flood(
                    wire,
                    () -> Frames.repeated(wire.channel.alloc(), false, Frames.CONTINUATION, fragmentBytes, BATCH),
                    BATCH,
                    MAX_BYTES,
                    MAX_MILLIS);
            finish(wire, "", 3000);
            return true;
        }
    }

    /** Pings as fast as the server reads them; its pongs are read and dropped. */
    static final class Pings extends Attack {
        Pings(int lanes) {
            super("ping-flood", lanes);
        }

        @Override
        boolean cycle(int lane) throws Exception {
            Wire wire = open(WireClient.Setup.of("/ws/echo", Wire.Listener.IGNORE));
            if (wire == null) {
                return true;
            }
            flood(wire, () -> pings(wire), BATCH, MAX_BYTES, MAX_MILLIS);
            finish(wire, "", 3000);
            return true;
        }

        private static ByteBuf pings(Wire wire) {
            return Frames.repeated(wire.channel.alloc(), true, Frames.PING, 16, BATCH);
        }
    }
}
