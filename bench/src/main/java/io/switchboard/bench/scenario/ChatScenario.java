/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.bench.client.ClientFrames;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.client.Payload;
import io.switchboard.bench.server.ServerHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * {@code chat}: the built-in chat server with R rooms of M members (each member its own user). At a
 * fixed total rate, random members send room messages, and a share of the messages are direct
 * messages to a random member of the same room. Every delivered chat message is timed from the stamp
 * in its text; deliveries per second and per server CPU-second compare with the plain broadcast at
 * the same fan-out.
 */
public final class ChatScenario implements Scenario {

    private static final byte[] MESSAGE_FIELD = "\"message\":\"".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return "chat";
    }

    @Override
    public List<String> servers(String choice) {
        return List.of("chat");
    }

    @Override
    public Result run(ServerHandle server, Options options, Connector connector) throws Exception {
        int rooms = options.integer("rooms", 10);
        int members = options.integer("members", 100);
        int rate = options.integer("rate", 2000);
        int directPercent = options.integer("direct-percent", 10);
        int payload = options.integer("payload", 64);
        int warmup = options.integer("warmup", 3);
        int duration = options.integer("duration", 10);
        int total = rooms * members;
        LongAdder deliveries = new LongAdder();
        LongAdder direct = new LongAdder();
        Recorder latency = Window.latencyRecorder();

        List<java.util.concurrent.CompletableFuture<Channel>> opening = new java.util.ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            for (int m = 0; m < members; m++) {
                opening.add(connector.connect(
                        server.ws("/ws/chat/r" + r + "?user=u" + r + "_" + m),
                        null,
                        (ctx, opcode, buf, index, length) -> {
                            long[] stamp = stamp(buf, index, length);
                            if (stamp != null) {
                                latency.recordValue(Math.max(1, (System.nanoTime() - stamp[1]) / 1000));
                                deliveries.increment();
                                if (length > 9 && buf.getByte(index + 9) == 'd') { // {"type":"direct"
                                    direct.increment();
                                }
                            }
                        }));
            }
        }
        List<Channel> clients = new java.util.ArrayList<>();
        for (var future : opening) {
            clients.add(future.get(60, TimeUnit.SECONDS));
        }
        AtomicLong sequence = new AtomicLong();
        List<Channel> all = clients;
        long start = System.nanoTime();
        long[] sent = {0};
        ScheduledFuture<?> sender = all.get(0)
                .eventLoop()
                .scheduleAtFixedRate(
                        () -> {
                            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                            ThreadLocalRandom random = ThreadLocalRandom.current();
                            while (sent[0] < due) {
                                int who = random.nextInt(total);
                                String text = Payload.text(sequence.getAndIncrement(), System.nanoTime(), payload);
                                String json = random.nextInt(100) < directPercent
                                        ? "{\"message\":\"" + text + "\",\"to_user\":\"u" + (who / members) + "_"
                                                + random.nextInt(members) + "\"}"
                                        : "{\"message\":\"" + text + "\"}";
                                Channel channel = all.get(who);
                                channel.writeAndFlush(ClientFrames.frame(
                                        channel.alloc(), ClientFrames.TEXT, json.getBytes(StandardCharsets.UTF_8)));
                                sent[0]++;
                            }
                        },
                        0,
                        1,
                        TimeUnit.MILLISECONDS);
        Window measured = Window.measure("chat", server, warmup, duration, deliveries::sum, latency);
        sender.cancel(false);
        Clients.closeAll(all);
        Result result = new Result(name(), server.kind())
                .put("rooms", rooms)
                .put("members", members)
                .put("rate", rate)
                .put("direct_percent", directPercent)
                .put("direct_deliveries", direct.sum());
        return measured.into(result, "deliveries");
    }

    /** The seq and send time stamped in a chat message's text, or null for other messages. */
    private static long[] stamp(ByteBuf frame, int index, int length) {
        int at = indexOf(frame, index, index + length, MESSAGE_FIELD);
        if (at < 0) {
            return null;
        }
        int from = at + MESSAGE_FIELD.length;
        int end = frame.indexOf(from, index + length, (byte) '"');
        if (end < 0) {
            return null;
        }
        return Payload.parseText(frame.toString(from, end - from, StandardCharsets.US_ASCII));
    }

    private static int indexOf(ByteBuf buf, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
