package io.switchboard.blocking;

import io.switchboard.session.CloseStatus;

/** The connection closed while a blocking function waited for, or asked for, a message. */
public final class SessionClosedException extends RuntimeException {

    private final transient CloseStatus status;

    public SessionClosedException(CloseStatus status) {
        super("the connection is closed (" + status.code() + ")");
        this.status = status;
    }

    /** How the connection closed. */
    public CloseStatus status() {
        return status;
    }
}
