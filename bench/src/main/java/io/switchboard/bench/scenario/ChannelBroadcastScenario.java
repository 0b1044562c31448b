/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.channel.Channel;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.client.OffsetOrder;
import io.switchboard.bench.client.Payload;
import io.switchboard.bench.client.ProtocolClient;
import io.switchboard.bench.client.ProtocolCommands;
import io.switchboard.bench.client.ProtocolScanner;
import io.switchboard.bench.client.Tally;
import io.switchboard.bench.server.ServerHandle;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * {@code channels}: the {@code broadcast} scenario through Centrifugo's client protocol. N
 * subscribers connect to {@code /connection/websocket} with a token and subscribe to one channel;
 * one publisher, also a protocol client, sends {@code publish} commands whose data carries a sequence
 * number and a send time, paced exactly as {@code broadcast}'s publisher (max rate within a window
 * of a probe subscriber, or a fixed rate). Every subscriber times every publication, counts lost and
 * duplicated ones by sequence and checks that offsets only grow.
 *
 * <p>Against the {@code loop} server (or {@code vt}, {@code baseline}) it runs the plain {@code broadcast}
 * scenario instead, with the same options, so that {@code --server both} measures the channel path and the plain
 * {@code hub.broadcast} it is compared with in one command.
 */
public final class ChannelBroadcastScenario implements Scenario {

    /** The path the protocol is served on. */
    public static final String PATH = "/connection/websocket";

    /** The servers of the plain broadcast, measured with {@code broadcast} for comparison. */
    private static final java.util.Set<String> PLAIN_SERVERS = java.util.Set.of("baseline", "loop", "vt");

    @Override
    public String name() {
        return "channels";
    }

    @Override
    public List<String> servers(String choice) {
        return switch (choice) {
            case "both" -> List.of("loop", "channels");
            case "all" -> List.of("loop", "vt", "channels");
            default -> List.of(choice.split(","));
        };
    }

    @Override
    public String reference() {
        return "loop";
    }

    @Override
    public Result run(ServerHandle server, Options options, Connector connector) throws Exception {
        if (PLAIN_SERVERS.contains(server.kind())) {
            return new BroadcastScenario().run(server, options, connector);
        }
        int subscribers = options.integer("subscribers", 1000);
        int payload = options.integer("payload", 64);
        String rate = options.string("rate", "max");
        int window = options.integer("window", 32);
        int warmup = options.integer("warmup", 3);
        int duration = options.integer("duration", 10);
        int sources = options.integer("sources", Math.max(1, subscribers / 10_000 + 1));
        String channel = options.string("channel", "bench");
        byte[] secret = ProtocolClients.secret(options);

        Tally[] tallies = new Tally[subscribers];
        OffsetOrder[] orders = new OffsetOrder[subscribers];
        ProtocolClient[] clients = new ProtocolClient[subscribers];
        LongAdder deliveries = new LongAdder();
        Recorder latency = Window.latencyRecorder();
        AtomicLong probeSeen = new AtomicLong();
        Publisher publisher = new Publisher(
                (alloc, sequence) -> ProtocolCommands.publish(
                        alloc,
                        sequence + ProtocolCommands.SUBSCRIBE_ID + 1,
                        channel,
                        Payload.json(sequence, System.nanoTime(), -1, payload)),
                window,
                probeSeen);
        List<Channel> subs =
                Clients.open(connector, server.ws(PATH), subscribers, Clients.sources(sources, 0), 200, i -> {
                    Tally tally = tallies[i] = new Tally();
                    OffsetOrder order = orders[i] = new OffsetOrder();
                    clients[i] =
                            new ProtocolClient(ProtocolCommands.token(secret, "s" + i), channel, (bytes, from, to) -> {
                                long sent = ProtocolScanner.number(bytes, from, to, Payload.AT_FIELD);
                                latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                                tally.accept(ProtocolScanner.number(bytes, from, to, Payload.SEQ_FIELD));
                                order.accept(ProtocolScanner.lastNumber(bytes, from, to, Payload.OFFSET_FIELD));
                                deliveries.increment();
                                if (i == 0) {
                                    probeSeen.set(tally.next());
                                    publisher.wake();
                                }
                            });
                    return clients[i];
                });
        ProtocolClients.startAll(subs, clients);
        long setupPushes = ProtocolClients.settle(subs, clients);
        ProtocolClient publishing =
                new ProtocolClient(ProtocolCommands.token(secret, "publisher"), null, (b, f, t) -> {});
        Channel pub = ProtocolClients.open(connector, server.ws(PATH), publishing);
        publisher.start(pub, rate);
        Window measured = Window.measure(name(), server, warmup, duration, deliveries::sum, latency);
        long published = publisher.stop();
        Result result = new Result(name(), server.kind())
                .put("subscribers", subscribers)
                .put("channel", channel)
                .put("payload", payload)
                .put("rate", rate)
                .put("window", window)
                .put("published", published)
                .put("setup_pushes", setupPushes);
        accountFor(result, subs, tallies, orders, published);
        long[] publisherCounts = awaitReplies(pub, publishing, published);
        result.put("publish_acknowledged", publisherCounts[0]).put("publish_errors", publisherCounts[1]);
        pub.close();
        Clients.closeAll(subs);
        return measured.into(result, "deliveries");
    }

    /** Waits (up to 15 s) for a reply to every publish command; returns [acknowledged, errors]. */
    static long[] awaitReplies(Channel pub, ProtocolClient publishing, long published) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            long[] counts = pub.eventLoop()
                    .submit(() -> new long[] {publishing.acknowledged(), publishing.errors()})
                    .get(15, TimeUnit.SECONDS);
            if (counts[0] + counts[1] >= published || !pub.isActive() || System.nanoTime() > deadline) {
                return counts;
            }
            Thread.sleep(10); // replies are still in flight; check again shortly
        }
    }

    /** Waits for the stragglers, then puts every subscriber's losses, repeats and offset order into the result. */
    private static void accountFor(
            Result result, List<Channel> subs, Tally[] tallies, OffsetOrder[] orders, long published) throws Exception {
        long lost = 0;
        long duplicated = 0;
        long backwards = 0;
        for (int i = 0; i < subs.size(); i++) {
            Tally tally = BroadcastScenario.awaitTally(subs.get(i), tallies[i], published);
            lost += tally.lostOf(published);
            duplicated += tally.duplicated();
            OffsetOrder order = orders[i];
            backwards += subs.get(i).eventLoop().submit(order::backwards).get(15, TimeUnit.SECONDS);
        }
        result.put("lost", lost).put("duplicated", duplicated).put("offsets_backwards", backwards);
    }
}
