/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.client.Payload;
import io.switchboard.bench.client.ProtocolScanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolScannerTest {

    /** Writes down what each line was, in order. */
    private static final class Lines implements ProtocolScanner.Sink {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onPing() {
            seen.add("ping");
        }

        @Override
        public void onReply(long id, boolean error, byte[] bytes, int from, int to) {
            seen.add("reply " + id + (error ? " error" : ""));
        }

        @Override
        public void onPublication(byte[] bytes, int from, int to) {
            seen.add("pub seq=" + ProtocolScanner.number(bytes, from, to, Payload.SEQ_FIELD) + " offset="
                    + ProtocolScanner.lastNumber(bytes, from, to, Payload.OFFSET_FIELD));
        }

        @Override
        public void onOtherPush(boolean disconnect, byte[] bytes, int from, int to) {
            seen.add(disconnect ? "disconnect" : "push");
        }
    }

    private static List<String> scan(String frame) {
        byte[] bytes = ("garbage-before" + frame).getBytes(StandardCharsets.UTF_8);
        Lines lines = new Lines();
        int count = ProtocolScanner.scan(bytes, "garbage-before".length(), bytes.length, lines);
        assertThat(count).isEqualTo(lines.seen.size());
        return lines.seen;
    }

    @Test
    void classifiesEveryLineOfAFrameInOrder() {
        String frame = String.join(
                "\n",
                "{\"id\":1,\"connect\":{\"client\":\"c1\",\"version\":\"0.1\",\"ping\":25,\"pong\":true}}",
                "{}",
                "{\"push\":{\"channel\":\"bench\",\"pub\":{\"data\":" + Payload.json(7, 123, -1, 64)
                        + ",\"offset\":8}}}",
                "{\"id\":12,\"error\":{\"code\":103,\"message\":\"permission denied\"}}",
                "{\"push\":{\"channel\":\"bench\",\"join\":{\"info\":{\"client\":\"c2\",\"user\":\"u\"}}}}",
                "{\"push\":{\"disconnect\":{\"code\":3001,\"reason\":\"shutdown\"}}}");
        assertThat(scan(frame))
                .containsExactly("reply 1", "ping", "pub seq=7 offset=8", "reply 12 error", "push", "disconnect");
    }

    @Test
    void findsTheNumbersWhateverTheOrderOfTheFields() {
        String offsetFirst = "{\"push\":{\"channel\":\"b\",\"pub\":{\"offset\":42,\"data\":{\"seq\":9,\"at\":5}}}}";
        assertThat(scan(offsetFirst)).containsExactly("pub seq=9 offset=42");
    }

    @Test
    void aPublicationWithoutAnOffsetSaysSo() {
        assertThat(scan("{\"push\":{\"channel\":\"b\",\"pub\":{\"data\":{\"seq\":3}}}}"))
                .containsExactly("pub seq=3 offset=" + ProtocolScanner.ABSENT);
    }

    @Test
    void emptyLinesAndATrailingNewlineAreNotLines() {
        assertThat(scan("{}\n\n{}\n")).containsExactly("ping", "ping");
        assertThat(scan("")).isEmpty();
    }

    @Test
    void readsQuotedAndNegativeNumbersAndRefusesWhatIsNone() {
        byte[] json = "{\"a\":\"17\",\"b\":-4,\"c\":\"x\",\"d\": 5}".getBytes(StandardCharsets.US_ASCII);
        assertThat(ProtocolScanner.number(json, 0, json.length, ProtocolScanner.field("a")))
                .isEqualTo(17);
        assertThat(ProtocolScanner.number(json, 0, json.length, ProtocolScanner.field("b")))
                .isEqualTo(-4);
        assertThat(ProtocolScanner.number(json, 0, json.length, ProtocolScanner.field("c")))
                .isEqualTo(ProtocolScanner.ABSENT);
        assertThat(ProtocolScanner.number(json, 0, json.length, ProtocolScanner.field("d")))
                .isEqualTo(5);
        assertThat(ProtocolScanner.number(json, 0, json.length, ProtocolScanner.field("e")))
                .isEqualTo(ProtocolScanner.ABSENT);
    }

    @Test
    void theLastOccurrenceOfAFieldIsFoundFromTheEnd() {
        byte[] json = "{\"offset\":1,\"x\":{\"offset\":22}}".getBytes(StandardCharsets.US_ASCII);
        assertThat(ProtocolScanner.lastNumber(json, 0, json.length, Payload.OFFSET_FIELD))
                .isEqualTo(22);
        assertThat(ProtocolScanner.number(json, 0, json.length, Payload.OFFSET_FIELD))
                .isEqualTo(1);
        assertThat(ProtocolScanner.lastNumber(json, 0, json.length, Payload.SEQ_FIELD))
                .isEqualTo(ProtocolScanner.ABSENT);
    }

    @Test
    void theBenchDataHasTheAskedSizeAndItsFields() {
        String data = Payload.json(12, 34, 5, 64);
        assertThat(data)
                .hasSize(64)
                .startsWith("{\"seq\":12,\"at\":34,\"k\":5,\"pad\":\"x")
                .endsWith("x\"}");
        assertThat(Payload.json(1, 2, -1, 0)).isEqualTo("{\"seq\":1,\"at\":2,\"pad\":\"\"}");
    }
}
