package io.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.Limits;
import io.switchboard.RateLimit;
import io.switchboard.RateLimitPolicy;
import io.switchboard.SlowConsumerPolicy;
import io.switchboard.engine.Address;
import io.switchboard.engine.Groups;
import io.switchboard.engine.Hub;
import io.switchboard.engine.MemberInfo;
import io.switchboard.engine.MembershipChange;
import io.switchboard.security.User;
import io.switchboard.session.CloseStatus;
import io.switchboard.session.Event;
import io.switchboard.session.Execution;
import io.switchboard.session.Message;
import io.switchboard.session.Scope;
import io.switchboard.session.Session;
import io.switchboard.session.WebSocketHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection: the {@link Session} its handler talks to, and the last handler of its
 * pipeline once the handshake is done. It joins fragments into messages, answers pings, runs the
 * closing handshake, enforces the message size, rate and outbound buffer limits, pings a client that
 * has gone quiet (closing it with 1001 if nothing comes back), and passes messages to the handler
 * through a {@link Mailbox} so that callbacks never overlap.
 *
 * <p>State changes happen on the channel's event loop; other threads read the volatile state and
 * hand work to the loop.
 */
final class WebSocketConnection extends ChannelInboundHandlerAdapter implements Session {

    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    /**
     * Fragments of one message that cost one rate-limit token (its first frame costs one of its
     * own): a 64 KiB message in 1,024 fragments costs 65, within the default burst of 200.
     */
    static final int FRAGMENTS_PER_TOKEN = 16;

    /** What the mailbox carries to the handler. */
    sealed interface Signal permits Text, Binary, Deliver, Disconnect, Barrier {}

    record Text(String text, int size) implements Signal {}

    record Binary(byte[] data) implements Signal {}

    record Deliver(Event event) implements Signal {}

    record Disconnect(CloseStatus status) implements Signal {}

    /** Runs {@code task} on the loop once the handler has taken every signal posted before it. */
    record Barrier(Runnable task) implements Signal {}

    private final ServerContext server;
    private final Channel channel;
    private final Scope scope;
    private final WebSocketHandler handler;
    private final Address address;
    private final Limits limits;
    /** The permessage-deflate parameters, or null when the connection does not compress. */
    private final PerMessageDeflate.Agreement deflate;

    private final Mailbox<Signal> mailbox;
    /** Made on the first send from another thread: event-loop handlers and idle sessions never need one. */
    private volatile Outbox outbox;

    private final CompletableFuture<CloseStatus> closeFuture = new CompletableFuture<>();
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final AtomicLong inboundBytes = new AtomicLong();
    private volatile Map<String, Object> attributes;
    private final Lifecycle lifecycle = new Lifecycle(this::peerReading);
    private volatile User user;
    private volatile String subprotocol;
    private volatile MemberInfo member;
    private volatile boolean readingPaused;
    /**
     * Set by {@link #close(CloseStatus)} at once, on the caller's thread, while the close itself
     * waits its turn on the loop: sends after a close fail from the moment it returns.
     */
    private volatile boolean closeRequested;
    /** Set once a callback threw: later messages are skipped; disconnect still runs. */
    private volatile boolean failed;

    // Event-loop only.
    /** What the handler sent during {@code onConnect}, written first after the handshake. */
    private List<Object> heldSends = new ArrayList<>();
    /** Group traffic that arrived during {@code onConnect}, written after the handler's own sends. */
    private List<Object> heldBroadcasts = new ArrayList<>();

    private long heldBytes;
    private final FragmentAssembler fragments;
    private boolean markedForFlush;
    /** Between the first frame of a read and {@link #channelReadComplete}: on-loop sends wait to flush. */
    private boolean reading;

    private boolean flushAfterRead;
    private boolean overflowed;
    private ScheduledFuture<?> closeTimer;
    /** While a close waits for the handler (see {@link #drain}): ends the wait after the close timeout. */
    private ScheduledFuture<?> drainTimer;

    /** A pong waits behind data the client has not read (dropping policy only; see onPing). */
    private boolean pongWaiting;

    private final TokenBucket bucket;
    private boolean droppingLogged;

