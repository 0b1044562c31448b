package io.switchboard.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * The pipeline of a new connection, which reads like the request's way through the server: TLS
 * when the server has a certificate (see {@link TlsLayer}), HTTP decoding, the clock for slow or
 * idle clients ({@link RequestTimeout}), then the dispatcher that
 * routes each request to an HTTP handler or a WebSocket upgrade. An upgrade replaces the HTTP
 * handlers with the WebSocket ones (see {@link HttpDispatcher}).
 */
final class ChannelSetup extends ChannelInitializer<Channel> {

    static final String HTTP_DECODER = "http-decoder";
    static final String HTTP_ENCODER = "http-encoder";
    static final String HTTP_AGGREGATOR = "http-aggregator";
    static final String HTTP_DISPATCHER = "http-dispatcher";
    static final String HTTP_TIMEOUT = "http-timeout";

    /** Longest request line and header block accepted; longer gets 414 or 431. */
    static final int MAX_REQUEST_LINE = 8 * 1024;

    static final int MAX_HEADERS = 16 * 1024;

    private final ServerContext context;

    ChannelSetup(ServerContext context) {
        this.context = context;
    }

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
                HTTP_TIMEOUT, new RequestTimeout(context.limits().timeouts().handshakeTimeout()));
        pipeline.addLast(HTTP_DISPATCHER, new HttpDispatcher(context));
    }
}
