import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { CLIENT_CLOSE, Switchboard } from "./lib.mjs";
import { FakeClock, FakeWebSocket, record } from "./fakes.mjs";

const EVENTS = ["state", "connecting", "open", "reconnecting", "disconnect", "closed"];

let clock;
beforeEach(() => {
  FakeWebSocket.reset();
  clock = new FakeClock();
});

function connect(options = {}) {
  return new Switchboard("ws://test/ws", { WebSocket: FakeWebSocket, clock, random: () => 0, ...options });
}

describe("states", () => {
  it("go connecting, open, reconnecting, open, closed, each announced once", () => {
    const client = connect();
    const events = record(client, EVENTS);
    assert.equal(client.state, "connecting");
    FakeWebSocket.last().open();
    FakeWebSocket.last().end(1001, "going away");
    clock.advance(500);
    FakeWebSocket.last().open();
    client.close();
    assert.deepEqual(events, [
      // connect() ran in the constructor, before record(): its "connecting" is not here
      ["state", { state: "open", previous: "connecting" }],
      ["open", { reconnected: false, flushed: 0 }],
      ["disconnect", { code: 1001, reason: "going away", wasClean: true, willReconnect: true }],
      ["state", { state: "reconnecting", previous: "open" }],
      ["reconnecting", { attempt: 1, delay: 500, code: 1001, reason: "going away" }],
      ["state", { state: "open", previous: "reconnecting" }],
      ["open", { reconnected: true, flushed: 0 }],
      ["state", { state: "closed", previous: "open" }],
      ["closed", { code: 1000, reason: "", wasClean: true }],
    ]);
    assert.deepEqual(FakeWebSocket.last().closedWith, { code: 1000, reason: "" });
  });

  it("start closed without autoConnect, and connect() starts them", () => {
    const client = connect({ autoConnect: false });
    const events = record(client, ["state", "connecting"]);
    assert.equal(client.state, "closed");
    assert.equal(FakeWebSocket.all.length, 0);
    client.connect();
    assert.deepEqual(events, [["state", { state: "connecting", previous: "closed" }], ["connecting", undefined]]);
    assert.equal(FakeWebSocket.all.length, 1);
    client.connect(); // already connecting: nothing more
    assert.equal(FakeWebSocket.all.length, 1);
  });

  it("follow the current socket only: a late close from an old one changes nothing", () => {
    const client = connect();
    const first = FakeWebSocket.last();
    first.open();
    first.end(1006);
    clock.advance(500);
    FakeWebSocket.last().open();
    first.end(1000);
    assert.equal(client.state, "open");
  });

  it("expose the current socket's readyState, bufferedAmount and binaryType", () => {
    const client = connect({ binaryType: "arraybuffer" });
    assert.equal(FakeWebSocket.last().binaryType, "arraybuffer");
    assert.equal(client.readyState, 0);
    FakeWebSocket.last().open();
    FakeWebSocket.last().bufferedAmount = 42;
    assert.equal(client.readyState, 1);
    assert.equal(client.bufferedAmount, 42);
    client.binaryType = "blob";
    assert.equal(FakeWebSocket.last().binaryType, "blob");
    FakeWebSocket.last().end(1006);
    assert.equal(client.readyState, 3);
    clock.advance(500);
    assert.equal(FakeWebSocket.last().binaryType, "blob");
  });

  it("pass subprotocols and build the URL anew for every attempt", () => {
    let n = 0;
    new Switchboard(() => "ws://test/ws?n=" + ++n, { WebSocket: FakeWebSocket, clock, protocols: ["chat.v1"] });
    FakeWebSocket.last().end(1006);
    clock.advance(1000);
    assert.deepEqual(FakeWebSocket.all.map((ws) => ws.url), ["ws://test/ws?n=1", "ws://test/ws?n=2"]);
    assert.deepEqual(FakeWebSocket.last().protocols, ["chat.v1"]);
  });
});

