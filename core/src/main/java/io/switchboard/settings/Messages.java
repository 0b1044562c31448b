/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

/**
 * How big what a client sends may be: frames, messages, the fragments a message may arrive in, and
 * whether messages may come compressed.
 *
 * @param maxFrameBytes largest payload of one frame; a bigger frame closes the connection with 1009.
 *     Default 64 KiB
 * @param maxMessageBytes largest message after joining fragments (and after inflating, with
 *     permessage-deflate); a bigger one closes with 1009. Default 64 KiB
 * @param maxFragments most frames one message may arrive in, or {@code null} to follow the message
 *     size (see {@link #fragmentLimit()}). Default {@code null}
 * @param deflate whether the server accepts permessage-deflate (RFC 7692) when a client offers it.
 *     The server always answers with {@code server_no_context_takeover}, so a broadcast is compressed
 *     once for all its recipients, and sends messages under 64 bytes uncompressed. Default on
 */
public record Messages(int maxFrameBytes, int maxMessageBytes, Integer maxFragments, boolean deflate) {

    /** Unless set, the fragment limit is the message size in pieces of this many bytes... */
    private static final int FRAGMENT_BYTES = 64;

    /** ...and at least this many. */
    private static final int MIN_FRAGMENTS = 16;

    static final Messages DEFAULTS = new Messages(64 * 1024, 64 * 1024, null, true);

    public Messages {
        Check.atLeastOne("maxFrameBytes", maxFrameBytes);
        Check.atLeastOne("maxMessageBytes", maxMessageBytes);
        if (maxFragments != null) {
            Check.atLeastOne("maxFragments", maxFragments);
        }
    }

    /**
     * Most frames one message may arrive in; one more closes the connection with 1009. Fragments are
     * joined into one buffer, so they cost no memory beyond their bytes, but each costs the work of a
     * frame: this bounds that work where the rate limit is off. Unless {@link #maxFragments()} sets
     * it, the message size in 64-byte pieces (the smallest fragments the Autobahn testsuite sends), at
     * least 16: 1,024 for the default 64 KiB.
     */
    public int fragmentLimit() {
        return maxFragments != null ? maxFragments : Math.max(MIN_FRAGMENTS, maxMessageBytes / FRAGMENT_BYTES);
    }

    public Messages withMaxFrameBytes(int value) {
        return new Messages(value, maxMessageBytes, maxFragments, deflate);
    }

    public Messages withMaxMessageBytes(int value) {
        return new Messages(maxFrameBytes, value, maxFragments, deflate);
    }

    /** These limits with a fixed fragment limit; {@code null} follows the message size again. */
    public Messages withMaxFragments(Integer value) {
        return new Messages(maxFrameBytes, maxMessageBytes, value, deflate);
    }

    public Messages withDeflate(boolean value) {
        return new Messages(maxFrameBytes, maxMessageBytes, maxFragments, value);
    }
}
