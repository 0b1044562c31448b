/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.routing.ConflatedText;
import io.switchboard.session.Address;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Event;
import io.switchboard.session.Execution;
import io.switchboard.session.Scope;
import io.switchboard.session.User;
import io.switchboard.session.WebSocketHandler;
import io.switchboard.session.internal.ConnectionSession;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import io.switchboard.time.Ticker;
import io.switchboard.transport.fanout.Member;
import io.switchboard.transport.fanout.Shard;
import io.switchboard.transport.websocket.Batched;
import io.switchboard.transport.websocket.Closer;
import io.switchboard.transport.websocket.ConnectionLog;
import io.switchboard.transport.websocket.Cork;
import io.switchboard.transport.websocket.Dispatcher;
import io.switchboard.transport.websocket.Heartbeat;
import io.switchboard.transport.websocket.HeldGroups;
import io.switchboard.transport.websocket.InboundFlow;
import io.switchboard.transport.websocket.Lifecycle;
import io.switchboard.transport.websocket.MessageReader;
import io.switchboard.transport.websocket.Outbound;
import io.switchboard.transport.websocket.PerMessageDeflate;
import io.switchboard.transport.websocket.TokenBucket;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One WebSocket connection's wiring to Netty: the last handler of its pipeline once the handshake is
 * done, under the {@link ConnectionSession} its handler talks to. The work is done by pieces with one
 * job each: the {@link Lifecycle} decides every close and the {@link Closer} carries it out, the
 * {@link MessageReader} turns frames into messages within the limits, the {@link InboundFlow} pauses
 * reading while the handler is behind, the {@link Heartbeat} pings a quiet client, the {@link
 * Outbound} writes within the outbound buffer limit, {@link HeldGroups} keeps the broadcasts of
 * groups joined held, and the {@link Dispatcher} calls the handler;
 * {@link Reactions} hands what the reader and the heartbeat report to the piece that acts on it.
 *
 * <p>Every method runs on the channel's event loop unless its comment says otherwise.
 */
final class WebSocketConnection extends ChannelInboundHandlerAdapter implements Member {

    private final ServerContext server;
    private final Channel channel;
    private final WebSocketHandler handler;
    /** The session's address, kept here too: fan-out reads it for every member of every broadcast. */
    private final Address address;
    /** The permessage-deflate parameters, or null when the connection does not compress. */
    private final PerMessageDeflate.Agreement deflate;

    private final Ticker ticker;
    private final Lifecycle lifecycle = new Lifecycle(this::peerReading);
    private final Outbound outbound;
    private final HeldGroups held;
    private final InboundFlow flow;
    private final Closer closer;
    private final ConnectionSession session;
    /** What the connection's life changes on the session; never handed to the handler. */
    private final ConnectionSession.Control control;

    private final MessageReader reader;
    private final Heartbeat heartbeat;
    private final Dispatcher dispatcher;

    /** The fields of this connection's log lines; prints as the session's address. */
    private final ConnectionLog logged;

    WebSocketConnection(ServerContext server, Channel channel, Scope scope, WebSocketHandler handler) {
        this(server, channel, scope, handler, null, server.limits().rateLimit(), null, null);
    }

    WebSocketConnection(
            ServerContext server,
            Channel channel,
            Scope scope,
            WebSocketHandler handler,
            PerMessageDeflate.Agreement deflate,
            RateLimit rateLimit,
            ConflatedText conflatedText,
            String route) {
        Limits limits = server.limits();
        EventLoop loop = channel.eventLoop();
        Address address = Address.next(server.nodeId());
        this.address = address;
        this.logged = new ConnectionLog(address, channel.remoteAddress(), route);
        this.server = server;
        this.channel = channel;
        this.handler = handler;
        this.deflate = deflate;
        this.ticker = server.ticker();
        this.flow = new InboundFlow(
                limits.buffers().inboundBufferBytes(), on -> channel.config().setAutoRead(on), loop);
        Counters counters = server.counters();
        this.closer = new Closer(channel, lifecycle, loop, limits, flow, this::afterQueued);
        Consumer<CloseStatus> close = closer::close; // one for both, not a lambda each
        this.outbound = new Outbound(channel, lifecycle, limits, logged, close, conflatedText, counters);
        this.held = new HeldGroups(channel, outbound, limits.buffers().outboundBufferBytes(), logged, close, counters);
        SessionLink link = new SessionLink(this, server.registry(), lifecycle, outbound, held, closer, loop);
        this.control = ConnectionSession.create(address, scope, server.engine(), link);
        this.session = control.session();
        Executor threads = handler.execution() == Execution.EVENT_LOOP ? null : server.virtualThreads();
        this.dispatcher = new Dispatcher(handler, session, flow, threads, loop, loop::inEventLoop, this::ended, logged);
        Reactions reactions = new Reactions(channel, logged, dispatcher, closer, outbound, counters);
        TokenBucket bucket = TokenBucket.of(rateLimit, ticker.nanoTime());
        this.reader = new MessageReader(limits, bucket, channel.alloc(), logged, reactions);
        this.heartbeat = new Heartbeat(limits, ticker, loop, lifecycle, flow, reactions);
    }

    private void afterQueued(Runnable task) {
        dispatcher.afterQueued(task);
    }

