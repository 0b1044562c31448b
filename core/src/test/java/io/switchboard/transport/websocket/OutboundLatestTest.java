/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static io.switchboard.transport.websocket.EmbeddedWire.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.routing.ConflatedText;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.settings.Limits;
import io.switchboard.settings.SlowConsumerPolicy;
import io.switchboard.transport.Counters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Latest-value conflation in the {@link Outbound}, on an embedded channel whose client stops reading:
 * a {@link Stall} holds back flushes, so what is written stays in the channel's outbound buffer and
 * the channel turns unwritable past the limit, as a socket whose peer does not read does.
 */
class OutboundLatestTest {

    private static final int LIMIT = 1000;
    private static final ConflatedText TAGGED = (text, skipped) -> text + " (" + skipped + " skipped)";

    private final Stall stall = new Stall();
    private final EmbeddedChannel channel = new EmbeddedChannel(stall, new EmbeddedWire.FlushCounter());
    private final Lifecycle lifecycle = new Lifecycle(() -> true);
    private final List<CloseStatus> closes = new ArrayList<>();
    private final Counters counters = new Counters(true, () -> 0);
    private Outbound outbound;

    @AfterEach
    void release() {
        stall.stalled = false;
        channel.flush(); // what the client never read, out before the channel closes
        channel.finishAndReleaseAll();
    }

