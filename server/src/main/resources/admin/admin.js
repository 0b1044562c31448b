// admin.js - the admin page: logs in, polls the admin API (/admin/api/...) and draws what it says.
// Figures come once a second (the server samples itself into a ring, so the charts start with the
// last minutes), nodes, rooms and channels every two seconds.
import { drawChart } from "/admin/chart.js";

const WINDOW_MS = 5 * 60_000;
const $ = (id) => document.getElementById(id);

let csrf = null;
let points = [];
let lastAt = 0;
let polling = [];

class LoggedOut extends Error {}

async function api(path, { method = "GET", body, type = "application/json" } = {}) {
  const headers = {};
  if (method !== "GET") {
    headers["X-CSRF-Token"] = csrf ?? "";
    headers["Content-Type"] = type;
  }
  const response = await fetch(`/admin/api/${path}`, { method, body, headers, credentials: "same-origin" });
  if (response.status === 401 && path !== "login") {
    showLogin();
    throw new LoggedOut();
  }
  return response;
}

async function json(response) {
  if (!response.ok) throw new Error((await response.text()) || `HTTP ${response.status}`);
  return response.json();
}

function showLogin(message) {
  polling.forEach(clearInterval);
  polling = [];
  csrf = null;
  $("dash").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  $("login-error").hidden = !message;
  $("login-error").textContent = message ?? "";
  $("password").focus();
}

function showDash(token) {
  csrf = token;
  $("login").hidden = true;
  $("dash").hidden = false;
  $("logout").hidden = false;
  refreshStats();
  refreshCluster();
  polling = [setInterval(refreshStats, 1000), setInterval(refreshCluster, 2000)];
}

async function login(event) {
  event.preventDefault();
  const response = await api("login", {
    method: "POST",
    body: new URLSearchParams({ password: $("password").value }),
    type: "application/x-www-form-urlencoded",
  });
  $("password").value = "";
  if (response.ok) showDash((await response.json()).csrf);
  else showLogin(response.status === 401 ? "Wrong password." : await response.text());
}

const rate = (value) => (value < 10 ? value.toFixed(1) : Math.round(value).toString());

async function refreshStats() {
  try {
    const { node, points: fresh } = await json(await api(`stats?after=${lastAt}`));
    $("node").textContent = `node ${node}`;
    if (fresh.length) lastAt = fresh[fresh.length - 1].at;
    const from = Date.now() - WINDOW_MS;
    points = points.concat(fresh).filter((p) => p.at >= from);
    showNow(points[points.length - 1]);
    drawCharts(from);
  } catch (e) {
    if (!(e instanceof LoggedOut)) console.warn("admin: stats", e);
  }
}

function showNow(point) {
  if (!point) return;
  $("now-connections").textContent = point.connections;
  $("now-in").textContent = rate(point.inPerSecond);
  $("now-out").textContent = rate(point.outPerSecond);
  $("now-deliveries").textContent = rate(point.deliveriesPerSecond);
}

// The time axis spans what is kept, at least a minute and at most WINDOW_MS, so a page opened on a
// fresh server does not squeeze its first seconds against the right edge.
function drawCharts(oldest) {
  const to = Math.max(Date.now(), lastAt);
  const first = points.length ? points[0].at : to;
  const range = { from: Math.max(oldest, Math.min(first, to - 60_000)), to };
  const series = (field, className) => ({ values: points.map((p) => [p.at, p[field]]), className });
  drawChart($("chart-connections"), [series("connections")], range);
  drawChart($("chart-messages"), [series("inPerSecond", "in"), series("outPerSecond", "out")], range);
  drawChart($("chart-deliveries"), [series("deliveriesPerSecond")], range);
}

async function refreshCluster() {
  try {
    const [nodes, rooms] = await Promise.all([json(await api("nodes")), json(await api("rooms"))]);
    showNodes(nodes);
    showCounts($("rooms"), rooms.rooms);
    showCounts($("channels"), rooms.channels);
  } catch (e) {
    if (!(e instanceof LoggedOut)) console.warn("admin: cluster", e);
  }
}

