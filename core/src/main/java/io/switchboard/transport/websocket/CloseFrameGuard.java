/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Drops whatever is written after the close frame: an endpoint that has sent Close sends no more
 * data (RFC 6455, 5.5.1). A send from another thread can race with a close and reach the loop just
 * after it; the loop orders every write, so this is the check that cannot be raced.
 */
public final class CloseFrameGuard extends ChannelOutboundHandlerAdapter {

    private boolean closeWritten;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (closeWritten) {
            ReferenceCountUtil.release(msg);
            if (!promise.isVoid()) {
                promise.tryFailure(new IllegalStateException("written after the close frame"));
            }
            return;
        }
        closeWritten = msg instanceof CloseWebSocketFrame;
        ctx.write(msg, promise);
    }
}
