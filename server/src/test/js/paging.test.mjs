// ChatClient pages room history it has not got: the rest of a welcome too large to send whole
// (more), gaps in a live epoch's ids, and a new epoch; and it never forgets the stored epoch.
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { ChatClient, Resume } from "./lib.mjs";
import { FakeClock, FakeWebSocket, record } from "./fakes.mjs";

const message = (id, epoch = "e1") => ({ type: "message", room: "lobby", epoch, id, from: "ann", message: "m" + id, ts: 1 });
const range = (from, to, epoch = "e1") => Array.from({ length: to - from + 1 }, (_, i) => message(from + i, epoch));
const welcome = (history, { recovered = true, epoch = "e1", more = false } = {}) =>
  ({ type: "welcome", room: "lobby", user: "ann", members: ["ann"], history, recovered, epoch, more });
const page = (messages, { epoch = "e1", more = false, complete = true } = {}) =>
  ({ type: "history", room: "lobby", messages, complete, epoch, more });

describe("paging", () => {
  let clock;
  beforeEach(() => {
    FakeWebSocket.reset();
    clock = new FakeClock();
  });

  const join = () => new ChatClient({
    room: "lobby", user: "ann", origin: "ws://test:8000", WebSocket: FakeWebSocket, clock, random: () => 0, heartbeat: false,
  });
  const shown = (events) => events.map(([type, v]) => type === "message" ? (v.history ? "old " : "") + v.id : type);
  const reconnect = () => {
    FakeWebSocket.last().end(1006);
    clock.advance(500);
    FakeWebSocket.last().open();
    return FakeWebSocket.last();
  };

  it("pages the rest of a cut welcome, and resumes from before it until paging is done", () => {
    const chat = join();
    const events = record(chat, ["message", "missed"]);
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome(range(8, 10), { more: true }));
    assert.deepEqual(ws.sentJson(), [{ type: "history", since: 0, epoch: "e1" }]);
    assert.deepEqual(chat.resume.params(), { since: "0", epoch: "e1" }, "1-7 not paged yet");
    ws.receiveJson(page(range(3, 5), { more: true, complete: false })); // 1-2 no longer kept
    assert.deepEqual(ws.sentJson().at(-1), { type: "history", since: 5, epoch: "e1" });
    assert.deepEqual(chat.resume.params(), { since: "5", epoch: "e1" });
    ws.receiveJson(message(11)); // live, while paging
    ws.receiveJson(page(range(6, 11)));
    assert.deepEqual(shown(events), ["8", "9", "10", "old 3", "old 4", "old 5", "11", "old 6", "old 7"]);
    assert.equal(ws.sent.length, 2, "done: no more pages asked for");
    assert.deepEqual(chat.resume.params(), { since: "11", epoch: "e1" });
  });

  it("asks again after a reconnect that cut paging short, from where it stopped", () => {
    const chat = join();
    const events = record(chat, ["message"]);
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome(range(8, 10), { more: true }));
    FakeWebSocket.last().receiveJson(page(range(1, 3), { more: true }));
    const again = reconnect();
    assert.match(again.url, /since=3&epoch=e1$/);
    again.receiveJson(welcome(range(9, 12), { more: true, recovered: false }));
    assert.deepEqual(again.sentJson(), [{ type: "history", since: 3, epoch: "e1" }]);
    again.receiveJson(page(range(4, 12)));
    assert.deepEqual(shown(events), ["8", "9", "10", "old 1", "old 2", "old 3", "11", "12", "old 4", "old 5", "old 6", "old 7"]);
  });

  it("takes a page from another epoch than asked as the room's new epoch, answered from 0", () => {
    const chat = join();
    const events = record(chat, ["message", "missed"]);
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome(range(8, 10), { more: true }));
    ws.receiveJson(page(range(1, 2, "e2"), { epoch: "e2", more: true, complete: false })); // Redis began again
    assert.deepEqual(shown(events), ["8", "9", "10", "missed", "old 1", "old 2"]);
    assert.deepEqual(events[3][1], { epochChanged: true });
    assert.deepEqual(ws.sentJson().at(-1), { type: "history", since: 2, epoch: "e2" });
    ws.receiveJson(page(range(3, 3, "e2"), { epoch: "e2" }));
    assert.deepEqual(chat.resume.params(), { since: "3", epoch: "e2" });
    ws.receiveJson(page(range(1, 2))); // not asked for
    assert.equal(events.length, 7);
  });

  it("confirms the room's epoch with a page asked for an outage epoch", () => {
    const chat = join();
    const events = record(chat, ["message", "missed"]);
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome(range(1, 2)));
    ws.receiveJson(message(1, "outage"));
    assert.deepEqual(ws.sentJson(), [{ type: "history", since: 1, epoch: "outage" }]);
    ws.receiveJson(page(range(1, 3), { complete: false })); // the server keeps e1, and 3 was sent meanwhile
    assert.deepEqual(shown(events), ["1", "2", "missed", "1", "old 3"]);
    assert.deepEqual(chat.resume.params(), { since: "3", epoch: "e1" });
  });

  it("stops at an empty page that says more (a server that could not fit one message)", () => {
    const chat = join();
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome([], { more: true }));
    ws.receiveJson(page([], { more: true }));
    ws.receiveJson(page([], { more: true }));
    assert.deepEqual(ws.sentJson(), [{ type: "history", since: 0, epoch: "e1" }], "asked once, not forever");
    assert.deepEqual(chat.resume.params(), { since: "0", epoch: "e1" });
  });

  it("asks again with the next live message when the history was unavailable, and does not call it an error", () => {
    const chat = join();
    const events = record(chat, ["error", "message"]);
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome(range(5, 6), { more: true }));
    const unavailable = { type: "error", code: "unavailable", detail: "try again later", request: "history" };
    ws.receiveJson(unavailable);
    ws.receiveJson(page(range(1, 4))); // late: no longer waited for
    assert.deepEqual(chat.resume.params(), { since: "0", epoch: "e1" });
    assert.equal(ws.sent.length, 1);
    ws.receiveJson(message(7));
    assert.deepEqual(ws.sentJson().at(-1), { type: "history", since: 0, epoch: "e1" });
    ws.receiveJson(page(range(1, 7)));
    assert.deepEqual(shown(events), ["5", "6", "7", "old 1", "old 2", "old 3", "old 4"]);
    ws.receiveJson({ type: "error", code: "unavailable", detail: "a direct message was not kept" });
    assert.deepEqual(events.at(-1), ["error", { type: "error", code: "unavailable", detail: "a direct message was not kept" }]);
  });

  it("asks again a few seconds after the history was unavailable, when no live message comes", () => {
    join();
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome(range(5, 6), { more: true }));
    ws.receiveJson({ type: "error", code: "unavailable", detail: "later", request: "history" });
    clock.advance(1999);
    assert.equal(ws.sent.length, 1);
    clock.advance(3001);
    assert.deepEqual(ws.sentJson(), [{ type: "history", since: 0, epoch: "e1" }, { type: "history", since: 0, epoch: "e1" }]);
    clock.advance(60_000);
    assert.equal(ws.sent.length, 2, "asked once more, then waits for the answer");
  });

  it("asks again after the next welcome when the history was unavailable", () => {
    join();
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome(range(5, 6), { more: true }));
    FakeWebSocket.last().receiveJson({ type: "error", code: "unavailable", detail: "later", request: "history" });
    const again = reconnect();
    again.receiveJson(welcome([], { more: true, recovered: false }));
    assert.deepEqual(again.sentJson(), [{ type: "history", since: 0, epoch: "e1" }]);
  });

  it("notices a gap in live ids, says which, fetches it, and resumes from below it until filled", () => {
    const chat = join();
    const events = record(chat, ["message", "missed"]);
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome(range(1, 3)));
    ws.receiveJson(message(4));
    ws.receiveJson(message(7)); // this node's pub/sub dropped 5 and 6
    assert.deepEqual(events.slice(-2), [["missed", { epochChanged: false, gap: [5, 6] }], ["message", message(7)]]);
    assert.deepEqual(ws.sentJson(), [{ type: "history", since: 4, epoch: "e1" }]);
    assert.deepEqual(chat.resume.params(), { since: "4", epoch: "e1" }, "a resume now would ask for 5 and 6 again");
    ws.receiveJson(message(8));
    ws.receiveJson(page(range(5, 8)));
    assert.deepEqual(shown(events), ["1", "2", "3", "4", "missed", "7", "8", "old 5", "old 6"]);
    assert.deepEqual(chat.resume.params(), { since: "8", epoch: "e1" });
  });

  it("resumes from below a gap that was not filled before the connection dropped", () => {
    const chat = join();
    const events = record(chat, ["message"]);
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome(range(1, 2)));
    FakeWebSocket.last().receiveJson(message(5));
    const again = reconnect();
    assert.match(again.url, /since=2&epoch=e1$/);
    again.receiveJson(welcome(range(3, 6)));
    assert.deepEqual(shown(events), ["1", "2", "5", "3", "4", "6"]);
    assert.match(reconnect().url, /since=6&epoch=e1$/);
  });

  it("takes a gap the history no longer keeps as given up, not asked for forever", () => {
    const chat = join();
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome(range(1, 2)));
    ws.receiveJson(message(9));
    ws.receiveJson(page([message(9)], { complete: false })); // 3-8 trimmed since
    assert.deepEqual(chat.resume.params(), { since: "9", epoch: "e1" });
  });

  it("asks for a second gap once the first page is answered", () => {
    const chat = join();
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome(range(1, 2)));
    ws.receiveJson(message(4));
    ws.receiveJson(message(6));
    assert.equal(ws.sent.length, 1, "one page at a time");
    ws.receiveJson(page([message(3)], { more: true }));
    assert.deepEqual(ws.sentJson(), [{ type: "history", since: 2, epoch: "e1" }, { type: "history", since: 4, epoch: "e1" }]);
    ws.receiveJson(page(range(5, 6)));
    assert.deepEqual(chat.resume.params(), { since: "6", epoch: "e1" });
    assert.equal(ws.sent.length, 2);
  });
});

