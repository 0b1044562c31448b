package io.switchboard.settings;

/** What happens to a connection whose outbound buffer is full because its client does not read. */
public enum SlowConsumerPolicy {
    /** Close it with 1008 ("slow consumer"). The default: the client reconnects and recovers. */
    CLOSE,
    /** Drop the message for that connection only; the send returns {@code false}. */
    DROP
}