    /** When the client last sent anything, and when we pinged it (0: no ping unanswered). */
    private long lastReadAt;

    private long pingSentAt;
    /** The one timer of the heartbeat: the next check of this connection's silence. */
    private ScheduledFuture<?> heartbeat;

    WebSocketConnection(ServerContext server, Channel channel, Scope scope, WebSocketHandler handler) {
        this(server, channel, scope, handler, null, server.limits().rateLimit());
    }

    WebSocketConnection(
            ServerContext server,
            Channel channel,
            Scope scope,
            WebSocketHandler handler,
            PerMessageDeflate.Agreement deflate,
            RateLimit rateLimit) {
        this.server = server;
        this.deflate = deflate;
        this.bucket = new TokenBucket(rateLimit, System.nanoTime());
        this.channel = channel;
        this.scope = scope;
        this.handler = handler;
        this.address = Address.next(server.nodeId());
        this.limits = server.limits();
        this.fragments = new FragmentAssembler(limits.maxMessageBytes(), limits.maxFragments());
        this.member = new MemberInfo(address, null);
        this.mailbox = handler.execution() == Execution.EVENT_LOOP
                ? new Mailbox<>(this::runOnLoop, this::handle, channel.eventLoop()::inEventLoop)
                : new Mailbox<>(server.virtualThreads(), this::handle);
    }

    // ---- handshake phase (driven by HttpDispatcher) ----

    /** Who the authenticator says this is. Called before {@code onConnect}. */
    void authenticated(User who) {
        this.user = who;
        this.member = new MemberInfo(address, who == null ? null : who.name());
    }

    WebSocketHandler handler() {
        return handler;
    }

    /** The permessage-deflate parameters agreed in the handshake, or null. */
    PerMessageDeflate.Agreement deflate() {
        return deflate;
    }

    /**
     * The 101 response is written and the pipeline switched: writes held since {@code onConnect} go out
     * in order, and callbacks may start. On the event loop.
     */
    void opened(String agreedSubprotocol) {
        this.subprotocol = agreedSubprotocol;
        CloseStatus closeOnOpen = lifecycle.opened();
        server.registry().register(this);
        server.engine().connected(member);
        for (List<Object> held : List.of(heldSends, heldBroadcasts)) {
            for (Object frame : held) {
                channel.write(frame, channel.voidPromise());
            }
        }
        heldSends = null;
        heldBroadcasts = null;
        channel.flush();
        lastReadAt = System.nanoTime();
        scheduleHeartbeat(limits.pingInterval().toNanos());
        if (closeOnOpen != null) {
            apply(lifecycle.close(closeOnOpen)); // close() was called during connect
        }
        mailbox.start();
    }

    /** The upgrade was refused or never completed; releases what was held. On the loop, or once it stopped. */
    void rejected() {
        lifecycle.rejected();
        releaseHeld();
        server.registry().leaveAll(groups, this);
        leaveEngineGroups(); // joined in connect, which then refused
        closeFuture.complete(CloseStatus.ABNORMAL);
    }

    /** The connection went away while {@code onConnect} ran, which had accepted it. On the loop, or once it stopped. */
    void lostBeforeOpen() {
        lifecycle.lostBeforeOpen();
        releaseHeld();
        finish(CloseStatus.ABNORMAL);
        mailbox.start();
    }

    private void releaseHeld() {
        if (heldSends != null) {
            heldSends.forEach(ReferenceCountUtil::release);
            heldBroadcasts.forEach(ReferenceCountUtil::release);
            heldSends = null;
            heldBroadcasts = null;
        }
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Whether the connection has closed or was refused; it takes no more group membership. */
    boolean isFinished() {
        return lifecycle.finished();
    }

    // ---- inbound frames ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        lastReadAt = System.nanoTime();
        switch (msg) {
            case TextWebSocketFrame frame -> onDataFrame(frame, true);
            case BinaryWebSocketFrame frame -> onDataFrame(frame, false);
            case ContinuationWebSocketFrame frame -> onContinuation(frame);
            case PingWebSocketFrame ping -> onPing(ping);
            case PongWebSocketFrame pong -> onPong(pong);
            case CloseWebSocketFrame close -> onCloseFrame(close);
            default -> ReferenceCountUtil.release(msg);
        }
    }

