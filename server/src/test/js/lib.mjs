// switchboard.js as the tests see it. The browser loads it as a module; Node would take a `.js`
// file outside a `"type": "module"` package for CommonJS (Node 18, Debian's), so it is imported
// from its text as a data: URL, which is always a module.
import { readFileSync } from "node:fs";

export const source = readFileSync(new URL("../../main/resources/web/switchboard.js", import.meta.url), "utf8");

const lib = await import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));

export const {
  CLIENT_CLOSE, ChatClient, DEFAULTS, Emitter, RECONNECT_CODES, RECONNECT_RANGES, Resume, State, Switchboard, backoff,
  pageOrigin, shouldReconnect,
} = lib;
export default lib;