describe("reconnecting", () => {
  it("backs off further with every failed attempt and starts over once a connection opens", () => {
    const client = connect();
    const delays = [];
    client.on("reconnecting", ({ delay }) => delays.push(delay));
    for (let i = 0; i < 6; i++) {
      FakeWebSocket.last().end(1006);
      clock.advance(delays.at(-1));
    }
    FakeWebSocket.last().open();
    FakeWebSocket.last().end(1012);
    assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 10000, 500]);
    assert.equal(client.attempt, 1);
  });

  it("does not try before the delay is over", () => {
    connect();
    FakeWebSocket.last().end(1006);
    clock.advance(499);
    assert.equal(FakeWebSocket.all.length, 1);
    clock.advance(1);
    assert.equal(FakeWebSocket.all.length, 2);
  });

  it("gives up after maxReconnectAttempts retries in a row", () => {
    const client = connect({ maxReconnectAttempts: 2 });
    const events = record(client, ["disconnect", "closed"]);
    for (let i = 0; i < 3; i++) {
      FakeWebSocket.last().end(1006);
      clock.advance(10_000);
    }
    assert.equal(FakeWebSocket.all.length, 3);
    assert.equal(client.state, "closed");
    assert.deepEqual(events.map(([type, c]) => [type, c.willReconnect]), [
      ["disconnect", true], ["disconnect", true], ["disconnect", false], ["closed", undefined],
    ]);
  });

  it("retries at once when connect() is called while waiting", () => {
    const client = connect({ minReconnectDelay: 5000, maxReconnectDelay: 5000 });
    FakeWebSocket.last().end(1006);
    client.connect();
    assert.equal(FakeWebSocket.all.length, 2);
    assert.deepEqual(clock.pending(), [10_000]); // only the new attempt's connect timeout
  });

  it("drops and retries a connection that does not open within connectTimeout", () => {
    const client = connect({ connectTimeout: 3000 });
    const events = record(client, ["disconnect"]);
    clock.advance(3000);
    assert.deepEqual(events, [["disconnect", { code: CLIENT_CLOSE.CONNECT_TIMEOUT, reason: "connect timeout", wasClean: false, willReconnect: true }]]);
    assert.deepEqual(FakeWebSocket.all[0].closedWith, { code: 4001, reason: "connect timeout" });
    assert.equal(client.state, "reconnecting");
    clock.advance(500);
    assert.equal(FakeWebSocket.all.length, 2);
  });

  it("stops when a listener closes the client while it is losing or opening a connection", () => {
    for (const type of ["disconnect", "state", "reconnecting"]) {
      FakeWebSocket.reset();
      const client = connect();
      FakeWebSocket.last().open();
      const off = client.on(type, () => client.close());
      const events = record(client, ["reconnecting", "closed"]);
      FakeWebSocket.last().end(1006);
      off();
      clock.advance(60_000);
      assert.equal(client.state, "closed", type);
      assert.equal(FakeWebSocket.all.length, 1, type);
      assert.deepEqual(clock.pending(), [], type);
      assert.ok(events.some(([t]) => t === "closed"), type);
    }
    FakeWebSocket.reset();
    const client = connect();
    client.send("queued");
    client.on("state", ({ state }) => state === "open" && client.close());
    const opened = record(client, ["open"]);
    FakeWebSocket.last().open();
    assert.deepEqual(opened, []);
    assert.equal(client.state, "closed");
    assert.deepEqual(clock.pending(), []);
  });

  it("stops every timer when closed while waiting", () => {
    const client = connect();
    FakeWebSocket.last().end(1006);
    client.close();
    assert.deepEqual(clock.pending(), []);
    clock.advance(60_000);
    assert.equal(FakeWebSocket.all.length, 1);
  });
});