describe("the stored epoch", () => {
  it("is never forgotten, however many outage epochs come and go", () => {
    const resume = new Resume();
    resume.welcome(welcome(range(1, 3)));
    for (const outage of ["o1", "o2", "o3", "o4", "o5"]) resume.message(message(1, outage));
    assert.deepEqual(resume.params(), { since: "3", epoch: "e1" }, "outage epochs are not stored: resume in e1");
    const back = resume.welcome(welcome(range(1, 4), { recovered: false })); // asked with e1, answered all kept
    assert.deepEqual(back.messages.map((m) => m.id), [4], "1-3 not delivered twice");
  });

  it("forgets other epochs oldest first", () => {
    const resume = new Resume();
    resume.welcome(welcome(range(1, 2)));
    for (const outage of ["o1", "o2", "o3", "o4"]) resume.message(message(1, outage));
    assert.equal(resume.accept(message(1, "o4")), false, "the newest outage epoch is remembered");
    assert.equal(resume.accept(message(1, "o1")), true, "the oldest was forgotten");
  });

  it("remembers every id of a large history, not a window of a thousand", () => {
    const resume = new Resume();
    resume.welcome(welcome(range(4001, 5000), { more: true }));
    const older = resume.page(page(range(1, 4000)), { epoch: "e1", since: 0 });
    assert.equal(older.messages.length, 4000);
    const again = resume.welcome(welcome(range(1, 5000), { recovered: false, epoch: "e1" }));
    assert.deepEqual(again.messages, []);
    assert.deepEqual(resume.params(), { since: "5000", epoch: "e1" });
  });
});

