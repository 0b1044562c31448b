/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.Test;

/** The status for each way the HTTP decoder can fail to read a request. */
class RequestChecksTest {

    @Test
    void aRequestLineTooLongIs414() {
        assertThat(RequestChecks.status(new TooLongHttpLineException())).isEqualTo(414);
    }

    @Test
    void headersTooLongAre431() {
        assertThat(RequestChecks.status(new TooLongHttpHeaderException())).isEqualTo(431);
    }

    @Test
    void aBodyTooLongIs413() {
        assertThat(RequestChecks.status(new TooLongFrameException())).isEqualTo(413);
    }

    @Test
    void anythingElseMalformedIs400() {
        assertThat(RequestChecks.status(new DecoderException("bad chunk size"))).isEqualTo(400);
        assertThat(RequestChecks.status(new IllegalArgumentException("invalid version")))
                .isEqualTo(400);
    }
}
