/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channels.ChannelsApi.ClientInfo;
import io.switchboard.channels.ChannelsApi.HistoryPage;
import io.switchboard.channels.ChannelsApi.NodeInfo;
import io.switchboard.channels.ChannelsApi.Publication;
import io.switchboard.channels.ChannelsApi.StreamPosition;
import io.switchboard.channels.ChannelsException;
import io.switchboard.channels.ErrorCode;
import io.switchboard.json.Json;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each method of the server API over real HTTP: the request it reads, the reply's shape. */
class ServerApiTest {

    static final String KEY = "the-api-key";

    private final ScriptedChannels channels = new ScriptedChannels();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(new ServerApi(channels, ApiKey.of(KEY)).router());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static HttpResponse<String> post(TestServer server, String method, String body, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(server.http("/api/" + method)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return server.send(request);
    }

    private HttpResponse<String> call(String method, String body) {
        return post(server, method, body, "X-API-Key", KEY);
    }

    /** The reply's JSON, after checking its status and content type. */
    private JsonNode reply(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return Json.read(response.body(), JsonNode.class);
    }

    private static JsonNode json(String text) {
        return Json.read(text, JsonNode.class);
    }

    @Test
    void publishPassesChannelDataTagsAndSkipHistoryAndAnswersThePosition() {
        JsonNode reply = reply(
                call(
                        "publish",
                        "{\"channel\":\"news\",\"data\":{\"text\":\"hi\"},\"tags\":{\"k\":\"v\"},\"skip_history\":true}"),
                200);

        assertThat(reply).isEqualTo(json("{\"result\":{\"offset\":7,\"epoch\":\"epoch-1\"}}"));
        assertThat(channels.published).hasSize(1);
        assertThat(channels.published.get(0).data()).isEqualTo(json("{\"text\":\"hi\"}"));
        assertThat(channels.published.get(0).tags()).isEqualTo(Map.of("k", "v"));
        assertThat(channels.published.get(0).skipHistory()).isTrue();
    }

    @Test
    void broadcastAnswersOneResultOrErrorPerChannelInOrder() {
        JsonNode reply = reply(call("broadcast", "{\"channels\":[\"a\",\"bad:b\"],\"data\":1}"), 200);

        assertThat(reply)
                .isEqualTo(json("{\"result\":{\"responses\":[{\"result\":{\"offset\":7,\"epoch\":\"epoch-1\"}},"
                        + "{\"error\":{\"code\":102,\"message\":\"unknown channel\"}}]}}"));
    }

    @Test
    void subscribeUnsubscribeAndDisconnectAnswerAnEmptyResult() {
        assertThat(reply(call("subscribe", "{\"channel\":\"news\",\"user\":\"ann\"}"), 200))
                .isEqualTo(json("{\"result\":{}}"));
        assertThat(reply(call("unsubscribe", "{\"channel\":\"news\",\"user\":\"ann\",\"client\":\"c1\"}"), 200))
                .isEqualTo(json("{\"result\":{}}"));
        assertThat(reply(call("disconnect", "{\"user\":\"ann\"}"), 200)).isEqualTo(json("{\"result\":{}}"));
        reply(call("disconnect", "{\"user\":\"bob\",\"disconnect\":{\"code\":4000,\"reason\":\"bye\"}}"), 200);

        assertThat(channels.calls)
                .containsExactly(
                        "subscribe ann news null",
                        "unsubscribe ann news c1",
                        "disconnect ann null 3503 force disconnect",
                        "disconnect bob null 4000 bye");
    }

    @Test
    void presenceAnswersClientsByIdWithTheirInfo() {
        channels.presence = Map.of("c1", new ClientInfo("c1", "ann", json("{\"role\":\"admin\"}"), null));

        assertThat(reply(call("presence", "{\"channel\":\"news\"}"), 200))
                .isEqualTo(json("{\"result\":{\"presence\":{\"c1\":{\"client\":\"c1\",\"user\":\"ann\","
                        + "\"conn_info\":{\"role\":\"admin\"}}}}}"));
        assertThat(reply(call("presence_stats", "{\"channel\":\"news\"}"), 200))
                .isEqualTo(json("{\"result\":{\"num_clients\":3,\"num_users\":2}}"));
    }

    @Test
    void historyPassesLimitSinceAndReverseAndAnswersPublicationsAndPosition() {
        channels.history = new HistoryPage(
                List.of(
                        new Publication(5, json("{\"n\":5}"), null, Map.of()),
                        new Publication(6, json("\"six\""), new ClientInfo("c1", "ann", null, null), Map.of("k", "v"))),
                new StreamPosition(6, "e"));

        JsonNode reply = reply(
                call(
                        "history",
                        "{\"channel\":\"news\",\"limit\":10,\"since\":{\"offset\":4,\"epoch\":\"e\"},\"reverse\":true}"),
                200);

        assertThat(reply)
                .isEqualTo(json("{\"result\":{\"publications\":[{\"data\":{\"n\":5},\"offset\":5},"
                        + "{\"data\":\"six\",\"info\":{\"client\":\"c1\",\"user\":\"ann\"},\"offset\":6,\"tags\":{\"k\":\"v\"}}],"
                        + "\"offset\":6,\"epoch\":\"e\"}}"));
        assertThat(channels.calls).containsExactly("history news 10 StreamPosition[offset=4, epoch=e] true");
    }

    @Test
    void historyWithoutLimitAsksForThePositionOnlyAndANegativeLimitIsPassedOn() {
        reply(call("history", "{\"channel\":\"news\"}"), 200);
        reply(call("history_remove", "{\"channel\":\"news\"}"), 200);

        reply(call("history", "{\"channel\":\"news\",\"limit\":-1}"), 200);

        assertThat(channels.calls)
                .containsExactly("history news 0 null false", "history_remove news", "history news -1 null false");
    }

    @Test
    void channelsAndInfoAnswerCountsAndNodes() {
        channels.channels = Map.of("news", 2);
        channels.nodes = List.of(new NodeInfo("uid-1", "node-a", "0.1.0", 4, 3, 2, 5, Duration.ofSeconds(90)));

        assertThat(reply(call("channels", "{\"pattern\":\"n*\"}"), 200))
                .isEqualTo(json("{\"result\":{\"channels\":{\"news\":{\"num_clients\":2}}}}"));
        assertThat(reply(call("info", ""), 200))
                .isEqualTo(json("{\"result\":{\"nodes\":[{\"uid\":\"uid-1\",\"name\":\"node-a\",\"version\":\"0.1.0\","
                        + "\"num_clients\":4,\"num_users\":3,\"num_channels\":2,\"uptime\":90,\"num_subs\":5}]}}"));
        assertThat(channels.calls).containsExactly("channels n*", "info");
    }

    @Test
    void aRefusalOfTheChannelsIsAnErrorInTheBodyWithStatus200() {
        channels.failWith(new ChannelsException(ErrorCode.UNKNOWN_CHANNEL));

        assertThat(reply(call("publish", "{\"channel\":\"nope:x\",\"data\":{}}"), 200))
                .isEqualTo(json("{\"error\":{\"code\":102,\"message\":\"unknown channel\"}}"));
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorAndTheNextCallWorks() {
        channels.failWith(new IllegalStateException("engine broke"));

        assertThat(reply(call("presence", "{\"channel\":\"news\"}"), 200))
                .isEqualTo(json("{\"error\":{\"code\":100,\"message\":\"internal server error\"}}"));
        assertThat(reply(call("presence", "{\"channel\":\"news\"}"), 200).has("result"))
                .isTrue();
    }

    @Test
    void missingFieldsAreBadRequestsInTheBodyAndNothingIsCalled() {
        for (String[] call : new String[][] {
            {"publish", "{\"data\":{}}"},
            {"publish", "{\"channel\":\"news\"}"},
            {"publish", "{\"channel\":\"news\",\"data\":1,\"tags\":{\"k\":null}}"},
            {"broadcast", "{\"channels\":[],\"data\":1}"},
            {"subscribe", "{\"channel\":\"news\"}"},
            {"disconnect", "{}"},
            {"presence", "{\"channel\":\"\"}"}
        }) {
            JsonNode reply = reply(call(call[0], call[1]), 200);
            assertThat(reply.path("error").path("code").asInt())
                    .as(call[0] + " " + call[1])
                    .isEqualTo(107);
        }
        assertThat(channels.calls).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonOfTheRightShapeIs400WithError107() {
        for (String body : new String[] {
            "{",
            "not json",
            "null",
            "[1]",
            "{\"channel\":\"a\",\"data\":1} x",
            "{\"channel\":\"a\",\"limit\":\"ten\"}",
            "{\"channel\":{}}"
        }) {
            JsonNode reply = reply(call("history", body), 400);
            assertThat(reply.path("error").path("code").asInt()).as(body).isEqualTo(107);
        }
        assertThat(channels.calls).isEmpty();
    }

    @Test
    void theBadRequestSaysWhatIsWrongInOneLineWithoutJavaTypes() {
        assertThat(reply(call("history", "{\"channel\":\"a\",\"limit\":\"ten\"}"), 400))
                .isEqualTo(json("{\"error\":{\"code\":107,\"message\":\"bad request: 'limit' has the wrong type\"}}"));
        assertThat(reply(call("broadcast", "{\"channels\":[\"a\",{}],\"data\":1}"), 400)
                        .at("/error/message")
                        .asText())
                .isEqualTo("bad request: 'channels[1]' has the wrong type");
        assertThat(reply(call("info", "[1]"), 400).at("/error/message").asText())
                .isEqualTo("bad request: the body is not a JSON object");
        assertThat(reply(call("publish", "{"), 400).at("/error/message").asText())
                .startsWith("bad request: not JSON: ")
                .doesNotContain("Source")
                .doesNotContain("\n");
    }

    @Test
    void whatALogLineQuotesIsOneLineOfAtMost100Characters() {
        assertThat(ServerApi.printable("pub\nlish\r\u0000")).isEqualTo("pub?lish??");
        assertThat(ServerApi.printable("x".repeat(300))).hasSize(101).endsWith("…");
        assertThat(reply(call("pub%0Alish", "{}"), 404).at("/error/code").asInt())
                .isEqualTo(104);
    }

    @Test
    void anExceptionThrownByTheChannelsIsAnInternalError() {
        channels.throwNow = new IllegalArgumentException("boom");

        assertThat(reply(call("info", "{}"), 200))
                .isEqualTo(json("{\"error\":{\"code\":100,\"message\":\"internal server error\"}}"));
    }

    @Test
    void batchRunsEachCommandInOrderAndAnswersOneReplyEach() {
        JsonNode reply = reply(
                call(
                        "batch",
                        "{\"commands\":[{\"publish\":{\"channel\":\"news\",\"data\":1}},"
                                + "{\"presence_stats\":{\"channel\":\"news\"}},{\"nope\":{}},"
                                + "{\"history\":{\"channel\":\"news\",\"limit\":\"x\"}},{\"batch\":{}},"
                                + "{\"subscribe\":{\"channel\":\"news\"}},[]],\"parallel\":true}"),
                200);

        assertThat(reply)
                .isEqualTo(
                        json(
                                "{\"replies\":["
                                        + "{\"publish\":{\"offset\":7,\"epoch\":\"epoch-1\"}},"
                                        + "{\"presence_stats\":{\"num_clients\":3,\"num_users\":2}},"
                                        + "{\"error\":{\"code\":104,\"message\":\"method not found\"}},"
                                        + "{\"error\":{\"code\":107,\"message\":\"bad request: 'limit' has the wrong type\"}},"
                                        + "{\"error\":{\"code\":104,\"message\":\"method not found\"}},"
                                        + "{\"error\":{\"code\":107,\"message\":\"bad request: user required\"}},"
                                        + "{\"error\":{\"code\":107,\"message\":\"bad request: a command is an object with one method\"}}]}"));
        assertThat(channels.calls).containsExactly("publish news", "presence_stats news");
    }

    @Test
    void aBatchWithoutCommandsHasNoRepliesAndATooLongOneIsABadRequest() {
        assertThat(reply(call("batch", "{}"), 200)).isEqualTo(json("{\"replies\":[]}"));
        String many = "{\"commands\":[" + "{\"info\":{}},".repeat(Batch.MAX_COMMANDS) + "{\"info\":{}}]}";
        assertThat(reply(call("batch", many), 400).at("/error/message").asText())
                .isEqualTo("bad request: at most 1000 commands, not 1001");
        assertThat(channels.calls).isEmpty();
    }

    @Test
    void anUnknownMethodIs404WithError104() {
        assertThat(reply(call("publish_everything", "{}"), 404))
                .isEqualTo(json("{\"error\":{\"code\":104,\"message\":\"method not found\"}}"));
    }

    @Test
    void onlyPostIsAllowed() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.http("/api/info"))
                .header("X-API-Key", KEY)
                .GET());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(channels.calls).isEmpty();
    }

    @Test
    void aBodyOverTheServersLimitIs413() {
        try (TestServer small = TestServer.start(builder -> builder.router(
                        new ServerApi(channels, ApiKey.of(KEY)).router())
                .limits(io.switchboard.settings.Limits.defaults().withCapacity(c -> c.withMaxHttpBodyBytes(1024))))) {
            String big = "{\"channel\":\"news\",\"data\":\"" + "x".repeat(2000) + "\"}";

            assertThat(post(small, "publish", big, "X-API-Key", KEY).statusCode())
                    .isEqualTo(413);
            assertThat(post(small, "publish", "{\"channel\":\"news\",\"data\":1}", "X-API-Key", KEY)
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(channels.calls).containsExactly("publish news");
    }
}
