/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsApi.ClientInfo;
import io.switchboard.engine.History;
import io.switchboard.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored publication frame: valid JSON for any channel name, and its pub object and epoch read back. */
class WireTest {

    @Test
    void aStoredPublicationIsItsPushFrameWhateverTheChannelIsCalled() {
        for (String channel : new String[] {"news", "a\"}}b", "ns:x\\y", "}}}", "{\"pub\":1}"}) {
            ClientInfo info = new ClientInfo("n1.2", "ann", Json.read("{\"k\":1}", JsonNode.class), null);
            History.Template template = Wire.publication(channel, "{\"text\":\"}}\"}", info, Map.of("t", "v"));
            String frame = template.fill("e1.2", 42);

            JsonNode push = Json.read(frame, JsonNode.class).get("push");
            assertThat(push.get("channel").asText()).isEqualTo(channel);
            assertThat(push.at("/pub/offset").asLong()).isEqualTo(42);
            assertThat(push.at("/pub/epoch").asText()).isEqualTo("e1.2");
            assertThat(push.at("/pub/data/text").asText()).isEqualTo("}}");
            assertThat(push.at("/pub/info/conn_info/k").asInt()).isEqualTo(1);
            assertThat(Json.read(Wire.pubOf(channel, frame), JsonNode.class)).isEqualTo(push.get("pub"));
            assertThat(Wire.epochOf(frame)).isEqualTo("e1.2");
            assertThat(PublicationReader.read(channel, new History.Entry(42, frame))
                            .tags())
                    .isEqualTo(Map.of("t", "v"));
        }
    }

    @Test
    void anUnkeptPublicationHasNoPosition() {
        JsonNode push = Json.read(Wire.unkeptPublication("c", "1", null, Map.of()), JsonNode.class)
                .get("push");
        assertThat(push.get("pub").has("offset")).isFalse();
        assertThat(push.at("/pub/data").asInt()).isEqualTo(1);
    }

    @Test
    void errorsSayWhetherARetryMayWork() {
        assertThat(Wire.error(7, ErrorCode.INTERNAL, true))
                .isEqualTo(
                        "{\"id\":7,\"error\":{\"code\":100,\"message\":\"internal server error\",\"temporary\":true}}");
        assertThat(Wire.error(8, ErrorCode.PERMISSION_DENIED, false))
                .isEqualTo("{\"id\":8,\"error\":{\"code\":103,\"message\":\"permission denied\"}}");
    }

    @Test
    void aConflatedPublicationCarriesHowManyItReplacedInItsTagsAndKeepsItsOwn() {
        String kept =
                Wire.publication("t:x", "{\"p\":1}", null, Map.of("sym", "A")).fill("e", 9);
        JsonNode pub = Json.read(Wire.conflated(kept, 41), JsonNode.class).at("/push/pub");
        assertThat(pub.get("tags")).isEqualTo(Json.read("{\"sym\":\"A\",\"conflated\":\"41\"}", JsonNode.class));
        assertThat(pub.get("offset").asLong()).isEqualTo(9);
        assertThat(Wire.publicationOffset(Wire.conflated(kept, 41))).isEqualTo(9);

        String unkept = Wire.unkeptPublication("t:x", "2", null, Map.of());
        assertThat(Json.read(Wire.conflated(unkept, 3), JsonNode.class)
                        .at("/push/pub/tags/conflated")
                        .asText())
                .isEqualTo("3");
        assertThat(Wire.conflated("{\"id\":1,\"subscribe\":{}}", 3)).isEqualTo("{\"id\":1,\"subscribe\":{}}");
    }

    @Test
    void aPublicationsConflationKeyIsItsChannelAndTheValueOfTheNamespacesFieldOrTag() {
        NamespaceOptions.ConflationKey field = new NamespaceOptions.ConflationKey("symbol", false);
        NamespaceOptions.ConflationKey tag = new NamespaceOptions.ConflationKey("symbol", true);
        JsonNode data = Json.read("{\"symbol\":\"AAPL\",\"px\":1,\"o\":{}}", JsonNode.class);

        assertThat(Publications.conflationKey("t:a", field, data, Map.of())).isEqualTo("t:a\nAAPL");
        assertThat(Publications.conflationKey("t:b", field, data, Map.of())).isNotEqualTo("t:a\nAAPL");
        assertThat(Publications.conflationKey("t:a", tag, data, Map.of("symbol", "MSFT")))
                .isEqualTo("t:a\nMSFT");
        assertThat(Publications.conflationKey("t:a", tag, data, Map.of())).isNull();
        assertThat(Publications.conflationKey("t:a", new NamespaceOptions.ConflationKey("o", false), data, Map.of()))
                .isNull();
        assertThat(Publications.conflationKey("t:a", null, data, Map.of())).isNull();
    }

    @Test
    void theOffsetOfAKeptPublicationIsReadFromItsFrameAndNoOtherFrameHasOne() {
        String kept = Wire.publication("c", "{\"offset\":7}", null, Map.of()).fill("e", 42);
        assertThat(Wire.publicationOffset(kept)).isEqualTo(42);
        for (String data : new String[] {"{\"offset\":7}", "{\"a\":{\"offset\":7}}", "7", "\"offset\":7"}) {
            String unkept = Wire.unkeptPublication("c", data, null, Map.of("offset", "7"));
            assertThat(Wire.publicationOffset(unkept)).as(unkept).isEqualTo(-1);
        }
        ClientInfo info = new ClientInfo("u", "c1", Json.read("{\"offset\":7}", JsonNode.class), null);
        String join = Wire.push("c", "join", "{\"info\":" + Wire.clientInfo(info) + "}");
        assertThat(Wire.publicationOffset(join)).isEqualTo(-1);
    }

    @Test
    void aSubscribeResultStandsAtItsPositionWhateverItRecovered() {
        String recovered = "{\"recoverable\":true,\"was_recovering\":true,\"recovered\":true,\"publications\":["
                + "{\"data\":{\"offset\":99},\"epoch\":\"e\",\"offset\":4}],\"epoch\":\"e\",\"offset\":4,"
                + "\"positioned\":true}";
        assertThat(Wire.offsetOf(recovered)).isEqualTo(4);
        assertThat(Wire.offsetOf("{\"expires\":true,\"ttl\":10}")).isEqualTo(-1);
        assertThat(Wire.offsetOf("{}")).isEqualTo(-1);
    }
}
