/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handshake timeout on a clock the test moves: the channel's event loop and the handler read the
 * same mock ticker, so ten seconds pass in no time and nothing waits on real time.
 */
class RequestTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration JUST_BEFORE = TIMEOUT.minusMillis(1);

    private final MockTicker time = Ticker.newMockTicker();
    private final RequestTimeout timeout = new RequestTimeout(TIMEOUT, time::nanoTime);
    private final EmbeddedChannel channel =
            EmbeddedChannel.builder().ticker(time).handlers(timeout).build();

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
    }

    /** Moves the clock on and runs the timers that came due. */
    private void advance(Duration step) {
        time.advance(step.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    private void request() {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        ReferenceCountUtil.release(channel.readInbound());
    }

    private void answer(HttpResponseStatus status) {
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER));
        ReferenceCountUtil.release(channel.readOutbound());
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWhenTheTimeoutHasPassed() {
        advance(JUST_BEFORE);
        assertThat(channel.isOpen()).isTrue();

        advance(Duration.ofMillis(1));

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void theClockStopsWhileARequestIsServed() {
        advance(Duration.ofSeconds(5));
        request();

        advance(TIMEOUT.multipliedBy(3));

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anIdleKeptAliveConnectionGetsTheWholeTimeoutFromItsLastAnswer() {
        advance(Duration.ofSeconds(5));
        request();
        advance(Duration.ofSeconds(1));
        answer(HttpResponseStatus.OK); // at 6 s: the clock runs out at 16 s, past the first timer's 10 s

        advance(JUST_BEFORE);
        assertThat(channel.isOpen())
                .as("the timer set at 0 s fired at 10 s and looked again")
                .isTrue();
        advance(Duration.ofMillis(1));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void pipelinedRequestsKeepTheClockStoppedUntilTheLastIsAnswered() {
        request();
        request();
        answer(HttpResponseStatus.OK);

        advance(TIMEOUT.multipliedBy(2));
        assertThat(channel.isOpen()).isTrue();

        answer(HttpResponseStatus.NOT_FOUND);
        advance(TIMEOUT);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void theAnswerToAnUpgradeStopsTheClockForGood() {
        request();
        answer(HttpResponseStatus.SWITCHING_PROTOCOLS);

        advance(TIMEOUT.multipliedBy(3));

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aRemovedTimeoutClosesNothing() {
        advance(Duration.ofSeconds(5));
        channel.pipeline().remove(timeout);

        advance(TIMEOUT);

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aKeptAliveConnectionCostsOneTimerAtATime() {
        for (int i = 0; i < 5; i++) {
            request();
            advance(Duration.ofSeconds(1));
            answer(HttpResponseStatus.OK);
        }

        // at 5 s, the timer set at the start is the one pending (due at 10 s), not a new one per answer
        assertThat(channel.runScheduledPendingTasks())
                .isEqualTo(Duration.ofSeconds(5).toNanos());
    }
}
