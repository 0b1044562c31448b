/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.routing.Router;
import io.switchboard.security.Authentication;
import io.switchboard.security.Authenticator;
import io.switchboard.session.Address;
import io.switchboard.session.Event;
import io.switchboard.session.Execution;
import io.switchboard.session.MemberInfo;
import io.switchboard.session.Message;
import io.switchboard.session.Session;
import io.switchboard.session.User;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Groups and users through the engine, driven by clients over real sockets: join and leave,
 * broadcasts and events, sends to a user and to an address, members, and cleanup at disconnect.
 */
class GroupsAndUsersTest {

    /** The user is named by {@code ?user=}; without it, anonymous. */
    private static final Authenticator BY_QUERY = scope -> scope.queryParam("user")
            .map(name -> Authentication.user(User.named(name)))
            .orElse(Authentication.anonymous());

    /**
     * Does what each text says: {@code join G}, {@code leave G}, {@code broadcast G text},
     * {@code others G text}, {@code event G text}, {@code user U text}, {@code to ADDRESS text},
     * {@code members G}, {@code groups}; reports group events it receives.
     */
    private static final class Commands implements WebSocketHandler {
        private final Execution execution;

        Commands(Execution execution) {
            this.execution = execution;
        }

        @Override
        public void onText(Session session, String text) {
            String[] words = text.split(" ", 3);
            String argument = words.length > 1 ? words[1] : "";
            String rest = words.length > 2 ? words[2] : "";
            switch (words[0]) {
                case "join" ->
                    session.join(argument)
                            .thenAccept(change -> session.send("joined " + argument + " " + change.userPresenceChanged()
                                    + " " + change.userSessions()));
                case "leave" ->
                    session.leave(argument)
                            .thenAccept(change -> session.send("left " + argument + " " + change.userPresenceChanged()
                                    + " " + change.userSessions()));
                case "broadcast" -> session.hub().broadcast(argument, Message.text(rest));
                case "others" -> session.hub().broadcast(argument, Message.text(rest), session.address());
                case "event" -> session.hub().event(argument, Event.of("note", Map.of("text", rest)));
                case "user" ->
                    session.hub()
                            .sendToUser(argument, Message.text(rest))
                            .thenAccept(reached -> session.send("reached " + reached));
                case "to" ->
                    session.hub()
                            .sendTo(new Address(argument), Message.text(rest))
                            .thenAccept(open -> session.send("delivered " + open));
                case "members" ->
                    session.hub().members(argument).thenAccept(members -> session.send(describe(members)));
                case "groups" -> session.send("groups " + new TreeSet<>(session.groups()));
                default -> session.send("unknown " + text);
            }
        }

        @Override
        public void onEvent(Session session, Event event) {
            String where = Thread.currentThread().isVirtual() ? "virtual" : "event-loop";
            session.send("event " + event.type() + " " + event.body(Map.class).get("text") + " on " + where);
        }

        @Override
        public Execution execution() {
            return execution;
        }
    }

    private static String describe(List<MemberInfo> members) {
        TreeSet<String> names = new TreeSet<>();
        members.forEach(member -> names.add(member.userName().orElse("anonymous")));
        return "members " + names + " " + members.size();
    }

    private static final Router ROUTER = Router.builder()
            .websocket("/ws/virtual", () -> new Commands(Execution.VIRTUAL_THREAD))
            .websocket("/ws/loop", () -> new Commands(Execution.EVENT_LOOP))
            .websocket("/ws/address", () -> new WebSocketHandler() {
                @Override
                public io.switchboard.session.Decision onConnect(Session session) {
                    session.send(session.address().value());
                    return io.switchboard.session.Decision.accept();
                }
            })
            .build();

    private final RecordingEngine engine = new RecordingEngine();
    private TestServer server;

    /**
     * One network thread, so one loop orders everything: once a member has a broadcast, a later
     * send to a non-member arrives after anything that broadcast would have brought it.
     */
    private void start() {
        start(1);
    }

    private void start(int ioThreads) {
        server = TestServer.start(
                b -> b.router(ROUTER).authenticator(BY_QUERY).engine(engine).ioThreads(ioThreads));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestClient connect(String user) {
        return server.connect("/ws/virtual" + (user == null ? "" : "?user=" + user));
    }

    private static void command(TestClient client, String command, String expectedReply) {
        client.sendText(command);
        assertThat(client.expectText()).as(command).isEqualTo(expectedReply);
    }

    @Test
    void aBroadcastReachesEveryMemberSenderIncludedAndNoOneElse() {
        start();
        TestClient ann = connect("ann");
        TestClient bob = connect("bob");
        TestClient carl = connect("carl");
        command(ann, "join room", "joined room true 1");
        command(bob, "join room", "joined room true 1");
        command(ann, "groups", "groups [room]");

        ann.sendText("broadcast room hello all");
        assertThat(ann.expectText()).isEqualTo("hello all");
        assertThat(bob.expectText()).isEqualTo("hello all");
        command(carl, "groups", "groups []"); // had the broadcast reached carl, it would come first

        ann.sendText("others room not for ann");
        assertThat(bob.expectText()).isEqualTo("not for ann");
        command(ann, "groups", "groups [room]");

        command(bob, "leave room", "left room true 0");
        ann.sendText("broadcast room after bob left");
        assertThat(ann.expectText()).isEqualTo("after bob left");
        command(bob, "groups", "groups []");
    }

    @Test
    void anEventReachesEveryMembersHandler() {
        start();
        TestClient ann = connect("ann");
        TestClient bob = connect(null);
        TestClient carl = connect("carl");
        command(ann, "join room", "joined room true 1");
        command(bob, "join room", "joined room false 0");

        carl.sendText("event room ding");
        assertThat(ann.expectText()).isEqualTo("event note ding on virtual");
        assertThat(bob.expectText()).isEqualTo("event note ding on virtual");
        command(carl, "groups", "groups []");
    }

    @Test
    void aBroadcastFromOutsideReachesMembersOnEveryNetworkThreadInTheOrderSent() {
        start(4);
        List<TestClient> members = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TestClient member = connect("user" + i);
            command(member, "join crowd", "joined crowd true 1");
            members.add(member);
        }
        TestClient outsider = connect("outsider");
        for (int i = 0; i < 50; i++) {
            server.server().hub().broadcast("crowd", Message.text("news " + i));
        }
        for (TestClient member : members) {
            for (int i = 0; i < 50; i++) {
                assertThat(member.expectText()).isEqualTo("news " + i);
            }
        }
        outsider.expectNothing(Duration.ofMillis(200));
        command(members.get(0), "members crowd", "members " + new TreeSet<>(userNames(12)) + " 12");
    }

