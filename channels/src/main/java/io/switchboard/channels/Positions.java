/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.channels.ChannelsApi.StreamPosition;
import io.switchboard.engine.History;
import java.util.List;

/**
 * The stream part of a subscribe result: where the channel's stream stands and, for a client that
 * recovers, what it missed. A position from another epoch (a restarted in-memory history, a stream
 * forgotten and begun again) or one whose publications fell out of the history is not recovered:
 * the client gets the current position and {@code recovered} false, and reloads what it shows.
 */
final class Positions {

    private final Publications publications;

    Positions(Publications publications) {
        this.publications = publications;
    }

    /**
     * A client's recovery request.
     *
     * @param recover whether it asks to recover
     * @param offset the offset of the last publication it has
     * @param epoch the epoch that offset is in ("" for any)
     */
    record Request(boolean recover, long offset, String epoch) {
        static final Request NONE = new Request(false, 0, "");
    }

    /** The result's fields ({@code "recoverable":..,"offset":..}, no braces), read as the call runs. */
    String fields(String channel, NamespaceOptions options, Request request) {
        if (!options.keepsHistory()) {
            return "";
        }
        StringBuilder out = new StringBuilder(64);
        if (options.recovery()) {
            out.append("\"recoverable\":true,");
        }
        if (request.recover() && options.recovery()) {
            recover(channel, request, out);
        } else {
            position(Await.of(publications.top(channel)), out);
        }
        return out.append("\"positioned\":true").toString();
    }

    private void recover(String channel, Request request, StringBuilder out) {
        out.append("\"was_recovering\":true,");
        History.Recovery found = Await.of(publications.since(channel, request.offset()));
        if (found.epoch().isEmpty()) { // the store is unreachable: nothing known, the client's position stays
            position(new StreamPosition(request.offset(), request.epoch()), out);
            return;
        }
        boolean sameLife = request.epoch().isEmpty() || request.epoch().equals(found.epoch());
        if (!sameLife || !found.complete()) {
            position(Await.of(publications.top(channel)), out);
            return;
        }
        List<History.Entry> entries = found.entries();
        long offset = entries.isEmpty() ? request.offset() : entries.getLast().id();
        out.append("\"recovered\":true,\"publications\":[");
        for (int i = 0; i < entries.size(); i++) {
            out.append(i == 0 ? "" : ",")
                    .append(Wire.pubOf(channel, entries.get(i).payload()));
        }
        out.append("],");
        position(new StreamPosition(offset, found.epoch()), out);
    }

    private static void position(StreamPosition position, StringBuilder out) {
        out.append("\"epoch\":")
                .append(Wire.quote(position.epoch()))
                .append(",\"offset\":")
                .append(position.offset())
                .append(',');
    }
}
