package io.switchboard.settings;

import java.util.Objects;

/**
 * What may wait in memory for one connection, each way, and what happens to a client that does not
 * read.
 *
 * @param outboundBufferBytes bytes queued for one client before the slow consumer policy applies.
 *     Default 1 MiB
 * @param inboundBufferBytes bytes of messages waiting for one connection's handler before reading
 *     pauses. Default 1 MiB
 * @param slowConsumerPolicy what happens to a client whose outbound buffer is full. Default {@link
 *     SlowConsumerPolicy#CLOSE}
 */
public record Buffers(int outboundBufferBytes, int inboundBufferBytes, SlowConsumerPolicy slowConsumerPolicy) {

    static final Buffers DEFAULTS = new Buffers(1024 * 1024, 1024 * 1024, SlowConsumerPolicy.CLOSE);

    public Buffers {
        Check.atLeastOne("outboundBufferBytes", outboundBufferBytes);
        Check.atLeastOne("inboundBufferBytes", inboundBufferBytes);
        Objects.requireNonNull(slowConsumerPolicy, "slowConsumerPolicy");
    }

    public Buffers withOutboundBufferBytes(int value) {
        return new Buffers(value, inboundBufferBytes, slowConsumerPolicy);
    }

    public Buffers withInboundBufferBytes(int value) {
        return new Buffers(outboundBufferBytes, value, slowConsumerPolicy);
    }

    public Buffers withSlowConsumerPolicy(SlowConsumerPolicy value) {
        return new Buffers(outboundBufferBytes, inboundBufferBytes, value);
    }
}
