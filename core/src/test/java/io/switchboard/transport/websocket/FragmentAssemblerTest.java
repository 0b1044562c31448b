/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.transport.websocket.FragmentAssembler.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Joining fragments: one buffer per message, whatever the number of fragments, within both bounds. */
class FragmentAssemblerTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ByteBuf bytes(String text) {
        return ALLOC.buffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fragmentsAreCopiedIntoOnePlainBuffer() {
        FragmentAssembler assembler = new FragmentAssembler(1024, 16);
        assertThat(assembler.start(ALLOC, bytes("one "), true)).isEqualTo(Outcome.MORE);
        assertThat(assembler.add(bytes("two "), false)).isEqualTo(Outcome.MORE);
        assertThat(assembler.add(Unpooled.EMPTY_BUFFER, false)).isEqualTo(Outcome.MORE);
        assertThat(assembler.add(bytes("three"), true)).isEqualTo(Outcome.COMPLETE);
        assertThat(assembler.text()).isTrue();
        ByteBuf whole = assembler.take();
        try {
            assertThat(whole).isNotInstanceOf(CompositeByteBuf.class);
            assertThat(whole.toString(StandardCharsets.UTF_8)).isEqualTo("one two three");
            assertThat(assembler.inProgress()).isFalse();
        } finally {
            whole.release();
        }
    }

    @Test
    void emptyFragmentsCostNothingButCountAndTheOneOverTheLimitDropsTheMessage() {
        FragmentAssembler assembler = new FragmentAssembler(64 * 1024, 1024);
        assertThat(assembler.start(ALLOC, bytes("a"), true)).isEqualTo(Outcome.MORE);
        for (int i = 2; i <= 1024; i++) {
            assertThat(assembler.add(Unpooled.buffer(0), false))
                    .as("fragment %d", i)
                    .isEqualTo(Outcome.MORE);
        }
        ByteBuf last = Unpooled.buffer(0);
        assertThat(assembler.add(last, false)).isEqualTo(Outcome.TOO_MANY_FRAGMENTS);
        assertThat(last.refCnt()).as("the fragment over the limit is released").isZero();
        assertThat(assembler.inProgress()).isFalse();
    }

    @Test
    void aMessageOfExactlyTheLimitInFragmentsPassesAndOneByteMoreIsTooBig() {
        FragmentAssembler assembler = new FragmentAssembler(8, 100);
        assembler.start(ALLOC, bytes("1234"), false);
        assertThat(assembler.add(bytes("5678"), true)).isEqualTo(Outcome.COMPLETE);
        assembler.take().release();

        assembler.start(ALLOC, bytes("1234"), false);
        assertThat(assembler.add(bytes("5678"), false)).isEqualTo(Outcome.MORE);
        assertThat(assembler.add(bytes("9"), true)).isEqualTo(Outcome.TOO_BIG);
        assertThat(assembler.inProgress()).isFalse();
    }

    @Test
    void discardingReleasesTheMessageInProgress() {
        Recording alloc = new Recording();
        FragmentAssembler assembler = new FragmentAssembler(1024, 16);
        assembler.start(alloc, bytes("partial"), true);
        ByteBuf message = alloc.made.getFirst();
        assertThat(message.refCnt()).isOne();
        assembler.discard();
        assembler.discard(); // twice is harmless
        assertThat(message.refCnt()).isZero();
        assertThat(assembler.inProgress()).isFalse();
    }

    @Test
    void aFailedAllocationReleasesTheFirstFragment() {
        ByteBufAllocator failing = new Recording() {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                throw new OutOfMemoryError("no memory for this test");
            }
        };
        FragmentAssembler assembler = new FragmentAssembler(1024, 16);
        ByteBuf first = bytes("first");
        assertThatThrownBy(() -> assembler.start(failing, first, true)).isInstanceOf(OutOfMemoryError.class);
        assertThat(first.refCnt()).isZero();
        assertThat(assembler.inProgress()).isFalse();
    }

    @Test
    void aDroppedMessageIsCountedToItsEndAndToTheFragmentLimit() {
        FragmentAssembler assembler = new FragmentAssembler(1024, 3);
        assembler.startDropped(true);
        assertThat(assembler.dropping()).isTrue();
        ByteBuf second = bytes("2");
        assertThat(assembler.add(second, false)).isEqualTo(Outcome.MORE);
        assertThat(second.refCnt()).isZero();
        assertThat(assembler.add(bytes("3"), true)).isEqualTo(Outcome.MORE);
        assertThat(assembler.inProgress()).as("its last fragment ends it").isFalse();

        assembler.startDropped(true);
        assembler.add(bytes("2"), false);
        assembler.add(bytes("3"), false);
        assertThat(assembler.add(bytes("4"), false)).isEqualTo(Outcome.TOO_MANY_FRAGMENTS);
    }

    @Test
    void droppingTheContentKeepsCountingTheMessage() {
        Recording alloc = new Recording();
        FragmentAssembler assembler = new FragmentAssembler(1024, 16);
        assembler.start(alloc, bytes("kept"), false);
        assembler.drop();
        assertThat(alloc.made.getFirst().refCnt()).isZero();
        assertThat(assembler.inProgress()).isTrue();
        assertThat(assembler.add(bytes("more"), false)).isEqualTo(Outcome.MORE);
        assertThat(assembler.fragments()).isEqualTo(2);
    }

    /** Heap buffers, each kept so that a test can see it released. */
    private static class Recording extends AbstractByteBufAllocator {
        final List<ByteBuf> made = new ArrayList<>();

        Recording() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buffer = Unpooled.buffer(initialCapacity, maxCapacity);
            made.add(buffer);
            return buffer;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
