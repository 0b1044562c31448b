import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { RECONNECT_CODES, RECONNECT_RANGES, Switchboard, shouldReconnect } from "./lib.mjs";
import { FakeClock, FakeWebSocket } from "./fakes.mjs";

// The server's table (io.switchboard.session.CloseStatus); CloseCodesMirrorTest checks the same
// table against the Java code for every code from 1000 to 4999.
const RECONNECT = [1001, 1006, 1011, 1012, 1013, 1014, 4000, 4001, 4250, 4499];
const FINAL = [1000, 1002, 1003, 1005, 1007, 1008, 1009, 1010, 1015, 2000, 2999, 3000, 3999, 4500, 4999];

describe("close codes", () => {
  it("reconnect after going away, abnormal closure, server errors, restarts and 4000-4499", () => {
    for (const code of RECONNECT) assert.equal(shouldReconnect(code), true, `code ${code}`);
  });

  it("stay closed after normal closure, policy and protocol problems, 3000-3999 and 4500-4999", () => {
    for (const code of FINAL) assert.equal(shouldReconnect(code), false, `code ${code}`);
  });

  it("are a frozen table, so no page can change the rules for everyone", () => {
    assert.ok(Object.isFrozen(RECONNECT_CODES) && Object.isFrozen(RECONNECT_RANGES));
    assert.ok(RECONNECT_RANGES.every(Object.isFrozen));
  });
});

describe("a connection closed by the server", () => {
  let clock;
  beforeEach(() => {
    FakeWebSocket.reset();
    clock = new FakeClock();
  });

  const connect = () => new Switchboard("ws://test/ws", { WebSocket: FakeWebSocket, clock, random: () => 0 });

  for (const code of RECONNECT) {
    it(`with ${code} is opened again`, () => {
      const client = connect();
      FakeWebSocket.last().open();
      FakeWebSocket.last().end(code);
      assert.equal(client.state, "reconnecting");
      clock.advance(500);
      assert.equal(FakeWebSocket.all.length, 2);
    });
  }

  for (const code of FINAL) {
    it(`with ${code} stays closed`, () => {
      const client = connect();
      const closed = [];
      client.on("closed", (context) => closed.push(context));
      FakeWebSocket.last().open();
      FakeWebSocket.last().end(code, "why");
      assert.equal(client.state, "closed");
      assert.deepEqual(closed, [{ code, reason: "why", wasClean: true }]);
      clock.advance(60_000);
      assert.equal(FakeWebSocket.all.length, 1);
      assert.deepEqual(clock.pending(), []);
    });
  }
});
