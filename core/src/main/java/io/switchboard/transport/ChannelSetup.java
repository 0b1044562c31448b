/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.switchboard.settings.Limits;
import io.switchboard.transport.http.RequestTimeout;
import io.switchboard.transport.websocket.DeflateCodec;
import io.switchboard.transport.websocket.PerMessageDeflate;
import io.switchboard.transport.websocket.StrictFrameDecoder;
import io.switchboard.transport.websocket.WireUtf8Check;

/**
 * Every pipeline a connection has, built here and nowhere else, in the order of the request's way
 * through the server. A connection starts as HTTP and, if its upgrade is accepted, becomes WebSocket
 * (HTTP handlers out, WebSocket ones in; TLS, when the server has a certificate, stays in front):
 *
 * <pre>
 * accepted:  [tls tls-guard] http-decoder http-encoder http-aggregator http-timeout http-dispatcher
 * upgrading:  (a pipelined upgrade stops HTTP parsing: http-decoder and http-aggregator leave)
 * upgraded:  [tls tls-guard] ws-utf8-wire ws-decoder ws-encoder [ws-deflate ws-utf8] ws-cork ws-connection
 * </pre>
 *
 * <p>{@link HttpDispatcher} routes each request (checks, then a plain HTTP route or an upgrade); the
 * 101 answer to an upgrade calls {@link #toWebSocket} before the dispatcher leaves. The WebSocket
 * handlers only exist once the upgrade is accepted, so a plain HTTP connection carries none of them.
 */
final class ChannelSetup extends ChannelInitializer<Channel> {

    static final String HTTP_DECODER = "http-decoder";
    static final String HTTP_ENCODER = "http-encoder";
    static final String HTTP_AGGREGATOR = "http-aggregator";
    static final String HTTP_TIMEOUT = "http-timeout";
    static final String HTTP_DISPATCHER = "http-dispatcher";

    static final String WS_UTF8_WIRE = "ws-utf8-wire";
    static final String WS_DECODER = "ws-decoder";
    static final String WS_ENCODER = "ws-encoder";
    static final String WS_DEFLATE = "ws-deflate";
    static final String WS_UTF8 = "ws-utf8";
    static final String WS_CORK = "ws-cork";
    static final String WS_CONNECTION = "ws-connection";

    /** Longest request line and header block accepted; longer gets 414 or 431. */
    static final int MAX_REQUEST_LINE = 8 * 1024;

    static final int MAX_HEADERS = 16 * 1024;

    private final ServerContext context;
    private final PlainHttp plainHttp;
    private final Upgrade upgrade;

    ChannelSetup(ServerContext context) {
        this.context = context;
        this.plainHttp = new PlainHttp(context);
        this.upgrade = new Upgrade(context);
    }

    /** The accepted connection: TLS, HTTP/1.1, the request clock, the dispatcher. */
    @Override
    protected void initChannel(Channel channel) {
        context.track(channel);
        ChannelPipeline pipeline = channel.pipeline();
        if (context.tls() != null) {
            context.tls().install(channel);
        }
        pipeline.addLast(
                HTTP_DECODER,
                new HttpRequestDecoder(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_REQUEST_LINE)
                        .setMaxHeaderSize(MAX_HEADERS)));
        pipeline.addLast(HTTP_ENCODER, new HttpResponseEncoder());
        pipeline.addLast(
                HTTP_AGGREGATOR,
                new HttpObjectAggregator(context.limits().capacity().maxHttpBodyBytes()));
        pipeline.addLast(
                HTTP_TIMEOUT, new RequestTimeout(context.limits().timeouts().handshakeTimeout(), context.ticker()));
        pipeline.addLast(HTTP_DISPATCHER, new HttpDispatcher(context, plainHttp, upgrade));
    }

    /**
     * Stops HTTP parsing after an upgrade request: what follows it is WebSocket frames. The decoder
     * hands the bytes it has not parsed yet to the next handler, the dispatcher, which holds them.
     */
    static void stopHttpParsing(ChannelPipeline pipeline) {
        pipeline.remove(HTTP_AGGREGATOR);
        pipeline.remove(HTTP_DECODER);
    }

    /**
     * The upgraded connection, once the 101 is written: the HTTP handlers that are left go, and the
     * WebSocket ones come in after {@code dispatcher} (which forwards the frames it held, then leaves).
     * Text is checked for UTF-8 as it arrives ({@link WireUtf8Check}), or, when compressed, once
     * inflated ({@link Utf8FrameValidator}).
     */
    static void toWebSocket(
            ChannelPipeline pipeline, String dispatcher, WebSocketConnection connection, ServerContext server) {
        Limits limits = server.limits();
        pipeline.remove(HTTP_ENCODER);
        pipeline.remove(HTTP_TIMEOUT); // the WebSocket heartbeat takes over
        PerMessageDeflate.Agreement deflate = connection.deflate();
        pipeline.addAfter(dispatcher, WS_UTF8_WIRE, new WireUtf8Check());
        pipeline.addAfter(WS_UTF8_WIRE, WS_DECODER, new StrictFrameDecoder(server.decoderConfig(deflate != null)));
        pipeline.addAfter(WS_DECODER, WS_ENCODER, SharedFrameEncoder.INSTANCE);
        String beforeCork = WS_ENCODER;
        if (deflate != null) {
            pipeline.addAfter(
                    WS_ENCODER,
                    WS_DEFLATE,
                    new DeflateCodec(deflate, limits.messages().maxMessageBytes()));
            pipeline.addAfter(WS_DEFLATE, WS_UTF8, new Utf8FrameValidator(false));
            beforeCork = WS_UTF8;
        }
        // First on the way out: every write passes the broadcast frames gathered before it, and
        // nothing passes the close frame.
        pipeline.addAfter(beforeCork, WS_CORK, connection.cork());
        pipeline.addAfter(WS_CORK, WS_CONNECTION, connection);
    }

    /** The frame decoder's settings under {@code limits}; built once per server ({@link ServerContext}). */
    static WebSocketDecoderConfig decoderConfig(Limits limits, boolean deflate) {
        return WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(limits.messages().maxFrameBytes())
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(deflate) // then DeflateCodec checks the reserved bits
                .closeOnProtocolViolation(false)
                .withUTF8Validator(false)
                .build();
    }

    /**
     * Netty's frame encoder, one for every connection: it keeps no state of its own (the server never
     * masks), so a connection need not carry a copy.
     */
    @ChannelHandler.Sharable
    private static final class SharedFrameEncoder extends WebSocket13FrameEncoder {
        static final SharedFrameEncoder INSTANCE = new SharedFrameEncoder();

        private SharedFrameEncoder() {
            super(false);
        }
    }
}
