// Test doubles for switchboard.js: a clock that moves only when told, and a WebSocket whose
// server side the test plays.

/** Timers that fire in order of due time when `advance` moves the clock past them. */
export class FakeClock {
  #now = 1_000_000;
  #nextId = 1;
  #timers = new Map();

  setTimeout = (fn, ms) => {
    const id = this.#nextId++;
    this.#timers.set(id, { fn, due: this.#now + Math.max(0, ms ?? 0) });
    return id;
  };

  clearTimeout = (id) => {
    this.#timers.delete(id);
  };

  now = () => this.#now;

  /** Runs every timer due within the next `ms` milliseconds, in order, then sets the time. */
  advance(ms) {
    const end = this.#now + ms;
    for (;;) {
      const next = [...this.#timers.entries()].filter(([, t]) => t.due <= end).sort((a, b) => a[1].due - b[1].due || a[0] - b[0])[0];
      if (!next) break;
      const [id, timer] = next;
      this.#timers.delete(id);
      this.#now = timer.due;
      timer.fn();
    }
    this.#now = end;
  }

  /** Delays of the timers now pending, from now. */
  pending() {
    return [...this.#timers.values()].map((t) => t.due - this.#now).sort((a, b) => a - b);
  }
}

/** A WebSocket the test drives: every instance is kept in `FakeWebSocket.all`. */
export class FakeWebSocket {
  static all = [];
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  static reset() {
    FakeWebSocket.all = [];
  }

  static last() {
    return FakeWebSocket.all.at(-1);
  }

  readyState = 0;
  bufferedAmount = 0;
  binaryType = "blob";
  protocol = "";
  extensions = "";
  sent = [];
  closedWith = null;
  onopen = null;
  onmessage = null;
  onerror = null;
  onclose = null;

  constructor(url, protocols) {
    this.url = url;
    this.protocols = protocols;
    FakeWebSocket.all.push(this);
  }

  send(data) {
    if (this.readyState === 0) throw new Error("InvalidStateError: still connecting");
    this.sent.push(data);
  }

  close(code, reason) {
    this.closedWith = { code, reason };
    this.readyState = 2;
  }

  // The server's side.

  open() {
    this.readyState = 1;
    this.onopen?.({ type: "open" });
  }

  receive(data) {
    this.onmessage?.({ type: "message", data });
  }

  receiveJson(value) {
    this.receive(JSON.stringify(value));
  }

  /** The connection ends with `code` (1006 for a network failure). */
  end(code, reason = "") {
    this.readyState = 3;
    if (code === 1006) this.onerror?.({ type: "error" });
    this.onclose?.({ type: "close", code, reason, wasClean: code !== 1006 });
  }

  /** What was sent, parsed as JSON. */
  sentJson() {
    return this.sent.map((data) => JSON.parse(data));
  }
}

/** Collects a client's events, by name, in order. */
export function record(emitter, types) {
  const events = [];
  for (const type of types) {
    emitter.on(type, (value) => events.push([type, value]));
  }
  return events;
}
