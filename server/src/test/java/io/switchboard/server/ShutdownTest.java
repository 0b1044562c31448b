package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The real process: SIGTERM closes every socket with 1001 and exits 0 within the drain timeout. */
class ShutdownTest {

    private static final Pattern LISTENING = Pattern.compile("Switchboard listening on http://127\\.0\\.0\\.1:(\\d+)");

    @Test
    void sigtermDrainsAndExitsZero() throws Exception {
        Process process = start("serve", "--host", "127.0.0.1", "--port", "0", "--drain-timeout", "3s");
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            int port = awaitPort(out);
            TestClient echo = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/echo"));
            TestClient chat = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/chat/lobby?user=ann"));
            assertThat(chat.expectText()).contains("\"type\":\"welcome\"");
            echo.sendText("ping");
            assertThat(echo.expectText()).isEqualTo("ping");
            CompletableFuture<List<String>> rest =
                    CompletableFuture.supplyAsync(() -> out.lines().toList());

            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output

            assertThat(echo.expectClosed().code()).isEqualTo(1001);
            assertThat(chat.expectClosed().code()).isEqualTo(1001);
            assertThat(process.waitFor(10, TimeUnit.SECONDS))
                    .as("exited within the drain timeout")
                    .isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(rest.get(5, TimeUnit.SECONDS)).contains("Switchboard stopped");
            echo.assertNoUnreadEvents();
            chat.assertNoUnreadEvents();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aPortInUseFailsNamingTheAddress() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process process = start("serve", "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));
            try {
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).isEqualTo(1);
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(err).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static int awaitPort(BufferedReader out) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the server ended before saying where it listens");
    }

    /** This JVM's java, with this test's class path, running the product's main class. */
    private static Process start(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(false).start();
    }
}
