// The chat page: a plain WebSocket, reconnecting with `since` so nothing is lost or shown twice.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const state = { user: null, room: null, socket: null, lastId: 0, epoch: null, seen: new Set(),
                  target: null, retry: 0, closing: false };

  function setStatus(text, kind) {
    const status = $("status");
    status.textContent = text;
    status.className = "status " + kind;
  }

  function banner(text) {
    const el = $("banner");
    el.textContent = text || "";
    el.hidden = !text;
  }

  function addLine(parts, className) {
    const li = document.createElement("li");
    if (className) li.className = className;
    for (const [text, cls] of parts) {
      const span = document.createElement("span");
      if (cls) span.className = cls;
      span.textContent = text; // text only: a message with HTML shows as text
      li.appendChild(span);
    }
    const list = $("messages");
    const atBottom = list.parentElement.scrollHeight - list.parentElement.scrollTop - list.parentElement.clientHeight < 40;
    list.appendChild(li);
    if (atBottom) list.parentElement.scrollTop = list.parentElement.scrollHeight;
    return li;
  }

  const time = (ts) => new Date(ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

  function showMessage(m) {
    if (state.seen.has(m.id)) return;
    state.seen.add(m.id);
    state.lastId = Math.max(state.lastId, m.id);
    addLine([[time(m.ts), "time"], [m.from, "from"], [m.message, "text"]], "message");
  }

  function showDirect(m) {
    const label = m.from === state.user ? "to " + m.to : "from " + m.from;
    return addLine([[time(m.ts), "time"], [label, "from"], [m.message, "text"]], "direct");
  }

  function renderMembers(members) {
    const list = $("members");
    list.replaceChildren();
    for (const name of members) {
      const li = document.createElement("li");
      li.textContent = name;
      li.dataset.name = name;
      if (name === state.user) li.className = "me";
      else li.addEventListener("click", () => selectTarget(name));
      if (name === state.target) li.classList.add("selected");
      list.appendChild(li);
    }
  }

  function currentMembers() {
    return Array.from($("members").children).map((li) => li.dataset.name);
  }

  function selectTarget(name) {
    state.target = state.target === name ? null : name;
    const target = $("target");
    target.hidden = !state.target;
    target.textContent = state.target ? "to " + state.target + " ✕" : "";
    $("text").placeholder = state.target ? "Direct message to " + state.target : "Message the room";
    renderMembers(currentMembers());
    $("text").focus();
  }

  let lastDirect = null;

  function onMessage(event) {
    const m = JSON.parse(event.data);
    switch (m.type) {
      case "welcome":
        if (state.epoch && state.epoch !== m.epoch) { state.seen.clear(); state.lastId = 0; }
        state.epoch = m.epoch;
        renderMembers(m.members);
        m.history.forEach(showMessage);
        banner(m.recovered ? "" : "Some earlier messages could not be recovered.");
        break;
      case "message": showMessage(m); break;
      case "direct": lastDirect = showDirect(m); break;
      case "queued": if (lastDirect) lastDirect.classList.add("queued"); break;
      case "join":
        if (!currentMembers().includes(m.user)) renderMembers([...currentMembers(), m.user].sort());
        addLine([[m.user + " joined", "system"]]);
        break;
      case "leave":
        renderMembers(currentMembers().filter((n) => n !== m.user));
        addLine([[m.user + " left", "system"]]);
        break;
      case "error": addLine([["error: " + m.detail, "error"]]); break;
    }
  }

  // Close codes after which reconnecting cannot help (mirrors CloseStatus in the server).
  const TERMINAL = new Set([1000, 1002, 1003, 1007, 1008, 1009, 1010]);

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let url = scheme + "//" + location.host + "/ws/chat/" + encodeURIComponent(state.room) +
      "?user=" + encodeURIComponent(state.user);
    if (state.lastId > 0 || state.epoch) url += "&since=" + state.lastId;
    setStatus(state.retry ? "reconnecting…" : "connecting…", state.retry ? "reconnecting" : "connecting");
    const socket = new WebSocket(url);
    state.socket = socket;
    socket.onopen = () => { state.retry = 0; setStatus("connected", "open"); banner(""); };
    socket.onmessage = onMessage;
    socket.onclose = (event) => {
      if (state.socket !== socket) return;
      if (state.closing || TERMINAL.has(event.code)) {
        setStatus("closed (" + event.code + ")", "closed");
        if (!state.closing) banner("Disconnected: " + (event.reason || "code " + event.code));
        return;
      }
      const delay = Math.min(10000, 500 * 2 ** state.retry) * (0.5 + Math.random() / 2);
      state.retry++;
      setStatus("reconnecting…", "reconnecting");
      banner("Connection lost; reconnecting…");
      setTimeout(connect, delay);
    };
  }

  $("join").addEventListener("submit", (event) => {
    event.preventDefault();
    const user = $("user").value.trim();
    const room = $("room").value.trim();
    if (state.socket) { state.closing = true; state.socket.close(1000); }
    Object.assign(state, { user, room, lastId: 0, epoch: null, seen: new Set(), target: null, retry: 0, closing: false });
    $("messages").replaceChildren();
    $("room-name").textContent = room;
    $("chat").hidden = false;
    history.replaceState(null, "", "#" + encodeURIComponent(room));
    connect();
    $("text").focus();
  });

  $("send").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value;
    if (!text || !state.socket || state.socket.readyState !== WebSocket.OPEN) return;
    const payload = state.target ? { message: text, to_user: state.target } : { message: text };
    state.socket.send(JSON.stringify(payload));
    $("text").value = "";
  });

  $("target").addEventListener("click", () => selectTarget(state.target));

  if (location.hash.length > 1) $("room").value = decodeURIComponent(location.hash.slice(1));
})();
