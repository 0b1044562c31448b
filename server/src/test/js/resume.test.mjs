import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { ChatClient, Resume } from "./lib.mjs";
import { FakeClock, FakeWebSocket, record } from "./fakes.mjs";

const message = (id, text = "m" + id) => ({ type: "message", room: "lobby", id, from: "ann", message: text, ts: 1 });
const welcome = (history, { recovered = true, epoch = "e1", members = ["ann"] } = {}) =>
  ({ type: "welcome", room: "lobby", user: "ann", members, history, recovered, epoch });
const ids = (messages) => messages.map((m) => m.id);

describe("Resume", () => {
  it("asks for nothing before the first welcome, then for since and epoch", () => {
    const resume = new Resume();
    assert.deepEqual(resume.params(), {});
    resume.welcome(welcome([message(3), message(4)]));
    assert.deepEqual(resume.params(), { since: "4", epoch: "e1" });
    resume.accept(message(5));
    assert.deepEqual(resume.params(), { since: "5", epoch: "e1" });
  });

  it("asks from 0 when the room was empty", () => {
    const resume = new Resume();
    resume.welcome(welcome([]));
    assert.deepEqual(resume.params(), { since: "0", epoch: "e1" });
  });

  it("passes each message once, whichever way it comes", () => {
    const resume = new Resume();
    assert.deepEqual(ids(resume.welcome(welcome([message(1), message(2)])).messages), [1, 2]);
    assert.equal(resume.accept(message(3)), true);
    assert.equal(resume.accept(message(3)), false);
    // A reconnect whose history overlaps what was already shown live.
    const again = resume.welcome(welcome([message(2), message(3), message(4)]));
    assert.deepEqual(ids(again.messages), [4]);
    assert.equal(again.missed, false);
    assert.equal(again.resumed, true);
    assert.equal(resume.accept(message(4)), false);
    assert.equal(resume.accept(message(5)), true);
  });

  it("reports what could not be recovered", () => {
    const resume = new Resume();
    resume.welcome(welcome([message(1)]));
    const gap = resume.welcome(welcome([message(7), message(8)], { recovered: false }));
    assert.deepEqual(ids(gap.messages), [7, 8]);
    assert.equal(gap.missed, true);
    assert.equal(gap.epochChanged, false);
  });

  it("never calls a first join missed", () => {
    const first = new Resume().welcome(welcome([message(9)], { recovered: false }));
    assert.equal(first.missed, false);
    assert.equal(first.resumed, false);
  });

  it("starts ids over when the epoch changes, so a restarted server's messages are not taken for old ones", () => {
    const resume = new Resume();
    resume.welcome(welcome([message(1), message(2), message(3)]));
    const restarted = resume.welcome(welcome([message(1), message(2)], { epoch: "e2", recovered: false }));
    assert.deepEqual(ids(restarted.messages), [1, 2]);
    assert.equal(restarted.epochChanged, true);
    assert.equal(restarted.missed, true);
    assert.deepEqual(resume.params(), { since: "2", epoch: "e2" });
    assert.equal(resume.accept(message(3)), true);
  });

  it("calls an epoch change missed even when the server says recovered", () => {
    const resume = new Resume();
    resume.welcome(welcome([message(5)]));
    assert.equal(resume.welcome(welcome([], { epoch: "e2", recovered: true })).missed, true);
  });

  it("takes a message that arrives out of id order, and each (epoch, id) once", () => {
    const resume = new Resume();
    resume.welcome(welcome([message(1)]));
    assert.equal(resume.accept(message(3)), true);
    assert.equal(resume.accept(message(2)), true, "below the highest seen, but never delivered");
    assert.equal(resume.accept(message(2)), false);
    assert.equal(resume.accept(message(3)), false);
    assert.deepEqual(resume.params(), { since: "3", epoch: "e1" });
  });

  it("notices a new epoch on a live message at once, starts its ids over, and resumes in it once a page confirms it", () => {
    const resume = new Resume();
    resume.welcome(welcome([message(1), message(2)]));
    assert.deepEqual(resume.message({ ...message(3), epoch: "e1" }), { fresh: true, epochChanged: false, gap: null, fetch: null });
    assert.deepEqual(resume.message({ ...message(1), epoch: "e2" }),
      { fresh: true, epochChanged: true, gap: null, fetch: { epoch: "e2", since: 1 } });
    assert.deepEqual(resume.message({ ...message(1), epoch: "e2" }), { fresh: false, epochChanged: false, gap: null, fetch: null });
    // e2 may be one node's outage, which no server keeps: resume in e1 until a history page says e2 is stored.
    assert.deepEqual(resume.params(), { since: "3", epoch: "e1" });
    const page = resume.page({ type: "history", messages: [], complete: true, epoch: "e2", more: false },
      { epoch: "e2", since: 1 });
    assert.deepEqual(page, { messages: [], epochChanged: false, fetch: null });
    assert.deepEqual(resume.params(), { since: "1", epoch: "e2" });
  });

  it("delivers nothing twice when a resume goes back to an epoch seen before an outage's", () => {
    const resume = new Resume();
    resume.welcome(welcome([message(1), message(2)]));
    resume.message({ ...message(3), epoch: "e1" });
    resume.message({ ...message(1), epoch: "outage" }); // numbered by one node while Redis was down
    const back = resume.welcome(welcome([message(2), message(3), message(4)], { recovered: false }));
    assert.deepEqual(ids(back.messages), [4]);
    assert.equal(back.epochChanged, true);
    assert.equal(back.missed, true);
  });

  it("ignores what is not a room message with a numeric id", () => {
    const resume = new Resume();
    assert.equal(resume.accept({ type: "message", id: "7" }), false);
    assert.equal(resume.accept(null), false);
    assert.equal(resume.lastId, 0);
  });
});