describe("send", () => {
  it("sends at once when open", () => {
    const client = connect();
    FakeWebSocket.last().open();
    assert.equal(client.send("a"), true);
    assert.equal(client.sendJson({ b: [1, "2"] }), true);
    assert.deepEqual(FakeWebSocket.last().sent, ["a", '{"b":[1,"2"]}']);
  });

  it("queues while connecting and reconnecting, and sends the queue in order on open", () => {
    const client = connect();
    client.send("1");
    FakeWebSocket.last().open();
    client.send("2");
    FakeWebSocket.last().end(1006);
    client.send("3");
    client.send("4");
    assert.equal(client.queued, 2);
    const opened = record(client, ["open"]);
    clock.advance(500);
    FakeWebSocket.last().open();
    assert.deepEqual(FakeWebSocket.all[0].sent, ["1", "2"]);
    assert.deepEqual(FakeWebSocket.last().sent, ["3", "4"]);
    assert.deepEqual(opened, [["open", { reconnected: true, flushed: 2 }]]);
    assert.equal(client.queued, 0);
  });

  it("returns false when the queue is full, and keeps what it had", () => {
    const client = connect({ maxQueue: 2 });
    assert.deepEqual(["1", "2", "3"].map((m) => client.send(m)), [true, true, false]);
    FakeWebSocket.last().open();
    assert.deepEqual(FakeWebSocket.last().sent, ["1", "2"]);
  });

  it("returns false when closed, and closing discards the queue", () => {
    const client = connect();
    client.send("lost");
    client.close();
    assert.equal(client.send("too late"), false);
    assert.equal(client.queued, 0);
    client.connect();
    FakeWebSocket.last().open();
    assert.deepEqual(FakeWebSocket.last().sent, []);
  });

  it("queues rather than loses a message sent after the socket closed but before it was told", () => {
    const client = connect();
    FakeWebSocket.last().open();
    FakeWebSocket.last().readyState = 2; // closing; the close event has not run yet
    assert.equal(client.send("in between"), true);
    FakeWebSocket.last().end(1006);
    clock.advance(500);
    FakeWebSocket.last().open();
    assert.deepEqual(FakeWebSocket.last().sent, ["in between"]);
  });
});

describe("messages", () => {
  it("arrive raw as message and parsed as json, when someone listens for json", () => {
    const client = connect();
    const events = record(client, ["message", "json", "error"]);
    FakeWebSocket.last().open();
    FakeWebSocket.last().receive('{"a":1}');
    FakeWebSocket.last().receive("not json");
    assert.deepEqual(events.slice(0, 3), [["message", '{"a":1}'], ["json", { a: 1 }], ["message", "not json"]]);
    assert.equal(events[3][0], "error");
    assert.ok(events[3][1] instanceof SyntaxError);
  });

  it("reach every listener even when one of them throws", () => {
    const client = connect();
    const seen = [];
    const reported = [];
    const original = console.error;
    console.error = (e) => reported.push(e.message);
    try {
      client.on("message", () => { throw new Error("listener bug"); });
      client.on("message", (data) => seen.push(data));
      FakeWebSocket.last().open();
      FakeWebSocket.last().receive("x");
    } finally {
      console.error = original;
    }
    assert.deepEqual(seen, ["x"]);
    assert.deepEqual(reported, ["listener bug"]);
  });

  it("stop reaching a listener once it is removed, and once() hears one", () => {
    const client = connect();
    const seen = [];
    const off = client.on("message", (d) => seen.push("on " + d));
    client.once("message", (d) => seen.push("once " + d));
    FakeWebSocket.last().open();
    FakeWebSocket.last().receive("1");
    off();
    FakeWebSocket.last().receive("2");
    assert.deepEqual(seen, ["on 1", "once 1"]);
  });
});

