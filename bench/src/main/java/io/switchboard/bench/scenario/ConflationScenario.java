/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.channel.Channel;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.client.NewestPerKey;
import io.switchboard.bench.client.OffsetOrder;
import io.switchboard.bench.client.Payload;
import io.switchboard.bench.client.ProtocolScanner;
import io.switchboard.bench.client.Tally;
import io.switchboard.bench.server.ServerHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code conflation}: latest-value conflation under load. N fast subscribers and M slow ones
 * subscribe to a channel of a namespace that conflates by the data's key {@code "k"}; then the slow
 * ones stop reading (their TCP receive window fills, then the server's send buffer, then its
 * outbound queue) while a publisher sends numbered values of K keys at a fixed high rate for a
 * bounded time. Reported: that every fast subscriber received every publication in order; the
 * server's heap after full collections (and its resident memory) before publishing, at S even steps
 * of the run and at the end (with the slow ones still not reading), which levels off when what the
 * server holds for a slow subscriber is bounded; and, once the slow ones read again, what they got: how many publications, whether
 * each key's newest value arrived, order within a key, the conflation counts the server sent, and
 * whether what each received plus what it was told was conflated is everything published.
 * On the {@code channels} server (the default) the stream is a channel of Centrifugo's protocol; on
 * {@code loop} or {@code vt}, the framework's {@code hub.broadcastLatest} alone (see {@link LatestStream}).
 */
public final class ConflationScenario implements Scenario {

    private static final byte[] CONFLATED_FIELD = ProtocolScanner.field("conflated");

    @Override
    public String name() {
        return "conflation";
    }

    @Override
    public List<String> servers(String choice) {
        return switch (choice) {
            case "both", "all" -> List.of("channels");
            default -> List.of(choice.split(","));
        };
    }

    @Override
    public Result run(ServerHandle server, Options options, Connector connector) throws Exception {
        int fast = options.integer("fast", 10);
        int slow = options.integer("slow", 20);
        int keys = options.integer("keys", 100);
        String rate = options.string("rate", "10000");
        int duration = options.integer("duration", 20);
        int samples = Math.max(1, options.integer("samples", 4));
        int payload = options.integer("payload", 64);
        LatestStream stream = new LatestStream(server, options);

        Tally[] tallies = new Tally[fast];
        OffsetOrder[] orders = new OffsetOrder[fast];
        NewestPerKey[] slowSeen = new NewestPerKey[slow];
        LongAdder fastDeliveries = new LongAdder();
        Recorder latency = Window.latencyRecorder();
        List<Channel> fastChannels = stream.subscribe(connector, fast, "f", i -> {
            Tally tally = tallies[i] = new Tally();
            OffsetOrder order = orders[i] = new OffsetOrder();
            return (b, f, t) -> {
                latency.recordValue(
                        Math.max(1, (System.nanoTime() - ProtocolScanner.number(b, f, t, Payload.AT_FIELD)) / 1000));
                tally.accept(ProtocolScanner.number(b, f, t, Payload.SEQ_FIELD));
                order.accept(ProtocolScanner.lastNumber(b, f, t, Payload.OFFSET_FIELD));
                fastDeliveries.increment();
            };
        });
        List<Channel> slowChannels = stream.subscribe(connector, slow, "s", i -> {
            NewestPerKey seen = slowSeen[i] = new NewestPerKey(keys);
            return (b, f, t) -> seen.accept(
                    (int) ProtocolScanner.number(b, f, t, Payload.KEY_FIELD),
                    ProtocolScanner.number(b, f, t, Payload.SEQ_FIELD),
                    ProtocolScanner.number(b, f, t, CONFLATED_FIELD));
        });
        Channel pub = stream.publisher(connector);
        setReading(slowChannels, false);
        Map<String, Long> heapStart = server.stats(true);

        Publisher publisher = new Publisher(
                (alloc, sequence) -> stream.publish(
                        alloc, sequence, Payload.json(sequence, System.nanoTime(), (int) (sequence % keys), payload)),
                Integer.MAX_VALUE,
                new java.util.concurrent.atomic.AtomicLong());
        long started = System.nanoTime();
        publisher.start(pub, rate);
        Sampled sampled = sample(server, duration, samples, fastDeliveries, latency, heapStart);
        long published = publisher.stop();
        double seconds = (System.nanoTime() - started) / 1e9;

        Result result = new Result(name(), server.kind())
                .put("channel", stream.name())
                .put("fast", fast)
                .put("slow", slow)
                .put("keys", keys)
                .put("rate", rate)
                .put("payload", payload)
                .put("published", published)
                .put("published_per_s", Math.round(published / seconds))
                .put("server_cpu_s", Math.round(sampled.cpuNanos() / 1e6) / 1e3);
        fastOutcome(result, fastChannels, tallies, orders, published);
        Map<String, Long> end = server.stats(true); // the slow ones still hold what the server kept for them
        sampled.heap().add(end.get("heapUsed"));
        sampled.rss().add(end.get("rss"));
        result.put("heap_after_gc", sampled.heap()).put("rss", sampled.rss());
        setReading(slowChannels, true);
        slowOutcome(result, slowChannels, slowSeen, published);
        result.put("heap_after_gc_once_read", server.stats(true).get("heapUsed"));
        result.latency(sampled.latencies());
        pub.close();
        Clients.closeAll(fastChannels);
        Clients.closeAll(slowChannels);
        return result;
    }