    private Outbound open(int maxKeys, ConflatedText render) {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LIMIT / 2, LIMIT));
        Limits limits = Limits.defaults().withBuffers(b -> b.withOutboundBufferBytes(LIMIT)
                .withSlowConsumerPolicy(SlowConsumerPolicy.CLOSE)
                .withMaxConflatedKeys(maxKeys));
        outbound = new Outbound(channel, lifecycle, limits, "test", closes::add, render, counters);
        channel.pipeline().addLast(new Drain(outbound));
        lifecycle.opened();
        outbound.opened();
        return outbound;
    }

    /** Writes {@code text} as a keyed broadcast, as a Shard does, and flushes as the batch ends. */
    private boolean latest(String key, String text) {
        return latest("g", key, text);
    }

    private boolean latest(String group, String key, String text) {
        Message message = Message.text(text);
        ByteBuf shared = Frames.encode(ByteBufAllocator.DEFAULT, message);
        try {
            boolean first = outbound.writeLatest(shared, message.size(), group, key, message) == Batched.FIRST;
            if (first) {
                outbound.flushBatch();
            }
            return first;
        } finally {
            shared.release();
        }
    }

    /** The client stops reading, and enough was written to pass the limit. */
    private void backUp() {
        stall.stalled = true;
        outbound.send(Message.text("x".repeat(LIMIT)));
        assertThat(channel.isWritable()).isFalse();
    }

    /** The client reads everything: what Netty holds goes out, and writability returns. */
    private List<String> read() {
        stall.stalled = false;
        channel.flush();
        return written(channel).stream().map(OutboundLatestTest::payload).toList();
    }

    /** A frame's text: a shared broadcast's payload after its 2-byte header, or a frame object's. */
    private static String payload(String written) {
        return written.startsWith("text:") ? written.substring(5) : written.substring(2);
    }

    @Test
    void aClientThatReadsGetsEveryKeyedValueAsBroadcast() {
        open(10, TAGGED);
        for (int i = 0; i < 5; i++) {
            assertThat(latest("AAPL", "AAPL " + i)).isTrue();
        }
        assertThat(read()).containsExactly("AAPL 0", "AAPL 1", "AAPL 2", "AAPL 3", "AAPL 4");
        assertThat(outbound.conflated()).isZero();
        assertThat(outbound.heldLatest()).isZero();
    }

    @Test
    void valuesConflatedAwayAreCountedAsDroppedAndTheHeldOnesAsDeliveredWhenTheyGoOut() {
        open(10, TAGGED);
        backUp(); // one message sent
        for (int i = 0; i < 100; i++) {
            latest("AAPL", "AAPL " + i);
            latest("MSFT", "MSFT " + i);
        }
        assertThat(counters.slowConsumerDrops()).isEqualTo(198);
        assertThat(counters.deliveries()).isZero();

        assertThat(read()).hasSize(3);
        assertThat(counters.deliveries()).isEqualTo(2);
        assertThat(counters.messagesOut()).isEqualTo(3);
        assertThat(counters.bytesOut())
                .isEqualTo(LIMIT + "AAPL 99 (99 skipped)".length() + "MSFT 99 (99 skipped)".length());
    }

    @Test
    void oneKeyInTwoGroupsIsTwoKeys() {
        open(10, TAGGED);
        backUp();
        latest("quotes", "AAPL", "quote 1");
        latest("trades", "AAPL", "trade 1");
        latest("quotes", "AAPL", "quote 2");
        assertThat(outbound.heldLatest()).isEqualTo(2);
        assertThat(read()).containsExactly("x".repeat(LIMIT), "quote 2 (1 skipped)", "trade 1");
    }

    @Test
    void heldValuesAreBoundedInBytesTooPastWhichTheSlowConsumerPolicyActs() {
        open(1000, TAGGED); // many keys allowed, but their values may not pass the outbound limit
        backUp();
        int held = 0;
        while (closes.isEmpty() && held < 1000) {
            latest("k" + held, "v".repeat(100));
            held++;
        }
        assertThat(closes)
                .as("closed once the held values passed %d bytes", LIMIT)
                .isNotEmpty();
        assertThat(held).isLessThanOrEqualTo(LIMIT / (100 + LatestValues.OVERHEAD_BYTES) + 1);
    }

    @Test
    void aBackedUpClientKeepsTheNewestValuePerKeyAndGetsThemRenderedWhenItReadsAgain() {
        open(10, TAGGED);
        backUp();
        for (int i = 0; i < 100; i++) {
            assertThat(latest("AAPL", "AAPL " + i)).isFalse();
            assertThat(latest("MSFT", "MSFT " + i)).isFalse();
        }
        latest("IBM", "IBM 0"); // held once: it skipped nothing, so it goes out as sent
        assertThat(outbound.heldLatest()).isEqualTo(3);
        assertThat(outbound.conflated()).isEqualTo(2 * 99);
        assertThat(closes).isEmpty();

        assertThat(read()).containsExactly("x".repeat(LIMIT), "AAPL 99 (99 skipped)", "MSFT 99 (99 skipped)", "IBM 0");
        assertThat(outbound.heldLatest()).isZero();
    }

    @Test
    void whileValuesAreHeldNewerOnesJoinThemSoAKeyNeverOvertakesItself() {
        open(10, null);
        channel.pipeline().remove(Drain.class); // writability returns, and the drain has not run yet
        backUp();
        latest("a", "a 1");
        assertThat(read()).containsExactly("x".repeat(LIMIT));
        assertThat(channel.isWritable()).isTrue();
        assertThat(latest("a", "a 2")).isFalse(); // not ahead of "a 1": it replaces it
        latest("b", "b 1");
        outbound.drainLatest();
        assertThat(read()).containsExactly("a 2", "b 1");
        assertThat(outbound.conflated()).isEqualTo(1);
    }

    @Test
    void aKeyPastTheCapMeetsTheSlowConsumerPolicy() {
        open(2, null);
        backUp();
        latest("a", "a");
        latest("b", "b");
        latest("a", "a again"); // a held key: still conflated
        assertThat(closes).isEmpty();
        assertThat(latest("c", "c")).isFalse();
        assertThat(closes).containsExactly(CloseStatus.POLICY_VIOLATION.withReason("slow consumer"));
        assertThat(outbound.heldLatest()).isEqualTo(2);
    }

    @Test
    void renderingOnlyTextThatSkippedAndAFailingRenderSendsTheValueAsBroadcast() {
        open(10, (text, skipped) -> {
            throw new IllegalStateException("broken renderer");
        });
        backUp();
        latest("a", "a 1");
        latest("a", "a 2");
        assertThat(read()).containsExactly("x".repeat(LIMIT), "a 2");
    }

    @Test
    void heldValuesDrainOnlyWhileTheChannelStaysWritable() {
        open(100, null);
        backUp();
        for (int i = 0; i < 5; i++) {
            latest("k" + i, "v".repeat(100) + i); // 5 keys of ~100 bytes: held within the limit's bytes
        }
        assertThat(closes).isEmpty();
        stall.stalled = false;
        channel.flush(); // the drain stops at the limit; the Stall lets each flush through, so it goes on
        List<String> out = written(channel);
        assertThat(out).hasSize(6);
        assertThat(outbound.heldLatest()).isZero();
    }

    @Test
    void aClosingConnectionDropsWhatIsHeldAndWritesNothingMore() {
        open(10, null);
        backUp();
        latest("a", "a 1");
        lifecycle.close(CloseStatus.NORMAL);
        stall.stalled = false;
        outbound.drainLatest();
        assertThat(read()).containsExactly("x".repeat(LIMIT));
        assertThat(latest("a", "a 2")).isFalse();
    }

    /** Holds back flushes while the client "does not read". */
    static final class Stall extends ChannelOutboundHandlerAdapter {
        boolean stalled;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!stalled) {
                ctx.flush();
            }
        }
    }

    /** What WebSocketConnection does when the channel turns writable. */
    private static final class Drain extends ChannelInboundHandlerAdapter {
        private final Outbound outbound;

        Drain(Outbound outbound) {
            this.outbound = outbound;
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                outbound.drainLatest();
            }
        }
    }
}
