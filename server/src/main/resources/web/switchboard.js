// switchboard.js - Switchboard's browser client: ES modules, no dependencies. This file is the
// entry point; each part is a module of its own beside it:
//
//   import { Switchboard, ChatClient } from "/switchboard.js";
//
// - reconnecting-socket.js: Switchboard, a WebSocket that survives networks: it reconnects with
//   exponential backoff and jitter when the close code says so, queues what is sent while it
//   reconnects, and notices a connection that died silently; the close codes it reconnects on;
// - chat-client.js: ChatClient, which speaks the built-in chat on top of it (rooms, direct
//   messages, presence, history paging) and resumes where it left off: nothing lost, nothing twice;
// - resume.js: Resume, the chat's position in a room's message stream;
// - emitter.js: Emitter, the listeners both are built on.
//
// The README documents them.
export { Emitter } from "./emitter.js";
export {
  CLIENT_CLOSE, DEFAULTS, RECONNECT_CODES, RECONNECT_RANGES, State, Switchboard, backoff, shouldReconnect,
} from "./reconnecting-socket.js";
export { Resume } from "./resume.js";
export { ChatClient, pageOrigin } from "./chat-client.js";
