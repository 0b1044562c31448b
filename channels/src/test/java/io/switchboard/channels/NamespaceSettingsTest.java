/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.channels.NamespaceOptions.ConflationKey;
import io.switchboard.channels.NamespaceOptions.PublishRule;
import io.switchboard.channels.NamespaceOptions.SubscribeRule;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Namespaces from settings keys: values, inheritance, and a one-line failure naming the key for each mistake. */
class NamespaceSettingsTest {

    @Test
    void noKeysAreTheDefaults() {
        assertThat(NamespaceSettings.read(Map.of("port", "9000"))).isEqualTo(Namespaces.DEFAULTS);
    }

    @Test
    void everyOptionIsRead() {
        Namespaces namespaces = NamespaceSettings.read(Map.of(
                "namespace.ticker.history-size", "5",
                "namespace.ticker.history-ttl", "5m",
                "namespace.ticker.presence", "false",
                "namespace.ticker.join-leave", "FALSE",
                "namespace.ticker.recovery", "false",
                "namespace.ticker.subscribe", "anonymous",
                "namespace.ticker.publish", "server",
                "namespace.ticker.conflate-key", "field:symbol"));

        assertThat(namespaces.of("ticker:AAPL"))
                .isEqualTo(new NamespaceOptions(
                        5,
                        Duration.ofMinutes(5),
                        false,
                        false,
                        false,
                        SubscribeRule.ANONYMOUS,
                        PublishRule.SERVER,
                        new ConflationKey("symbol", false)));
        assertThat(namespaces.of("news")).isEqualTo(NamespaceOptions.DEFAULTS);
    }

    @Test
    void aNamespaceInheritsWhatItDoesNotSetFromTheChannelDefaults() {
        Namespaces namespaces = NamespaceSettings.read(Map.of(
                "channel.history-size", "10",
                "channel.subscribe", "token",
                "channel.conflate-key", "tag:k",
                "namespace.chat.publish", "subscribers",
                "namespace.chat.conflate-key", ""));

        assertThat(namespaces.defaults().historySize()).isEqualTo(10);
        NamespaceOptions chat = namespaces.of("chat:room");
        assertThat(chat.historySize()).isEqualTo(10);
        assertThat(chat.subscribe()).isEqualTo(SubscribeRule.TOKEN);
        assertThat(chat.publish()).isEqualTo(PublishRule.SUBSCRIBERS);
        assertThat(chat.conflation())
                .as("an empty conflate-key turns an inherited one off")
                .isNull();
        assertThat(namespaces.defaults().conflation()).isEqualTo(new ConflationKey("k", true));
    }

    @Test
    void noHistoryTurnsRecoveryOffUnlessItIsAskedFor() {
        assertThat(NamespaceSettings.read(Map.of("namespace.live.history-size", "0"))
                        .of("live:x")
                        .recovery())
                .isFalse();
        assertFails(
                Map.of("namespace.live.history-size", "0", "namespace.live.recovery", "true"),
                "'namespace.live.*': recovery needs a history: set history-size above 0 or recovery=false");
    }

    @Test
    void anUnknownOptionFailsNamingTheKeyAndTheOptions() {
        assertFails(
                Map.of("namespace.ticker.histroy-size", "5"),
                "'namespace.ticker.histroy-size': unknown option 'histroy-size'; options are [history-size,"
                        + " history-ttl, presence, join-leave, recovery, subscribe, publish, conflate-key]");
        assertFails(Map.of("channel.colour", "red"), "'channel.colour': unknown option 'colour'");
    }

    @Test
    void aKeyWithoutANamespaceOrAnOptionFails() {
        assertFails(
                Map.of("namespace.presence", "true"), "'namespace.presence': a namespace key is namespace.NAME.OPTION");
        assertFails(Map.of("namespace.a b.presence", "true"), "'namespace.a b.presence': a namespace name is 1 to 64");
        assertFails(Map.of("namespace.a.b.presence", "true"), "'namespace.a.b.presence': a namespace name");
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertFails(Map.of("channel.history-size", "lots"), "'channel.history-size': 'lots' is not a whole number");
        assertFails(Map.of("channel.history-size", "-1"), "'channel.*': history-size is 0 to 100000, not -1");
        assertFails(Map.of("namespace.n.history-ttl", "soon"), "'namespace.n.history-ttl': 'soon' is not a duration");
        assertFails(
                Map.of("namespace.n.history-ttl", "0s"), "'namespace.n.history-ttl': '0s' must be longer than zero");
        assertFails(Map.of("namespace.n.presence", "yes"), "'namespace.n.presence': 'yes' is neither true nor false");
        assertFails(
                Map.of("namespace.n.subscribe", "everyone"),
                "'namespace.n.subscribe': 'everyone' is not one of anonymous, authenticated, token");
        assertFails(
                Map.of("namespace.n.publish", "nobody"),
                "'namespace.n.publish': 'nobody' is not one of clients, subscribers, server");
        assertFails(
                Map.of("namespace.n.conflate-key", "symbol"),
                "'namespace.n.conflate-key': 'symbol' is not field:NAME or tag:NAME");
        assertFails(Map.of("namespace.n.conflate-key", "tag:"), "'namespace.n.conflate-key': 'tag:' is not field:NAME");
    }

    @Test
    void durationsAreWrittenAsTheOtherSettings() {
        assertThat(NamespaceSettings.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(NamespaceSettings.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(NamespaceSettings.duration("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(NamespaceSettings.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    }

    private static void assertFails(Map<String, String> settings, String message) {
        assertThatThrownBy(() -> NamespaceSettings.read(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n");
    }
}
