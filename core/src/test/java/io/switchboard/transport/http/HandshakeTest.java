/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.transport.websocket.PerMessageDeflate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks of RFC 6455, 4.2.1 and the accept key, on requests built by hand. */
class HandshakeTest {

    /** The key from RFC 6455, section 1.3. */
    private static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static FullHttpRequest request(HttpMethod method, HttpVersion version) {
        // An empty, unpooled body (nothing for the leak detector to track), and headers that are not
        // validated, so that a test can send what a careless client would.
        return new DefaultFullHttpRequest(
                version,
                method,
                "/ws/echo",
                Unpooled.EMPTY_BUFFER,
                DefaultHttpHeadersFactory.headersFactory().withValidation(false),
                DefaultHttpHeadersFactory.trailersFactory());
    }

    /** A valid upgrade request. */
    private static FullHttpRequest upgrade() {
        FullHttpRequest request = request(HttpMethod.GET, HttpVersion.HTTP_1_1);
        request.headers()
                .add("Host", "server.example.com")
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", RFC_KEY)
                .add("Sec-WebSocket-Version", "13");
        return request;
    }

    private static Handshake.Refusal refusal(FullHttpRequest request) {
        Handshake.Result result = Handshake.check(request);
        assertThat(result).isInstanceOf(Handshake.Refusal.class);
        return (Handshake.Refusal) result;
    }

