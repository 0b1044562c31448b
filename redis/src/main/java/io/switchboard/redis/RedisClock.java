/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import java.util.concurrent.CompletionStage;

/**
 * How far Redis's clock is from this node's, and the deadline, in Redis's time, that a script the
 * node may give up on carries (Redis checks it and does nothing once it is past). The deadline is
 * the command timeout less a margin, at least a quarter of the timeout and at least the round trip
 * of the last clock reading: a script that runs just before it still answers before the node stops
 * waiting, so a script never both takes effect and is given up on. Thread-safe.
 */
final class RedisClock {

    private final RedisLink link;
    private final long timeoutMillis;
    private volatile long ahead; // ms Redis's clock is ahead of this node's
    private volatile long roundTrip; // ms the last reading took

    RedisClock(RedisLink link, long timeoutMillis) {
        this.link = link;
        this.timeoutMillis = timeoutMillis;
    }

    /** Reads Redis's clock; completes when it was read. */
    CompletionStage<Void> read() {
        long sent = System.currentTimeMillis();
        return link.call("time", redis -> redis.time()).thenAccept(time -> {
            long answered = System.currentTimeMillis();
            long redisMillis =
                    Long.parseLong(Keys.text(time.get(0))) * 1000 + Long.parseLong(Keys.text(time.get(1))) / 1000;
            ahead = redisMillis - (sent + answered) / 2;
            roundTrip = answered - sent;
        });
    }

    /** The deadline, in Redis's milliseconds since 1970, of a script sent at {@code now} (this node's). */
    long deadline(long now) {
        return now + ahead + timeoutMillis - margin();
    }

    /** How long before the node stops waiting a script must have run. */
    long margin() {
        return Math.max(roundTrip, timeoutMillis / 4);
    }
}
