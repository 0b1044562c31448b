/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import io.switchboard.bench.scenario.Options;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./switchboard soak [options]}: the real server on a small heap, healthy clients beside
 * hostile ones; prints the figures and exits 0 when every invariant held, 1 when one broke, 2 on a
 * bad option.
 */
public final class SoakMain {

    private static final String USAGE = """
            usage: ./switchboard soak [options]
              --duration D          how long the attack lasts: 120s, 2m (120s)
              --calm D              healthy traffic alone before and after the attack (5s)
              --heap SIZE           the server's -Xmx (256m)
              --heap-margin MIB     how far the heap after the attack may stay above the start (32)
              --attacks A,B         which attacks (all): %s
              --poison-rooms N      rooms the history poisoner fills in all (150)
              --poison-dms N        direct messages to absent users in all (4000)
              --healthz-timeout D   longest wait for one /healthz answer (3s)
              --jar FILE            the server jar (server/target/switchboard.jar)
              --server-classpath    run the server from this JVM's class path, not the jar (tests)
              --server-args S       more serve options, e.g. "--history-size 50"
              --log FILE            the server's output (bench/results/soak-server.log)
            """.formatted(String.join(",", Soak.ATTACKS));

    private SoakMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("help"))) {
            System.out.print(USAGE);
            return;
        }
        SoakSettings settings;
        try {
            settings = settings(new Options(args, 0));
        } catch (IllegalArgumentException e) {
            System.err.print("soak: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        // a server short of memory may never answer a JMX call: give up rather than hang
        System.setProperty("sun.rmi.transport.tcp.responseTimeout", "20000");
        SoakReport report = new Soak(settings).run();
        report.print(System.out);
        System.exit(report.failures().isEmpty() ? 0 : 1);
    }

    static SoakSettings settings(Options options) {
        SoakSettings defaults = SoakSettings.defaults();
        int duration = seconds(options.string("duration", "120s"), "--duration");
        int calm = seconds(options.string("calm", "5s"), "--calm");
        String heap = options.string("heap", defaults.heap());
        int margin = options.integer("heap-margin", defaults.heapMarginMiB());
        Set<String> attacks = new LinkedHashSet<>(Arrays.asList(
                options.string("attacks", String.join(",", Soak.ATTACKS)).split(",")));
        int rooms = options.integer("poison-rooms", defaults.poisonRooms());
        int directs = options.integer("poison-dms", defaults.poisonDirects());
        Path jar = options.flag("server-classpath")
                ? null
                : Path.of(options.string("jar", defaults.jar().toString()));
        String serverArgs = options.string("server-args", "");
        Path log = Path.of(options.string("log", defaults.log().toString()));
        int healthz = seconds(options.string("healthz-timeout", "3s"), "--healthz-timeout");
        options.checkAllRead();
        if (jar != null && !jar.toFile().isFile()) {
            throw new IllegalArgumentException("no server jar at " + jar + " (./switchboard build makes it)");
        }
        return new SoakSettings(
                duration,
                calm,
                heap,
                margin,
                jar,
                serverArgs.isBlank() ? List.of() : List.of(serverArgs.trim().split("\\s+")),
                log,
                attacks,
                defaults.chatRooms(),
                defaults.chatMembers(),
                defaults.chatRate(),
                defaults.busyRate(),
                defaults.busyLength(),
                defaults.echoClients(),
                defaults.echoRate(),
                rooms,
                directs,
                healthz);
    }

    /** {@code 90}, {@code 90s} or {@code 2m} in seconds. */
    static int seconds(String value, String option) {
        try {
            if (value.endsWith("m")) {
                return Integer.parseInt(value.substring(0, value.length() - 1)) * 60;
            }
            return Integer.parseInt(value.endsWith("s") ? value.substring(0, value.length() - 1) : value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    option + " must be seconds (90, 90s) or minutes (2m), not '" + value + "'");
        }
    }
}