describe("a resume cut short by the welcome's size", () => {
  let clock;
  beforeEach(() => {
    FakeWebSocket.reset();
    clock = new FakeClock();
  });

  const resumeCut = () => {
    const chat = new ChatClient({
      room: "lobby", user: "ann", origin: "ws://test:8000", WebSocket: FakeWebSocket, clock, random: () => 0, heartbeat: false,
    });
    const events = record(chat, ["missed", "message"]);
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome(range(1, 2)));
    FakeWebSocket.last().end(1006);
    clock.advance(500);
    FakeWebSocket.last().open();
    FakeWebSocket.last().receiveJson(welcome(range(9, 10), { recovered: false, more: true }));
    return events;
  };
  const types = (events) => events.map(([type, v]) => type === "missed" ? "missed" : v.id);

  it("is not missed when its pages recover everything", () => {
    const events = resumeCut();
    FakeWebSocket.last().receiveJson(page(range(3, 10)));
    assert.deepEqual(types(events), [1, 2, 9, 10, 3, 4, 5, 6, 7, 8]);
  });

  it("is missed when its first page is not complete", () => {
    const events = resumeCut();
    FakeWebSocket.last().receiveJson(page(range(6, 10), { complete: false }));
    assert.deepEqual(types(events), [1, 2, 9, 10, "missed", 6, 7, 8]);
  });
});

describe("a page asked for while paging", () => {
  it("waits for the end of the paging, not just the next page", () => {
    FakeWebSocket.reset();
    const chat = new ChatClient({
      room: "lobby", user: "ann", origin: "ws://test:8000", WebSocket: FakeWebSocket, clock: new FakeClock(), heartbeat: false,
    });
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receiveJson(welcome(range(5, 6), { more: true }));
    ws.receiveJson(message(1, "e2")); // a new epoch, seen live while e1 is paged
    ws.receiveJson(page(range(1, 2), { more: true }));
    ws.receiveJson(page(range(3, 6)));
    assert.deepEqual(ws.sentJson(), [
      { type: "history", since: 0, epoch: "e1" }, { type: "history", since: 2, epoch: "e1" },
      { type: "history", since: 1, epoch: "e2" },
    ]);
    ws.receiveJson(page([], { epoch: "e2" }));
    assert.deepEqual(chat.resume.params(), { since: "1", epoch: "e2" });
  });
});
