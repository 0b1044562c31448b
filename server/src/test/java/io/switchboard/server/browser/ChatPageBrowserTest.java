/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.json.Json;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.server.chat.Names;
import io.switchboard.testkit.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chat page and switchboard.js in a real headless Chromium against the real server: people
 * chatting in a room, direct messages, presence, a server restart and a silently dropped
 * connection, and HTML that must stay text. Screenshots land in {@code target/screenshots}.
 */
class ChatPageBrowserTest {

    private static Browser browser;
    private ChatServer server;

    @RegisterExtension
    final AfterTestExecutionCallback screenshotsOnFailure = context -> {
        if (context.getExecutionException().isPresent() && browser != null) {
            browser.screenshotAll("FAILED-" + context.getRequiredTestMethod().getName());
        }
    };

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void startServer() {
        server = ChatServer.start();
    }

    @AfterEach
    void stopServer() {
        try {
            browser.reset();
        } finally {
            server.close();
        }
    }

    private ChatPage open(String name) {
        return browser.open(name, server.url());
    }

    /**
     * More direct messages wait for someone away than one page holds (100 of 4,000 characters):
     * switchboard.js asks for the next page when told {@code more_directs}, and every one shows, in
     * order.
     */
    @Test
    void manyKeptDirectMessagesArriveInPages() {
        try (RawClient sender = RawClient.connect("127.0.0.1", server.port())) {
            assertThat(sender.upgrade("/ws/chat/lobby?user=ann").status()).isEqualTo(101);
            sender.readFrame(); // the welcome
            for (int i = 0; i < 100; i++) {
                sender.sendText(Json.write(Map.of("message", i + ":" + "x".repeat(4000), "to_user", "cid")));
                sender.readFrame(); // ann's copy
                sender.readFrame(); // queued
            }
        }
        ChatPage cid = open("cid").join("cid", "lobby");
        cid.await("all 100 kept messages", () -> cid.directMessages().size() == 100);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("from ann: " + i + ":" + "x".repeat(4000));
        }
        assertThat(cid.directMessages()).isEqualTo(expected);
        assertThat(cid.banner()).isNull();
    }

    /**
     * The page checks names and the message length by the rules the server states (a longest
     * message other than the default here), not by a copy of them of its own.
     */
    @Test
    void thePageChecksWhatTheServerSaysItRefuses() {
        server.close();
        server = ChatServer.start(new ChatSettings(100, 100, 280));
        ChatPage ann = open("ann");
        ann.await("the message box takes the server's longest message", () -> Long.valueOf(280)
                .equals(ann.script("return document.getElementById('text').maxLength")));
        for (String input : List.of("user", "room")) {
            assertThat(ann.script("return document.getElementById(arguments[0]).pattern", input))
                    .isEqualTo(Names.PATTERN);
            assertThat(ann.script("return document.getElementById(arguments[0]).maxLength", input))
                    .isEqualTo((long) Names.MAX_LENGTH);
        }
        assertThat(ann.script("return document.getElementById('name-rule').textContent"))
                .isEqualTo(Names.RULE);
        String check = "const input = document.getElementById('user'); input.value = arguments[0];"
                + " return input.checkValidity()";
        assertThat(ann.script(check, "ann.b-2_")).isEqualTo(true);
        assertThat(ann.script(check, "no spaces")).isEqualTo(false);
        assertThat(ann.script(check, "x".repeat(Names.MAX_LENGTH + 1))).isEqualTo(false);
    }

    @Test
    void twoPagesChatInARoomAndANewcomerGetsTheHistory() {
        ChatPage ann = open("ann").join("ann", "lobby");
        ann.say("hello, anyone?");
        ann.await("her own message", () -> ann.roomMessages().equals(List.of("ann: hello, anyone?")));

        ChatPage bob = open("bob").join("bob", "lobby");
        bob.await("the history", () -> bob.roomMessages().equals(List.of("ann: hello, anyone?")));
        ann.await("bob in the member list", () -> ann.members().equals(List.of("ann", "bob")));
        bob.say("hi ann");
        ann.say("hi bob!");
        List<String> conversation = List.of("ann: hello, anyone?", "bob: hi ann", "ann: hi bob!");
        for (ChatPage page : List.of(ann, bob)) {
            page.await("the whole conversation", () -> page.roomMessages().equals(conversation));
            assertThat(page.roomMessageIds()).containsExactly("1", "2", "3");
            assertThat(page.banner()).isNull();
        }
        browser.screenshotAll("chat");

        bob.resize(390, 844);
        bob.await("a phone-sized layout", () -> ((Number) bob.script("return window.innerWidth")).intValue() <= 400);
        assertThat(bob.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("nothing wider than a phone's screen")
                .isEqualTo(true);
        assertThat(bob.script("const r = document.getElementById('text').getBoundingClientRect();"
                        + " return r.bottom <= window.innerHeight && r.width > 200"))
                .as("the message box is on screen and usable")
                .isEqualTo(true);
        bob.screenshot("chat-phone");
    }

    /**
     * Long unbroken text (a message, a name of 64 letters in the direct message target) may not make
     * the message column grow with it: on a phone that widened the whole page.
     */
    @Test
    void longUnbrokenTextDoesNotWidenAPhonesPage() {
        String longName = "W".repeat(64);
        ChatPage ann = open("ann").join(longName, "lobby");
        ChatPage bob = open("bob").join("bob", "lobby"); // a window of its own, closed after the test
        bob.resize(390, 844);
        bob.await("a phone-sized layout", () -> ((Number) bob.script("return window.innerWidth")).intValue() <= 400);
        String unbroken = "W".repeat(500);
        ann.say(unbroken);
        bob.await("the long message", () -> bob.roomMessages().equals(List.of(longName + ": " + unbroken)));
        assertThat(pageWidth(bob)).as("the page's width after a long message").isEqualTo(bob.script(VIEWPORT));
        bob.clickMember(longName);
        bob.say(unbroken);
        bob.await("the long direct message", () -> bob.directMessages()
                .equals(List.of("to " + longName + ": " + unbroken)));
        assertThat(pageWidth(bob))
                .as("the page's width with a long name as the target")
                .isEqualTo(bob.script(VIEWPORT));
        bob.screenshot("long-text-phone");
    }

    private static final String VIEWPORT = "return window.innerWidth + ' of ' + window.innerWidth";

    private static Object pageWidth(ChatPage page) {
        return page.script("return document.documentElement.scrollWidth + ' of ' + window.innerWidth");
    }

    @Test
    void aDirectMessageReachesOnlyItsRecipientAndAQueuedOneIsMarked() {
        ChatPage ann = open("ann").join("ann", "lobby");
        ChatPage bob = open("bob").join("bob", "lobby");
        ChatPage cid = open("cid").join("cid", "lobby");
        ann.await("everyone", () -> ann.members().equals(List.of("ann", "bob", "cid")));

        ann.clickMember("bob");
        ann.say("psst, bob");
        bob.await("the direct message", () -> bob.directMessages().equals(List.of("from ann: psst, bob")));
        ann.await("her copy", () -> ann.directMessages().equals(List.of("to bob: psst, bob")));
        ann.clickMember("bob"); // back to the room
        ann.say("hello room");
        cid.await("the room message", () -> cid.roomMessages().equals(List.of("ann: hello room")));
        assertThat(cid.directMessages()).isEmpty();
        bob.await("the room message", () -> bob.roomMessages().equals(List.of("ann: hello room")));
        assertThat(bob.roomMessages()).doesNotContain("ann: psst, bob");

        ann.clickMember("cid");
        cid.leave();
        ann.await("cid gone", () -> ann.members().equals(List.of("ann", "bob")));
        ann.say("see this when you are back");
        ann.await("the message marked queued", () -> ann.directMessages()
                .contains("to cid: see this when you are back [queued]"));
        ann.screenshot("direct-queued-ann");
        cid.reload(server.url());
        cid.join("cid", "lobby");
        cid.await(
                "the kept message", () -> cid.directMessages().equals(List.of("from ann: see this when you are back")));
        assertThat(bob.directMessages()).containsExactly("from ann: psst, bob");
    }

    @Test
    void theMemberListFollowsJoinsLeavesAndRoomSwitches() {
        ChatPage ann = open("ann").join("ann", "lobby");
        ChatPage bob = open("bob").join("bob", "lobby");
        ann.await("bob joining", () -> ann.members().equals(List.of("ann", "bob")));
        assertThat(bob.members()).containsExactly("ann", "bob");

        bob.join("bob", "kitchen");
        ann.await("bob leaving for another room", () -> ann.members().equals(List.of("ann")));
        bob.await("only himself in the kitchen", () -> bob.members().equals(List.of("bob")));
        bob.say("anyone in the kitchen?");
        bob.await("his message", () -> bob.roomMessages().equals(List.of("bob: anyone in the kitchen?")));

        bob.join("bob", "lobby");
        ann.await("bob back", () -> ann.members().equals(List.of("ann", "bob")));
        bob.await(
                "no kitchen talk in the lobby",
                () -> bob.roomMessages().isEmpty() && bob.members().equals(List.of("ann", "bob")));
        bob.leave();
        ann.await("bob gone", () -> ann.members().equals(List.of("ann")));
        bob.back(); // the page comes back from the back/forward cache and connects again
        bob.awaitStatus("open");
        ann.await("bob back from the cache", () -> ann.members().equals(List.of("ann", "bob")));
        bob.leave();
        ann.await("bob gone again", () -> ann.members().equals(List.of("ann")));
        assertThat(ann.systemLines())
                .containsSubsequence("bob joined", "bob left", "bob joined", "bob left", "bob joined", "bob left");
        ann.screenshot("members");
    }

    @Test
    void pagesComeBackAfterServerRestartsShowingEveryMessageOnce() {
        ChatPage ann = open("ann").join("ann", "lobby");
        ChatPage bob = open("bob").join("bob", "lobby");
        List<String> expected = new ArrayList<>();
        say(ann, "before the restarts", expected, ann, bob);
        say(bob, "me too", expected, ann, bob);

        // A restart that keeps the history, as a node of a cluster comes back: a plain resume.
        server.stop();
        for (ChatPage page : List.of(ann, bob)) {
            page.awaitStatus("reconnecting");
            page.await(
                    "the reconnecting banner",
                    () -> page.banner() != null && page.banner().contains("Reconnecting"));
        }
        ann.say("typed while the server was away");
        ann.await(
                "the message waiting", () -> ann.pendingMessages().equals(List.of("typed while the server was away")));
        browser.screenshotAll("restart-reconnecting");
        server.startAgain(true);
        expected.add("ann: typed while the server was away");
        for (ChatPage page : List.of(ann, bob)) {
            page.awaitStatus("open");
            page.await("the message sent on reconnecting", () -> page.roomMessages()
                    .equals(expected));
            assertThat(page.pendingMessages()).isEmpty();
            assertThat(page.banner()).isNull();
            assertThat(page.notice()).as("nothing was missed").isNull();
        }
        say(bob, "after the first restart", expected, ann, bob);

        // A restart that loses the in-memory history: a new epoch, ids start again at 1.
        server.stop();
        bob.awaitStatus("reconnecting");
        server.startAgain(false);
        for (ChatPage page : List.of(ann, bob)) {
            page.awaitStatus("open");
            page.await(
                    "the restart noticed",
                    () -> page.notice() != null && page.notice().contains("restarted"));
        }
        say(ann, "after the second restart", expected, ann, bob);
        say(bob, "still here", expected, ann, bob);
        for (ChatPage page : List.of(ann, bob)) {
            assertThat(page.roomMessageIds()).containsExactly("1", "2", "3", "4", "1", "2");
            assertThat(page.members()).containsExactly("ann", "bob");
        }
        browser.screenshotAll("restart-after");
    }

    @Test
    void aSilentlyDroppedConnectionIsNoticedAndWhatWasMissedIsRecovered() throws Exception {
        try (FreezingProxy proxy = new FreezingProxy(server.port())) {
            ChatPage ann = browser.open(
                    "ann", "http://127.0.0.1:" + proxy.port() + "/", "{heartbeat: {interval: 1000, timeout: 1000}}");
            ann.join("ann", "lobby");
            ChatPage bob = open("bob").join("bob", "lobby");
            List<String> expected = new ArrayList<>();
            say(bob, "can you hear me?", expected, ann, bob);

            ann.script("window.drops = [];"
                    + " window.switchboardChat.on('disconnect', ({code}) => window.drops.push(code))");
            proxy.freezeOpenConnections();
            bob.say("said while ann's network was gone");
            expected.add("bob: said while ann's network was gone");
            bob.await("his message", () -> bob.roomMessages().equals(expected));
            // Without the heartbeat the browser would think the frozen connection open for minutes.
            ann.await("the heartbeat to give up on the silent connection", () -> List.of(4000L)
                    .equals(ann.script("return window.drops")));
            ann.awaitStatus("open");
            ann.await("the missed message, recovered once", () -> ann.roomMessages()
                    .equals(expected));
            assertThat(ann.notice()).isNull();
            say(ann, "back again", expected, ann, bob);
            ann.screenshot("heartbeat-recovered");
        }
    }

    @Test
    void htmlInAMessageIsShownAsText() {
        ChatPage ann = open("ann").join("ann", "lobby");
        ChatPage bob = open("bob").join("bob", "lobby");
        String attack = "<script>window.owned = 1</script><img src=x onerror=\"window.owned = 2\"><b>bold</b>";
        ann.say(attack);
        for (ChatPage page : List.of(ann, bob)) {
            page.await("the message as typed", () -> page.roomMessages().equals(List.of("ann: " + attack)));
            assertThat(page.script("return document.querySelectorAll('#messages script, #messages img, #messages b')"
                            + ".length"))
                    .isEqualTo(0L);
            assertThat(page.script("return window.owned === undefined")).isEqualTo(true);
        }
        ann.clickMember("bob");
        ann.say("<i>direct</i> & <u>too</u>");
        bob.await("the direct message as typed", () -> bob.directMessages()
                .equals(List.of("from ann: <i>direct</i> & <u>too</u>")));
        assertThat(bob.script("return document.querySelectorAll('#messages i, #messages u').length"))
                .isEqualTo(0L);
        bob.screenshot("html-as-text");
    }

    /** {@code from} says {@code text}; waits until every page shows exactly {@code expected} plus it. */
    private static void say(ChatPage from, String text, List<String> expected, ChatPage... pages) {
        from.say(text);
        expected.add(from.name() + ": " + text);
        for (ChatPage page : pages) {
            page.await("\"" + text + "\" after everything before it, each once", () -> page.roomMessages()
                    .equals(expected));
        }
    }
}
