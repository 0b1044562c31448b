/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.switchboard.session.CloseStatus;
import java.nio.charset.StandardCharsets;

/**
 * Netty's frame decoder, made exact about close frames: a code that may not be sent (1004-1006,
 * 1015, 1016-2999, 5000 and up) is a protocol error (1002) and a reason that is not UTF-8 is
 * invalid payload (1007). Netty's own check accepts codes above 32767 and, having seen the close,
 * answers a bad one with no close frame at all. Every violation is thrown, never answered here:
 * {@code WebSocketConnection} sends the close frame.
 */
public final class StrictFrameDecoder extends WebSocket13FrameDecoder {

    public StrictFrameDecoder(WebSocketDecoderConfig config) {
        super(config);
    }

    @Override
    protected void checkCloseFrameBody(ChannelHandlerContext ctx, ByteBuf buffer) {
        if (buffer == null || !buffer.isReadable()) {
            return;
        }
        if (buffer.readableBytes() < 2) {
            throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, "close frame of one byte");
        }
        int code = buffer.getUnsignedShort(buffer.readerIndex());
        if (!CloseStatus.isSendable(code)) {
            throw new CorruptedWebSocketFrameException(
                    WebSocketCloseStatus.PROTOCOL_ERROR, "close code " + code + " is not allowed");
        }
        if (buffer.readableBytes() > 2) {
            if (!ByteBufUtil.isText(
                    buffer, buffer.readerIndex() + 2, buffer.readableBytes() - 2, StandardCharsets.UTF_8)) {
                throw new CorruptedWebSocketFrameException(
                        WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "close reason is not UTF-8");
            }
        }
    }
}
