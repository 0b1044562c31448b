// Types of switchboard-client, written to match switchboard.js and the modules it re-exports
// (server/src/main/resources/web). The tests compile a usage file against them with tsc and check
// that the names declared here are the names the module exports.
//
// No DOM types: the browser's WebSocket fits WebSocketConstructor, and so does one from the `ws`
// package in Node (given as the WebSocket option).

/** Event names and the arguments their listeners receive. */
export type EventMap<Events> = { [K in keyof Events]: unknown[] };

/** Listeners by event name: `on` (returns a function that removes the listener), `once`, `off`. */
export declare class Emitter<Events extends EventMap<Events> = Record<string, any[]>> {
  /** Adds a listener; the returned function removes it. */
  on<K extends keyof Events & string>(type: K, listener: (...args: Events[K]) => void): () => void;
  /** Adds a listener that runs once; the returned function removes it before it ran. */
  once<K extends keyof Events & string>(type: K, listener: (...args: Events[K]) => void): () => void;
  off<K extends keyof Events & string>(type: K, listener: (...args: Events[K]) => void): void;
  /** Whether anyone listens to `type`. */
  listens(type: keyof Events & string): boolean;
  /** Calls every listener of `type`; one that throws is reported (reportError) and the others still run. */
  emit<K extends keyof Events & string>(type: K, ...args: Events[K]): void;
}

/** Close codes after which a client reconnects; every other code is final (the server's CloseStatus table). */
export declare const RECONNECT_CODES: readonly number[];
/** Ranges of close codes (inclusive) after which a client reconnects: 4000-4499. */
export declare const RECONNECT_RANGES: readonly (readonly [number, number])[];
/** Whether a connection closed with `code` should be opened again. */
export declare function shouldReconnect(code: number): boolean;

/** Codes this client reports (and sends, when it can) for connections it gives up on itself. */
export declare const CLIENT_CLOSE: Readonly<{
  /** Nothing arrived within the heartbeat's timeout after a probe. */
  HEARTBEAT_TIMEOUT: 4000;
  /** The connection did not open within `connectTimeout`. */
  CONNECT_TIMEOUT: 4001;
}>;

/** The four states of a Switchboard connection. */
export declare const State: Readonly<{
  CONNECTING: "connecting";
  OPEN: "open";
  RECONNECTING: "reconnecting";
  CLOSED: "closed";
}>;
/** "connecting" (the first attempt), "open", "reconnecting" or "closed" (for good). */
export type StateName = (typeof State)[keyof typeof State];

/** What `send` takes: text, or binary data as the WebSocket takes it. */
export type SendData = string | ArrayBufferLike | ArrayBufferView | BlobLike;
/** A Blob, described by what this package relies on, so that the types need no DOM library. */
export interface BlobLike {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The part of a WebSocket the client uses: the browser's has it, and so has the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly protocol: string;
  readonly extensions: string;
  binaryType: string;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  send(data: any): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: the option `WebSocket` replaces the global one with it. */
export interface WebSocketConstructor {
  new (url: string, protocols?: string | string[]): WebSocketLike;
}

/** Timers and time; the option `clock` replaces the system's, for tests. */
export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: any): void;
  now(): number;
}

/** The application-level heartbeat: browsers cannot send WebSocket pings. */
export interface Heartbeat {
  /** ms without any incoming message before `ping` is sent. */
  interval: number;
  /** ms after the ping within which something must arrive, else the connection is dropped (4000). */
  timeout: number;
  /** What to send, or a function that makes it. */
  ping: SendData | (() => SendData);
  /** Messages for which this is true are not delivered. */
  isPong?: (data: unknown) => boolean;
}

/** How retries are spaced; `backoff` takes these. */
export interface BackoffOptions {
  /** ms before the first retry (before jitter); default 500. */
  minReconnectDelay?: number;
  /** ms, the ceiling of the backoff; default 10000. */
  maxReconnectDelay?: number;
  /** Each retry waits this many times longer than the one before; default 2. */
  backoffFactor?: number;
  /** 0..1: a retry waits between (1 - jitter) and 1 times its backoff; default 0.5. */
  jitter?: number;
}

/** Options of `new Switchboard(url, options)`; DEFAULTS holds their defaults. */
export interface SwitchboardOptions extends BackoffOptions {
  /** Retries in a row before giving up (state "closed"); default Infinity. */
  maxReconnectAttempts?: number;
  /** ms for a connection to open before it is dropped (4001) and retried; default 10000. */
  connectTimeout?: number;
  /** Messages kept while not connected; send() returns false beyond; default 100. */
  maxQueue?: number;
  /** Off (null) by default. */
  heartbeat?: Heartbeat | null;
  /** WebSocket subprotocols. */
  protocols?: string | string[];
  /** "blob" (the default) or "arraybuffer". */
  binaryType?: string;
  /** Connect in the constructor; default true. */
  autoConnect?: boolean;
  /** The WebSocket class; default the global one (Node before 22 has none: pass `ws`'s). */
  WebSocket?: WebSocketConstructor;
  /** Timers and time, for tests. */
  clock?: Clock;
  /** Random numbers in [0, 1) for the jitter, for tests. */
  random?: () => number;
}