    private void onDataFrame(WebSocketFrame frame, boolean text) {
        if (!lifecycle.reading()) {
            frame.release(); // after our close frame, data is discarded (RFC 6455, 1.4)
            return;
        }
        if (!withinRate(Counted.MESSAGE)) {
            frame.release();
            if (!frame.isFinalFragment() && lifecycle.reading()) {
                fragments.startDropped(text); // its continuations still count, to the fragment limit
            }
            return;
        }
        if (frame.content().readableBytes() > limits.maxMessageBytes()) {
            frame.release();
            tooBig();
            return;
        }
        if (frame.isFinalFragment()) {
            deliverMessage(frame.content(), text);
            return;
        }
        assembled(fragments.start(channel.alloc(), frame.content(), text));
    }

    private void onContinuation(ContinuationWebSocketFrame frame) {
        if (!lifecycle.reading() || !fragments.inProgress()) {
            frame.release(); // the message ended over a limit, and the connection is closing
            return;
        }
        if ((fragments.fragments() + 1) % FRAGMENTS_PER_TOKEN == 0 && !withinRate(Counted.FRAGMENT)) {
            if (!lifecycle.reading()) {
                frame.release(); // closed over the rate limit
                return;
            }
            fragments.drop(); // a message with a fragment missing is no message; it is still counted
        }
        assembled(fragments.add(frame.content(), frame.isFinalFragment()));
    }

    private void assembled(FragmentAssembler.Outcome outcome) {
        switch (outcome) {
            case MORE -> {}
            case COMPLETE -> deliverMessage(fragments.take(), fragments.text());
            case TOO_BIG -> tooBig();
            case TOO_MANY_FRAGMENTS -> {
                // A flood, not a large message: fail the connection as the rate limit does, rather than
                // wait out a closing handshake while the flood is still being decoded.
                log.info("closing {} with 1009: message in over {} fragments", address, limits.maxFragments());
                apply(lifecycle.fail(CloseStatus.MESSAGE_TOO_BIG.withReason(
                        "message in over " + limits.maxFragments() + " fragments")));
            }
        }
    }

    private void tooBig() {
        log.info("closing {} with 1009: message over {} bytes", address, limits.maxMessageBytes());
        CloseStatus status =
                CloseStatus.MESSAGE_TOO_BIG.withReason("message over " + limits.maxMessageBytes() + " bytes");
        apply(lifecycle.closeAfterQueued(status));
    }

    /** Takes ownership of {@code content}: reads it out and releases it. */
    private void deliverMessage(ByteBuf content, boolean text) {
        int size = content.readableBytes();
        Signal signal;
        try {
            signal = text
                    ? new Text(content.toString(StandardCharsets.UTF_8), size)
                    : new Binary(ByteBufUtil.getBytes(content));
        } finally {
            content.release();
        }
        post(signal, size);
    }

    /** What a frame over the rate limit was: it decides the log line and whether a reply is due. */
    private enum Counted {
        MESSAGE("messages"),
        FRAGMENT("fragments"),
        PING("pings"),
        PONG("pongs");

        final String plural;

        Counted(String plural) {
            this.plural = plural;
        }
    }

    /**
     * Takes a token for one frame: the first frame of a data message, every {@value
     * #FRAGMENTS_PER_TOKEN}th fragment of it, each ping and each pong cost one, so neither fragment
     * nor ping floods escape the limit while a large message in small fragments stays within the
     * burst. Over it, applies the policy and returns false: the caller drops the frame.
     */
    private boolean withinRate(Counted what) {
        if (bucket.take(lastReadAt)) { // the time this read began: one clock read per frame
            return true;
        }
        overRate(what);
        return false;
    }