describe("ChatClient", () => {
  let clock;
  beforeEach(() => {
    FakeWebSocket.reset();
    clock = new FakeClock();
  });

  const join = (options = {}) => new ChatClient({
    room: "lobby", user: "ann", origin: "ws://test:8000/", WebSocket: FakeWebSocket, clock, random: () => 0, ...options,
  });
  const EVENTS = ["welcome", "members", "missed", "message", "join", "leave", "direct", "queued", "error"];

  it("joins with the user, then resumes with since and epoch", () => {
    join();
    assert.equal(FakeWebSocket.last().url, "ws://test:8000/ws/chat/lobby?user=ann");
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome([message(1), message(2)], { epoch: "a1b2" }));
    FakeWebSocket.last().end(1001);
    clock.advance(500);
    assert.equal(FakeWebSocket.last().url, "ws://test:8000/ws/chat/lobby?user=ann&since=2&epoch=a1b2");
  });

  it("delivers the welcome, the members, then the history, then live messages, each once", () => {
    const chat = join();
    const events = record(chat, EVENTS);
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome([message(1)], { members: ["bob", "ann"] }));
    ws.receiveJson(message(2));
    ws.end(1006);
    clock.advance(500);
    const again = FakeWebSocket.last();
    again.open();
    again.receiveJson(message(3)); // cannot happen before a welcome, but must not break anything
    again.receiveJson(welcome([message(2), message(3), message(4)], { members: ["ann", "bob"] }));
    again.receiveJson(message(4));
    again.receiveJson(message(5));
    assert.deepEqual(events.map(([type, v]) => type === "message" ? "message " + v.id : type), [
      "welcome", "members", "message 1", "message 2",
      "message 3", "welcome", "members", "message 4", "message 5",
    ]);
    assert.deepEqual(events[0][1], {
      room: "lobby", user: "ann", members: ["ann", "bob"], recovered: true, epoch: "e1", resumed: false, epochChanged: false,
    });
    assert.equal(events[5][1].resumed, true);
  });

  it("asks for the next page of kept direct messages when told more are kept", () => {
    const chat = join();
    const events = record(chat, ["direct"]);
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome([]));
    ws.receiveJson({ type: "direct", from: "bob", to: "ann", message: "1", ts: 1 });
    ws.receiveJson({ type: "more_directs" });
    assert.deepEqual(ws.sent.map((text) => JSON.parse(text)), [{ type: "directs" }]);
    assert.equal(events.length, 1);
  });

  it("raises missed when a resume is not recovered, before the messages it did get", () => {
    const chat = join();
    const events = record(chat, ["missed", "message"]);
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome([message(1)]));
    FakeWebSocket.last().end(1012);
    clock.advance(500);
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome([message(5)], { recovered: false }));
    assert.deepEqual(events, [["message", message(1)], ["missed", { epochChanged: false }], ["message", message(5)]]);
  });

  it("shows a restarted server's messages although their ids were seen before", () => {
    const chat = join();
    const seen = [];
    const missed = [];
    chat.on("message", (m) => seen.push(m.message));
    chat.on("missed", (c) => missed.push(c));
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome([message(1, "old 1"), message(2, "old 2")]));
    FakeWebSocket.last().end(1001);
    clock.advance(500);
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome([message(1, "new 1")], { epoch: "e2", recovered: false }));
    FakeWebSocket.last().receiveJson(message(2, "new 2"));
    FakeWebSocket.last().receiveJson(message(2, "new 2"));
    assert.deepEqual(seen, ["old 1", "old 2", "new 1", "new 2"]);
    assert.deepEqual(missed, [{ epochChanged: true }]);
  });

  it("raises missed once when live messages come from a new epoch, and loses none of them", () => {
    const chat = join();
    const events = record(chat, ["missed", "message"]);
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome([message(7)]));
    FakeWebSocket.last().receiveJson({ ...message(8), epoch: "e1" });
    FakeWebSocket.last().receiveJson({ ...message(1), epoch: "e2" }); // Redis restarted empty
    FakeWebSocket.last().receiveJson({ ...message(2), epoch: "e2" });
    FakeWebSocket.last().receiveJson({ ...message(2), epoch: "e2" });
    assert.deepEqual(FakeWebSocket.last().sentJson(), [{ type: "history", since: 1, epoch: "e2" }]);
    FakeWebSocket.last().receiveJson({ type: "history", room: "lobby", messages: [{ ...message(2), epoch: "e2" }],
      complete: true, epoch: "e2", more: false });
    assert.deepEqual(events.map(([type, v]) => type === "message" ? v.epoch + ":" + v.id : type),
      ["undefined:7", "e1:8", "missed", "e2:1", "e2:2"]);
    FakeWebSocket.last().end(1001);
    clock.advance(500);
    assert.equal(FakeWebSocket.last().url, "ws://test:8000/ws/chat/lobby?user=ann&since=2&epoch=e2");
  });

  it("keeps the member list from the welcome, joins and leaves", () => {
    const chat = join();
    const lists = [];
    chat.on("members", (m) => lists.push(m));
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome([], { members: ["ann", "cid"] }));
    FakeWebSocket.last().receiveJson({ type: "join", room: "lobby", user: "bob" });
    FakeWebSocket.last().receiveJson({ type: "join", room: "lobby", user: "bob" });
    FakeWebSocket.last().receiveJson({ type: "leave", room: "lobby", user: "cid" });
    assert.deepEqual(lists, [["ann", "cid"], ["ann", "bob", "cid"], ["ann", "bob"]]); // a second join of bob changes nothing
    assert.deepEqual(chat.members, ["ann", "bob"]);
  });

  it("passes direct messages, queued notes and the server's errors through", () => {
    const chat = join();
    const events = record(chat, ["direct", "queued", "error"]);
    FakeWebSocket.last().open();
    const direct = { type: "direct", from: "bob", to: "ann", message: "psst", ts: 1 };
    FakeWebSocket.last().receiveJson(direct);
    FakeWebSocket.last().receiveJson({ type: "queued", to: "zed" });
    FakeWebSocket.last().receiveJson({ type: "error", code: "too_long", detail: "..." });
    FakeWebSocket.last().receiveJson({ type: "from-the-future" });
    assert.deepEqual(events.map(([t]) => t), ["direct", "queued", "error"]);
    assert.deepEqual(events[0][1], direct);
  });

  it("says and tells in the chat's JSON, queued while reconnecting", () => {
    const chat = join();
    assert.equal(chat.say("hello <b>all</b>"), true); // queued: still connecting
    FakeWebSocket.last().open();
    assert.equal(chat.tell("bob", "psst"), true);
    assert.deepEqual(FakeWebSocket.last().sentJson(), [{ message: "hello <b>all</b>" }, { message: "psst", to_user: "bob" }]);
    chat.close();
    assert.equal(chat.say("gone"), false);
    assert.equal(chat.state, "closed");
  });

  it("probes a quiet connection with a chat ping and takes the pong silently", () => {
    const chat = join({ heartbeat: { interval: 1000, timeout: 500 } });
    const events = record(chat, ["message", "error", "disconnect"]);
    FakeWebSocket.last().open();
    clock.advance(1000);
    assert.deepEqual(FakeWebSocket.last().sentJson(), [{ type: "ping" }]);
    FakeWebSocket.last().receive('{"type":"pong"}');
    clock.advance(1000);
    FakeWebSocket.last().receive('{"type":"pong"}');
    clock.advance(500);
    assert.deepEqual(events, []);
    assert.equal(chat.state, "open");
    clock.advance(1000); // the third probe goes unanswered
    assert.equal(chat.state, "reconnecting");
  });

  it("has a heartbeat by default, and none when told", () => {
    join();
    FakeWebSocket.last().open();
    clock.advance(20_000);
    assert.deepEqual(FakeWebSocket.last().sentJson(), [{ type: "ping" }]);
    join({ heartbeat: false });
    FakeWebSocket.last().open();
    clock.advance(120_000);
    assert.deepEqual(FakeWebSocket.last().sent, []);
  });

  it("escapes the room and user in its URL", () => {
    join({ room: "a b/c", user: "x&y" });
    assert.equal(FakeWebSocket.last().url, "ws://test:8000/ws/chat/a%20b%2Fc?user=x%26y");
  });
});