    /** The measured parts of a run together: server CPU, the fast ones' latencies, heap after GC and RSS at each step. */
    private record Sampled(long cpuNanos, Histogram latencies, List<Long> heap, List<Long> rss) {}

    /** Measures {@code duration} seconds in {@code samples} parts, reading the server's heap after GC between them. */
    private Sampled sample(
            ServerHandle server,
            int duration,
            int samples,
            LongAdder counter,
            Recorder latency,
            Map<String, Long> start)
            throws InterruptedException {
        Sampled sampled = new Sampled(
                0,
                new Histogram(3),
                new ArrayList<>(List.of(start.get("heapUsed"))),
                new ArrayList<>(List.of(start.get("rss"))));
        long cpuNanos = 0;
        for (int sample = 1; sample <= samples; sample++) {
            int length = duration * sample / samples - duration * (sample - 1) / samples;
            Window part = Window.measure(name(), server, 0, length, counter::sum, latency);
            cpuNanos += part.serverCpuNanos();
            sampled.latencies().add(part.latencyMicros());
            if (sample < samples) {
                Map<String, Long> stats = server.stats(true);
                sampled.heap().add(stats.get("heapUsed"));
                sampled.rss().add(stats.get("rss"));
            }
        }
        return new Sampled(cpuNanos, sampled.latencies(), sampled.heap(), sampled.rss());
    }

    /** Stops or resumes reading on each channel, on its own event loop. */
    private static void setReading(List<Channel> channels, boolean read) throws Exception {
        for (Channel channel : channels) {
            channel.eventLoop().submit(() -> channel.config().setAutoRead(read)).get(15, TimeUnit.SECONDS);
        }
    }

    /** Waits for the fast subscribers' stragglers; they must have every publication, once, in order. */
    private static void fastOutcome(
            Result result, List<Channel> channels, Tally[] tallies, OffsetOrder[] orders, long published)
            throws Exception {
        long received = 0;
        long lost = 0;
        long duplicated = 0;
        long backwards = 0;
        for (int i = 0; i < channels.size(); i++) {
            Tally tally = BroadcastScenario.awaitTally(channels.get(i), tallies[i], published);
            received += tally.received();
            lost += tally.lostOf(published);
            duplicated += tally.duplicated();
            backwards +=
                    channels.get(i).eventLoop().submit(orders[i]::backwards).get(15, TimeUnit.SECONDS);
        }
        result.put("fast_received", received)
                .put("fast_lost", lost)
                .put("fast_duplicated", duplicated)
                .put("fast_offsets_backwards", backwards);
    }

    /**
     * Lets the slow subscribers read until each has every key's newest value (or 30 s passed), then
     * puts what they received into the result.
     */
    private static void slowOutcome(Result result, List<Channel> channels, NewestPerKey[] seen, long published)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Long> received = new ArrayList<>();
        long missing = 0;
        long backwards = 0;
        long conflatedMessages = 0;
        long conflatedSum = 0;
        long unaccounted = 0;
        long conflatedMax = 0;
        int closed = 0;
        for (int i = 0; i < channels.size(); i++) {
            Channel channel = channels.get(i);
            NewestPerKey mine = seen[i];
            while (channel.isActive()
                    && System.nanoTime() < deadline
                    && channel.eventLoop()
                                    .submit(() -> mine.missingNewest(published))
                                    .get(15, TimeUnit.SECONDS)
                            > 0) {
                Thread.sleep(20); // still reading what the server kept for it
            }
            closed += channel.isActive() ? 0 : 1;
            long[] figures = channel.eventLoop()
                    .submit(() -> new long[] {
                        mine.received(), mine.missingNewest(published), mine.backwards(),
                        mine.conflatedMessages(), mine.conflatedSum(), mine.conflatedMax()
                    })
                    .get(15, TimeUnit.SECONDS);
            received.add(figures[0]);
            missing += figures[1];
            backwards += figures[2];
            conflatedMessages += figures[3];
            conflatedSum += figures[4];
            unaccounted += published - figures[0] - figures[4];
            conflatedMax = Math.max(conflatedMax, figures[5]);
        }
        received.sort(null);
        result.put("slow_closed", closed)
                .put("slow_unaccounted", unaccounted)
                .put("slow_received_min", received.isEmpty() ? 0 : received.get(0))
                .put("slow_received_max", received.isEmpty() ? 0 : received.get(received.size() - 1))
                .put("slow_keys_missing_newest", missing)
                .put("slow_backwards_within_key", backwards)
                .put("slow_conflated_messages", conflatedMessages)
                .put("slow_conflated_sum", conflatedSum)
                .put("slow_conflated_max", conflatedMax);
    }
}