/** The options' defaults. */
export declare const DEFAULTS: Readonly<{
  minReconnectDelay: number;
  maxReconnectDelay: number;
  backoffFactor: number;
  jitter: number;
  maxReconnectAttempts: number;
  connectTimeout: number;
  maxQueue: number;
  heartbeat: null;
  protocols: undefined;
  binaryType: string;
  autoConnect: boolean;
}>;

/**
 * How long retry number `attempt` (0 for the first) waits, in ms: `minReconnectDelay *
 * backoffFactor ** attempt`, capped at `maxReconnectDelay`, less up to `jitter` of itself.
 * Throws a RangeError for options out of range.
 */
export declare function backoff(attempt: number, options?: BackoffOptions, random?: () => number): number;

/** The events of a Switchboard connection, and of a ChatClient. */
export interface ConnectionEvents {
  /** Every change of state. */
  state: [{ state: StateName; previous: StateName }];
  /** The first attempt starts (also after `connect()` from "closed"). */
  connecting: [];
  /** A connection opened; `flushed` queued messages were just sent. */
  open: [{ reconnected: boolean; flushed: number }];
  /** A retry is scheduled `delay` ms from now. */
  reconnecting: [{ attempt: number; delay: number; code: number; reason: string }];
  /** Any connection ended. */
  disconnect: [{ code: number; reason: string; wasClean: boolean; willReconnect: boolean }];
  /** Closed for good: `close()`, a final close code, or too many retries. */
  closed: [{ code: number; reason: string; wasClean: boolean }];
}

/** The events of a Switchboard. */
export interface SwitchboardEvents extends ConnectionEvents {
  /** Each message: its data (a string for text) and the socket's message event. */
  message: [data: unknown, event: { data: unknown }];
  /** Each text message that parses as JSON (parsed only while someone listens). */
  json: [value: any];
  /** The socket's error event, or an Error (a message that is not JSON, a malformed URL). */
  error: [error: unknown];
}

/**
 * A WebSocket that reconnects with exponential backoff and jitter when the close code says so,
 * queues what is sent while it reconnects, and notices a connection that died silently.
 */
export declare class Switchboard extends Emitter<SwitchboardEvents> {
  /** `url` is a string, or a function called before each attempt (to add resume positions, say). */
  constructor(url: string | (() => string), options?: SwitchboardOptions);
  /** "connecting", "open", "reconnecting" or "closed". */
  readonly state: StateName;
  /** The current socket's readyState; CLOSED (3) while waiting to retry. */
  readonly readyState: number;
  /** Bytes the current socket has not yet handed to the network. */
  readonly bufferedAmount: number;
  /** Messages waiting for a connection. */
  readonly queued: number;
  /** Retries made since the last open connection. */
  readonly attempt: number;
  binaryType: string;
  /** The subprotocol the server chose on the current connection. */
  readonly protocol: string;
  readonly extensions: string;
  /** Connects when closed; retries at once when waiting to reconnect; otherwise does nothing. */
  connect(): void;
  /** Sends now when open, else queues; false when closed or the queue is full. */
  send(data: SendData): boolean;
  /** `send(JSON.stringify(value))`. */
  sendJson(value: unknown): boolean;
  /** Closes for good (no reconnect) and discards the queue. */
  close(code?: number, reason?: string): void;
}

/** A room message of the chat: (epoch, id) names it. */
export interface RoomMessage {
  type?: "message";
  room?: string;
  /** The history's lifetime the id counts in; absent from servers older than epochs. */
  epoch?: string | null;
  id: number;
  from?: string;
  message?: string;
  /** Milliseconds since the epoch. */
  ts?: number;
  /** Set on messages fetched with history requests, which may follow newer ones. */
  history?: true;
}

/** A position to ask a room's history from: the messages after `since` in `epoch`. */
export interface HistoryPosition {
  epoch: string | null;
  since: number;
}

/** The chat's welcome, as the server sends it. */
export interface ChatWelcome {
  type?: "welcome";
  room?: string;
  user?: string;
  members?: string[];
  history?: RoomMessage[];
  recovered?: boolean;
  epoch?: string | null;
  more?: boolean;
}

