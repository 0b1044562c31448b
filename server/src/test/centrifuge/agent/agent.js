// The real centrifuge client under a test's control, the same code in Node and in Chromium.
//
// A test sends commands ({id, op, ...}) and reads events ({event, ...}): what the client reports
// (connected, subscribed, publication, join, error, ...) and each command's outcome (result or
// failure, with the command's id). The wrapper decides where events go: stdout lines in Node,
// a queue the page hands to WebDriver in Chromium.
//
// The client opens its sockets through a WebSocket class of ours, which lets a test keep it off
// the network for a while (drop with hold: its sockets are closed as soon as they are made, as if
// the network were down) and send it to another node when it comes back (release with a url).

/**
 * An agent around the client library.
 *
 * @param {object} env {Centrifuge, WebSocket, emit}: the client class, the platform's WebSocket
 *     class and where events go.
 * @returns {{handle: function(object): void}}
 */
export function createAgent({ Centrifuge, WebSocket, emit }) {
  const net = { url: null, hold: false, socket: null };

  class SteeredWebSocket extends WebSocket {
    constructor(ignoredUrl, protocols) {
      super(net.url, protocols);
      net.socket = this;
      if (net.hold) {
        this.close();
      }
    }
  }

  let client = null;
  const subscriptions = new Map();

  function report(event, fields) {
    emit({ event, ...fields });
  }

  function position(pos) {
    return pos ? { offset: pos.offset, epoch: pos.epoch } : null;
  }

  function publication(ctx) {
    return {
      channel: ctx.channel,
      data: ctx.data,
      offset: ctx.offset === undefined ? null : ctx.offset,
      user: ctx.info ? ctx.info.user : null,
    };
  }

  function watchClient(c) {
    c.on('connecting', (ctx) => report('connecting', { code: ctx.code, reason: ctx.reason }));
    c.on('connected', (ctx) => report('connected', { client: ctx.client, transport: ctx.transport }));
    c.on('disconnected', (ctx) => report('disconnected', { code: ctx.code, reason: ctx.reason }));
    c.on('error', (ctx) => report('client error', { type: ctx.type, code: ctx.error.code, message: ctx.error.message }));
  }

  function watchSubscription(sub) {
    sub.on('subscribed', (ctx) =>
      report('subscribed', {
        channel: ctx.channel,
        recoverable: ctx.recoverable,
        wasRecovering: ctx.wasRecovering,
        recovered: ctx.recovered,
        position: position(ctx.streamPosition),
      }));
    sub.on('unsubscribed', (ctx) => report('unsubscribed', { channel: ctx.channel, code: ctx.code, reason: ctx.reason }));
    sub.on('error', (ctx) =>
      report('subscription error', { channel: ctx.channel, type: ctx.type, code: ctx.error.code, message: ctx.error.message }));
    sub.on('publication', (ctx) => report('publication', publication(ctx)));
    sub.on('join', (ctx) => report('join', { channel: ctx.channel, user: ctx.info.user, client: ctx.info.client }));
    sub.on('leave', (ctx) => report('leave', { channel: ctx.channel, user: ctx.info.user, client: ctx.info.client }));
  }

  function subscription(channel) {
    const sub = subscriptions.get(channel);
    if (!sub) {
      throw new Error('not subscribed to ' + channel);
    }
    return sub;
  }

  const ops = {
    connect(cmd) {
      net.url = cmd.url;
      // Tokens for refreshing the connection's, handed out in order when the client asks.
      const refreshTokens = [...(cmd.refreshTokens || [])];
      client = new Centrifuge(cmd.url, {
        token: cmd.token,
        getToken: async () => {
          report('token asked', { left: refreshTokens.length });
          if (refreshTokens.length === 0) {
            throw new Error('no token left to refresh with');
          }
          return refreshTokens.shift();
        },
        websocket: SteeredWebSocket,
        minReconnectDelay: 50,
        maxReconnectDelay: 500,
        timeout: 5000,
      });
      watchClient(client);
      client.connect();
    },
    subscribe(cmd) {
      const options = { recoverable: true, joinLeave: true, minResubscribeDelay: 50, maxResubscribeDelay: 500 };
      if (cmd.token) {
        options.token = cmd.token;
      }
      if (cmd.refreshTokens) {
        const refreshTokens = [...cmd.refreshTokens];
        options.getToken = async () => {
          report('subscription token asked', { channel: cmd.channel, left: refreshTokens.length });
          if (refreshTokens.length === 0) {
            throw new Error('no subscription token left to refresh with');
          }
          return refreshTokens.shift();
        };
      }
      const sub = client.newSubscription(cmd.channel, options);
      subscriptions.set(cmd.channel, sub);
      watchSubscription(sub);
      sub.subscribe();
    },
    unsubscribe(cmd) {
      subscription(cmd.channel).unsubscribe();
      client.removeSubscription(subscription(cmd.channel));
      subscriptions.delete(cmd.channel);
    },
    publish: (cmd) => subscription(cmd.channel).publish(cmd.data).then(() => ({})),
    presence: (cmd) =>
      subscription(cmd.channel).presence().then((r) => ({
        clients: Object.values(r.clients).map((info) => ({ client: info.client, user: info.user })),
      })),
    presenceStats: (cmd) => subscription(cmd.channel).presenceStats(),
    history: (cmd) =>
      subscription(cmd.channel)
        .history({ limit: cmd.limit, since: cmd.since || undefined, reverse: !!cmd.reverse })
        .then((r) => ({ offset: r.offset, epoch: r.epoch, publications: r.publications.map(publication) })),
    // Closes the client's socket, as a network failure would; with hold, later ones too until released.
    drop(cmd) {
      net.hold = !!cmd.hold;
      if (net.socket) {
        net.socket.close();
      }
    },
    release(cmd) {
      net.url = cmd.url || net.url;
      net.hold = false;
    },
    disconnect() {
      client.disconnect();
    },
  };

  function handle(cmd) {
    const op = ops[cmd.op];
    if (!op) {
      report('failure', { id: cmd.id, code: -1, message: 'unknown op ' + cmd.op });
      return;
    }
    Promise.resolve()
      .then(() => op(cmd))
      .then(
        (value) => report('result', { id: cmd.id, value: value === undefined ? {} : value }),
        (err) => report('failure', { id: cmd.id, code: err && err.code !== undefined ? err.code : -1, message: String(err && err.message) }),
      );
  }

  return { handle };
}
