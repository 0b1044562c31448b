// A program using switchboard-client's public API as an application would, compiled with
// tsc --noEmit against the installed package's declarations. The @ts-expect-error lines are
// misuses the declarations must reject: were a type loosened to any, tsc would fail on them.
import {
  CLIENT_CLOSE, ChatClient, DEFAULTS, Emitter, RECONNECT_CODES, RECONNECT_RANGES, Resume, State, Switchboard, backoff,
  pageOrigin, shouldReconnect,
} from "switchboard-client";
import type { ChatClientEvents, RoomMessage, StateName, SwitchboardOptions, WebSocketConstructor } from "switchboard-client";

/** A WebSocket class of the application's own, as `ws`'s would be in Node. */
declare const WebSocketClass: WebSocketConstructor;
/** No DOM or Node types here (the declarations must need neither): the console, declared. */
declare const console: { log(...values: unknown[]): void };

const options: SwitchboardOptions = { maxReconnectDelay: 5000, WebSocket: WebSocketClass, autoConnect: false };
const socket = new Switchboard(() => "ws://localhost:8000/ws/echo", options);
const removeOpen: () => void = socket.on("open", ({ reconnected, flushed }) => {
  const again: boolean = reconnected;
  const sent: number = flushed;
  socket.sendJson({ hello: again ? "again" : "world", sent });
});
removeOpen();
socket.on("json", (value) => console.log(value.anything)); // parsed JSON is any, as JSON.parse's
socket.on("reconnecting", ({ attempt, delay, code, reason }) => console.log(attempt + delay + code, reason.length));
socket.once("closed", ({ code, wasClean }) => console.log(code, wasClean));
socket.on("state", ({ state, previous }) => {
  const now: StateName = state;
  console.log(now === State.OPEN, previous);
});
const sent: boolean = socket.send("text") && socket.send(new Uint8Array([1, 2])) && socket.send(new ArrayBuffer(4));
const waiting: number = socket.queued + socket.attempt + socket.readyState + socket.bufferedAmount;
socket.close(1000, "bye");

// @ts-expect-error "open" gives {reconnected, flushed}, not a number
socket.on("open", (count: number) => count);
// @ts-expect-error no such event
socket.on("opened", () => undefined);
// @ts-expect-error send takes text or binary data, not an object (sendJson does)
socket.send({ hello: "world" });
// @ts-expect-error the state is read-only
socket.state = "open";

const chat = new ChatClient({ room: "lobby", user: "ann", origin: "ws://localhost:8000", heartbeat: { interval: 5000 } });
chat.on("message", (message: RoomMessage) => console.log(`#${message.id} ${message.from}: ${message.message}`, message.history));
chat.on("welcome", ({ members, recovered, epoch, resumed }) => console.log(members.join(), recovered, epoch, resumed));
chat.on("missed", ({ epochChanged, gap }) => console.log(epochChanged, gap?.[0]));
chat.on("direct", ({ from, to, message, ts }) => console.log(from, to, message, ts));
chat.on("queued", ({ to }) => console.log(to));
chat.on("error", ({ code, detail }) => console.log(code, detail));
chat.on("disconnect", ({ willReconnect }) => console.log(willReconnect));
const said: boolean = chat.say("hello") && chat.tell("bob", "psst");
const members: string[] = chat.members;
const inner: Switchboard = chat.socket;
const url: string = chat.url();
const off: ChatClientEvents["members"] = [members];
chat.close();

// @ts-expect-error a chat client needs a room and a user
new ChatClient({ user: "ann" });
// @ts-expect-error say takes text
chat.say(42);
// @ts-expect-error the chat's heartbeat is {interval, timeout} or false: its ping is the chat's own
new ChatClient({ room: "r", user: "u", heartbeat: { interval: 1, timeout: 1, ping: "x" } });

const resume = new Resume();
const { messages, fetch } = resume.welcome({ epoch: "e1", history: [{ id: 1, epoch: "e1" }], recovered: true });
const { fresh, gap } = resume.message({ id: 3, epoch: "e1" });
const page = resume.page({ epoch: "e1", messages: [{ id: 2 }], more: false }, { epoch: "e1", since: 1 });
const params: { since?: string; epoch?: string } = resume.params();
console.log(messages.length, fetch?.since, fresh, gap, page.fetch, params, resume.floor(), resume.lastId, resume.storedEpoch);

const emitter = new Emitter<{ tick: [n: number] }>();
emitter.on("tick", (n) => console.log(n + 1));
emitter.emit("tick", 1);
// @ts-expect-error tick carries a number
emitter.emit("tick", "one");

const delay: number = backoff(2, { minReconnectDelay: 100, jitter: 0 }, () => 0.5);
const reconnects: boolean = shouldReconnect(1006) && RECONNECT_CODES.includes(1012) && RECONNECT_RANGES[0][1] === 4499;
const heartbeatCode: 4000 = CLIENT_CLOSE.HEARTBEAT_TIMEOUT;
const origin: string = pageOrigin();
console.log(sent, waiting, said, inner, url, off, delay, reconnects, heartbeatCode, origin, DEFAULTS.maxQueue);