    @Test
    void theAcceptKeyIsTheOneInRfc6455() {
        assertThat(Handshake.accept(RFC_KEY)).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void aValidRequestIsAnOfferWithItsKey() {
        assertThat(Handshake.check(upgrade())).isEqualTo(new Handshake.Offer(RFC_KEY, List.of(), null));
    }

    @Test
    void headerTokensAreCaseInsensitiveAndMayBeInALists() {
        FullHttpRequest request = upgrade();
        request.headers()
                .set("Upgrade", "h2c, WebSocket")
                .set("Connection", "keep-alive, UPGRADE")
                .set("Sec-WebSocket-Key", " " + RFC_KEY + " ")
                .set("Sec-WebSocket-Version", " 13 ");

        assertThat(Handshake.check(request)).isEqualTo(new Handshake.Offer(RFC_KEY, List.of(), null));
    }

    @Test
    void offeredSubprotocolsAreCollectedInOrderFromEveryHeader() {
        FullHttpRequest request = upgrade();
        request.headers().add("Sec-WebSocket-Protocol", "chat.v2, chat.v1").add("Sec-WebSocket-Protocol", " , mqtt");

        assertThat(Handshake.check(request))
                .isEqualTo(new Handshake.Offer(RFC_KEY, List.of("chat.v2", "chat.v1", "mqtt"), null));
    }

    @Test
    void aDeflateOfferIsNegotiatedFromEveryExtensionsHeader() {
        FullHttpRequest request = upgrade();
        request.headers()
                .add("Sec-WebSocket-Extensions", "x-webkit-deflate-frame, permessage-deflate; bogus")
                .add("Sec-WebSocket-Extensions", "permessage-deflate; client_no_context_takeover");

        assertThat(((Handshake.Offer) Handshake.check(request)).deflate())
                .isEqualTo(new PerMessageDeflate.Agreement(15, 0, true));
    }

    @Test
    void onlyGetMayUpgrade() {
        FullHttpRequest request = request(HttpMethod.POST, HttpVersion.HTTP_1_1);
        request.headers().add(upgrade().headers());

        assertThat(refusal(request)).isEqualTo(new Handshake.Refusal(400, "a WebSocket upgrade must use GET"));
    }

    @Test
    void http10CannotUpgrade() {
        FullHttpRequest request = request(HttpMethod.GET, HttpVersion.HTTP_1_0);
        request.headers().add(upgrade().headers());

        assertThat(refusal(request)).isEqualTo(new Handshake.Refusal(400, "a WebSocket upgrade needs HTTP/1.1"));
    }

    @Test
    void exactlyOneNonBlankHostIsNeeded() {
        Handshake.Refusal expected = new Handshake.Refusal(400, "missing or repeated Host header");
        FullHttpRequest missing = upgrade();
        missing.headers().remove("Host");
        FullHttpRequest repeated = upgrade();
        repeated.headers().add("Host", "other.example.com");
        FullHttpRequest blank = upgrade();
        blank.headers().set("Host", " ");

        assertThat(refusal(missing)).isEqualTo(expected);
        assertThat(refusal(repeated)).isEqualTo(expected);
        assertThat(refusal(blank)).isEqualTo(expected);
    }

    @Test
    void theUpgradeHeaderMustNameWebsocket() {
        FullHttpRequest missing = upgrade();
        missing.headers().remove("Upgrade");
        FullHttpRequest other = upgrade();
        other.headers().set("Upgrade", "h2c");

        Handshake.Refusal expected = new Handshake.Refusal(400, "the Upgrade header must name websocket");
        assertThat(refusal(missing)).isEqualTo(expected);
        assertThat(refusal(other)).isEqualTo(expected);
    }

    @Test
    void theConnectionHeaderMustIncludeUpgrade() {
        FullHttpRequest missing = upgrade();
        missing.headers().remove("Connection");
        FullHttpRequest keepAlive = upgrade();
        keepAlive.headers().set("Connection", "keep-alive");

        Handshake.Refusal expected = new Handshake.Refusal(400, "the Connection header must include Upgrade");
        assertThat(refusal(missing)).isEqualTo(expected);
        assertThat(refusal(keepAlive)).isEqualTo(expected);
    }

    @Test
    void aMissingVersionIs400() {
        FullHttpRequest request = upgrade();
        request.headers().remove("Sec-WebSocket-Version");

        assertThat(refusal(request)).isEqualTo(new Handshake.Refusal(400, "missing Sec-WebSocket-Version header"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "12", "14", "13, 8", "abc"})
    void anotherVersionIs426NamingVersion13(String version) {
        FullHttpRequest request = upgrade();
        request.headers().set("Sec-WebSocket-Version", version);

        assertThat(refusal(request))
                .isEqualTo(new Handshake.Refusal(
                        426,
                        "unsupported WebSocket version; this server speaks 13",
                        Map.of("sec-websocket-version", "13")));
    }

    @Test
    void twoVersionHeadersAre426() {
        FullHttpRequest request = upgrade();
        request.headers().add("Sec-WebSocket-Version", "13");

        assertThat(refusal(request).status()).isEqualTo(426);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "dGhlIHNhbXBsZSBub25jZQ=",
                "dGhlIHNhbXBsZSBub25jZQ===",
                "dGhlIHNhbXBsZSBub25jZQ!!",
                "AAAAAAAAAAAAAAAAAAAAAAAA",
                "not a key"
            })
    void aKeyThatIsNotBase64For16BytesIs400(String key) {
        FullHttpRequest request = upgrade();
        request.headers().set("Sec-WebSocket-Key", key);

        assertThat(refusal(request))
                .isEqualTo(new Handshake.Refusal(400, "missing or malformed Sec-WebSocket-Key header"));
    }

    @Test
    void aMissingOrRepeatedKeyIs400() {
        FullHttpRequest missing = upgrade();
        missing.headers().remove("Sec-WebSocket-Key");
        FullHttpRequest repeated = upgrade();
        repeated.headers().add("Sec-WebSocket-Key", RFC_KEY);

        assertThat(refusal(missing).reason()).isEqualTo("missing or malformed Sec-WebSocket-Key header");
        assertThat(refusal(repeated).reason()).isEqualTo("missing or malformed Sec-WebSocket-Key header");
    }

    @Test
    void theChecksRunInTheDocumentedOrder() {
        FullHttpRequest request = request(HttpMethod.POST, HttpVersion.HTTP_1_0);

        assertThat(refusal(request).reason()).as("method first").isEqualTo("a WebSocket upgrade must use GET");
    }

    @Test
    void validKeysAreBase64ForSixteenBytes() {
        assertThat(Handshake.isValidKey(RFC_KEY)).isTrue();
        assertThat(Handshake.isValidKey("AAAAAAAAAAAAAAAAAAAAAA==")).isTrue();
        assertThat(Handshake.isValidKey("AAAAAAAAAAAAAAAAAAAAAAAA"))
                .as("18 bytes")
                .isFalse();
    }

    @Test
    void anAttemptIsAnyRequestThatSpeaksWebSocket() {
        FullHttpRequest plain = request(HttpMethod.GET, HttpVersion.HTTP_1_1);
        plain.headers().add("Host", "h");
        FullHttpRequest h2c = request(HttpMethod.GET, HttpVersion.HTTP_1_1);
        h2c.headers().add("Upgrade", "h2c");
        FullHttpRequest upgradeOnly = request(HttpMethod.GET, HttpVersion.HTTP_1_1);
        upgradeOnly.headers().add("Upgrade", "WebSocket");
        FullHttpRequest keyOnly = request(HttpMethod.GET, HttpVersion.HTTP_1_1);
        keyOnly.headers().add("Sec-WebSocket-Key", RFC_KEY);
        FullHttpRequest versionOnly = request(HttpMethod.POST, HttpVersion.HTTP_1_1);
        versionOnly.headers().add("Sec-WebSocket-Version", "13");

        assertThat(Handshake.isAttempt(plain)).isFalse();
        assertThat(Handshake.isAttempt(h2c)).isFalse();
        assertThat(Handshake.isAttempt(upgradeOnly)).isTrue();
        assertThat(Handshake.isAttempt(keyOnly)).isTrue();
        assertThat(Handshake.isAttempt(versionOnly)).isTrue();
        assertThat(Handshake.isAttempt(upgrade())).isTrue();
    }
}
