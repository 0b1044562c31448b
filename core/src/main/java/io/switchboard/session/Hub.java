package io.switchboard.session;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Sends to groups, users and single sessions, on this node and every other. Handlers reach it with
 * {@code session.hub()}, applications with {@code server.hub()}.
 *
 * <p>Thread-safe; no method blocks. Delivery is at most once: a send to a member whose connection
 * is closing, or whose outbound buffer is full, is dropped for that member only (see the slow
 * consumer policy) and never fails the send for the others. Messages from one sender to one group
 * arrive at every member in the order sent.
 */
public interface Hub {

    /**
     * Writes {@code message} to the socket of every member of {@code group}. The frame is encoded
     * once and shared; no handler runs. This is the fast path for fan-out.
     */
    default void broadcast(String group, Message message) {
        broadcast(group, message, null);
    }

    /**
     * As {@link #broadcast(String, Message)}, to every member but {@code except} (the sender, say);
     * {@code null} excludes nobody.
     */
    void broadcast(String group, Message message, Address except);

    /** Delivers {@code event} to the {@code onEvent} callback of every member of {@code group}. */
    void event(String group, Event event);

    /**
     * Sends to every open session of {@code user}, on every node. Completes with the number of
     * sessions reached; 0 means the user has no open connection.
     */
    CompletionStage<Integer> sendToUser(String user, Message message);

    /** Sends to the session at {@code address}; completes with whether it was open. */
    CompletionStage<Boolean> sendTo(Address address, Message message);

    /** The members of {@code group} on every node, in no particular order. */
    CompletionStage<List<MemberInfo>> members(String group);
}
