/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the server for the whole run: asks {@code /healthz} every second (each answer must be a
 * 200 within the time limit) and reads its heap every two seconds, keeping the peak.
 */
final class Watch implements AutoCloseable {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "soak-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final URI healthz;
    private final Duration healthzTimeout;
    private final HeapProbe heap;
    private long healthzOk;
    private long healthzFailed;
    private long slowestHealthzMillis;
    private double peakHeapMiB;

    Watch(int port, Duration healthzTimeout, HeapProbe heap) {
        this.healthz = URI.create("http://127.0.0.1:" + port + "/healthz");
        this.healthzTimeout = healthzTimeout;
        this.heap = heap;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::askHealthz, 0, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::readHeap, 0, 2, TimeUnit.SECONDS);
    }

    private void askHealthz() {
        long start = System.nanoTime();
        boolean ok;
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(healthz).timeout(healthzTimeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            ok = response.statusCode() == 200;
        } catch (Exception e) {
            ok = false;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        synchronized (this) {
            if (ok) {
                healthzOk++;
            } else {
                healthzFailed++;
            }
            slowestHealthzMillis = Math.max(slowestHealthzMillis, millis);
        }
    }

    private void readHeap() {
        double used = heap.usedMiB(5000);
        synchronized (this) {
            peakHeapMiB = Math.max(peakHeapMiB, used);
        }
    }

    synchronized long healthzOk() {
        return healthzOk;
    }

    synchronized long healthzFailed() {
        return healthzFailed;
    }

    synchronized long slowestHealthzMillis() {
        return slowestHealthzMillis;
    }

    synchronized double peakHeapMiB() {
        return peakHeapMiB;
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow(); // a heap read waiting on a server that does not answer is not worth waiting for
        timer.awaitTermination(5, TimeUnit.SECONDS);
        http.close();
    }
}
