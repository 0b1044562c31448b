/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session.internal;

import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection under a session that records what the session asks of it ({@code write TEXT},
 * {@code close CODE}, {@code joined GROUP}, {@code left GROUP}), always open, finished when told.
 * For tests of the session and of the pieces that call the handler with one.
 */
public final class RecordingLink implements ConnectionSession.Link {

    /** What was asked, in order. */
    public final List<String> asked = new ArrayList<>();

    private volatile boolean finished;

    /** From now on the connection has closed: the session takes no more group membership. */
    public void finish() {
        finished = true;
    }

    @Override
    public boolean write(Message message) {
        asked.add("write " + ((Message.Text) message).text());
        return true;
    }

    @Override
    public void startClosing(CloseStatus status) {
        asked.add("close " + status.code());
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public void joined(String group) {
        asked.add("joined " + group);
    }

    @Override
    public void left(String group) {
        asked.add("left " + group);
    }
}