function cell(row, text) {
  row.insertCell().textContent = text;
}

function showNodes({ self, shared, nodes }) {
  $("nodes-note").hidden = shared;
  $("node-count").textContent = `(${nodes.length})`;
  const body = $("nodes");
  body.replaceChildren();
  for (const node of nodes.sort((a, b) => a.node.localeCompare(b.node))) {
    const row = body.insertRow();
    row.dataset.node = node.node;
    if (node.node === self) row.className = "self";
    cell(row, node.node === self ? `${node.node} (here)` : node.node);
    cell(row, node.connections);
    cell(row, rate(node.inPerSecond));
    cell(row, rate(node.outPerSecond));
    cell(row, rate(node.deliveriesPerSecond));
  }
}

function listItem(list, left, right) {
  const item = document.createElement("li");
  for (const text of [left, right]) {
    const span = document.createElement("span");
    span.textContent = text;
    item.appendChild(span);
  }
  list.appendChild(item);
  return item;
}

function showCounts(list, counts) {
  list.replaceChildren();
  for (const [name, count] of Object.entries(counts)) listItem(list, name, count).dataset.name = name;
}

// A lookup from the form starts afresh; the one that follows a disconnect keeps its message.
async function lookUp(event) {
  event?.preventDefault();
  const name = $("user-name").value.trim();
  if (!name) return;
  if (event) $("user-status").textContent = "";
  try {
    const { user, connections } = await json(await api(`users/${encodeURIComponent(name)}`));
    $("user-result").hidden = false;
    $("user-found").textContent = user;
    $("user-found").dataset.user = user;
    $("user-summary").textContent = `${connections.length} connection${connections.length === 1 ? "" : "s"}`;
    $("disconnect").disabled = connections.length === 0;
    const list = $("user-connections");
    list.replaceChildren();
    for (const c of connections) {
      listItem(list, c.kind + (c.room ? ` · room ${c.room}` : ""), `node ${c.node}`).dataset.address = c.address;
    }
  } catch (e) {
    if (e instanceof LoggedOut) return;
    $("user-result").hidden = true; // it showed someone else, or nobody yet
    $("user-status").textContent = e.message;
  }
}

async function disconnect() {
  const user = $("user-found").dataset.user;
  try {
    await json(await api(`users/${encodeURIComponent(user)}/disconnect`, { method: "POST", body: "{}" }));
    $("user-status").textContent = `Disconnected ${user}.`;
    setTimeout(lookUp, 500);
  } catch (e) {
    if (!(e instanceof LoggedOut)) $("user-status").textContent = e.message;
  }
}

async function publish(event) {
  event.preventDefault();
  const kind = $("publish-kind").value;
  const target = $("publish-target").value.trim();
  const text = $("publish-data").value;
  let body;
  if (kind === "channel") {
    try {
      body = { channel: target, data: JSON.parse(text) };
    } catch {
      $("publish-status").textContent = "A channel's data is JSON, such as {\"text\": \"hello\"}.";
      return;
    }
  } else {
    body = { room: target, text };
  }
  try {
    const answer = await json(await api("publish", { method: "POST", body: JSON.stringify(body) }));
    $("publish-status").textContent =
      kind === "channel" ? `Published to ${target} (offset ${answer.offset}).` : `Posted to ${target}.`;
  } catch (e) {
    if (!(e instanceof LoggedOut)) $("publish-status").textContent = e.message;
  }
}

async function logout() {
  await api("logout", { method: "POST", body: "" });
  showLogin();
}

$("login").addEventListener("submit", login);
$("logout").addEventListener("click", logout);
$("user-form").addEventListener("submit", lookUp);
$("disconnect").addEventListener("click", disconnect);
$("publish-form").addEventListener("submit", publish);
$("publish-kind").addEventListener("change", () => {
  const channel = $("publish-kind").value === "channel";
  $("publish-target").placeholder = channel ? "news" : "lobby";
  $("publish-data").value = channel ? "{\"text\": \"hello\"}" : "hello";
});

const session = await api("session").catch(() => null);
if (session?.ok) showDash((await session.json()).csrf);

