// Drives switchboard.js's ChatClient against a real server, for the Java cluster tests (see
// NodeChatAgent.java). Run: node --experimental-websocket chat-agent.mjs ORIGIN ROOM USER
// Writes one JSON line per event: {"event": NAME, "value": ...} for "welcome", "message", "missed",
// "disconnect" and "open". Reads one command per line: "say TEXT", "drop" (the socket closes with
// 4000 and the client reconnects, resuming), "position" (answered with a "position" event: the
// resume parameters now), "close" (the client closes for good and the agent ends).
import { createInterface } from "node:readline";
import { ChatClient } from "../lib.mjs";

const [origin, room, user] = process.argv.slice(2);
let socket = null;
class TrackedWebSocket extends WebSocket {
  constructor(...args) {
    super(...args);
    socket = this;
  }
}

const out = (event, value) => process.stdout.write(JSON.stringify({ event, value }) + "\n");
const chat = new ChatClient({ room, user, origin, WebSocket: TrackedWebSocket, heartbeat: false, minReconnectDelay: 50 });
for (const event of ["welcome", "message", "missed", "open"]) chat.on(event, (value) => out(event, value));
chat.on("disconnect", ({ code }) => out("disconnect", { code }));

createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.startsWith("say ")) chat.say(line.slice(4));
  else if (line === "drop") socket?.close(4000, "dropped by the test");
  else if (line === "position") out("position", chat.resume.params());
  else if (line === "close") {
    chat.close();
    process.exit(0);
  }
});
process.stdin.on("end", () => process.exit(0));