    /** A frame over the rate limit: close with 1008, or drop it (replying to a dropped message). */
    private void overRate(Counted what) {
        RateLimit rateLimit = bucket.limit();
        String counting =
                switch (what) {
                    case MESSAGE -> "";
                    case FRAGMENT -> " (every " + FRAGMENTS_PER_TOKEN + " fragments count as a message)";
                    default -> " (" + what.plural + " count as messages)";
                };
        if (rateLimit.policy() == RateLimitPolicy.CLOSE) {
            log.info("closing {} with 1008: over {} messages per second{}", address, rateLimit.perSecond(), counting);
            // Not a closing handshake: once the handler has what came before, the close frame goes
            // out and TCP is closed; nothing more is read from a flooding client meanwhile.
            apply(lifecycle.fail(CloseStatus.POLICY_VIOLATION.withReason("rate limit exceeded")));
            return;
        }
        if (!droppingLogged) {
            droppingLogged = true; // one line per connection, however long the flood
            log.info(
                    "dropping messages from {}: over {} messages per second{}",
                    address,
                    rateLimit.perSecond(),
                    counting);
        }
        // A dropped ping gets no pong and a dropped pong nothing: a reply would feed the flood.
        // One reply per dropped message: the later fragments of one already dropped get none.
        boolean newlyDropped = what == Counted.MESSAGE || (what == Counted.FRAGMENT && !fragments.dropping());
        if (rateLimit.reply() != null && newlyDropped) {
            Message reply = Message.text(rateLimit.reply());
            writeOnLoop(Frames.frame(channel.alloc(), reply), reply.size(), true, false);
        }
    }

    private void post(Signal signal, int size) {
        if (inboundBytes.addAndGet(size) > limits.inboundBufferBytes() && !readingPaused) {
            pauseReading();
        }
        mailbox.post(signal);
    }

    /** On the loop. See {@link #resumeReadingIfDrained(int)} for why the check is repeated after pausing. */
    private void pauseReading() {
        readingPaused = true;
        channel.config().setAutoRead(false);
        if (inboundBytes.get() <= limits.inboundBufferBytes() / 2) {
            resumeReading();
        }
    }

    /**
     * After a callback: resume reading once the backlog is down to half. The reader pauses by writing
     * the flag and then re-reading the count; this side writes the count and then reads the flag, so
     * one of the two always sees the other and reading never stays paused with an empty backlog.
     */
    private void resumeReadingIfDrained(int size) {
        if (inboundBytes.addAndGet(-size) <= limits.inboundBufferBytes() / 2 && readingPaused) {
            Loops.execute(channel.eventLoop(), this::resumeReading);
        }
    }

    private void resumeReading() {
        if (readingPaused && inboundBytes.get() <= limits.inboundBufferBytes() / 2) {
            readingPaused = false;
            if (drainTimer == null) {
                channel.config().setAutoRead(true);
            }
        }
    }

    /** A pong says nothing more than any other frame (see {@link #checkHeartbeat}), but it counts. */
    private void onPong(PongWebSocketFrame pong) {
        pong.release();
        if (lifecycle.reading()) {
            withinRate(Counted.PONG);
        }
    }

    private void onPing(PingWebSocketFrame ping) {
        if (!lifecycle.reading() || !withinRate(Counted.PING)) {
            ping.release();
            return;
        }
        int size = ping.content().readableBytes();
        PongWebSocketFrame pong = new PongWebSocketFrame(ping.content());
        if (channel.isWritable() || limits.slowConsumerPolicy() == SlowConsumerPolicy.CLOSE) {
            // Bounded like any other write: a client that pings without reading is a slow consumer.
            writeOnLoop(pong, size, true, false);
        } else if (!pongWaiting) {
            // Dropping policy and a client that is not reading: one pong may answer several pings
            // (RFC 6455, 5.5.3), so at most one waits behind the unread data.
            pongWaiting = true;
            channel.writeAndFlush(pong).addListener(written -> pongWaiting = false);
        } else {
            pong.release();
        }
    }

    private void onCloseFrame(CloseWebSocketFrame frame) {
        try {
            apply(lifecycle.peerClosed(peerStatus(frame)));
        } finally {
            frame.release();
        }
    }

    /** Carries out a decision of the {@link Lifecycle}. On the loop. */
    private void apply(Lifecycle.Step step) {
        switch (step) {
            case Lifecycle.Step.Nothing nothing -> {}
            case Lifecycle.Step.Drain d -> drain();
            case Lifecycle.Step.CloseTcp c -> channel.close();
            case Lifecycle.Step.SendClose send -> sendClose(send.frame(), send.then());
        }
    }

