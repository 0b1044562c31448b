package io.switchboard.channels;

import io.switchboard.channels.ChannelsApi.ClientInfo;
import io.switchboard.channels.ChannelsApi.StreamPosition;
import io.switchboard.engine.History;
import io.switchboard.session.Hub;
import io.switchboard.session.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where every publication goes out, whoever made it (a client or the server API): {@link
 * #deliver} is the one place that broadcasts one. A kept publication is one history entry whose
 * payload is its push frame, appended and broadcast once to the channel's group (encoded once,
 * no handler per subscriber); one not kept is broadcast as is.
 *
 * <p>On this node a channel's appends and its subscribes take turns ({@link #lockFor}): a
 * subscriber joins the channel's group, reads the stream and queues its reply between two appends,
 * and the reply goes through the connection's own group, in the same queue as the channel's
 * broadcasts, so a publication after the read reaches the socket after the reply and one before it
 * came before (the client drops those while it subscribes; they are in the reply or before its
 * position). Across nodes on Redis the history orders the broadcasts, but a publication made on
 * another node between a subscriber's read and its reply may reach it before the reply, which
 * the client then drops: closing that window needs the transport to hold a group's broadcasts for
 * one connection until its reply is written.
 */
final class Publications {

    private final History history;
    private final ReentrantLock[] locks = new ReentrantLock[64];

    Publications(History history) {
        this.history = history;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The lock that orders {@code channel}'s publications against subscribes on this node. */
    ReentrantLock lockFor(String channel) {
        return locks[Math.floorMod(channel.hashCode(), locks.length)];
    }

    /** The stripe of {@link #lockFor}, for taking several locks in one order. */
    int stripeOf(String channel) {
        return Math.floorMod(channel.hashCode(), locks.length);
    }

    /** The lock of stripe {@code stripe}. */
    ReentrantLock lock(int stripe) {
        return locks[stripe];
    }

    /**
     * Delivers a publication to every subscriber of {@code channel} on every node, and keeps it in
     * the channel's history unless {@code keep} is 0. The one place a publication is broadcast.
     *
     * @param data the payload as JSON text
     * @return where it landed in the stream (offset 0 and no epoch when not kept)
     */
    CompletionStage<StreamPosition> deliver(
            Hub hub, String channel, int keep, String data, ClientInfo info, Map<String, String> tags) {
        String group = ChannelNames.group(channel);
        if (keep == 0) {
            hub.broadcast(group, Message.text(Wire.unkeptPublication(channel, data, info, tags)));
            return CompletableFuture.completedFuture(new StreamPosition(0, ""));
        }
        History.Template frame = Wire.publication(channel, data, info, tags);
        ReentrantLock lock = lockFor(channel);
        lock.lock();
        try {
            return history.appendAndBroadcast(ChannelNames.stream(channel), frame, keep, hub, group)
                    .thenApply(entry -> new StreamPosition(entry.id(), Wire.epochOf(entry.payload())));
        } finally {
            lock.unlock();
        }
    }

    /** Where {@code channel}'s stream stands: its newest offset (0 when empty) and epoch. */
    CompletionStage<StreamPosition> top(String channel) {
        String stream = ChannelNames.stream(channel);
        return history.latest(stream, 1)
                .thenCompose(newest -> newest.isEmpty()
                        ? history.since(stream, 0).thenApply(recovery -> new StreamPosition(0, recovery.epoch()))
                        : CompletableFuture.completedFuture(position(newest.getFirst())));
    }

    /** The kept publications of {@code channel} after {@code offset}, as {@link History#since} says. */
    CompletionStage<History.Recovery> since(String channel, long offset) {
        return history.since(ChannelNames.stream(channel), offset);
    }

    /** The newest {@code count} publications of {@code channel}, oldest first. */
    CompletionStage<List<History.Entry>> latest(String channel, int count) {
        return history.latest(ChannelNames.stream(channel), count);
    }

    /** The position of a stored publication. */
    static StreamPosition position(History.Entry entry) {
        return new StreamPosition(entry.id(), Wire.epochOf(entry.payload()));
    }
}
