/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.switchboard.engine.LocalNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What reaches a node on its channels, on Lettuce's thread: decoded and handed to the local node,
 * never blocking. A node's own group sends come back on the group's channel and are skipped (it
 * delivered them to its members directly); broadcasts from no node (a history's numbered entries,
 * see {@link RedisHistory#appendAndBroadcast}) are delivered by every node, the sending one too.
 */
final class Inbox extends RedisPubSubAdapter<byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private final RedisEngine engine;

    Inbox(RedisEngine engine) {
        this.engine = engine;
    }

    /** A message on a sharded channel (Redis Cluster): the same as any other (Lettuce's adapter drops it). */
    @Override
    public void smessage(byte[] channel, byte[] data) {
        message(channel, data);
    }

    @Override
    public void message(byte[] channel, byte[] data) {
        LocalNode target = engine.deliveringTo();
        if (target == null) {
            return;
        }
        Envelope envelope;
        try {
            envelope = Envelope.decode(data);
        } catch (IllegalArgumentException e) {
            log.warn("ignoring a message on {}: {}", Keys.text(channel), e.getMessage());
            return;
        }
        switch (envelope) {
            case Envelope.Broadcast b -> {
                if (!b.origin().equals(target.id()) && engine.listening(b.group())) {
                    b.deliverTo(target);
                }
            }
            case Envelope.GroupEvent e -> {
                if (!e.origin().equals(target.id()) && engine.listening(e.group())) {
                    target.event(e.group(), e.event());
                }
            }
            case Envelope.ToUser u -> target.sendToUser(u.user(), u.message());
            case Envelope.ToAddress a -> target.sendTo(a.address(), a.message());
        }
    }
}