    private static List<String> userNames(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("user" + i);
        }
        return names;
    }

    @Test
    void aSendToAUserReachesEveryConnectionOfThatUser() {
        start();
        TestClient annPhone = connect("ann");
        TestClient annLaptop = connect("ann");
        TestClient bob = connect("bob");
        command(bob, "user ann hi ann", "reached 2");
        assertThat(annPhone.expectText()).isEqualTo("hi ann");
        assertThat(annLaptop.expectText()).isEqualTo("hi ann");
        command(bob, "user nobody hello?", "reached 0");
        command(annPhone, "user bob hi bob", "reached 1");
        assertThat(bob.expectText()).isEqualTo("hi bob");

        annLaptop.sendClose(1000, "");
        assertThat(annLaptop.expectClosed().code()).isEqualTo(1000);
        engine.nextDisconnected();
        command(bob, "user ann only one left", "reached 1");
        assertThat(annPhone.expectText()).isEqualTo("only one left");
    }

    @Test
    void aSendToAnAddressReachesThatSessionWhileItIsOpen() {
        start();
        TestClient target = server.connect("/ws/address");
        String address = target.expectText();
        TestClient sender = connect("bob");
        command(sender, "to " + address + " psst", "delivered true");
        assertThat(target.expectText()).isEqualTo("psst");

        target.sendClose(1000, "");
        assertThat(target.expectClosed().code()).isEqualTo(1000);
        assertThat(engine.nextDisconnected().value()).isEqualTo(address);
        command(sender, "to " + address + " anyone?", "delivered false");
        command(sender, "to " + server.server().nodeId() + ".999999 anyone?", "delivered false");
    }

    @Test
    void membersListsEverySessionWithItsUserAndPresenceIsCountedPerUser() {
        start();
        TestClient annPhone = connect("ann");
        TestClient annLaptop = connect("ann");
        TestClient guest = connect(null);
        command(annPhone, "join room", "joined room true 1");
        command(annLaptop, "join room", "joined room false 2");
        command(annLaptop, "join room", "joined room false 2");
        command(guest, "join room", "joined room false 0");
        command(guest, "members room", "members [ann, anonymous] 3");

        command(annPhone, "leave room", "left room false 1");
        command(annPhone, "leave room", "left room false 1");
        command(annLaptop, "leave room", "left room true 0");
        command(guest, "members room", "members [anonymous] 1");
        command(guest, "members empty", "members [] 0");
    }

    @Test
    void groupsAreLeftAutomaticallyAfterDisconnect() {
        start();
        TestClient ann = connect("ann");
        TestClient bob = connect("bob");
        command(ann, "join room", "joined room true 1");
        command(bob, "join room", "joined room true 1");
        command(bob, "join hall", "joined hall true 1");

        bob.abort();
        engine.nextDisconnected();
        command(ann, "members room", "members [ann] 1");
        command(ann, "members hall", "members [] 0");
        ann.sendText("broadcast room still here");
        assertThat(ann.expectText()).isEqualTo("still here");
        ann.sendText("event room ding");
        assertThat(ann.expectText()).isEqualTo("event note ding on virtual");
    }

    @Test
    void handlersOnTheEventLoopAndOnVirtualThreadsShareAGroup() {
        start(2);
        TestClient loop = server.connect("/ws/loop?user=loop");
        TestClient virtual = server.connect("/ws/virtual?user=virtual");
        command(loop, "join mixed", "joined mixed true 1");
        command(virtual, "join mixed", "joined mixed true 1");

        loop.sendText("broadcast mixed from the loop");
        assertThat(loop.expectText()).isEqualTo("from the loop");
        assertThat(virtual.expectText()).isEqualTo("from the loop");
        virtual.sendText("event mixed ding");
        assertThat(loop.expectText()).isEqualTo("event note ding on event-loop");
        assertThat(virtual.expectText()).isEqualTo("event note ding on virtual");
        command(virtual, "members mixed", "members [loop, virtual] 2");
    }
}
