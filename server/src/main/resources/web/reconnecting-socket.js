// reconnecting-socket.js - a WebSocket that survives networks: it reconnects with exponential backoff
// and jitter when the close code says so, queues what is sent while it reconnects, and notices a
// connection that died silently (heartbeat). Part of switchboard.js, which re-exports it.
import { Emitter } from "./emitter.js";

/**
 * Close codes after which a client reconnects; every other code is final. This mirrors
 * io.switchboard.session.CloseStatus#reconnect() exactly (a Java test compares the two).
 */
export const RECONNECT_CODES = Object.freeze([1001, 1006, 1011, 1012, 1013, 1014]);
/** Ranges of close codes (inclusive) after which a client reconnects: "try again" application codes. */
export const RECONNECT_RANGES = Object.freeze([Object.freeze([4000, 4499])]);

/** Whether a connection closed with `code` should be opened again. */
export function shouldReconnect(code) {
  return RECONNECT_CODES.includes(code) || RECONNECT_RANGES.some(([low, high]) => code >= low && code <= high);
}

/** Codes this client reports (and sends, when it can) for connections it gives up on itself. */
export const CLIENT_CLOSE = Object.freeze({
  /** Nothing arrived within the heartbeat's timeout after a probe. */
  HEARTBEAT_TIMEOUT: 4000,
  /** The connection did not open within `connectTimeout`. */
  CONNECT_TIMEOUT: 4001,
});

/** The four states of a Switchboard connection. */
export const State = Object.freeze({
  CONNECTING: "connecting",
  OPEN: "open",
  RECONNECTING: "reconnecting",
  CLOSED: "closed",
});

/** Options and their defaults; every one may be given to `new Switchboard(url, options)`. */
export const DEFAULTS = Object.freeze({
  minReconnectDelay: 500, // ms before the first retry (before jitter)
  maxReconnectDelay: 10000, // ms, the ceiling of the backoff
  backoffFactor: 2, // each retry waits this many times longer than the one before
  jitter: 0.5, // 0..1: a retry waits between (1 - jitter) and 1 times its backoff
  maxReconnectAttempts: Infinity, // retries in a row before giving up (state "closed")
  connectTimeout: 10000, // ms for a connection to open before it is dropped and retried
  maxQueue: 100, // messages kept while not connected; send() returns false beyond
  heartbeat: null, // { interval, timeout, ping, isPong }: see Switchboard
  protocols: undefined, // WebSocket subprotocols
  binaryType: "blob",
  autoConnect: true, // connect in the constructor
});

const OPEN = 1;
const CLOSED = 3;

/**
 * How long retry number `attempt` (0 for the first) waits, in ms: `minReconnectDelay *
 * backoffFactor ** attempt`, capped at `maxReconnectDelay`, then lowered by up to `jitter` of itself
 * so that clients dropped together do not come back together.
 */
export function backoff(attempt, options = {}, random = Math.random) {
  const { minReconnectDelay, maxReconnectDelay, backoffFactor, jitter } = checkOptions({ ...DEFAULTS, ...options });
  const ceiling = Math.min(maxReconnectDelay, minReconnectDelay * backoffFactor ** attempt);
  return Math.round(ceiling * (1 - jitter * random()));
}

function checkOptions(options) {
  const { minReconnectDelay: min, maxReconnectDelay: max, backoffFactor, jitter, maxQueue } = options;
  const fail = (what) => { throw new RangeError("switchboard: " + what); };
  if (!(min >= 0)) fail("minReconnectDelay must be 0 or more, not " + min);
  if (!(max >= min)) fail("maxReconnectDelay must be at least minReconnectDelay (" + min + "), not " + max);
  if (!(backoffFactor >= 1)) fail("backoffFactor must be 1 or more, not " + backoffFactor);
  if (!(jitter >= 0 && jitter <= 1)) fail("jitter must be between 0 and 1, not " + jitter);
  if (!(maxQueue >= 0)) fail("maxQueue must be 0 or more, not " + maxQueue);
  const heartbeat = options.heartbeat;
  if (heartbeat && !(heartbeat.interval > 0 && heartbeat.timeout > 0 && heartbeat.ping !== undefined)) {
    fail("heartbeat needs an interval and a timeout above 0 ms and a ping message");
  }
  return options;
}

/** The browser's timers and time; the `clock` option replaces them, for tests. */
export const systemClock = Object.freeze({
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id),
  now: () => Date.now(),
});