describe("heartbeat", () => {
  const heartbeat = { interval: 1000, timeout: 500, ping: "PING", isPong: (d) => d === "PONG" };

  it("sends a probe after interval ms of silence, and hides the answer", () => {
    const client = connect({ heartbeat });
    const messages = record(client, ["message"]);
    FakeWebSocket.last().open();
    clock.advance(999);
    assert.deepEqual(FakeWebSocket.last().sent, []);
    clock.advance(1);
    assert.deepEqual(FakeWebSocket.last().sent, ["PING"]);
    FakeWebSocket.last().receive("PONG");
    clock.advance(1000);
    FakeWebSocket.last().receive("PONG");
    clock.advance(999);
    assert.equal(client.state, "open");
    assert.deepEqual(FakeWebSocket.last().sent, ["PING", "PING"]);
    assert.deepEqual(messages, []);
  });

  it("does not probe a connection that is busy anyway", () => {
    const client = connect({ heartbeat });
    FakeWebSocket.last().open();
    for (let i = 0; i < 10; i++) {
      clock.advance(600);
      FakeWebSocket.last().receive("news " + i);
    }
    assert.deepEqual(FakeWebSocket.last().sent, []);
    assert.equal(client.state, "open");
  });

  it("takes any message, not only the pong, as a sign of life", () => {
    const client = connect({ heartbeat });
    FakeWebSocket.last().open();
    clock.advance(1000);
    FakeWebSocket.last().receive("something else");
    clock.advance(1000);
    assert.equal(client.state, "open");
  });

  it("drops a connection that went silent and reconnects", () => {
    const client = connect({ heartbeat });
    const events = record(client, ["disconnect", "reconnecting"]);
    const dead = FakeWebSocket.last();
    dead.open();
    clock.advance(1499);
    assert.equal(client.state, "open");
    clock.advance(1);
    assert.equal(client.state, "reconnecting");
    assert.deepEqual(dead.closedWith, { code: CLIENT_CLOSE.HEARTBEAT_TIMEOUT, reason: "heartbeat timeout" });
    assert.deepEqual(events[0], ["disconnect", { code: 4000, reason: "heartbeat timeout", wasClean: false, willReconnect: true }]);
    clock.advance(500);
    assert.equal(FakeWebSocket.all.length, 2);
    dead.receive("PONG"); // far too late, and from the old socket: ignored
    dead.end(1006);
    assert.equal(client.state, "reconnecting");
  });

  it("is off unless asked for, and stops with the connection", () => {
    connect();
    FakeWebSocket.last().open();
    clock.advance(600_000);
    assert.deepEqual(FakeWebSocket.last().sent, []);
    const client = connect({ heartbeat });
    FakeWebSocket.last().open();
    client.close();
    assert.deepEqual(clock.pending(), []);
  });

  it("accepts a function that makes each probe", () => {
    let n = 0;
    connect({ heartbeat: { ...heartbeat, ping: () => "PING " + ++n } });
    FakeWebSocket.last().open();
    clock.advance(1000);
    FakeWebSocket.last().receive("PONG");
    clock.advance(1000);
    assert.deepEqual(FakeWebSocket.last().sent, ["PING 1", "PING 2"]);
  });

  it("must have an interval, a timeout and a probe", () => {
    assert.throws(() => connect({ heartbeat: { interval: 1000 } }), /heartbeat needs an interval and a timeout/);
  });
});

describe("the browser's own events", () => {
  /** Runs `test` with a fake window whose listeners it can fire. */
  function withWindow(test) {
    const listeners = new Map();
    globalThis.addEventListener = (type, fn) => listeners.set(type, fn);
    globalThis.removeEventListener = (type, fn) => listeners.get(type) === fn && listeners.delete(type);
    try {
      test(listeners);
    } finally {
      delete globalThis.addEventListener;
      delete globalThis.removeEventListener;
    }
  }

  it("retry at once when the network comes back", () => withWindow((listeners) => {
    const client = connect({ minReconnectDelay: 5000, maxReconnectDelay: 5000 });
    FakeWebSocket.last().end(1006);
    listeners.get("online")();
    assert.equal(FakeWebSocket.all.length, 2);
    client.close();
    assert.equal(listeners.has("online"), false);
  }));

  it("close when the page is hidden in the back/forward cache, and connect when it is shown again", () => withWindow((listeners) => {
    const client = connect();
    const events = record(client, ["closed", "connecting"]);
    FakeWebSocket.last().open();
    listeners.get("pagehide")({ persisted: true });
    assert.equal(client.state, "closed");
    assert.deepEqual(FakeWebSocket.last().closedWith, { code: 1000, reason: "page hidden" });
    assert.equal(listeners.has("pagehide"), false);
    listeners.get("pageshow")({ persisted: true });
    assert.equal(client.state, "connecting");
    assert.equal(FakeWebSocket.all.length, 2);
    assert.deepEqual(events.map(([type]) => type), ["closed", "connecting"]);
    assert.equal(events[0][1].reason, "page hidden");
  }));

  it("stay closed after a pageshow when the page was closed on purpose", () => withWindow((listeners) => {
    const client = connect();
    FakeWebSocket.last().open();
    client.close();
    assert.equal(listeners.has("pageshow"), false);
    assert.equal(listeners.has("pagehide"), false);
    assert.equal(client.state, "closed");
  }));

  it("without a WebSocket, refuse to start with a clear message", () => {
    assert.throws(() => new Switchboard("ws://test", { WebSocket: "not a constructor", clock }), /no WebSocket here; pass options.WebSocket/);
  });
});
