// The real centrifuge client (npm, v5) against Switchboard's channels: see helpers.mjs for the
// environment. Run: node --test  (from this directory, after npm ci).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { URL_1, URL_2, client, collect, disconnectAll, next, subscribed, token, unique } from './helpers.mjs';

afterEach(() => disconnectAll());

test('connects with a token', async () => {
  const centrifuge = client(URL_1, unique('u'));
  const connected = next(centrifuge, 'connected');
  centrifuge.connect();
  const ctx = await connected;
  assert.ok(ctx.client.length > 0, 'a client id');
});

test('delivers publications in order, published by another client', async () => {
  const channel = unique('news');
  const reader = await subscribed(URL_1, unique('reader'), channel);
  const writer = await subscribed(URL_2, unique('writer'), channel);
  for (let n = 1; n <= 20; n++) {
    await writer.sub.publish({ n });
  }
  const received = await reader.publications.until(20);
  assert.deepEqual(received.map((p) => p.data.n), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.deepEqual(received.map((p) => p.offset), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.ok(received[0].info && received[0].info.user.startsWith('writer'), 'the publisher is named');
});

test('presence and presence stats', async () => {
  const channel = unique('room');
  const alice = unique('alice');
  const bob = unique('bob');
  const first = await subscribed(URL_1, alice, channel);
  await subscribed(URL_2, bob, channel);
  const presence = await first.sub.presence();
  const users = Object.values(presence.clients).map((info) => info.user).sort();
  assert.deepEqual(users, [alice, bob].sort());
  const stats = await first.sub.presenceStats();
  assert.equal(stats.numClients, 2);
  assert.equal(stats.numUsers, 2);
});

test('history: the oldest, the newest reversed, or since a position', async () => {
  const channel = unique('log');
  const { sub } = await subscribed(URL_1, unique('u'), channel);
  for (let n = 1; n <= 3; n++) {
    await sub.publish({ n });
  }
  const all = await sub.history({ limit: 10 });
  const oldest = await sub.history({ limit: 2 });
  assert.deepEqual(oldest.publications.map((p) => p.data.n), [1, 2]);
  const after = await sub.history({ limit: 10, since: { offset: 1, epoch: all.epoch } });
  assert.deepEqual(after.publications.map((p) => p.data.n), [2, 3]);
  assert.deepEqual(all.publications.map((p) => p.data.n), [1, 2, 3]);
  assert.equal(all.offset, 3);
  assert.ok(all.epoch.length > 0);
  const newest = await sub.history({ limit: 2, reverse: true });
  assert.deepEqual(newest.publications.map((p) => p.data.n), [3, 2]);
});

test('recovers what was missed after the connection dropped', async () => {
  const channel = unique('feed');
  const reader = await subscribed(URL_1, unique('reader'), channel, {}, { minReconnectDelay: 1000, maxReconnectDelay: 1000 });
  assert.equal(reader.ctx.recovered, false);
  const writer = await subscribed(URL_2, unique('writer'), channel);
  await writer.sub.publish({ n: 1 });
  await reader.publications.until(1);

  const away = next(reader.sub, 'subscribing');
  reader.centrifuge.rpc('reconnect', {}).catch(() => {}); // the server drops the connection (3011)
  await away;
  await writer.sub.publish({ n: 2 });
  await writer.sub.publish({ n: 3 });
  const back = await next(reader.sub, 'subscribed', () => true, 10000);
  assert.equal(back.wasRecovering, true);
  assert.equal(back.recovered, true);
  assert.equal(back.streamPosition.offset, 3);
  const received = await reader.publications.until(3);
  assert.deepEqual(received.map((p) => p.data.n), [1, 2, 3]);
  assert.deepEqual(received.map((p) => p.offset), [1, 2, 3]);
});

test('a private channel with a subscription token', async () => {
  const user = unique('u');
  const channel = unique('private:p');
  let asked = 0;
  const { ctx } = await subscribed(URL_1, user, channel, {
    getToken: async (request) => {
      asked++;
      return token({ sub: user, channel: request.channel });
    },
  });
  assert.equal(asked, 1);
  assert.equal(ctx.channel, channel);
});

test('a refused subscription: no token for a private channel', async () => {
  const centrifuge = client(URL_1, unique('u'));
  const sub = centrifuge.newSubscription(unique('private:p'));
  const refused = next(sub, 'unsubscribed');
  sub.subscribe();
  centrifuge.connect();
  const ctx = await refused;
  assert.equal(ctx.code, 103);
});

test('a client may not publish where only the server does', async () => {
  const channel = unique('feed:f');
  const { sub, centrifuge, publications } = await subscribed(URL_1, unique('u'), channel);
  await assert.rejects(sub.publish({ n: 1 }), (error) => error.code === 103);
  await centrifuge.rpc('publish', { channel, data: { n: 2 } });
  const received = await publications.until(1);
  assert.equal(received[0].data.n, 2);
});

test('refreshes a short-lived connection token and stays connected', async () => {
  const user = unique('u');
  let refreshed = 0;
  const centrifuge = client(URL_1, user, {
    token: token({ sub: user }, 2),
    getToken: async () => {
      refreshed++;
      return token({ sub: user }, 3600);
    },
  });
  let disconnects = 0;
  centrifuge.on('connecting', () => disconnects++);
  centrifuge.on('disconnected', () => disconnects++);
  const connected = next(centrifuge, 'connected');
  centrifuge.connect();
  await connected;
  const before = disconnects;
  await new Promise((resolve) => setTimeout(resolve, 4000));
  assert.ok(refreshed >= 1, 'getToken was called');
  assert.equal(disconnects, before, 'still connected');
  assert.equal(centrifuge.state, 'connected');
});

test('rpc goes to the server hook; an unknown method is method not found', async () => {
  const centrifuge = client(URL_1, unique('u'));
  centrifuge.connect();
  const answer = await centrifuge.rpc('echo', { hello: 'world' });
  assert.deepEqual(answer.data, { hello: 'world' });
  await assert.rejects(centrifuge.rpc('nope', {}), (error) => error.code === 104);
});

test('subscribes server-side to the channels of the connection token', async () => {
  const user = unique('u');
  const channel = unique('news');
  const centrifuge = client(URL_1, user, { token: token({ sub: user, channels: [channel] }) });
  const subscribed = next(centrifuge, 'subscribed', (ctx) => ctx.channel === channel);
  centrifuge.connect();
  const ctx = await subscribed;
  assert.equal(ctx.positioned, true);
  const publication = next(centrifuge, 'publication', (p) => p.channel === channel);
  await centrifuge.rpc('publish', { channel, data: { n: 1 } });
  assert.deepEqual((await publication).data, { n: 1 });
});

test('join and leave pushes', async () => {
  const channel = unique('room');
  const watcher = await subscribed(URL_1, unique('watcher'), channel, { joinLeave: true });
  const visitor = unique('visitor');
  const joined = next(watcher.sub, 'join', (ctx) => ctx.info.user === visitor);
  const other = await subscribed(URL_2, visitor, channel);
  await joined;
  const left = next(watcher.sub, 'leave', (ctx) => ctx.info.user === visitor);
  other.sub.unsubscribe();
  await left;
});

test('a message from the server', async () => {
  const centrifuge = client(URL_1, unique('u'));
  centrifuge.connect();
  const message = next(centrifuge, 'message');
  await centrifuge.rpc('message', { hello: 'you' });
  assert.deepEqual((await message).data, { hello: 'you' });
});
