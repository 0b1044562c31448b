package io.switchboard.examples;

import io.switchboard.Server;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs one example by name: {@code ./switchboard example NAME [--port N] [--host H]}. Ctrl-C stops it
 * cleanly (open connections are closed with 1001).
 */
public final class Examples {

    private static final Map<String, String> DESCRIPTIONS = new TreeMap<>(Map.of(
            "echo", "ws://HOST:PORT/ws/echo echoes text and binary messages",
            "broadcast-chat", "ws://HOST:PORT/ws/chat sends every message to everyone",
            "private-chat", "ws://HOST:PORT/ws/{username} sends {\"message\",\"to_user\"} to one user",
            "clock", "ws://HOST:PORT/ws/clock pushes the time every second (open it in a browser too)",
            "countdown", "ws://HOST:PORT/ws/countdown counts to nine after your first message"));

    private Examples() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0 || args[0].equals("list") || args[0].equals("--help")) {
            System.out.println("examples:");
            DESCRIPTIONS.forEach((name, text) -> System.out.printf("  %-15s %s%n", name, text));
            System.out.println("run one with: ./switchboard example NAME [--port N] [--host H]");
            return;
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        run(args[0], rest);
    }

    /** Starts the named example with {@code --port}/{@code --host} from {@code args} and serves until stopped. */
    static void run(String name, String[] args) throws InterruptedException {
        int port = 8000;
        String host = "0.0.0.0";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--host" -> host = value(args, ++i, "--host");
                default -> fail("unknown option '" + args[i] + "'; options are --port N and --host H");
            }
        }
        Server.Builder builder = Server.builder().host(host).port(port);
        switch (name) {
            case "echo" -> builder.router(EchoExample.router());
            case "broadcast-chat" -> builder.router(BroadcastChatExample.router());
            case "private-chat" ->
                builder.router(PrivateChatExample.router()).authenticator(PrivateChatExample.USER_FROM_PATH);
            case "clock" -> builder.router(ClockExample.router());
            case "countdown" -> builder.router(CountdownExample.router());
            default -> fail("no example named '" + name + "'; try: " + String.join(", ", DESCRIPTIONS.keySet()));
        }
        Server server = builder.start();
        ScheduledExecutorService ticker =
                name.equals("clock") ? ClockExample.startTicker(server.hub(), Clock.systemDefaultZone()) : null;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (ticker != null) {
                ticker.shutdownNow();
            }
            server.close();
        }));
        System.out.println(
                "example " + name + ": " + DESCRIPTIONS.get(name).replace("HOST:PORT", host + ":" + server.port()));
        server.awaitClose();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            fail(option + " needs a value");
        }
        return args[index];
    }

    private static void fail(String message) {
        System.err.println("example: " + message);
        System.exit(2);
    }
}
