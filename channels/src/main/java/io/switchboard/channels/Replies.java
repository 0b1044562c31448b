/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.session.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * The replies to one frame's commands, sent together as one frame, newline-separated, as the
 * client batches its commands. {@link #flush} sends what is collected early, where a reply must
 * leave before something else happens (before a subscribe reply, which {@link Subscriber#release}
 * sends ahead of the publications held meanwhile).
 */
final class Replies {

    /**
     * Past this many characters the collected replies leave at once, so a frame of many large
     * replies (presence of a crowded channel, long histories) never adds up in memory: each goes to
     * the outbound buffer, whose limit the slow-consumer policy keeps.
     */
    static final int FLUSH_CHARS = 64 * 1024;

    private final Session session;
    private final List<String> pending = new ArrayList<>(1);
    private int chars;

    Replies(Session session) {
        this.session = session;
    }

    void add(String reply) {
        pending.add(reply);
        chars += reply.length();
        if (chars >= FLUSH_CHARS) {
            flush();
        }
    }

    /** Sends what is collected, as one frame. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        session.send(pending.size() == 1 ? pending.getFirst() : String.join("\n", pending));
        pending.clear();
        chars = 0;
    }
}
