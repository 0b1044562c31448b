package io.switchboard.channels;

import io.switchboard.session.Message;
import io.switchboard.session.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * The replies to one frame's commands, sent together as one frame, newline-separated, as the
 * client batches its commands. {@link #flush} sends what is collected early, where a reply must
 * leave before something else happens (a subscribe reply before live publications).
 */
final class Replies {

    private final Session session;
    private final List<String> pending = new ArrayList<>(1);

    Replies(Session session) {
        this.session = session;
    }

    void add(String reply) {
        pending.add(reply);
    }

    /**
     * Sends what is collected, then {@code reply} in order with the connection's group broadcasts:
     * through its own group, so that it reaches the socket before any publication broadcast after
     * this call (a direct send may be overtaken by broadcasts queued for the connection's loop).
     */
    void sendBeforeLaterBroadcasts(String reply) {
        flush();
        session.hub().broadcast(ChannelNames.clientGroup(session.address().value()), Message.text(reply));
    }

    /** Sends what is collected, as one frame. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        session.send(pending.size() == 1 ? pending.getFirst() : String.join("\n", pending));
        pending.clear();
    }
}
