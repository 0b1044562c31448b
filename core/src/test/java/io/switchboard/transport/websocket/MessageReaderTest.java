/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Message;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import io.switchboard.settings.RateLimitPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames in, messages and limit decisions out: plain frames, no socket, time passed in. */
class MessageReaderTest {

    private final List<String> out = new ArrayList<>();
    private final List<WebSocketFrame> all = new ArrayList<>();

    private final MessageReader.Sink sink = new MessageReader.Sink() {
        @Override
        public void text(String text, int size) {
            out.add("text " + text + " (" + size + ")");
        }

        @Override
        public void binary(byte[] data) {
            out.add("binary " + data.length);
        }

        @Override
        public void tooBig(CloseStatus status) {
            out.add("too big " + status.code() + " " + status.reason());
        }

        @Override
        public void fail(CloseStatus status) {
            out.add("fail " + status.code() + " " + status.reason());
        }

        @Override
        public void reply(Message message) {
            out.add("reply");
        }

        @Override
        public void ping(PingWebSocketFrame ping) {
            out.add("ping");
            ping.release();
        }
    };

    private MessageReader reader(RateLimit rate) {
        Limits limits = Limits.defaults()
                .withMessages(
                        m -> m.withMaxMessageBytes(10).withMaxFrameBytes(10).withMaxFragments(40));
        return new MessageReader(limits, new TokenBucket(rate, 0), ByteBufAllocator.DEFAULT, "test", sink);
    }

    private <T extends WebSocketFrame> T frame(T frame) {
        all.add(frame);
        return frame;
    }

    private TextWebSocketFrame text(String text, boolean fin) {
        return frame(new TextWebSocketFrame(fin, 0, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
    }

    private ContinuationWebSocketFrame more(String text, boolean fin) {
        return frame(new ContinuationWebSocketFrame(fin, 0, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
    }

    private void assertAllReleased() {
        assertThat(all).allMatch(frame -> frame.refCnt() == 0);
    }

    @Test
    void wholeAndFragmentedMessagesComeOutWhole() {
        MessageReader reader = reader(RateLimit.OFF);
        reader.read(text("hi", true), 0);
        reader.read(text("he", false), 0);
        reader.read(more("ll", false), 0);
        reader.read(more("o", true), 0);
        reader.read(frame(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[3]))), 0);
        assertThat(out).containsExactly("text hi (2)", "text hello (5)", "binary 3");
        assertAllReleased();
    }

    @Test
    void aMessageOverTheSizeLimitClosesPolitelyWith1009() {
        MessageReader reader = reader(RateLimit.OFF);
        reader.read(text("0123456", false), 0);
        reader.read(more("7890", false), 0);
        reader.read(more("late", true), 0); // the message ended over the limit
        assertThat(out).containsExactly("too big 1009 message over 10 bytes");
        assertAllReleased();
    }

    @Test
    void aMessageInTooManyFragmentsFailsTheConnection() {
        MessageReader reader = reader(RateLimit.OFF);
        reader.read(text("", false), 0);
        for (int i = 0; i < 40; i++) {
            reader.read(more("", false), 0);
        }
        assertThat(out).containsExactly("fail 1009 message in over 40 fragments");
        assertAllReleased();
    }

    @Test
    void overTheRateWithTheClosePolicyFailsWith1008() {
        MessageReader reader = reader(RateLimit.of(1, 2));
        for (int i = 0; i < 3; i++) {
            reader.read(text("m", true), 0);
        }
        assertThat(out).containsExactly("text m (1)", "text m (1)", "fail 1008 rate limit exceeded");
        assertAllReleased();
    }

    @Test
    void overTheRateWithTheDropPolicyRepliesOncePerDroppedMessage() {
        MessageReader reader =
                reader(RateLimit.of(1, 1).withPolicy(RateLimitPolicy.DROP).withReply("slow down"));
        reader.read(text("a", true), 0);
        reader.read(text("b", false), 0); // dropped, and its fragments with it
        for (int i = 0; i < 20; i++) {
            reader.read(more("", false), 0);
        }
        reader.read(more("", true), 0);
        reader.read(frame(new PingWebSocketFrame(Unpooled.buffer(0))), 0); // no token: no pong, no reply
        reader.read(text("c", true), 1_000_000_000L); // a second later: a token
        assertThat(out).containsExactly("text a (1)", "reply", "text c (1)");
        assertAllReleased();
    }

    @Test
    void overTheRateWithTheDropPolicyAndNoReplyDropsSilently() {
        MessageReader reader = reader(RateLimit.of(1, 1).withPolicy(RateLimitPolicy.DROP));
        reader.read(text("a", true), 0);
        reader.read(text("b", true), 0);
        reader.read(text("c", true), 1_000_000_000L);
        assertThat(out).containsExactly("text a (1)", "text c (1)");
        assertAllReleased();
    }

    @Test
    void aLargeMessageInSmallFragmentsCostsOneTokenPerSixteenFragments() {
        MessageReader reader = reader(RateLimit.of(1, 3)); // the first frame, and the 16th and 32nd fragments
        reader.read(text("", false), 0);
        for (int i = 0; i < 38; i++) {
            reader.read(more("", false), 0);
        }
        reader.read(more("x", true), 0);
        assertThat(out).containsExactly("text x (1)");
    }

    @Test
    void pingsAndPongsCountAndPingsWithinTheRateAreAnswered() {
        MessageReader reader = reader(RateLimit.of(1, 2));
        reader.read(frame(new PingWebSocketFrame(Unpooled.buffer(0))), 0);
        reader.read(frame(new PongWebSocketFrame(Unpooled.buffer(0))), 0);
        reader.read(frame(new PingWebSocketFrame(Unpooled.buffer(0))), 0);
        assertThat(out).containsExactly("ping", "fail 1008 rate limit exceeded");
        assertAllReleased();
    }
}
