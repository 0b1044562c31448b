/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.conformance;

import static io.switchboard.conformance.Conformance.compressible;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.switchboard.testkit.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate against another implementation: Netty's own client compression, which offers
 * {@code client_max_window_bits} and takes the server's {@code server_no_context_takeover}.
 */
class NettyDeflateClientTest {

    @Test
    void nettysCompressingClientNegotiatesAndRoundTripsMessages() throws Exception {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (TestServer server = Conformance.echoServer()) {
            URI uri = server.ws(Conformance.ECHO);
            Channel channel = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpClientCodec())
                                    .addLast(new ExtensionsHeader(received))
                                    .addLast(new HttpObjectAggregator(1 << 16))
                                    .addLast(new WebSocketClientCompressionHandler(1 << 20))
                                    .addLast(new WebSocketClientProtocolHandler(
                                            WebSocketClientHandshakerFactory.newHandshaker(
                                                    uri, WebSocketVersion.V13, null, true, new DefaultHttpHeaders())))
                                    .addLast(new Messages(received));
                        }
                    })
                    .connect(uri.getHost(), uri.getPort())
                    .sync()
                    .channel();
            assertThat(next(received)).isEqualTo("extensions: permessage-deflate; server_no_context_takeover");
            assertThat(next(received))
                    .isEqualTo(WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);

            String text = new String(compressible(30_000), StandardCharsets.UTF_8);
            for (int i = 0; i < 3; i++) {
                channel.writeAndFlush(new TextWebSocketFrame(text + i));
                assertThat(next(received)).isEqualTo("text: " + text + i);
            }
            byte[] data = compressible(40);
            channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
            assertThat(next(received)).isEqualTo("binary: " + new String(data, StandardCharsets.UTF_8));
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    private static Object next(BlockingQueue<Object> received) throws InterruptedException {
        Object next = received.poll(10, TimeUnit.SECONDS);
        assertThat(next).as("something within 10 s").isNotNull();
        return next;
    }

    /** Records the server's Sec-WebSocket-Extensions answer. */
    private static final class ExtensionsHeader extends ChannelInboundHandlerAdapter {
        private final BlockingQueue<Object> received;

        ExtensionsHeader(BlockingQueue<Object> received) {
            this.received = received;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpResponse response) {
                received.add("extensions: " + response.headers().get("Sec-WebSocket-Extensions"));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Records the handshake's end and each message, decompressed by Netty. */
    private static final class Messages extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final BlockingQueue<Object> received;

        Messages(BlockingQueue<Object> received) {
            this.received = received;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            String kind = frame instanceof TextWebSocketFrame ? "text: " : "binary: ";
            received.add(kind + new String(ByteBufUtil.getBytes(frame.content()), StandardCharsets.UTF_8));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                received.add(event);
            }
            ctx.fireUserEventTriggered(event);
        }
    }
}
