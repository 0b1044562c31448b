// The chat page, on switchboard.js: the library reconnects, resumes and never repeats a message;
// this file only draws. Every text from the network goes in with textContent, never as HTML.
import { ChatClient } from "./switchboard.js";

const $ = (id) => document.getElementById(id);
// Overrides for ChatClient's options (heartbeat, backoff bounds): for tests and embedders.
const overrides = globalThis.switchboardOptions ?? {};

let chat = null; // the ChatClient of the room on screen
let target = null; // the member direct messages go to; null for the room
let ownDirects = new Map(); // recipient -> my direct messages to them not yet known to be queued
let earlyQueued = new Map(); // recipient -> "queued" notes that came before their message

const WHY = {
  1001: "the server went away",
  1006: "the connection dropped",
  1011: "the server had a problem",
  1012: "the server is restarting",
  1013: "the server is busy",
  4000: "the server stopped answering",
  4001: "the server did not answer",
};

const STATUS = {
  connecting: "connecting…",
  open: "connected",
  reconnecting: "reconnecting…",
  closed: "disconnected",
};

function join(user, room) {
  if (chat && chat.user === user && chat.room === room && chat.state !== "closed") return; // already there
  chat?.close();
  target = null;
  ownDirects = new Map();
  earlyQueued = new Map();
  $("messages").replaceChildren();
  $("members").replaceChildren();
  $("room-name").textContent = room;
  $("chat").hidden = false;
  $("join-button").textContent = "Switch";
  showNotice("");
  showTarget();
  const client = new ChatClient({ user, room, ...overrides });
  chat = client;
  globalThis.switchboardChat = client; // for the console, and for tests that listen in
  const on = (type, listener) => client.on(type, (value) => { if (client === chat) listener(value); });
  on("state", ({ state }) => showStatus(state));
  on("reconnecting", ({ attempt, code }) =>
    showBanner(`Connection lost: ${WHY[code] ?? "code " + code}. Reconnecting… (attempt ${attempt})`, "Retry now"));
  on("open", () => { showBanner(""); clearPending(); });
  on("closed", ({ code, reason }) => {
    if (code !== 1000 || reason) showBanner(`Disconnected: ${reason || "code " + code}`, "Reconnect");
    failPending();
  });
  on("welcome", ({ resumed }) => { if (!resumed) addSystem(`You joined ${room} as ${user}.`); });
  on("members", showMembers);
  on("missed", ({ epochChanged, gap }) => showNotice(epochChanged
    ? "The server restarted: messages sent while you were away may be missing."
    : gap ? "Some messages did not arrive: they are fetched from the history, if still kept."
    : "Some messages could not be recovered: they are no longer kept."));
  on("message", showMessage);
  on("direct", showDirect);
  on("queued", ({ to }) => noteQueued(to));
  on("join", ({ user: name }) => addSystem(`${name} joined`));
  on("leave", ({ user: name }) => addSystem(`${name} left`));
  on("error", ({ detail }) => addSystem(`Not sent: ${detail}`, "error"));
}

/**
 * The chat's rules as the server states them: the form and the message box check them before
 * sending what the server would refuse. Without them (an older server) only the server checks.
 */
async function learnRules() {
  try {
    const response = await fetch("chat.json");
    if (!response.ok) throw new Error("HTTP " + response.status);
    showRules(await response.json());
  } catch (error) {
    console.warn("switchboard: the chat's rules are unavailable; the server still checks everything", error);
  }
}

function showRules({ namePattern, nameRule, nameMaxLength, maxMessageChars }) {
  for (const input of [$("user"), $("room")]) {
    input.pattern = namePattern;
    input.maxLength = nameMaxLength;
    input.title = nameRule;
  }
  $("name-rule").textContent = nameRule;
  $("name-hint").hidden = false;
  $("text").maxLength = maxMessageChars;
}

function showStatus(state) {
  const status = $("status");
  status.dataset.state = state;
  status.textContent = STATUS[state] ?? state;
}

function showBanner(text, action) {
  $("banner").hidden = !text;
  $("banner-text").textContent = text;
  if (action) $("retry").textContent = action;
}

function showNotice(text) {
  $("notice").hidden = !text;
  $("notice-text").textContent = text;
}

