/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The socket implementation: native epoll where the platform has it, NIO elsewhere.
 *
 * @param name {@code epoll} or {@code nio}
 * @param ioHandlers makes the event loops' I/O handlers
 * @param serverChannel the listening socket class
 */
record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {

    /** The system property that forces a transport: {@code nio} or {@code epoll}. */
    static final String PROPERTY = "switchboard.transport";

    static Transport choose() {
        String wanted = System.getProperty(PROPERTY, "auto");
        if (!wanted.equals("nio") && Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        if (wanted.equals("epoll")) {
            throw new IllegalStateException(
                    "the epoll transport was asked for but is unavailable: " + Epoll.unavailabilityCause());
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
