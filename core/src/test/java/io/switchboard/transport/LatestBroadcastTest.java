/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import static io.switchboard.transport.websocket.EmbeddedWire.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.session.Message;
import io.switchboard.transport.fanout.Shard;
import io.switchboard.transport.websocket.EmbeddedWire;
import io.switchboard.transport.websocket.Frames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keyed broadcasts through a shard to real connections: one whose client reads gets the shared frame
 * of every value, as a plain broadcast; one whose client stopped reading keeps the newest value per
 * key, and its connection writes them when the channel reports it is writable again.
 */
class LatestBroadcastTest {

    private final EmbeddedNode node = new EmbeddedNode();
    private final Shard shard = new Shard(node.home.eventLoop());
    private final Stall stall = new Stall();
    private final EmbeddedChannel slowChannel = new EmbeddedChannel(stall, new EmbeddedWire.FlushCounter());
    private final List<ByteBuf> frames = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        stall.stalled = false;
        slowChannel.flush();
        slowChannel.finishAndReleaseAll();
        node.close();
    }

    private void broadcast(String key, String text) {
        Message message = Message.text(text);
        ByteBuf frame = Frames.encode(ByteBufAllocator.DEFAULT, message);
        frames.add(frame);
        shard.submit(new Shard.Broadcast("g", frame, null, 0, null, key, message));
    }

    @Test
    void aReaderGetsEverySharedFrameAndANonReaderTheNewestOfEachKeyOnceWritable() {
        EmbeddedChannel fastChannel = node.newChannel();
        WebSocketConnection fast = node.open(fastChannel, null, new EmbeddedNode.RecordingHandler());
        slowChannel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512, 1024));
        WebSocketConnection slow = node.open(slowChannel, null, new EmbeddedNode.RecordingHandler());
        slowChannel.pipeline().addLast(slow); // as ChannelSetup puts it: it hears of writability
        shard.submit(new Shard.Join("g", fast));
        shard.submit(new Shard.Join("g", slow));
        stall.stalled = true;
        slow.session().send("x".repeat(2000)); // the client does not read it: past the water mark
        assertThat(slowChannel.isWritable()).isFalse();

        for (int value = 0; value < 10; value++) {
            for (String key : List.of("a", "b", "c")) {
                broadcast(key, key + value);
            }
        }
        node.home.runPendingTasks();

        List<String> fastGot = written(fastChannel);
        assertThat(fastGot).hasSize(30).allMatch(frame -> frame.matches("text:[abc][0-9]"), "the shared frames");
        assertThat(fastGot.get(29)).endsWith("c9");
        assertThat(frames).allMatch(frame -> frame.refCnt() == 0, "every frame released by the shard");
        assertThat(slow.session().conflated()).isEqualTo(27);
        assertThat(fast.session().conflated()).isZero();

        stall.stalled = false;
        slowChannel.flush(); // the client reads: writable again, and the connection drains what it held
        assertThat(written(slowChannel)).containsExactly("text:" + "x".repeat(2000), "text:a9", "text:b9", "text:c9");
        assertThat(slow.session().isOpen()).isTrue();
    }

    /** Holds back flushes while the client "does not read". */
    private static final class Stall extends ChannelOutboundHandlerAdapter {
        boolean stalled;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!stalled) {
                ctx.flush();
            }
        }
    }
}
