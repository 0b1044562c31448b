/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.rediscost;

import java.util.Map;
import java.util.TreeMap;

/**
 * Calls per Redis command, as {@code INFO commandstats} reports them ({@code cmdstat_publish:calls=3,...}),
 * keyed by the command's upper-case name ({@code PUBLISH}, {@code CLIENT|SETNAME}). The bench's own
 * {@code CONFIG|RESETSTAT} is left out, being the measurement, not the cost; so are its own {@code INFO}
 * reads, which {@link RedisProcess} takes off as it knows how many it made (a cluster client's
 * {@code INFO}, sent with each layout refresh, stays).
 */
public record CommandStats(Map<String, Long> calls) {

    public CommandStats {
        calls = Map.copyOf(calls);
    }

    /** Parses the reply of {@code INFO commandstats}; lines of other sections are ignored. */
    public static CommandStats parse(String info) {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = line.substring("cmdstat_".length(), colon).toUpperCase(java.util.Locale.ROOT);
            if (name.equals("CONFIG|RESETSTAT")) {
                continue;
            }
            for (String field : line.substring(colon + 1).split(",")) {
                if (field.startsWith("calls=")) {
                    calls.put(name, Long.parseLong(field.substring("calls=".length())));
                }
            }
        }
        return new CommandStats(calls);
    }

    /** The calls of several servers added up, command by command. */
    public static CommandStats sum(java.util.List<CommandStats> servers) {
        Map<String, Long> calls = new TreeMap<>();
        servers.forEach(server -> server.calls().forEach((name, n) -> calls.merge(name, n, Long::sum)));
        return new CommandStats(calls);
    }

    /**
     * Whether {@code command} is a client's upkeep rather than work for a message or a join: opening
     * a connection ({@code HELLO}, {@code CLIENT|SETNAME}, {@code AUTH}, {@code READONLY}), probing it
     * ({@code PING}), or reading the cluster's layout ({@code CLUSTER|NODES}, {@code INFO}). Lettuce sends these on
     * its own schedule (a cluster's layout is refreshed every second), so they are a cost per node and
     * second, not per message, and they must not keep a window from settling.
     */
    static boolean upkeep(String command) {
        return command.startsWith("CLIENT|")
                || command.startsWith("CLUSTER|")
                || command.startsWith("COMMAND")
                || java.util.Set.of("HELLO", "PING", "AUTH", "READONLY", "SELECT", "INFO")
                        .contains(command);
    }

    /** Only the commands that are work, without the clients' {@link #upkeep}. */
    public CommandStats withoutUpkeep() {
        Map<String, Long> work = new TreeMap<>(calls);
        work.keySet().removeIf(CommandStats::upkeep);
        return new CommandStats(work);
    }

    /** These counts with {@code n} calls of {@code command} taken off; a command left with none is dropped. */
    public CommandStats less(String command, long n) {
        Map<String, Long> rest = new TreeMap<>(calls);
        rest.computeIfPresent(command, (name, calls) -> calls > n ? calls - n : null);
        return new CommandStats(rest);
    }

    /** These counts without the {@code commands} named. */
    public CommandStats without(java.util.Set<String> commands) {
        Map<String, Long> rest = new TreeMap<>(calls);
        rest.keySet().removeAll(commands);
        return new CommandStats(rest);
    }

    /** The calls of the clients' {@link #upkeep} commands, all together. */
    public long upkeepTotal() {
        return total() - withoutUpkeep().total();
    }

    /** All the calls counted. */
    public long total() {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Calls per unit of work ({@code units} messages or joins), by command, in name order. */
    public Map<String, Double> per(long units) {
        if (units <= 0) {
            throw new IllegalArgumentException("per " + units + " units: need at least one");
        }
        Map<String, Double> per = new TreeMap<>();
        calls.forEach((name, n) -> per.put(name, (double) n / units));
        return per;
    }

    /** {@link #per} as text: {@code EVALSHA 1.00, PUBLISH 1.00}, and the total. */
    public String describePer(long units) {
        StringBuilder text = new StringBuilder();
        per(units).forEach((name, n) -> text.append(String.format(java.util.Locale.ROOT, "%s %.2f, ", name, n)));
        return text.append(String.format(java.util.Locale.ROOT, "total %.2f", (double) total() / units))
                .toString();
    }
}
