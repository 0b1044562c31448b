/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import io.switchboard.session.Hub;
import io.switchboard.session.MemberInfo;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Who is connected to the channels as whom, for operators' tools (the admin page): not part of
 * Centrifugo's server API, and apart from {@link Channels} so that it stays that API.
 */
public final class ChannelUsers {

    private ChannelUsers() {}

    /**
     * Every channel connection of {@code user} ("" for anonymous ones) on every node, through
     * {@code hub}. On every node as far as the engine knows: while a shared store (Redis) is out,
     * the engine answers with this node's connections only.
     */
    public static CompletionStage<List<MemberInfo>> connections(Hub hub, String user) {
        return hub.members(ChannelNames.userGroup(Objects.requireNonNull(user, "user")));
    }
}
