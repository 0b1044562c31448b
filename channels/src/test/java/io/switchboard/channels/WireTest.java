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
}
