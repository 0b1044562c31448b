/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.settings.SlowConsumerPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whether a client keeps up, as a send from another thread judges it (a non-reading client over a
 * real socket is the framework tests' part: its flushed bytes stay in the buffer).
 */
class SlowConsumerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<Object> closes = new ArrayList<>();
    private final SlowConsumer slow = new SlowConsumer(
            channel, new Lifecycle(() -> true), SlowConsumerPolicy.CLOSE, "test", OutboundCounts.NONE, closes::add);

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aWritableChannelKeepsUp() {
        assertThat(slow.keepsUp()).isTrue();
    }

    @Test
    void pastTheLimitOnlyWithBytesNotFlushedYetIsABatchNotASlowClient() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[32])); // a batch written, its flush to come

        assertThat(channel.isWritable()).isFalse();
        assertThat(slow.keepsUp()).isTrue();
        assertThat(closes).isEmpty();
    }

    @Test
    void aClosedChannelDoesNotKeepUp() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[32]));
        channel.close();

        assertThat(slow.keepsUp()).isFalse();
    }
}
