package io.switchboard.bench.server;

import io.switchboard.Server;

/**
 * Switchboard serving Centrifugo's client protocol on {@code /connection/websocket} (the channels
 * module mounted as a user would mount it), plus {@code GET /stats}: the server of the
 * {@code channels} and {@code conflation} scenarios. Tokens are HS256 with {@link #SECRET}.
 */
public final class ProtocolTarget {

    /** The HS256 secret the bench's protocol server verifies connection tokens with. */
    public static final String SECRET = "switchboard-bench-secret-of-32-bytes!";

    private ProtocolTarget() {}

    /** Starts the server on {@code host:port} with {@code threads} event loops. */
    public static Server start(String host, int port, int threads) {
        throw new UnsupportedOperationException("the channels module does not serve the protocol yet");
    }
}
