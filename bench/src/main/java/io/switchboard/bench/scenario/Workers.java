/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.scenario;

import io.netty.channel.Channel;
import io.switchboard.bench.client.ClientFrames;
import io.switchboard.bench.client.Connector;
import io.switchboard.bench.client.Payload;
import io.switchboard.bench.client.Tally;
import io.switchboard.bench.server.ServerHandle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Generator processes beyond this one, for scenarios that need more connections than one process
 * can hold (about 20,000 open files here): each worker opens its share of the connections from its
 * own source addresses and answers the driver over its standard input and output, one line each:
 * {@code COUNT} (deliveries so far), {@code BEGIN} (start a latency window), {@code END} (the
 * window's histogram), {@code STOP n} (wait for message n-1, then report losses and exit).
 */
public final class Workers implements AutoCloseable {

    private final List<Worker> workers;

    private Workers(List<Worker> workers) {
        this.workers = workers;
    }

    /**
     * Starts {@code count} workers, worker i opening {@code perWorker} connections to {@code target} as
     * {@code mode} ({@code hold} or {@code subscribe}) from source addresses after {@code sourceOffset + i * sources}.
     */
    public static Workers start(String mode, URI target, int count, int perWorker, int sources, int sourceOffset)
            throws IOException {
        List<Worker> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(ServerHandle.jvmFlags());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.switchboard.bench.BenchMain"));
            command.addAll(List.of(
                    "worker",
                    mode,
                    target.toString(),
                    String.valueOf(perWorker),
                    String.valueOf(sources),
                    String.valueOf(sourceOffset + i * sources)));
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            started.add(new Worker(process));
        }
        Workers workers = new Workers(started);
        for (Worker worker : started) {
            worker.expect("READY");
        }
        return workers;
    }

    /** Deliveries counted by every worker so far. */
    public long count() {
        long total = 0;
        for (Worker worker : workers) {
            total += Long.parseLong(worker.ask("COUNT"));
        }
        return total;
    }

    /** Starts a latency window in every worker. */
    public void begin() {
        workers.forEach(worker -> worker.ask("BEGIN"));
    }

    /** Adds every worker's latencies since {@link #begin()} to {@code into}. */
    public void end(Histogram into) {
        for (Worker worker : workers) {
            byte[] encoded = Base64.getDecoder().decode(worker.ask("END"));
            try {
                into.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0));
            } catch (DataFormatException e) {
                throw new IllegalStateException("a worker sent a broken histogram", e);
            }
        }
    }

    /** Tells every worker that {@code published} messages were sent; returns [lost, duplicated] summed. */
    public long[] stop(long published) {
        long[] totals = new long[2];
        for (Worker worker : workers) {
            String[] parts = worker.ask("STOP " + published).split(" ");
            totals[0] += Long.parseLong(parts[0]);
            totals[1] += Long.parseLong(parts[1]);
        }
        return totals;
    }

    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.process.destroy();
            try {
                worker.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker.process.destroyForcibly();
        }
    }

    private static final class Worker {
        final Process process;
        final PrintWriter in;
        final BufferedReader out;

        Worker(Process process) {
            this.process = process;
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        void expect(String word) throws IOException {
            String line = out.readLine();
            if (line == null || !line.startsWith(word)) {
                throw new IOException("a bench worker said '" + line + "' instead of " + word);
            }
        }

        String ask(String command) {
            in.println(command);
            try {
                String line = out.readLine();
                if (line == null) {
                    throw new IllegalStateException("a bench worker ended while asked " + command);
                }
                return line;
            } catch (IOException e) {
                throw new IllegalStateException("a bench worker failed: " + e.getMessage(), e);
            }
        }
    }

    /** The worker's side: {@code worker MODE TARGET COUNT SOURCES OFFSET}. */
    public static void serve(String[] args) throws Exception {
        String mode = args[1];
        URI target = URI.create(args[2]);
        int count = Integer.parseInt(args[3]);
        int sources = Integer.parseInt(args[4]);
        int offset = Integer.parseInt(args[5]);
        LongAdder deliveries = new LongAdder();
        Recorder latency = Window.latencyRecorder();
        Tally[] tallies = new Tally[count];
        try (Connector connector = new Connector(1)) {
            List<Channel> channels =
                    Clients.open(connector, target, count, Clients.sources(sources, offset), 200, i -> {
                        if (!mode.equals("subscribe")) {
                            return (ctx, opcode, buf, index, length) -> {};
                        }
                        tallies[i] = new Tally();
                        Tally tally = tallies[i];
                        return (ClientFrames.Listener) (ctx, opcode, buf, index, length) -> {
                            latency.recordValue(Math.max(1, (System.nanoTime() - Payload.sentAt(buf, index)) / 1000));
                            tally.accept(Payload.sequence(buf, index));
                            deliveries.increment();
                        };
                    });
            System.out.println("READY");
            System.out.flush();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                if (line.equals("COUNT")) {
                    System.out.println(deliveries.sum());
                } else if (line.equals("BEGIN")) {
                    latency.getIntervalHistogram();
                    System.out.println("OK");
                } else if (line.equals("END")) {
                    Histogram window = latency.getIntervalHistogram();
                    ByteBuffer buffer = ByteBuffer.allocate(window.getNeededByteBufferCapacity());
                    int length = window.encodeIntoCompressedByteBuffer(buffer);
                    System.out.println(
                            Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
                } else if (line.startsWith("STOP")) {
                    long published = Long.parseLong(line.substring(5).trim());
                    long lost = 0;
                    long duplicated = 0;
                    for (int i = 0; i < count && mode.equals("subscribe"); i++) {
                        Tally tally = BroadcastScenario.awaitTally(channels.get(i), tallies[i], published);
                        lost += tally.lostOf(published);
                        duplicated += tally.duplicated();
                    }
                    System.out.println(lost + " " + duplicated);
                    System.out.flush();
                    Clients.closeAll(channels);
                    return;
                }
                System.out.flush();
            }
            Clients.closeAll(channels);
        }
    }
}
