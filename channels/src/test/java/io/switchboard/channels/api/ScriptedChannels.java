/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import io.switchboard.channels.ChannelsApi;
import io.switchboard.channels.ChannelsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link ChannelsApi} that records each call (as a line naming it and its arguments) and answers
 * with the values a test set; {@link #failWith} makes the next call fail. It stands in for the
 * channels so that the HTTP layer's shapes can be checked one by one; the end-to-end tests use the
 * real thing.
 */
final class ScriptedChannels implements ChannelsApi {

    final List<String> calls = Collections.synchronizedList(new ArrayList<>()); // calls may come in parallel
    final List<Publish> published = new ArrayList<>();
    StreamPosition position = new StreamPosition(7, "epoch-1");
    Map<String, ClientInfo> presence = Map.of();
    HistoryPage history = new HistoryPage(List.of(), position);
    Map<String, Integer> channels = Map.of();
    List<NodeInfo> nodes = List.of();
    private Throwable failure;
    /** Thrown (not returned in a stage) by the next call, as a broken implementation might. */
    RuntimeException throwNow;

    /** The next call completes with {@code error}. */
    void failWith(Throwable error) {
        failure = error;
    }

    private synchronized <T> CompletionStage<T> answer(String call, T value) {
        calls.add(call);
        if (throwNow != null) {
            RuntimeException thrown = throwNow;
            throwNow = null;
            throw thrown;
        }
        if (failure != null) {
            Throwable error = failure;
            failure = null;
            return CompletableFuture.failedFuture(error);
        }
        return CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletionStage<StreamPosition> publish(Publish publish) {
        published.add(publish);
        return answer("publish " + publish.channel(), position);
    }

    @Override
    public CompletionStage<List<Result<StreamPosition>>> broadcast(List<String> channels, Publish publish) {
        published.add(publish);
        List<Result<StreamPosition>> results = channels.stream()
                .map(channel -> channel.startsWith("bad:")
                        ? new Result<StreamPosition>(
                                null, new ChannelsException(io.switchboard.channels.ErrorCode.UNKNOWN_CHANNEL))
                        : new Result<>(position, null))
                .toList();
        return answer("broadcast " + channels, results);
    }

    @Override
    public CompletionStage<Void> subscribe(String user, String channel, String client) {
        return answer("subscribe " + user + " " + channel + " " + client, null);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String user, String channel, String client) {
        return answer("unsubscribe " + user + " " + channel + " " + client, null);
    }

    @Override
    public CompletionStage<Void> disconnect(String user, String client, Disconnect disconnect) {
        return answer("disconnect " + user + " " + client + " " + disconnect.code() + " " + disconnect.reason(), null);
    }

    @Override
    public CompletionStage<Map<String, ClientInfo>> presence(String channel) {
        return answer("presence " + channel, presence);
    }

    @Override
    public CompletionStage<PresenceStats> presenceStats(String channel) {
        return answer("presence_stats " + channel, new PresenceStats(3, 2));
    }

    @Override
    public CompletionStage<HistoryPage> history(String channel, int limit, StreamPosition since, boolean reverse) {
        return answer("history " + channel + " " + limit + " " + since + " " + reverse, history);
    }

    @Override
    public CompletionStage<Void> historyRemove(String channel) {
        return answer("history_remove " + channel, null);
    }

    @Override
    public CompletionStage<Map<String, Integer>> channels(String pattern) {
        return answer("channels " + pattern, channels);
    }

    @Override
    public CompletionStage<List<NodeInfo>> info() {
        return answer("info", nodes);
    }
}
