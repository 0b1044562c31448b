/**
 * Test helpers for users of Switchboard: an in-process server, clients, a communicator, engine and
 * history contract suites, a hand-moved clock and scheduler.
 */
module io.switchboard.testkit {
    requires transitive io.switchboard;
    requires transitive java.net.http;
    requires transitive org.junit.jupiter.api;

    exports io.switchboard.testkit;
}