/**
 * A WebSocket that reconnects. States: "connecting" (the first attempt), "open", "reconnecting"
 * (waiting for or making a retry), "closed" (final: `close()`, a final close code, or too many
 * attempts). Events:
 *
 * - "state" {state, previous}, and one event named after each state as it is entered:
 *   "connecting", "open" {reconnected, flushed}, "closed" {code, reason, wasClean};
 * - "reconnecting" {attempt, delay, code, reason} each time a retry is scheduled;
 * - "disconnect" {code, reason, wasClean, willReconnect} each time a connection ends;
 * - "message" (data, event) for each message; "json" (value) for each that parses as JSON
 *   (parsed only while someone listens); "error" (event or Error).
 *
 * `send(data)` sends when open and queues (up to `maxQueue`) while connecting or reconnecting; it
 * returns false when the message was neither sent nor queued. The queue is sent in order as soon
 * as a connection opens and discarded when the client closes for good.
 *
 * Heartbeat: browsers cannot send WebSocket pings, so with `heartbeat: {interval, timeout, ping,
 * isPong}` the client sends `ping` after `interval` ms without any message and drops the
 * connection (code 4000, then reconnects) when nothing at all arrives within `timeout` ms after it.
 * Messages for which `isPong(data)` is true are not delivered.
 *
 * `url` is a string or a function called before each attempt (to add resume positions, say).
 * Options `WebSocket`, `clock` {setTimeout, clearTimeout, now} and `random` replace the browser's,
 * for tests.
 */
export class Switchboard extends Emitter {
  #url;
  #options;
  #WebSocket;
  #clock;
  #random;
  #ws = null;
  #state = State.CLOSED;
  #attempt = 0;
  #opened = false;
  #queue = [];
  #retryTimer = null;
  #connectTimer = null;
  #heartbeatTimer = null;
  #lastSeen = 0;
  #probeSentAt = null;
  #binaryType;
  #onOnline = () => { if (this.#state === State.RECONNECTING) this.connect(); };
  // A page put in the back/forward cache would keep its connection open, and its user "present",
  // for as long as the cache keeps it: close on the way in, connect again if the page comes back.
  #onPageHide = () => {
    this.close(1000, "page hidden");
    globalThis.addEventListener?.("pageshow", this.#onPageShow, { once: true });
  };
  #onPageShow = (event) => { if (event.persisted) this.connect(); };

