/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which stored messages fit a welcome or a page, by their size on the wire. */
class PagesTest {

    @Test
    void theLengthIsTheUtf8Length() {
        for (String text : List.of("", "plain", "héllo", "漢字", "🎉 emoji", "\\u0001 escaped", "mixed é漢🎉x")) {
            assertThat(Pages.utf8Length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void newestKeepsTheNewestThatFitAndOldestTheOldest() {
        List<String> stored = List.of("aaaa", "bbbb", "cccc", "dddd"); // 5 bytes each with the comma
        assertThat(Pages.newest(stored, 10)).containsExactly("cccc", "dddd");
        assertThat(Pages.newest(stored, 14)).containsExactly("cccc", "dddd");
        assertThat(Pages.newest(stored, 100)).isEqualTo(stored);
        assertThat(Pages.newest(stored, 4)).containsExactly("dddd"); // one, however small the budget
        assertThat(Pages.newest(List.of(), 4)).isEmpty();
        assertThat(Pages.oldest(stored, 10)).containsExactly("aaaa", "bbbb");
        assertThat(Pages.oldest(stored, 4)).containsExactly("aaaa");
        assertThat(Pages.oldest(List.of(), 4)).isEmpty();
    }

    @Test
    void namesCountTheirQuotesAndComma() {
        List<String> names = List.of("ann", "bob", "cid");
        assertThat(Pages.names(names, 12)).containsExactly("ann", "bob");
        assertThat(Pages.names(names, 18)).isEqualTo(names);
    }

    @Test
    void aHistoryRequestNamesAPosition() {
        assertThat(ChatProtocol.parse("{\"type\":\"history\",\"since\":5}", 10))
                .isEqualTo(new ChatProtocol.HistoryRequest(5, null));
        assertThat(ChatProtocol.parse("{\"type\":\"history\",\"since\":5,\"epoch\":\"e1\"}", 10))
                .isEqualTo(new ChatProtocol.HistoryRequest(5, "e1"));
        assertThat(ChatProtocol.parse("{\"type\":\"history\",\"since\":5,\"epoch\":7}", 10))
                .isInstanceOf(ChatProtocol.Invalid.class);
        assertThat(ChatProtocol.parse("{\"type\":\"history\",\"since\":-1}", 10))
                .isInstanceOf(ChatProtocol.Invalid.class);
        assertThat(ChatProtocol.parse("{\"type\":\"history\"}", 10)).isInstanceOf(ChatProtocol.Invalid.class);
        assertThat(ChatProtocol.parse("{\"type\":\"history\",\"since\":\"x\"}", 10))
                .isInstanceOf(ChatProtocol.Invalid.class);
    }
}