    private void sendClose(CloseStatus status, Lifecycle.Then then) {
        CloseWebSocketFrame frame = status.equals(CloseStatus.NO_STATUS)
                ? new CloseWebSocketFrame()
                : new CloseWebSocketFrame(status.code(), status.reason());
        switch (then) {
            case AWAIT_PEER -> {
                channel.writeAndFlush(frame, channel.voidPromise());
                closeTimer = afterCloseTimeout(() -> apply(lifecycle.timedOut()));
            }
            case CLOSE_WHEN_WRITTEN -> channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
            case LINGER -> {
                // Lingering briefly, so that what the peer still sends cannot reset the connection
                // before it reads the frame; the close timeout bounds a client that does not read.
                LingeringClose.after(channel.writeAndFlush(frame), 2L * limits.maxFrameBytes());
                closeTimer = afterCloseTimeout(() -> apply(lifecycle.timedOut()));
            }
            case CLOSE_NOW -> {
                channel.writeAndFlush(frame, channel.voidPromise());
                channel.close();
            }
        }
    }

    private ScheduledFuture<?> afterCloseTimeout(Runnable task) {
        return channel.eventLoop().schedule(task, limits.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for the handler to take every message that arrived before now, so that its replies to
     * them precede the close frame; reading stops meanwhile, so that a flooding client is not read
     * and discarded until the close goes out. A handler that takes longer than the close timeout is
     * not waited for. On the loop.
     */
    private void drain() {
        channel.config().setAutoRead(false);
        drainTimer = afterCloseTimeout(this::drained);
        mailbox.post(new Barrier(this::drained));
    }

    private void drained() {
        if (drainTimer == null) {
            return; // the barrier or the timer came first
        }
        drainTimer.cancel(false);
        drainTimer = null;
        if (!readingPaused) {
            channel.config().setAutoRead(true); // for the peer's answer to our close
        }
        apply(lifecycle.drained());
    }

    private static CloseStatus peerStatus(CloseWebSocketFrame frame) {
        if (frame.content().readableBytes() < 2) {
            return CloseStatus.NO_STATUS;
        }
        return new CloseStatus(frame.statusCode(), CloseStatus.truncate(frame.reasonText()));
    }

    // ---- heartbeat ----

    private void scheduleHeartbeat(long delayNanos) {
        heartbeat = channel.eventLoop().schedule(this::checkHeartbeat, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Pings a connection silent for the ping interval, and closes one that stays silent for the pong
     * timeout after the ping. Anything received counts as an answer. On the loop.
     */
    private void checkHeartbeat() {
        if (!lifecycle.open()) {
            return; // closing: the close timer takes over
        }
        long now = System.nanoTime();
        if (readingPaused) {
            // We stopped reading (the handler is behind), not the client: its silence says nothing.
            pingSentAt = 0;
            lastReadAt = now;
            scheduleHeartbeat(limits.pingInterval().toNanos());
            return;
        }
        if (pingSentAt != 0 && lastReadAt - pingSentAt < 0) {
            long waited = now - pingSentAt;
            if (waited >= limits.pongTimeout().toNanos()) {
                pingTimeout();
            } else {
                scheduleHeartbeat(limits.pongTimeout().toNanos() - waited);
            }
            return;
        }
        pingSentAt = 0;
        long silent = now - lastReadAt;
        if (silent < limits.pingInterval().toNanos()) {
            scheduleHeartbeat(limits.pingInterval().toNanos() - silent);
            return;
        }
        pingSentAt = now;
        channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        scheduleHeartbeat(limits.pongTimeout().toNanos());
    }

    /**
     * No answer to a ping: the client is gone or stuck. 1001 tells a live but stalled client to
     * reconnect; we close TCP at once rather than wait for a closing handshake that will not come.
     */
    private void pingTimeout() {
        log.info(
                "closing {} with 1001: no answer to a ping within {} ms",
                address,
                limits.pongTimeout().toMillis());
        apply(lifecycle.unresponsive(CloseStatus.GOING_AWAY.withReason("ping timeout")));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (flushAfterRead) {
            flushAfterRead = false;
            channel.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            if (lifecycle.phase() instanceof Lifecycle.Phase.Draining) {
                return; // a second violation while the first one's close is on its way: one log line
            }
            CloseStatus status =
                    new CloseStatus(corrupt.closeStatus().code(), CloseStatus.truncate(corrupt.getMessage()));
            log.info("closing {} with {}: {}", address, status.code(), corrupt.getMessage());
            apply(lifecycle.fail(status));
        } else if (cause instanceof IOException) {
            log.debug("connection {} failed: {}", address, cause.toString());
            channel.close();
        } else {
            log.warn("unexpected error on connection {}; closing with 1011", address, cause);
            apply(lifecycle.fail(CloseStatus.INTERNAL_ERROR));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fragments.discard();
        if (closeTimer != null) {
            closeTimer.cancel(false);
        }
        if (drainTimer != null) {
            drainTimer.cancel(false);
            drainTimer = null;
        }
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        finish(lifecycle.tcpClosed());
    }

    /** Closed: local groups are left at once; the handler hears of it after what it has queued. */
    private void finish(CloseStatus status) {
        server.registry().leaveAll(groups, this);
        closeFuture.complete(status);
        mailbox.post(new Disconnect(status));
    }

    // ---- the mailbox: callbacks, one at a time ----

    private void handle(Signal signal) {
        switch (signal) {
            case Text text -> {
                resumeReadingIfDrained(text.size());
                if (!failed) {
                    call(() -> handler.onText(this, text.text()));
                }
            }
            case Binary binary -> {
                resumeReadingIfDrained(binary.data().length);
                if (!failed) {
                    call(() -> handler.onBinary(this, binary.data()));
                }
            }
            case Deliver deliver -> {
                resumeReadingIfDrained(deliver.event().json().length());
                if (!failed) {
                    call(() -> handler.onEvent(this, deliver.event()));
                }
            }
            case Barrier barrier -> runOnLoop(barrier.task());
            case Disconnect disconnect -> {
                try {
                    call(() -> handler.onDisconnect(this, disconnect.status()));
                } finally {
                    leaveEngineGroups();
                    server.engine().disconnected(member);
                    server.registry().unregister(this);
                }
            }
        }
    }

    private interface Callback {
        void run() throws Exception;
    }

    private void call(Callback callback) {
        try {
            callback.run();
        } catch (Throwable e) {
            if (!failed) {
                answerFailure(e);
            }
        }
    }

    /** The handler's {@code onError} decides; once the connection is closing, later messages are not delivered. */
    private void answerFailure(Throwable error) {
        try {
            handler.onError(this, error);
        } catch (Throwable again) {
            again.addSuppressed(error);
            log.warn("onError for {} on {} failed; closing with 1011", address, scope.path(), again);
            close(CloseStatus.INTERNAL_ERROR);
        }
        failed = !isOpen();
    }

    private void leaveEngineGroups() {
        for (String group : List.copyOf(groups)) {
            groups.remove(group);
            server.engine().leave(group, member);
        }
    }

    private void runOnLoop(Runnable task) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            Loops.execute(loop, task); // a stopped loop has closed the channel: nothing left to do
        }
    }

    /** A group event for this session's handler; on the loop. Dropped when the handler is far behind. */
    void deliver(Event event) {
        if (!lifecycle.sending()) {
            return;
        }
        if (inboundBytes.get() > 2L * limits.inboundBufferBytes()) {
            if (!overflowed) {
                overflowed = true;
                log.warn("events for {} arrive faster than its handler takes them; dropping", address);
            }
            return;
        }
        post(new Deliver(event), event.json().length());
    }

    // ---- outbound ----

    @Override
    public boolean send(String text) {
        return send(Message.text(text));
    }

    @Override
    public boolean send(byte[] data) {
        return send(Message.binary(data));
    }

    @Override
    public boolean send(Message message) {
        if (closeRequested || !lifecycle.sending()) {
            return false;
        }
        WebSocketFrame frame = Frames.frame(channel.alloc(), message);
        if (channel.eventLoop().inEventLoop()) {
            return writeOnLoop(frame, message.size(), true, false);
        }
        if (!lifecycle.connecting()) {
            Outbox batch = outbox();
            if (!channel.isWritable() || batch.bytes.get() > limits.outboundBufferBytes()) {
                frame.release();
                return overflow();
            }
            batch.add(frame, message.size());
            return true;
        }
        if (!Loops.execute(channel.eventLoop(), () -> writeOnLoop(frame, message.size(), true, false))) {
            frame.release();
            return false;
        }
        return true;
    }

    private Outbox outbox() {
        Outbox batch = outbox;
        if (batch == null) {
            synchronized (this) {
                batch = outbox;
                if (batch == null) {
                    batch = new Outbox();
                    outbox = batch;
                }
            }
        }
        return batch;
    }

    /**
     * Frames sent from other threads (a handler's virtual thread), handed to the loop in batches: one
     * task and one flush for everything sent since the last batch, instead of a task, a wake-up and
     * a system call per message.
     */
    private final class Outbox implements Runnable {
        /** A frame and the size {@link #add} counted for it, which is what leaving subtracts. */
        private record Pending(WebSocketFrame frame, int size) {}

        private final java.util.Queue<Pending> frames = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final AtomicLong bytes = new AtomicLong();
        private final java.util.concurrent.atomic.AtomicBoolean scheduled =
                new java.util.concurrent.atomic.AtomicBoolean();

        void add(WebSocketFrame frame, int size) {
            bytes.addAndGet(size);
            frames.offer(new Pending(frame, size));
            if (scheduled.compareAndSet(false, true) && !Loops.execute(channel.eventLoop(), this)) {
                discard();
            }
        }

        /** The loop has stopped, and the channel with it: the frames have nowhere to go. */
        private void discard() {
            scheduled.set(false); // a later add finds the loop stopped too, and comes here
            Pending pending;
            while ((pending = frames.poll()) != null) {
                bytes.addAndGet(-pending.size());
                pending.frame().release();
            }
        }

        @Override
        public void run() {
            scheduled.set(false);
            boolean wrote = false;
            Pending pending;
            while ((pending = frames.poll()) != null) {
                bytes.addAndGet(-pending.size());
                if (lifecycle.open()) { // sent before any close: the close task comes after this one
                    channel.write(pending.frame(), channel.voidPromise());
                    wrote = true;
                } else {
                    pending.frame().release();
                }
            }
            if (wrote) {
                channel.flush();
            }
        }
    }

    /**
     * A shared broadcast frame, compressed when this connection negotiated deflate and the message
     * fits its window, written without a flush; true when first written in this batch.
     */
    boolean writeBatched(Shard.Broadcast broadcast) {
        ByteBuf frame = deflate != null && broadcast.deflated() != null && deflate.compresses(broadcast.size())
                ? broadcast.deflated()
                : broadcast.frame();
        if (!writeOnLoop(frame.retainedDuplicate(), frame.readableBytes(), false, true) || markedForFlush) {
            return false;
        }
        markedForFlush = true;
        return true;
    }

    /** Ends a broadcast batch: one flush for everything written in it. */
    void flushBatch() {
        markedForFlush = false;
        channel.flush();
    }

    private boolean writeOnLoop(Object frame, int size, boolean flush, boolean broadcast) {
        Lifecycle.Phase now = lifecycle.phase();
        switch (now) {
            case Lifecycle.Phase.Connecting c -> {
                heldBytes += size;
                if (heldBytes > limits.outboundBufferBytes()) {
                    ReferenceCountUtil.release(frame);
                    if (!broadcast) {
                        // A connect-time send (a welcome) that does not fit: the group traffic held
                        // behind it must not reach the client without it. Later frames overflow too.
                        heldBroadcasts.forEach(ReferenceCountUtil::release);
                        heldBroadcasts.clear();
                    }
                    return overflow();
                }
                (broadcast ? heldBroadcasts : heldSends).add(frame);
                return true;
            }
            case Lifecycle.Phase.Open o -> {
                return writeOpen(frame, flush);
            }
            case Lifecycle.Phase.Draining d -> {
                return writeOpen(frame, flush);
            }
            default -> {
                ReferenceCountUtil.release(frame);
                return false;
            }
        }
    }

    private boolean writeOpen(Object frame, boolean flush) {
        if (!channel.isWritable() && !writableAfterFlush()) {
            ReferenceCountUtil.release(frame);
            return overflow();
        }
        channel.write(frame, channel.voidPromise());
        if (flush) {
            if (reading) {
                flushAfterRead = true; // replies to a batch of reads share one flush
            } else {
                channel.flush();
            }
        }
        return true;
    }

    /**
     * A broadcast batch writes without flushing, so a full outbound buffer may hold bytes not yet
     * offered to the socket rather than bytes the client has not read: a fast client must not be
     * taken for a slow one because a burst was large. Flushing tells them apart.
     */
    private boolean writableAfterFlush() {
        channel.flush();
        return channel.isWritable();
    }

    /** The client is not reading and the outbound buffer is full: apply the policy. */
    private boolean overflow() {
        if (limits.slowConsumerPolicy() == SlowConsumerPolicy.CLOSE) {
            long queued = queuedBytes(); // now: by the time the loop runs this, the client may have read it
            runOnLoop(() -> {
                if (!channel.isOpen() || channel.unsafe().outboundBuffer() == null) {
                    // Not slow but gone: Netty drops the buffer of a channel that takes no more
                    // writes (closed, or its output shut after a write failed on a reset), and
                    // channelInactive, due on this loop, ends the session.
                    return;
                }
                // Once per connection: while connecting, the close waits for the handshake, and
                // every further send would find the state unchanged.
                if (lifecycle.closable()) {
                    log.info("closing {} with 1008: slow consumer ({} bytes queued)", address, queued);
                    apply(lifecycle.close(CloseStatus.POLICY_VIOLATION.withReason("slow consumer")));
                }
            });
        }
        return false;
    }

    /**
     * What waits to go out to this client: in Netty's buffer, from other threads, or held while
     * connecting (read on the loop only, as is the state then).
     */
    private long queuedBytes() {
        if (lifecycle.connecting()) {
            return heldBytes;
        }
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        Outbox batch = outbox;
        return (buffer == null ? 0 : buffer.totalPendingWriteBytes()) + (batch == null ? 0 : batch.bytes.get());
    }

    @Override
    public void close(CloseStatus status) {
        if (!status.sendable()) {
            throw new IllegalArgumentException("close code " + status.code() + " may not be sent");
        }
        closeRequested = true;
        runOnLoop(() -> apply(lifecycle.close(status)));
    }

    /** Whether the client reads what we write: flushing first, for a batch written without a flush. */
    private boolean peerReading() {
        return channel.isWritable() || writableAfterFlush();
    }

    // ---- the rest of Session ----

    @Override
    public Address address() {
        return address;
    }

    @Override
    public Scope scope() {
        return scope;
    }

    @Override
    public Optional<User> user() {
        return Optional.ofNullable(user);
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.ofNullable(subprotocol);
    }

    @Override
    public boolean isOpen() {
        return lifecycle.open() && !closeRequested;
    }

    @Override
    public CompletionStage<CloseStatus> closeFuture() {
        return closeFuture.minimalCompletionStage();
    }

    @Override
    public CompletionStage<MembershipChange> join(String group) {
        Groups.requireValidName(group);
        if (isFinished()) {
            return CompletableFuture.completedFuture(MembershipChange.NONE);
        }
        if (groups.add(group)) {
            server.registry().join(group, this);
        }
        return server.engine().join(group, member);
    }

    @Override
    public CompletionStage<MembershipChange> leave(String group) {
        Groups.requireValidName(group);
        if (groups.remove(group)) {
            server.registry().leave(group, this);
        }
        return server.engine().leave(group, member);
    }

    @Override
    public Set<String> groups() {
        return Collections.unmodifiableSet(groups);
    }

    @Override
    public Hub hub() {
        return server.engine();
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>();
                    attributes = map;
                }
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return "Session[" + address + " " + scope.path() + " " + lifecycle + "]";
    }
}
