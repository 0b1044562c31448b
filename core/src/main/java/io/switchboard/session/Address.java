/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.session;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The unique name of one session across every node: the node's id, a dot, and a number unique on
 * that node. Anyone holding an address can send to that session through the {@link Hub}.
 *
 * @param value the address text, such as {@code n7f3a.42}
 */
public record Address(String value) {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    public Address {
        Objects.requireNonNull(value, "value");
        int dot = value.indexOf('.');
        if (dot <= 0 || dot == value.length() - 1) {
            throw new IllegalArgumentException("an address is NODE.NUMBER, not '" + value + "'");
        }
    }

    /** A new address on node {@code nodeId}, never handed out before in this process. */
    public static Address next(String nodeId) {
        return new Address(nodeId + "." + SEQUENCE.incrementAndGet());
    }

    /** The id of the node that holds this session. */
    public String node() {
        return value.substring(0, value.indexOf('.'));
    }

    @Override
    public String toString() {
        return value;
    }
}
