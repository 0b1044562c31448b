// Shared by the *.test.mjs files: the servers under test, tokens, clients, and waiting for events.
//
// Environment:
//   SWITCHBOARD_WS_URL      ws://HOST:PORT/connection/websocket of the (first) node (required)
//   SWITCHBOARD_WS_URL_2    a second node of the same cluster (optional: the first node otherwise)
//   SWITCHBOARD_TOKEN_SECRET the HS256 secret the server verifies tokens with (required)
// The server is expected to have the namespaces of CentrifugeNodeClientTest: channels without a
// namespace with history, recovery, presence and join/leave for authenticated users; "private:"
// (subscription token required); "feed:" (only the server publishes); and the rpc methods "echo",
// "reconnect" (the server disconnects the caller with 3011, to reconnect), "publish"
// ({channel, data}, published by the server) and "message" (the server sends the data back to the
// caller as a message push).
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { createHmac, randomBytes } from 'node:crypto';

export const URL_1 = required('SWITCHBOARD_WS_URL');
export const URL_2 = process.env.SWITCHBOARD_WS_URL_2 || URL_1;
const SECRET = required('SWITCHBOARD_TOKEN_SECRET');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`set ${name} (see helpers.mjs)`);
  }
  return value;
}

function base64url(value) {
  return Buffer.from(value).toString('base64url');
}

/** An HS256 token with these claims, expiring in ttlSeconds. */
export function token(claims, ttlSeconds = 3600) {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
  const payload = base64url(JSON.stringify({ ...claims, exp }));
  const signature = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** A name no other test (or earlier run against the same cluster) uses. */
export function unique(prefix) {
  return `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

const opened = [];

/** A client of url for user (a connection token of an hour unless options say otherwise). */
export function client(url, user, options = {}) {
  const centrifuge = new Centrifuge(url, {
    websocket: WebSocket,
    token: token({ sub: user }),
    minReconnectDelay: 200,
    maxReconnectDelay: 1000,
    ...options,
  });
  opened.push(centrifuge);
  return centrifuge;
}

/** Disconnects every client made by client(). Call in after()/afterEach(). */
export function disconnectAll() {
  while (opened.length > 0) {
    opened.pop().disconnect();
  }
}

/** The next `event` of emitter whose context passes `accept`, or a failure after ms. */
export function next(emitter, event, accept = () => true, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no '${event}' within ${ms} ms`));
    }, ms);
    function listener(ctx) {
      if (accept(ctx)) {
        clearTimeout(timer);
        emitter.off(event, listener);
        resolve(ctx);
      }
    }
    emitter.on(event, listener);
  });
}

/** Collects the publications of sub; `until(n)` waits for n of them. */
export function collect(sub) {
  const received = [];
  const waiters = [];
  sub.on('publication', (ctx) => {
    received.push(ctx);
    for (const waiter of [...waiters]) {
      if (received.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(received.slice());
      }
    }
  });
  return {
    received,
    until(count, ms = 5000) {
      if (received.length >= count) {
        return Promise.resolve(received.slice());
      }
      return new Promise((resolve, reject) => {
        const waiter = { count, resolve };
        waiters.push(waiter);
        setTimeout(() => reject(new Error(`${received.length} of ${count} publications within ${ms} ms`)), ms);
      });
    },
  };
}

/** A connected client and a subscribed subscription of channel. */
export async function subscribed(url, user, channel, subOptions = {}, clientOptions = {}) {
  const centrifuge = client(url, user, clientOptions);
  const sub = centrifuge.newSubscription(channel, subOptions);
  const publications = collect(sub);
  const ready = next(sub, 'subscribed');
  sub.subscribe();
  centrifuge.connect();
  const ctx = await ready;
  return { centrifuge, sub, publications, ctx };
}