    // ---- the handshake (driven by HttpDispatcher) ----

    /** Who the authenticator says this is. Called before {@code onConnect}. */
    void authenticated(User who) {
        control.authenticated(who);
        logged.user(who == null ? null : who.name());
    }

    /** The fields of this connection's log lines (and its name in their text). */
    ConnectionLog logged() {
        return logged;
    }

    WebSocketHandler handler() {
        return handler;
    }

    /** The session the handler talks to. */
    @Override
    public ConnectionSession session() {
        return session;
    }

    /** The permessage-deflate parameters agreed in the handshake, or null. */
    PerMessageDeflate.Agreement deflate() {
        return deflate;
    }

    /** Reading starts after the handshake, as the inbound flow allows. On the loop. */
    void startReading() {
        flow.start();
    }

    @Override
    public boolean deflates() {
        return deflate != null;
    }

    /**
     * The 101 response is written and the pipeline switched: writes held since {@code onConnect} go out
     * in order, then callbacks start with {@code onOpen}.
     */
    void opened(String agreedSubprotocol) {
        control.opened(agreedSubprotocol);
        server.counters().onOpened();
        CloseStatus closeOnOpen = lifecycle.opened();
        server.registry().register(this);
        server.engine().connected(session.member());
        outbound.opened();
        heartbeat.start();
        if (closeOnOpen != null) {
            closer.close(closeOnOpen); // close() was called during connect
        }
        dispatcher.open();
    }

    /** The upgrade was refused or never completed; releases what was held. On the loop, or once it stopped. */
    void rejected() {
        lifecycle.rejected();
        outbound.releaseHeld();
        held.clear();
        server.registry().leaveAll(session.groups(), this);
        control.leaveEngineGroups(); // joined in connect, which then refused
        control.closed(CloseStatus.ABNORMAL);
    }

    /** The connection went away while {@code onConnect} ran, which had accepted it. On the loop, or once it stopped. */
    void lostBeforeOpen() {
        lifecycle.lostBeforeOpen();
        outbound.releaseHeld();
        finish(CloseStatus.ABNORMAL);
        dispatcher.start();
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        outbound.readStarted();
        long now = ticker.nanoTime(); // one clock read per frame: the heartbeat's and the rate limit's
        heartbeat.heard(now);
        if (msg instanceof CloseWebSocketFrame close) {
            closer.peerClosed(close);
        } else if (lifecycle.reading()) {
            reader.read(msg, now);
        } else {
            ReferenceCountUtil.release(msg); // after a close, data is discarded (RFC 6455, 1.4)
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        outbound.readComplete();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closer.caught(cause, logged);
    }

    // ---- the end ----

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reader.discard();
        closer.cancel();
        heartbeat.stop();
        boolean ours = !lifecycle.peerChoseCode();
        CloseStatus status = lifecycle.tcpClosed();
        server.counters().onClosed(status.code(), ours);
        finish(status);
    }

    /** Closed: local groups are left at once; the handler hears of it after what it has queued. */
    private void finish(CloseStatus status) {
        held.clear();
        server.registry().leaveAll(session.groups(), this);
        control.closed(status);
        dispatcher.disconnect(status);
    }

    /** After {@code onDisconnect}: the engine forgets the session. */
    private void ended() {
        control.leaveEngineGroups();
        server.engine().disconnected(session.member());
        server.registry().unregister(this);
    }

    /** Whether the connection has closed or was refused; it takes no more group membership. Any thread. */
    @Override
    public boolean isFinished() {
        return lifecycle.finished();
    }

    // ---- outbound: group traffic ----

    private boolean peerReading() {
        return outbound.peerReading();
    }

    /** A group event for this session's handler; on the loop. Dropped when the handler is far behind. */
    @Override
    public void deliver(Event event) {
        if (lifecycle.sending()) {
            dispatcher.event(event);
        }
    }

    /**
     * A shared broadcast frame, compressed when this connection negotiated deflate and the message
     * fits its window, written without a flush (see {@link Batched}).
     */
    @Override
    public Batched writeBatched(Shard.Broadcast broadcast) {
        if (held.hold(broadcast.group(), broadcast.message())) {
            return Batched.NOT_WRITTEN; // the handler releases it, after its own message (Session.joinHeld)
        }
        ByteBuf frame = deflate != null && broadcast.deflated() != null && deflate.compresses(broadcast.size())
                ? broadcast.deflated()
                : broadcast.frame();
        return broadcast.key() == null
                ? outbound.writeBatched(frame, broadcast.size())
                : outbound.writeLatest(
                        frame, broadcast.size(), broadcast.group(), broadcast.key(), broadcast.message());
    }

    /** Room again in the outbound buffer: the latest values held meanwhile go out. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            outbound.drainLatest();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Ends a broadcast batch: one flush for everything written in it. */
    @Override
    public void flushBatch() {
        outbound.flushBatch();
    }

    /** The handler that gathers broadcast frames until the batch's flush, for the pipeline. */
    Cork cork() {
        return outbound.cork();
    }

    // ---- for LocalRegistry and Shard ----

    @Override
    public Address address() {
        return address;
    }

    @Override
    public String toString() {
        return "Session[" + session.address() + " " + session.scope().path() + " " + lifecycle + "]";
    }
}