const time = (ts) => new Date(ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** Adds a line of [text, class] parts (at the end, or before `before`), keeping the view at the bottom if it was there. */
function addLine(className, parts, before = null) {
  const li = document.createElement("li");
  li.className = className;
  for (const [text, cls] of parts) {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    li.append(span);
  }
  const box = $("messages").parentElement;
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
  $("messages").insertBefore(li, before);
  if (atBottom) box.scrollTop = box.scrollHeight;
  return li;
}

function addSystem(text, kind = "") {
  addLine(("system " + kind).trim(), [[text, "text"]]);
}

function showMessage(m) {
  const li = addLine(m.from === chat.user ? "message mine" : "message",
    [[time(m.ts), "time"], [m.from, "from"], [m.message, "text"]], m.history ? newerThan(m) : null);
  li.dataset.id = m.id;
  li.dataset.epoch = m.epoch ?? "";
}

/** An older message fetched late (`history`) goes before the first shown one of its epoch with a higher id. */
function newerThan(m) {
  for (const li of $("messages").querySelectorAll("li.message")) {
    if (li.dataset.epoch === String(m.epoch ?? "") && Number(li.dataset.id) > m.id) return li;
  }
  return null;
}

function showDirect(m) {
  const mine = m.from === chat.user;
  const label = mine ? `to ${m.to}` : `from ${m.from}`;
  const li = addLine("direct", [[time(m.ts), "time"], [label, "from"], [m.message, "text"]]);
  if (!mine) return;
  if ((earlyQueued.get(m.to) ?? 0) > 0) {
    earlyQueued.set(m.to, earlyQueued.get(m.to) - 1);
    markQueued(li, m.to);
  } else {
    ownDirects.set(m.to, [...(ownDirects.get(m.to) ?? []), li].slice(-20));
  }
}

/** The server kept my last direct message to `to` for later: mark it (or the next one, if early). */
function noteQueued(to) {
  const waiting = ownDirects.get(to) ?? [];
  const li = waiting.pop();
  if (li) markQueued(li, to);
  else earlyQueued.set(to, (earlyQueued.get(to) ?? 0) + 1);
}

function markQueued(li, to) {
  li.classList.add("queued");
  const note = document.createElement("span");
  note.className = "note";
  note.textContent = `queued: ${to} is away`;
  li.append(note);
}

function showMembers(members) {
  $("member-count").textContent = `(${members.length})`;
  $("members").replaceChildren(...members.map((name) => {
    const li = document.createElement("li");
    li.dataset.name = name;
    li.textContent = name;
    if (name === chat.user) {
      li.className = "me";
      li.title = "you";
    } else {
      li.tabIndex = 0;
      li.title = "send a direct message to " + name;
      if (name === target) li.className = "selected";
    }
    return li;
  }));
  showTarget();
}

function selectTarget(name) {
  target = name === target || name === chat?.user ? null : name;
  showMembers(chat.members);
  $("text").focus();
}

function showTarget() {
  const chip = $("target");
  chip.hidden = !target;
  const away = target && chat && !chat.members.includes(target);
  chip.textContent = target ? `to ${target}${away ? " (away)" : ""} ✕` : "";
  $("text").placeholder = target ? `Direct message to ${target}` : "Message the room";
}

/** A message the library queued while reconnecting: shown until the connection opens. */
function addPending(text, to) {
  addLine("pending", [[to ? `to ${to}` : chat.user, "from"], [text, "text"], ["waiting for the connection…", "note"]]);
}

function clearPending() {
  for (const li of $("messages").querySelectorAll("li.pending")) li.remove();
}

function failPending() {
  for (const li of $("messages").querySelectorAll("li.pending")) {
    li.className = "failed";
    li.querySelector(".note").textContent = "not sent";
  }
}

$("join").addEventListener("submit", async (event) => {
  event.preventDefault();
  await rules; // a name typed before the rules arrived is checked against them too
  if (!$("join").reportValidity()) return;
  const user = $("user").value.trim();
  const room = $("room").value.trim();
  localStorage.setItem("switchboard.user", user);
  history.replaceState(null, "", "#" + encodeURIComponent(room));
  join(user, room);
  $("text").focus();
});

$("send").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("text").value;
  if (!chat || !text.trim()) return;
  const sent = target ? chat.tell(target, text) : chat.say(text);
  if (!sent) {
    addSystem(chat.state === "closed" ? "Not sent: disconnected." : "Not sent: too many messages waiting.", "error");
    return; // the text stays in the box
  }
  if (chat.state !== "open") addPending(text, target);
  $("text").value = "";
});

$("members").addEventListener("click", (event) => {
  const li = event.target.closest("li");
  if (li && !li.classList.contains("me")) selectTarget(li.dataset.name);
});
$("members").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.dataset.name) selectTarget(event.target.dataset.name);
});
$("target").addEventListener("click", () => selectTarget(null));
$("retry").addEventListener("click", () => chat?.connect());
$("notice-close").addEventListener("click", () => showNotice(""));

$("user").value = localStorage.getItem("switchboard.user") ?? "";
if (location.hash.length > 1) $("room").value = decodeURIComponent(location.hash.slice(1));
const rules = learnRules();
