/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.examples;

import io.switchboard.http.HttpResponse;
import io.switchboard.routing.Router;
import io.switchboard.session.Decision;
import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code ws://HOST:PORT/ws/clock} pushes {@code {"time":"YYYY.MM.DD HH:MM:SS"}} (server local time)
 * every second until the client closes. A plain GET on the same path returns a page whose script
 * opens the socket and shows the time: one route, served both ways.
 *
 * <p>One ticker for the whole server: on every whole second it broadcasts to the group of clock
 * watchers, so the time is written as JSON once however many are watching.
 */
public final class ClockExample {

    static final String GROUP = "clock";
    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy.MM.dd HH:mm:ss");

    private ClockExample() {}

    static final class ClockHandler implements WebSocketHandler {
        @Override
        public Decision onConnect(Session session) {
            session.join(GROUP);
            return Decision.accept();
        }

        @Override
        public void onText(Session session, String text) {
            // Watchers only listen; anything they say is ignored.
        }
    }

    static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Clock</title>
            <style>body{font:2.5rem system-ui,sans-serif;text-align:center;margin-top:20vh}</style></head>
            <body>
            <div id="time">connecting...</div>
            <script>
              const socket = new WebSocket(location.href.replace(/^http/, "ws"));
              const time = document.getElementById("time");
              socket.onmessage = event => { time.textContent = JSON.parse(event.data).time; };
              socket.onclose = () => { time.textContent = "disconnected"; };
            </script>
            </body>
            </html>
            """;

    public static Router router() {
        return Router.builder()
                .route("/ws/clock", request -> HttpResponse.html(PAGE), ClockHandler::new)
                .build();
    }

    /** Starts the once-a-second broadcast; stop it by shutting the returned scheduler down. */
    public static ScheduledExecutorService startTicker(Hub hub, Clock clock) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("clock-ticker").factory());
        startTicker(hub, clock, ticker);
        return ticker;
    }

    /**
     * Ticks on {@code scheduler} until it shuts down: at once, then on each of the clock's whole
     * seconds. Each tick schedules the next one, so a tick that runs late (a slow start, a long
     * pause) is followed by one tick on the next second, never by a burst of catch-up ticks as a
     * fixed-rate schedule would fire.
     */
    static void startTicker(Hub hub, Clock clock, ScheduledExecutorService scheduler) {
        scheduler.execute(new Tick(hub, clock, scheduler));
    }

    private record Tick(Hub hub, Clock clock, ScheduledExecutorService scheduler) implements Runnable {
        @Override
        public void run() {
            Instant now = clock.instant(); // one reading: the time shown and the next second agree
            try {
                String time = LocalDateTime.ofInstant(now, clock.getZone()).format(FORMAT);
                hub.broadcast(GROUP, Message.json(Map.of("time", time)));
            } finally {
                try {
                    scheduler.schedule(this, 1000 - Math.floorMod(now.toEpochMilli(), 1000), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopped) {
                    // The scheduler was shut down: that is how the ticks end.
                }
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Examples.run("clock", args);
    }
}