/** A history page, as the server sends it. */
export interface HistoryPage {
  type?: "history";
  room?: string;
  messages?: RoomMessage[];
  complete?: boolean;
  epoch?: string;
  more?: boolean;
}

/**
 * Where a chat client is in a room's message stream: which position to resume from, which
 * messages are new, and which were missed. Nothing is delivered twice, nothing dropped for
 * arriving out of order.
 */
export declare class Resume {
  /** The epoch of the newest message or welcome; null before the first welcome. */
  epoch: string | null;
  /** The highest message id delivered in the current epoch. */
  readonly lastId: number;
  /** The epoch a resume asks with: the room's stored epoch as last confirmed. */
  readonly storedEpoch: string | null;
  /** The floor of `epoch` (default the resume epoch): every id up to it was delivered. */
  floor(epoch?: string | null): number;
  /** Whether every id up to the highest delivered in `epoch` was delivered (or is kept no more). */
  caughtUp(epoch: string | null): boolean;
  /** Query parameters for the next connection: none before the first welcome, then since and epoch. */
  params(): { since?: string; epoch?: string };
  /** Takes a welcome: its messages not delivered before, and what it says about missed ones. */
  welcome(welcome: ChatWelcome): {
    messages: RoomMessage[];
    resumed: boolean;
    epochChanged: boolean;
    missed: boolean;
    unsure: boolean;
    fetch: HistoryPosition | null;
  };
  /** Takes a live room message: whether it is new, and the history page to ask for after a gap. */
  message(message: RoomMessage): {
    fresh: boolean;
    epochChanged: boolean;
    gap: [number, number] | null;
    fetch: HistoryPosition | null;
  };
  /** Takes a history page that answered `asked`: its new messages and the next page to ask for. */
  page(page: HistoryPage, asked: HistoryPosition): {
    messages: RoomMessage[];
    epochChanged: boolean;
    fetch: HistoryPosition | null;
  };
  /** Whether a room message is new (and then remembers it). */
  accept(message: RoomMessage): boolean;
}

/** A direct message, to every connection of `to` and of the sender. */
export interface DirectMessage {
  type?: "direct";
  from: string;
  to: string;
  message: string;
  ts: number;
}

/** The events of a ChatClient. */
export interface ChatClientEvents extends ConnectionEvents {
  welcome: [
    {
      room: string;
      user: string;
      members: string[];
      recovered: boolean;
      epoch: string | null;
      resumed: boolean;
      epochChanged: boolean;
    },
  ];
  /** Room messages, each once; `history: true` when fetched with history requests. */
  message: [message: RoomMessage];
  /** Messages may have been lost; `gap` [from, to] when live ids skipped some (they are fetched). */
  missed: [{ epochChanged: boolean; gap?: [number, number] }];
  /** The sorted member list, after every change. */
  members: [names: string[]];
  join: [{ type: "join"; room: string; user: string }];
  leave: [{ type: "leave"; room: string; user: string }];
  direct: [message: DirectMessage];
  /** The recipient is away: the message is kept for them. */
  queued: [{ type: "queued"; to: string }];
  /** The server refused something we sent. */
  error: [{ type: "error"; code: string; detail: string; request?: string }];
}

/** Options of `new ChatClient(options)`: the room and user, and any Switchboard option. */
export interface ChatClientOptions extends Omit<SwitchboardOptions, "heartbeat"> {
  room: string;
  user: string;
  /** `ws://host:port` or `wss://...` of the server; default the page's (pageOrigin()). */
  origin?: string;
  /** A Resume to continue from. */
  resume?: Resume;
  /** The chat's ping every `interval` ms of silence (20 s), `timeout` to answer (10 s); false to turn off. */
  heartbeat?: { interval?: number; timeout?: number } | false | null;
}

/**
 * The built-in chat (`/ws/chat/{room}`) on a Switchboard: joins `room` as `user`, keeps the member
 * list, and on every reconnect resumes with `since` and `epoch`, delivering recovered messages
 * before new ones and none twice.
 */
export declare class ChatClient extends Emitter<ChatClientEvents> {
  constructor(options: ChatClientOptions);
  /** The underlying Switchboard connection. */
  readonly socket: Switchboard;
  readonly room: string;
  readonly user: string;
  readonly state: StateName;
  /** The room's members, sorted, as last heard. */
  readonly members: string[];
  /** The resume position. */
  readonly resume: Resume;
  /** The URL of the next connection, with the resume position once there is one. */
  url(): string;
  /** Sends to the room; false when neither sent nor queued. */
  say(text: string): boolean;
  /** Sends to every connection of `user`; false when neither sent nor queued. */
  tell(user: string, text: string): boolean;
  connect(): void;
  close(): void;
}

/** `ws://` or `wss://` and the host of the page that loaded this module. */
export declare function pageOrigin(): string;
