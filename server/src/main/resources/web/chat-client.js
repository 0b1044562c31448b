// chat-client.js - the built-in chat on a reconnecting socket: rooms, direct messages, presence and
// history paging, resumed where it left off. Part of switchboard.js, which re-exports it.
import { Emitter } from "./emitter.js";
import { State, Switchboard, systemClock } from "./reconnecting-socket.js";
import { Resume } from "./resume.js";

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
