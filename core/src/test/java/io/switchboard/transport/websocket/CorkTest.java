/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Broadcast frames gathered per connection, on an embedded channel whose loop is the test's thread. */
class CorkTest {

    /** Counts the direct memory of the buffers the cork allocates, so a buffer left behind shows. */
    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Cork cork = new Cork(channel, 1 << 20);

    CorkTest() {
        channel.config().setAllocator(allocator);
        channel.pipeline().addLast(cork);
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void smallFramesGoOutAsOneWriteAtTheFlushInOrder() {
        add("one");
        add("two");
        add("three");
        assertThat((Object) channel.readOutbound())
                .as("nothing before the flush")
                .isNull();
        assertThat(cork.gatheredBytes()).isEqualTo(11);

        cork.flush();

        assertThat(outbound()).containsExactly("onetwothree");
        assertThat(cork.gatheredBytes()).isZero();
    }

    @Test
    void anyOtherWriteGoesOutBehindWhatWasGathered() {
        add("broadcast");
        channel.writeAndFlush(new TextWebSocketFrame("reply"));

        List<Object> out = new ArrayList<>();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            out.add(message);
        }
        assertThat(out).hasSize(2);
        assertThat(text(out.get(0))).isEqualTo("broadcast");
        assertThat(out.get(1)).isInstanceOf(TextWebSocketFrame.class);
        out.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    @Test
    void aFrameTooLargeToCopyIsSharedAfterWhatWasGathered() {
        add("small");
        String large = "x".repeat(Cork.MAX_COPIED + 1);
        ByteBuf shared = Unpooled.copiedBuffer(large, StandardCharsets.ISO_8859_1);
        cork.add(shared);
        assertThat(shared.refCnt()).as("a duplicate holds its own reference").isEqualTo(2);
        shared.release();

        cork.flush();

        assertThat(outbound()).containsExactly("small", large);
    }

    @Test
    void pastTheBoundWhatWasGatheredIsWrittenOutBeforeTheFlush() {
        String frame = "y".repeat(1000);
        int fit = Cork.MAX_GATHERED / frame.length();
        for (int i = 0; i <= fit; i++) {
            add(frame);
        }
        assertThat(cork.gatheredBytes())
                .as("the frame past the bound starts a new buffer")
                .isEqualTo(1000);

        cork.flush();

        assertThat(outbound()).containsExactly(frame.repeat(fit), frame);
    }

    @Test
    void nothingGatheredGoesOutAfterTheCloseFrame() {
        add("before");
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
        add("after");
        cork.flush();

        Object first = channel.readOutbound();
        assertThat(text(first)).isEqualTo("before");
        io.netty.util.ReferenceCountUtil.release(first);
        Object close = channel.readOutbound();
        assertThat(close).isInstanceOf(CloseWebSocketFrame.class);
        io.netty.util.ReferenceCountUtil.release(close);
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(allocator.metric().usedDirectMemory())
                .as("the dropped buffer was released")
                .isZero();
    }

    @Test
    void aWriteAfterTheCloseFrameIsDroppedAndItsPromiseFailed() {
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
        TextWebSocketFrame late = new TextWebSocketFrame("late");

        io.netty.channel.ChannelFuture written = channel.writeAndFlush(late);

        assertThat(written.cause()).hasMessage("written after the close frame");
        assertThat(late.refCnt()).isZero();
        io.netty.util.ReferenceCountUtil.release(channel.readOutbound());
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aLoneFrameGoesOutSharedWithoutABufferOfItsOwn() {
        ByteBuf shared = Unpooled.copiedBuffer("alone", StandardCharsets.ISO_8859_1);
        cork.add(shared);
        assertThat(allocator.metric().usedDirectMemory()).isZero();

        cork.flush();

        ByteBuf out = channel.readOutbound();
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("alone");
        out.release();
        assertThat(shared.refCnt()).as("the duplicate gave its reference back").isEqualTo(1);
        shared.release();
    }

    @Test
    void noMoreThanTheOutboundLimitIsGathered() {
        EmbeddedChannel small = new EmbeddedChannel();
        Cork tight = new Cork(small, 100);
        small.pipeline().addLast(tight);
        for (String frame : List.of("a".repeat(40), "b".repeat(40), "c".repeat(40))) {
            ByteBuf shared = Unpooled.copiedBuffer(frame, StandardCharsets.ISO_8859_1);
            tight.add(shared);
            shared.release();
        }
        assertThat(tight.gatheredBytes())
                .as("the third frame would pass the limit")
                .isEqualTo(40);

        tight.flush();

        List<String> out = new ArrayList<>();
        for (ByteBuf buffer; (buffer = small.readOutbound()) != null; ) {
            out.add(buffer.toString(StandardCharsets.ISO_8859_1));
            buffer.release();
        }
        assertThat(out).containsExactly("a".repeat(40) + "b".repeat(40), "c".repeat(40));
        small.finishAndReleaseAll();
    }

    @Test
    void whatIsGatheredWhenTheConnectionGoesIsReleased() {
        add("never");
        add("sent");
        assertThat(allocator.metric().usedDirectMemory()).isPositive();

        channel.close();

        assertThat(cork.gatheredBytes()).isZero();
        assertThat(allocator.metric().usedDirectMemory()).isZero();
    }

    @Test
    void outOfThePipelineAFrameIsWrittenThePlainWay() {
        EmbeddedChannel bare = new EmbeddedChannel();
        Cork loose = new Cork(bare, 1 << 20);
        ByteBuf shared = Unpooled.copiedBuffer("plain", StandardCharsets.ISO_8859_1);
        loose.add(shared);
        shared.release();
        loose.flush();

        ByteBuf out = bare.readOutbound();
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("plain");
        out.release();
        bare.finishAndReleaseAll();
    }

    private void add(String frame) {
        ByteBuf shared = Unpooled.copiedBuffer(frame, StandardCharsets.ISO_8859_1);
        try {
            cork.add(shared);
        } finally {
            shared.release();
        }
    }

    private List<String> outbound() {
        List<String> out = new ArrayList<>();
        for (ByteBuf buffer; (buffer = channel.readOutbound()) != null; ) {
            out.add(buffer.toString(StandardCharsets.ISO_8859_1));
            buffer.release();
        }
        return out;
    }

    private static String text(Object message) {
        return ((ByteBuf) message).toString(StandardCharsets.ISO_8859_1);
    }
}
