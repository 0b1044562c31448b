/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.bench.client.ClientFrames;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.server.ServerHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One chat room's members, spread round-robin over the nodes, counting the room messages and the
 * join notices they receive. Each member is a user of its own.
 */
final class Room {

    private static final byte[] MESSAGE = "{\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JOIN = "{\"type\":\"join\"".getBytes(StandardCharsets.US_ASCII);

    private final Connector connector;
    private final List<ServerHandle> nodes;
    private final String name;
    private final List<Channel> members = new ArrayList<>();
    private final LongAdder messages = new LongAdder();
    private final LongAdder joins = new LongAdder();

    Room(Connector connector, List<ServerHandle> nodes, String name) {
        this.connector = connector;
        this.nodes = List.copyOf(nodes);
        this.name = name;
    }

    /** Connects {@code count} more members, user names starting with {@code prefix}; waits until all are open. */
    List<Channel> join(int count, String prefix, boolean counting) throws Exception {
        List<CompletableFuture<Channel>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ServerHandle node = nodes.get(i % nodes.size());
            opening.add(connector.connect(
                    node.ws("/ws/chat/" + name + "?user=" + prefix + i),
                    null,
                    counting ? this::onFrame : (c, o, b, x, l) -> {}));
        }
        List<Channel> opened = new ArrayList<>();
        for (CompletableFuture<Channel> future : opening) {
            opened.add(future.get(60, TimeUnit.SECONDS));
        }
        if (counting) {
            members.addAll(opened);
        }
        return opened;
    }

    private void onFrame(io.netty.channel.ChannelHandlerContext ctx, int opcode, ByteBuf frame, int index, int length) {
        if (startsWith(frame, index, length, MESSAGE)) {
            messages.increment();
        } else if (startsWith(frame, index, length, JOIN)) {
            joins.increment();
        }
    }

    private static boolean startsWith(ByteBuf frame, int index, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (frame.getByte(index + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Sends a room message from member {@code from} (modulo the members counted). */
    void send(int from, String text) {
        Channel channel = members.get(from % members.size());
        byte[] json = ("{\"message\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
        channel.writeAndFlush(ClientFrames.frame(channel.alloc(), ClientFrames.TEXT, json));
    }

    int size() {
        return members.size();
    }

    long messages() {
        return messages.sum();
    }

    long joins() {
        return joins.sum();
    }

    List<Channel> members() {
        return List.copyOf(members);
    }
}
