/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every command a Redis server runs, as {@code MONITOR} shows it: each one's arguments, and whether
 * a script ran it (the commands a script runs follow the script's own line, since a script is atomic).
 */
final class RedisMonitor implements AutoCloseable {

    /** One command: its arguments, and whether a Lua script ran it. */
    record Command(boolean fromScript, List<byte[]> args) {

        String name() {
            return Keys.text(args.get(0)).toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public String toString() {
            return (fromScript ? "lua " : "") + args.stream().map(Keys::text).toList();
        }
    }

    private final Socket socket;
    private final List<Command> seen = new ArrayList<>();
    private final Thread reader;

    /** Starts monitoring the Redis at {@code port} on this host. */
    RedisMonitor(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        BufferedReader in =
                new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        if (!"+OK".equals(in.readLine())) {
            throw new IllegalStateException("Redis refused MONITOR");
        }
        reader = Thread.ofPlatform().daemon().name("redis-monitor").start(() -> read(in));
    }

    private void read(BufferedReader in) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Command command = parse(line);
                synchronized (seen) {
                    seen.add(command);
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** The commands seen so far, in the order Redis ran them. */
    List<Command> commands() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** {@code +TIME [DB SOURCE] "arg" "arg" ...}; arguments are quoted with backslash escapes. */
    static Command parse(String line) {
        int close = line.indexOf(']');
        boolean lua = line.substring(0, close).endsWith(" lua");
        List<byte[]> args = new ArrayList<>();
        ByteArrayOutputStream arg = new ByteArrayOutputStream();
        boolean quoted = false;
        for (int i = close + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted) {
                    args.add(arg.toByteArray());
                    arg.reset();
                }
                quoted = !quoted;
            } else if (quoted && c == '\\') {
                i = unescape(line, i + 1, arg);
            } else if (quoted) {
                arg.write(c);
            }
        }
        return new Command(lua, List.copyOf(args));
    }

    /** Writes the escaped byte at {@code at} (after a backslash); returns the index of its last character. */
    private static int unescape(String line, int at, ByteArrayOutputStream out) {
        char c = line.charAt(at);
        switch (c) {
            case 'x' -> {
                out.write(Integer.parseInt(line.substring(at + 1, at + 3), 16));
                return at + 2;
            }
            case 'n' -> out.write('\n');
            case 'r' -> out.write('\r');
            case 't' -> out.write('\t');
            case 'a' -> out.write(7);
            case 'b' -> out.write('\b');
            default -> out.write(c);
        }
        return at;
    }

    @Override
    public void close() {
        try {
            socket.close();
            reader.join(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