  constructor(url, options = {}) {
    super();
    this.#url = url;
    this.#options = checkOptions({ ...DEFAULTS, ...options });
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#binaryType = this.#options.binaryType;
    if (typeof this.#WebSocket !== "function") throw new TypeError("switchboard: no WebSocket here; pass options.WebSocket");
    if (this.#options.autoConnect) this.connect();
  }

  /** "connecting", "open", "reconnecting" or "closed". */
  get state() { return this.#state; }
  /** The current socket's readyState; CLOSED (3) while waiting to retry. */
  get readyState() { return this.#ws ? this.#ws.readyState : CLOSED; }
  /** Bytes the current socket has not yet handed to the network. */
  get bufferedAmount() { return this.#ws ? this.#ws.bufferedAmount : 0; }
  /** Messages waiting for a connection. */
  get queued() { return this.#queue.length; }
  /** Retries made since the last open connection. */
  get attempt() { return this.#attempt; }
  get binaryType() { return this.#binaryType; }
  set binaryType(value) {
    this.#binaryType = value;
    if (this.#ws) this.#ws.binaryType = value;
  }
  /** The subprotocol and extensions the server chose on the current connection. */
  get protocol() { return this.#ws ? this.#ws.protocol : ""; }
  get extensions() { return this.#ws ? this.#ws.extensions : ""; }

  /** Connects when closed; retries at once when waiting to reconnect; otherwise does nothing. */
  connect() {
    if (this.#state === State.CLOSED) {
      this.#attempt = 0;
      this.#opened = false;
      globalThis.addEventListener?.("online", this.#onOnline);
      globalThis.addEventListener?.("pagehide", this.#onPageHide);
      globalThis.removeEventListener?.("pageshow", this.#onPageShow);
      this.#setState(State.CONNECTING);
      this.#openSocket();
    } else if (this.#state === State.RECONNECTING && this.#retryTimer !== null) {
      this.#clock.clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
      this.#openSocket();
    }
  }

  /** Sends now when open, else queues; false when closed or the queue is full. */
  send(data) {
    if (this.#state === State.CLOSED) return false;
    if (this.#state === State.OPEN && this.#ws?.readyState === OPEN) {
      this.#ws.send(data);
      return true;
    }
    if (this.#queue.length >= this.#options.maxQueue) return false;
    this.#queue.push(data);
    return true;
  }

  /** `send(JSON.stringify(value))`. */
  sendJson(value) {
    return this.send(JSON.stringify(value));
  }

  /**
   * Closes for good (no reconnect) and discards the queue. A page leaving for the back/forward
   * cache does this by itself, and connects again when it is shown from there.
   */
  close(code = 1000, reason = "") {
    if (this.#state === State.CLOSED) return;
    const ws = this.#detach();
    if (ws) ws.close(code, reason);
    this.#finish(code, reason, true);
  }

  #setState(state) {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.emit("state", { state, previous });
    if (state === State.CONNECTING) this.emit("connecting");
  }

  #openSocket() {
    let ws;
    try {
      ws = new this.#WebSocket(typeof this.#url === "function" ? this.#url() : this.#url, this.#options.protocols);
    } catch (error) {
      this.emit("error", error); // a malformed URL: retrying cannot help
      this.#finish(1006, String(error?.message ?? error), false);
      return;
    }
    ws.binaryType = this.#binaryType;
    this.#ws = ws;
    ws.onopen = () => { if (ws === this.#ws) this.#onOpen(); };
    ws.onmessage = (event) => { if (ws === this.#ws) this.#onMessage(event); };
    ws.onerror = (event) => { if (ws === this.#ws) this.emit("error", event); };
    ws.onclose = (event) => { if (ws === this.#ws) this.#lost(event.code, event.reason, event.wasClean); };
    this.#connectTimer = this.#clock.setTimeout(() => this.#drop(CLIENT_CLOSE.CONNECT_TIMEOUT, "connect timeout"),
      this.#options.connectTimeout);
  }

  #onOpen() {
    this.#clock.clearTimeout(this.#connectTimer);
    this.#connectTimer = null;
    const reconnected = this.#opened;
    this.#opened = true;
    this.#attempt = 0;
    const flushed = this.#queue.length;
    for (const data of this.#queue.splice(0)) this.#ws.send(data);
    this.#startHeartbeat();
    this.#setState(State.OPEN);
    // A "state" listener may have closed the client already; then "closed" was the last word.
    if (this.#state === State.OPEN) this.emit("open", { reconnected, flushed });
  }

  #onMessage(event) {
    this.#lastSeen = this.#clock.now();
    this.#probeSentAt = null;
    const data = event.data;
    if (this.#options.heartbeat?.isPong?.(data)) return;
    this.emit("message", data, event);
    if (typeof data === "string" && this.listens("json")) {
      let value;
      try {
        value = JSON.parse(data);
      } catch (error) {
        this.emit("error", error);
        return;
      }
      this.emit("json", value);
    }
  }

  /** Gives up on the current socket from this side: tells the server if it still can. */
  #drop(code, reason) {
    const ws = this.#detach();
    try {
      ws?.close(code, reason);
    } catch {
      // closing a socket that never opened may throw in some browsers; it is gone either way
    }
    this.#lost(code, reason, false);
  }

  /** The current connection ended: retry or finish, as the code says. */
  #lost(code, reason, wasClean) {
    this.#detach();
    const willReconnect = shouldReconnect(code) && this.#attempt < this.#options.maxReconnectAttempts;
    this.emit("disconnect", { code, reason, wasClean, willReconnect });
    if (this.#state === State.CLOSED) return; // a listener closed the client
    if (!willReconnect) {
      this.#finish(code, reason, wasClean);
      return;
    }
    const delay = backoff(this.#attempt, this.#options, this.#random);
    this.#attempt++;
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = null;
      this.#openSocket();
    }, delay);
    this.#setState(State.RECONNECTING);
    if (this.#state === State.RECONNECTING) this.emit("reconnecting", { attempt: this.#attempt, delay, code, reason });
  }

  #finish(code, reason, wasClean) {
    this.#detach();
    if (this.#retryTimer !== null) this.#clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#queue.length = 0;
    globalThis.removeEventListener?.("online", this.#onOnline);
    globalThis.removeEventListener?.("pagehide", this.#onPageHide);
    this.#setState(State.CLOSED);
    this.emit("closed", { code, reason, wasClean });
  }

  /** Forgets the current socket (its late events are ignored) and stops its timers; returns it. */
  #detach() {
    const ws = this.#ws;
    this.#ws = null;
    if (ws) ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
    this.#clock.clearTimeout(this.#connectTimer);
    this.#clock.clearTimeout(this.#heartbeatTimer);
    this.#connectTimer = this.#heartbeatTimer = null;
    return ws;
  }

  #startHeartbeat() {
    if (!this.#options.heartbeat) return;
    this.#lastSeen = this.#clock.now();
    this.#probeSentAt = null;
    this.#armHeartbeat(this.#options.heartbeat.interval);
  }

  #armHeartbeat(delay) {
    this.#heartbeatTimer = this.#clock.setTimeout(() => this.#checkHeartbeat(), Math.max(1, delay));
  }

  #checkHeartbeat() {
    const { interval, timeout, ping } = this.#options.heartbeat;
    const now = this.#clock.now();
    if (this.#probeSentAt !== null) {
      const waited = now - this.#probeSentAt;
      if (waited >= timeout) {
        this.#drop(CLIENT_CLOSE.HEARTBEAT_TIMEOUT, "heartbeat timeout");
      } else {
        this.#armHeartbeat(timeout - waited);
      }
      return;
    }
    const idle = now - this.#lastSeen;
    if (idle < interval) {
      this.#armHeartbeat(interval - idle);
      return;
    }
    this.#ws.send(typeof ping === "function" ? ping() : ping);
    this.#probeSentAt = now;
    this.#armHeartbeat(timeout);
  }
}
