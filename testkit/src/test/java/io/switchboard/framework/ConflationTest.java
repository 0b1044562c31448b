package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.routing.WebSocketOptions;
import io.switchboard.session.Handlers;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.settings.Limits;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.Recorder;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Latest-value conflation on real sockets: one client reads, one does not, while ten keys get
 * thousands of values each. The reader gets every value in order; the other keeps its connection,
 * the server holding at most one value per key for it, and once it reads it gets the newest value of
 * each key with the count of those it missed.
 */
class ConflationTest {

    private static final int KEYS = 10;
    private static final int ROUNDS = 3000;
    /** A value of about a kilobyte: 30 MB in all, far more than the kernel's buffers hold. */
    private static final String PADDING = "p".repeat(1000);

    private static final Pattern VALUE = Pattern.compile("k(\\d+) (\\d+) p+(?: skipped=(\\d+))?");

    private final Recorder<Session> opened = new Recorder<>("opened");

    private Router router() {
        WebSocketOptions tagged =
                WebSocketOptions.DEFAULTS.withConflatedText((text, skipped) -> text + " skipped=" + skipped);
        return Router.builder()
                .websocket(
                        "/ws/ticker",
                        Handlers.of(ws -> ws.onOpen(session -> {
                            session.join("ticker");
                            opened.record(session);
                        })),
                        tagged)
                .build();
    }

    private TestServer serve(Limits limits) {
        return TestServer.start(b -> b.router(router()).limits(limits));
    }

    private static Limits limits() {
        return Limits.defaults()
                .withBuffers(b -> b.withOutboundBufferBytes(64 * 1024))
                .withTimeouts(t -> t.withPingInterval(Duration.ofMinutes(10))); // the non-reader never answers
    }

    @Test
    void aReaderGetsEveryValueAndABackedUpClientTheNewestOfEachKeyWithTheCountItMissed() {
        try (TestServer server = serve(limits());
                RawClient slow = server.raw();
                TestClient fast = server.connect("/ws/ticker")) {
            Session fastSession = opened.next(Recorder.DEFAULT_TIMEOUT);
            assertThat(slow.upgrade("/ws/ticker").status()).isEqualTo(101);
            Session slowSession = opened.next(Recorder.DEFAULT_TIMEOUT);

            for (int round = 0; round < ROUNDS; round++) {
                for (int key = 0; key < KEYS; key++) {
                    server.server().hub().broadcastLatest("ticker", "k" + key, Message.text(value(key, round)));
                }
                for (int key = 0; key < KEYS; key++) { // paced by the reader: it never backs up
                    assertThat(fast.expectText()).isEqualTo(value(key, round));
                }
            }
            assertThat(fastSession.conflated()).isZero();
            assertThat(slowSession.conflated())
                    .as("the non-reader was backed up")
                    .isPositive();
            assertThat(slowSession.isOpen())
                    .as("within the key cap: not closed")
                    .isTrue();

            Map<Integer, Integer> newest = new HashMap<>();
            int received = 0;
            int rendered = 0;
            long skipped = 0;
            while (newest.size() < KEYS || newest.values().stream().anyMatch(round -> round < ROUNDS - 1)) {
                RawClient.Frame frame = slow.readFrame();
                assertThat(frame.opcode()).isEqualTo(RawClient.TEXT);
                Matcher value = VALUE.matcher(frame.text());
                assertThat(value.matches()).as(frame.text()).isTrue();
                int key = Integer.parseInt(value.group(1));
                int round = Integer.parseInt(value.group(2));
                Integer before = newest.put(key, round);
                assertThat(round).as("key %d never goes back", key).isGreaterThan(before == null ? -1 : before);
                if (value.group(3) != null) {
                    rendered++;
                    skipped += Integer.parseInt(value.group(3));
                    assertThat(Integer.parseInt(value.group(3))).isEqualTo(round - (before == null ? -1 : before) - 1);
                }
                received++;
            }
            assertThat(rendered).as("at most one held value per key").isBetween(1, KEYS);
            assertThat(skipped).isEqualTo(slowSession.conflated());
            assertThat(received + slowSession.conflated())
                    .as("every value reached the client or was replaced by a newer one")
                    .isEqualTo((long) KEYS * ROUNDS);
            fast.assertNoUnreadEvents();
        }
    }

    private static String value(int key, int round) {
        return "k" + key + " " + round + " " + PADDING;
    }
}
