/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static io.switchboard.transport.websocket.EmbeddedWire.flushes;
import static io.switchboard.transport.websocket.EmbeddedWire.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.settings.Limits;
import io.switchboard.settings.SlowConsumerPolicy;
import io.switchboard.transport.Counters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbound paths on an embedded channel (whose loop is the test's thread). */
class OutboundTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new EmbeddedWire.FlushCounter());
    private final Lifecycle lifecycle = new Lifecycle(() -> true);
    private final List<CloseStatus> closes = new ArrayList<>();

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private final Counters counters = new Counters(true, () -> 0);

    private Outbound outbound(int limit, SlowConsumerPolicy policy) {
        Limits limits = Limits.defaults()
                .withBuffers(b -> b.withOutboundBufferBytes(limit).withSlowConsumerPolicy(policy));
        return new Outbound(channel, lifecycle, limits, "test", closes::add, null, counters);
    }

    /** Writes a shared broadcast frame as a Shard does, releasing the shared copy after. */
    private static boolean writeBatched(Outbound outbound, String text) {
        ByteBuf shared = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        try {
            return outbound.writeBatched(shared, text.length()) == Batched.FIRST;
        } finally {
            shared.release();
        }
    }

    @Test
    void sendsDuringConnectGoOutFirstAfterTheHandshakeThenTheGroupTrafficHeldMeanwhile() {
        Outbound outbound = outbound(1 << 20, SlowConsumerPolicy.CLOSE);
        assertThat(writeBatched(outbound, "room")).as("held, not written yet").isFalse();
        assertThat(outbound.send(Message.text("welcome"))).isTrue();
        assertThat(written(channel)).isEmpty();
        lifecycle.opened();
        outbound.opened();
        List<String> out = written(channel);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo("text:welcome");
        assertThat(out.get(1)).isEqualTo("room");
    }

    @Test
    void aConnectTimeSendOverTheLimitDropsTheHeldGroupTrafficAndClosesOnceOpen() {
        Outbound outbound = outbound(10, SlowConsumerPolicy.CLOSE);
        writeBatched(outbound, "room");
        assertThat(outbound.send(Message.text("a welcome too large"))).isFalse();
        assertThat(closes).containsExactly(CloseStatus.POLICY_VIOLATION.withReason("slow consumer"));
    }

    @Test
    void theDropPolicyDropsWithoutClosing() {
        Outbound outbound = outbound(10, SlowConsumerPolicy.DROP);
        assertThat(outbound.send(Message.text("a welcome too large"))).isFalse();
        assertThat(closes).isEmpty();
    }

    @Test
    void repliesDuringAReadShareOneFlushAtItsEnd() {
        Outbound outbound = outbound(1 << 20, SlowConsumerPolicy.CLOSE);
        lifecycle.opened();
        outbound.opened();
        flushes(channel);
        outbound.readStarted();
        outbound.send(Message.text("a"));
        outbound.pong(new PingWebSocketFrame(Unpooled.buffer(0)));
        assertThat(flushes(channel)).isZero();
        outbound.readComplete();
        assertThat(flushes(channel)).isEqualTo(1);
        assertThat(written(channel)).hasSize(2);
    }

    @Test
    void sendsOnTheLoopGoOutAsWholeEncodedFrames() {
        Outbound outbound = outbound(1 << 20, SlowConsumerPolicy.CLOSE);
        lifecycle.opened();
        outbound.opened();
        outbound.send(Message.text("hé"));
        outbound.send(Message.binary(new byte[] {1, 2, 3}));
        ByteBuf text = channel.readOutbound();
        ByteBuf binary = channel.readOutbound();
        try {
            assertThat(ByteBufUtil.getBytes(text)).containsExactly(0x81, 3, 'h', 0xC3, 0xA9);
            assertThat(ByteBufUtil.getBytes(binary)).containsExactly(0x82, 3, 1, 2, 3);
        } finally {
            text.release();
            binary.release();
        }
        assertThat(counters.messagesOut()).isEqualTo(2);
        assertThat(counters.bytesOut()).as("payload bytes, not frame bytes").isEqualTo(3 + 3);
    }

    @Test
    void sendsToACompressingConnectionStillGoThroughTheCompressor() {
        EmbeddedChannel deflating = new EmbeddedChannel(
                new DeflateCodec(PerMessageDeflate.negotiate(List.of("permessage-deflate")), 1 << 20));
        Lifecycle open = new Lifecycle(() -> true);
        Outbound outbound = new Outbound(deflating, open, Limits.defaults(), "test", closes::add, null, counters);
        open.opened();
        outbound.opened();
        outbound.send(Message.text("x".repeat(500)));
        WebSocketFrame frame = deflating.readOutbound();
        try {
            assertThat(frame).isInstanceOf(TextWebSocketFrame.class);
            assertThat(frame.rsv()).as("RSV1: compressed").isEqualTo(4);
            assertThat(frame.content().readableBytes()).isLessThan(500);
        } finally {
            frame.release();
            deflating.finishAndReleaseAll();
        }
    }

    @Test
    void nothingIsWrittenOnceClosing() {
        Outbound outbound = outbound(1 << 20, SlowConsumerPolicy.CLOSE);
        lifecycle.opened();
        lifecycle.close(CloseStatus.NORMAL);
        assertThat(outbound.send(Message.text("late"))).isFalse();
        assertThat(writeBatched(outbound, "late")).isFalse();
        assertThat(written(channel)).isEmpty();
    }

    @Test
    void whatIsHeldWhileConnectingIsCountedOnlyOnceTheHandshakesEndWritesIt() {
        Outbound outbound = outbound(1 << 20, SlowConsumerPolicy.CLOSE);
        writeBatched(outbound, "room");
        outbound.send(Message.text("héllo"));
        assertThat(counters.messagesOut()).isZero();
        assertThat(counters.deliveries()).isZero();

        lifecycle.opened();
        outbound.opened();
        assertThat(counters.messagesOut()).isEqualTo(2);
        assertThat(counters.bytesOut()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8).length + "room".length());
        assertThat(counters.deliveries()).isEqualTo(1);
    }

    @Test
    void whatIsHeldForAnUpgradeThatIsRefusedIsNeverCounted() {
        Outbound outbound = outbound(1 << 20, SlowConsumerPolicy.CLOSE);
        writeBatched(outbound, "room");
        outbound.send(Message.text("welcome"));
        lifecycle.rejected();
        outbound.releaseHeld();
        assertThat(counters.messagesOut()).isZero();
        assertThat(counters.deliveries()).isZero();
    }

    @Test
    void aConnectTimeSendPastTheLimitIsCountedAsDroppedNotSent() {
        Outbound outbound = outbound(10, SlowConsumerPolicy.DROP);
        writeBatched(outbound, "room");
        assertThat(outbound.send(Message.text("fits"))).isTrue();
        assertThat(outbound.send(Message.text("too large"))).isFalse();
        lifecycle.opened();
        outbound.opened();
        assertThat(written(channel)).containsExactly("text:fits");
        assertThat(counters.messagesOut()).isEqualTo(1);
        assertThat(counters.bytesOut()).isEqualTo(4);
        assertThat(counters.deliveries())
                .as("the broadcast went with the send refused")
                .isZero();
        assertThat(counters.slowConsumerDrops()).isEqualTo(1);
    }

    @Test
    void aSendIsCountedWhenWrittenAndAPongNever() {
        Outbound outbound = outbound(1 << 20, SlowConsumerPolicy.CLOSE);
        lifecycle.opened();
        outbound.opened();
        outbound.send(Message.binary(new byte[] {1, 2, 3}));
        outbound.pong(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {9})));
        assertThat(written(channel)).hasSize(2);
        assertThat(counters.messagesOut()).isEqualTo(1);
        assertThat(counters.bytesOut()).isEqualTo(3);
    }
}
