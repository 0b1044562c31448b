// switchboard.js - Switchboard's browser client: one ES module, no dependencies.
//
//   import { Switchboard, ChatClient } from "/switchboard.js";
//
// Switchboard is a WebSocket that survives networks: it reconnects with exponential backoff and
// jitter when the close code says so, queues what is sent while it reconnects, and notices a
// connection that died silently. ChatClient speaks the built-in chat on top of it and resumes
// where it left off: nothing lost, nothing twice. The README documents both.

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

/** Listeners by event name: `on` (returns a function that removes the listener), `once`, `off`. */
export class Emitter {
  #listeners = new Map();

  on(type, listener) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(listener);
    return () => this.off(type, listener);
  }

  once(type, listener) {
    const off = this.on(type, (...args) => { off(); listener(...args); });
    return off;
  }

  off(type, listener) {
    this.#listeners.get(type)?.delete(listener);
  }

  /** Whether anyone listens to `type`. */
  listens(type) {
    return (this.#listeners.get(type)?.size ?? 0) > 0;
  }

  emit(type, ...args) {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        listener(...args);
      } catch (error) {
        // A listener's bug must not break the connection's bookkeeping: report it and go on.
        (globalThis.reportError ?? console.error)(error);
      }
    }
  }
}

const systemClock = Object.freeze({
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

/** Ids remembered above an epoch's floor while a gap stays open; beyond, the oldest gap is given up. */
const PENDING_IDS = 100_000;
/** Epochs remembered besides the pinned one: a cluster goes from its Redis epoch to outage epochs and back. */
const SEEN_EPOCHS = 4;

/**
 * Where a chat client is in a room's message stream, and the rules for resuming it: which
 * position to ask for, which messages are new, and which were missed. A message is named by its
 * `epoch` (the history's lifetime: a server restart, Redis losing its data, or one node's outage)
 * and its `id`, which counts from 1 within the epoch without holes. Per epoch it keeps the *floor*:
 * the highest id such that every id up to it was delivered (or is known to be kept no more). A
 * resume asks from the floor, so a hole is asked for again, never skipped. A message is new unless
 * its (epoch, id) was delivered before: nothing is dropped for arriving out of order, and nothing
 * is delivered twice, even when a resume goes back to an epoch seen earlier.
 *
 * The resume epoch is the room's stored epoch, as the last welcome (or a history page) named it:
 * an epoch seen only on live messages may be one node's outage, which no server keeps, so it
 * becomes the resume epoch only once a history page from it confirms it is stored. That epoch is
 * never forgotten; the others are, oldest first.
 */
export class Resume {
  /** The epoch of the newest message or welcome; null before the first welcome. */
  epoch = null;
  #stored = null;
  #welcomed = false;
  /** epoch -> { floor, high, ids }: the floor, the highest id delivered, the ids delivered above the floor. */
  #seen = new Map();

  /** The highest message id delivered in the current epoch. */
  get lastId() { return this.#seen.get(this.epoch)?.high ?? 0; }

  /** The epoch a resume asks with: the room's stored epoch as last confirmed. */
  get storedEpoch() { return this.#stored; }

  /** The floor of `epoch` (default the resume epoch): every id up to it was delivered. */
  floor(epoch = this.#stored) { return this.#seen.get(epoch)?.floor ?? 0; }

  /** Whether every id up to the highest delivered in `epoch` was delivered (or is kept no more). */
  caughtUp(epoch) {
    const seen = this.#seen.get(epoch);
    return !seen || seen.floor >= seen.high;
  }

  /** Query parameters for the next connection: none before the first welcome, then since and epoch. */
  params() {
    if (!this.#welcomed) return {};
    const since = String(this.floor());
    return this.#stored === null ? { since } : { since, epoch: this.#stored };
  }

  /**
   * Takes a welcome; returns its history messages not delivered before, in order, whether this
   * was a resume, whether the epoch changed, whether messages may have been missed (`recovered`
   * false on a resume, or a new epoch), and `fetch` {epoch, since}: the history page to ask for
   * when the welcome left older kept messages out (`more`), else null. A resume cut short by the
   * welcome's size is not `recovered` either, but whether anything is missing only the first page
   * tells (its `complete`): then `missed` is false and `unsure` true.
   */
  welcome(welcome) {
    const resuming = this.#welcomed;
    const epoch = welcome.epoch ?? null;
    const epochChanged = resuming && epoch !== this.epoch;
    // The server read the position in the epoch it was asked with, or from 0 in another one.
    const since = resuming && epoch === this.#stored ? this.floor(epoch) : 0;
    this.epoch = this.#stored = epoch;
    this.#welcomed = true;
    const seen = this.#epochSeen(epoch);
    const history = inIdOrder(welcome.history);
    const messages = history.filter((message) => this.accept(message));
    // An empty welcome that is not recovered is a server that could not read its history: no news.
    const known = history.length > 0 || welcome.recovered !== false;
    if (!welcome.more && known) this.#cover(seen, since, history.at(-1)?.id, true);
    const unsure = resuming && !epochChanged && welcome.recovered === false && welcome.more === true;
    return {
      messages, resumed: resuming, epochChanged, missed: resuming && (epochChanged || welcome.recovered === false) && !unsure,
      unsure, fetch: welcome.more ? { epoch, since } : null,
    };
  }

  /**
   * Takes a live room message: `fresh` when it was not delivered before (and then remembers it),
   * `epochChanged` when it comes from another epoch than the messages before it, `gap` [from, to]
   * when ids were skipped, and `fetch` {epoch, since}: the history page to ask for, after a gap or
   * a new epoch, else null.
   */
  message(message) {
    const numbered = typeof message?.id === "number";
    const epoch = message?.epoch ?? this.epoch; // a server older than epochs on live messages
    const epochChanged = this.#welcomed && numbered && epoch !== this.epoch;
    if (epochChanged) this.epoch = epoch;
    if (!numbered) return { fresh: false, epochChanged, gap: null, fetch: null };
    const seen = this.#epochSeen(epoch);
    const reached = Math.max(seen.floor, seen.high);
    const fresh = this.accept(message);
    const gap = fresh && this.#welcomed && message.id > reached + 1 ? [reached + 1, message.id - 1] : null;
    return { fresh, epochChanged, gap, fetch: gap || epochChanged ? { epoch, since: seen.floor } : null };
  }

  /**
   * Takes a history page that answered `asked` {epoch, since}: returns its messages not delivered
   * before, in id order, whether it showed a new epoch, and `fetch` {epoch, since} for the next
   * page, or null when paging is over. A page names the room's stored epoch, which becomes the
   * resume epoch; one from another epoch than asked answered from 0 (the asked one was a node's
   * outage, or the history began again).
   */
  page(page, asked) {
    const epoch = page?.epoch;
    if (typeof epoch !== "string" || epoch === "") return { messages: [], epochChanged: false, fetch: null };
    const since = epoch === asked.epoch ? asked.since : 0;
    const epochChanged = epoch !== asked.epoch && epoch !== this.epoch && !this.#seen.has(epoch);
    if (epochChanged) this.epoch = epoch;
    this.#stored = epoch;
    const seen = this.#epochSeen(epoch);
    const history = inIdOrder(page.messages);
    const messages = history.filter((message) => this.accept({ ...message, epoch }));
    const last = history.at(-1)?.id;
    const more = page.more === true && last !== undefined; // an empty page cannot be paged on
    this.#cover(seen, since, last, !more);
    return { messages, epochChanged, fetch: more ? { epoch, since: last } : null };
  }

  /** Whether a room message is new (and then remembers it): its (epoch, id) was not delivered before. */
  accept(message) {
    if (typeof message?.id !== "number") return false;
    const seen = this.#epochSeen(message.epoch ?? this.epoch);
    const id = message.id;
    if (id <= seen.floor || seen.ids.has(id)) return false;
    seen.ids.add(id);
    seen.high = Math.max(seen.high, id);
    if (seen.ids.size > PENDING_IDS) seen.floor = lowest(seen.ids) - 1; // give the oldest hole up
    raise(seen, seen.floor);
    return true;
  }

  /**
   * The server answered "the kept messages after `since`" with ones up to `last`: every id up to
   * it is now delivered or kept no more; with `complete`, every id delivered so far too.
   */
  #cover(seen, since, last, complete) {
    if (seen.floor < since) return; // the ids between were not asked about
    raise(seen, Math.max(last ?? 0, complete ? seen.high : 0));
  }

  #epochSeen(epoch) {
    let seen = this.#seen.get(epoch);
    if (!seen) {
      seen = { floor: 0, high: 0, ids: new Set() };
      this.#seen.set(epoch, seen);
      for (const old of this.#seen.keys()) { // oldest first; the stored epoch is never forgotten
        if (this.#seen.size <= SEEN_EPOCHS) break;
        if (old !== epoch && old !== this.#stored && old !== this.epoch) this.#seen.delete(old);
      }
    }
    return seen;
  }
}

/** Raises an epoch's floor to at least `to`, then over every id delivered right above it. */
function raise(seen, to) {
  if (to > seen.floor) {
    seen.floor = to;
    for (const id of seen.ids) if (id <= to) seen.ids.delete(id);
  }
  while (seen.ids.delete(seen.floor + 1)) seen.floor++;
}

function lowest(ids) {
  let low = Infinity;
  for (const id of ids) low = Math.min(low, id);
  return low;
}

/** Room messages with numeric ids, by id (a copy). */
function inIdOrder(messages) {
  return (Array.isArray(messages) ? messages : []).filter((m) => typeof m?.id === "number").sort((a, b) => a.id - b.id);
}

const PING = '{"type":"ping"}';
const PONG = /^\{\s*"type"\s*:\s*"pong"\s*\}$/;

/** `ws://` or `wss://` and the host of the page that loaded this module. */
export function pageOrigin() {
  const location = globalThis.location;
  return (location?.protocol === "https:" ? "wss://" : "ws://") + location?.host;
}

/**
 * The built-in chat (`/ws/chat/{room}`) on a Switchboard: joins `room` as `user`, keeps the
 * member list, and on every reconnect resumes with `since` and `epoch`, delivering recovered
 * messages before new ones and none twice. Events:
 *
 * - "welcome" {room, user, members, recovered, epoch, resumed, epochChanged}, then "members" and
 *   the history as "message" events;
 * - "message" {epoch, id, from, message, ts, room}: room messages, each once, in the order the
 *   server sent them (id order within an epoch); older ones fetched afterwards with history
 *   requests (the rest of a welcome too large to send whole, or a gap) carry `history: true` and
 *   may follow newer ones: they come in id order among themselves;
 * - "missed" {epochChanged, gap}: messages may have been lost: a resume could not recover
 *   everything (`recovered` was false), a message came from a new epoch (the history restarted),
 *   or live ids skipped some (`gap` [from, to]: they are fetched, and delivered if still kept);
 * - "members" [names], "join" {user}, "leave" {user}, "direct" {from, to, message, ts},
 *   "queued" {to}, "error" {code, detail} (the server refused something we sent);
 * - the connection's "state", "connecting", "open", "reconnecting", "disconnect" and "closed".
 *
 * Options: `origin` (default the page's, as ws:// or wss://), `resume` (a Resume to continue
 * from), `heartbeat` {interval, timeout} (default 20 s and 10 s; false to turn off), and any
 * Switchboard option.
 */
export class ChatClient extends Emitter {
  #room;
  #user;
  #origin;
  #resume;
  #members = [];
  /** The history page asked for on this connection and not yet answered: {epoch, since}, or null. */
  #paging = null;
  /** What to ask for once the current page is answered: {epoch}, or null. */
  #nextFetch = null;
  /** A page the server could not read its history for: asked again with the next live message or soon. */
  #retry = null;
  #clock;
  #random;
  /** Whether the next page tells if a resume cut short by the welcome's size missed anything. */
  #unsure = false;
  /** The underlying Switchboard connection. */
  socket;

  constructor({ room, user, origin = pageOrigin(), resume = new Resume(), heartbeat = {}, ...options }) {
    super();
    this.#room = room;
    this.#user = user;
    this.#origin = origin.replace(/\/+$/, "");
    this.#resume = resume;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    const beat = !heartbeat ? null : { interval: 20000, timeout: 10000, ...heartbeat, ping: PING, isPong: (d) => PONG.test(d) };
    this.socket = new Switchboard(() => this.url(), { ...options, heartbeat: beat, autoConnect: false });
    for (const type of ["state", "connecting", "open", "reconnecting", "disconnect", "closed"]) {
      this.socket.on(type, (context) => this.emit(type, context));
    }
    this.socket.on("json", (value) => this.#receive(value));
    if (options.autoConnect ?? true) this.socket.connect();
  }

  get room() { return this.#room; }
  get user() { return this.#user; }
  get state() { return this.socket.state; }
  /** The room's members, sorted, as last heard. */
  get members() { return [...this.#members]; }
  /** The resume position: a Resume (`epoch`, `lastId`, `storedEpoch`, `floor()`, `params()`). */
  get resume() { return this.#resume; }

  /** The URL of the next connection, with the resume position once there is one. */
  url() {
    const query = new URLSearchParams({ user: this.#user, ...this.#resume.params() });
    return this.#origin + "/ws/chat/" + encodeURIComponent(this.#room) + "?" + query;
  }

  /** Sends to the room; false when neither sent nor queued. */
  say(text) {
    return this.socket.sendJson({ message: text });
  }

  /** Sends to every connection of `user`; false when neither sent nor queued. */
  tell(user, text) {
    return this.socket.sendJson({ message: text, to_user: user });
  }

  connect() { this.socket.connect(); }

  close() { this.socket.close(1000, ""); }

  #receive(m) {
    switch (m?.type) {
      case "welcome": return this.#welcome(m);
      case "message": return this.#message(m);
      case "join":
        if (!this.#members.includes(m.user)) this.#setMembers([...this.#members, m.user]);
        this.emit("join", m);
        return;
      case "leave":
        this.#setMembers(this.#members.filter((name) => name !== m.user));
        this.emit("leave", m);
        return;
      case "history": return this.#history(m);
      case "error":
        if (m.request !== "history") this.emit("error", m);
        else this.#historyUnavailable();
        return;
      case "direct": case "queued": this.emit(m.type, m); return;
      case "more_directs": this.socket.sendJson({ type: "directs" }); return; // the next page of kept ones
      default: return; // newer servers may say more; this client ignores what it does not know
    }
  }

  #welcome(m) {
    const { messages, resumed, epochChanged, missed, unsure, fetch } = this.#resume.welcome(m);
    this.#paging = this.#nextFetch = this.#retry = null; // a new connection: nothing asked on it yet
    this.#unsure = unsure;
    this.#members = [...(m.members ?? [])].sort();
    this.emit("welcome", { room: m.room, user: m.user, members: this.members, recovered: m.recovered,
      epoch: m.epoch, resumed, epochChanged });
    this.emit("members", this.members);
    if (missed) this.emit("missed", { epochChanged });
    for (const message of messages) this.emit("message", message);
    this.#fetch(fetch);
  }

  #message(m) {
    const { fresh, epochChanged, gap, fetch } = this.#resume.message(m);
    if (epochChanged || gap) this.emit("missed", gap ? { epochChanged, gap } : { epochChanged });
    if (fresh) this.emit("message", m);
    const retry = this.#retry;
    this.#retry = null;
    this.#fetch(retry);
    this.#fetch(fetch);
  }

  /**
   * The server could not read its history for our page: ask again with the next live message, or
   * after 2 to 5 s (spread, so that a node's clients do not all ask at once), on this connection.
   */
  #historyUnavailable() {
    if (!this.#paging) return;
    const retry = this.#retry = this.#paging; // what waited behind it still waits
    this.#paging = null;
    this.#settle(false);
    const socket = this.socket;
    this.#clock.setTimeout(() => {
      if (this.#retry !== retry || socket.state !== State.OPEN) return; // asked already, or a new connection
      this.#retry = null;
      this.#fetch(retry);
    }, 2000 + 3000 * this.#random());
  }

  /** A page of older messages: delivered marked `history`, then the next page asked for. */
  #history(page) {
    const asked = this.#paging;
    if (!asked) return; // not asked for on this connection
    this.#paging = null;
    this.#settle(page?.epoch === asked.epoch && page.complete !== false);
    const { messages, epochChanged, fetch } = this.#resume.page(page, asked);
    if (epochChanged) this.emit("missed", { epochChanged });
    for (const message of messages) this.emit("message", { ...message, history: true });
    if (fetch) {
      this.#fetch(fetch); // what was waiting still waits for the end of this paging
    } else {
      const next = this.#nextFetch;
      this.#nextFetch = null;
      // A gap of the stored epoch may have been paged over since; a new epoch still wants confirming.
      if (next && !(next.epoch === this.#resume.storedEpoch && this.#resume.caughtUp(next.epoch))) this.#fetch(next);
    }
  }

  /** After the first page of a cut resume: `missed` unless it said every message after the position is kept. */
  #settle(complete) {
    if (this.#unsure && !complete) this.emit("missed", { epochChanged: false });
    this.#unsure = false;
  }

  /** Asks for the history page after the epoch's floor; one at a time, the next once it is answered. */
  #fetch(want) {
    if (!want) return;
    if (this.#paging) {
      if (want.epoch !== this.#paging.epoch || !this.#nextFetch) this.#nextFetch = want;
      return;
    }
    const since = Math.max(want.since ?? 0, this.#resume.floor(want.epoch));
    this.#paging = { epoch: want.epoch, since };
    const request = { type: "history", since };
    if (want.epoch !== null) request.epoch = want.epoch;
    this.socket.sendJson(request);
  }

  #setMembers(names) {
    this.#members = names.sort();
    this.emit("members", this.members);
  }
}
