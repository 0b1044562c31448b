/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.channels.api;

import io.switchboard.channels.ChannelsApi;
import io.switchboard.channels.ChannelsApi.Disconnect;
import io.switchboard.channels.ChannelsApi.Publish;
import io.switchboard.channels.ChannelsApi.StreamPosition;
import io.switchboard.channels.ChannelsException;
import io.switchboard.channels.DisconnectCode;
import io.switchboard.channels.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server API's methods by name, each a request body in and a result out, made by calling {@link
 * ChannelsApi} and waiting for it (a server API call runs on its own virtual thread). A refusal is a
 * {@link ChannelsException}.
 */
final class Methods {

    /** How Centrifugo disconnects when a {@code disconnect} call gives no reason: do not reconnect. */
    static final Disconnect FORCE_DISCONNECT =
            new Disconnect(DisconnectCode.FORCE_NO_RECONNECT.code(), DisconnectCode.FORCE_NO_RECONNECT.reason());

    /** The longest a call waits for the engine (Redis down answers sooner: see its command timeout). */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One method: the body in, the result out. */
    @FunctionalInterface
    interface Method {
        Object call(byte[] body);
    }

    private final ChannelsApi api;
    private final Map<String, Method> byName;

    Methods(ChannelsApi api) {
        this.api = api;
        this.byName = Map.ofEntries(
                Map.entry("publish", this::publish),
                Map.entry("broadcast", this::broadcast),
                Map.entry("subscribe", this::subscribe),
                Map.entry("unsubscribe", this::unsubscribe),
                Map.entry("disconnect", this::disconnect),
                Map.entry("presence", this::presence),
                Map.entry("presence_stats", this::presenceStats),
                Map.entry("history", this::history),
                Map.entry("history_remove", this::historyRemove),
                Map.entry("channels", this::channels),
                Map.entry("info", this::info));
    }

    /** The method called {@code name}, or null. */
    Method named(String name) {
        return byName.get(name);
    }

    private Object publish(byte[] body) {
        Requests.Publish request = ApiJson.read(body, Requests.Publish.class).check();
        Publish publish = new Publish(request.channel(), request.data(), request.tags(), request.skipHistory());
        return Replies.Position.of(await(api.publish(publish)));
    }

    private Object broadcast(byte[] body) {
        Requests.Broadcast request =
                ApiJson.read(body, Requests.Broadcast.class).check();
        Publish publish = new Publish(request.channels().get(0), request.data(), request.tags(), request.skipHistory());
        List<Replies.Reply> responses = await(api.broadcast(request.channels(), publish)).stream()
                .map(result -> result.error() != null
                        ? Replies.Reply.of(result.error())
                        : Replies.Reply.of(Replies.Position.of(result.value())))
                .toList();
        return new Replies.Broadcast(responses);
    }

    private Object subscribe(byte[] body) {
        Requests.Subscription request =
                ApiJson.read(body, Requests.Subscription.class).check();
        await(api.subscribe(request.user(), request.channel(), emptyToNull(request.client())));
        return Replies.EMPTY;
    }

    private Object unsubscribe(byte[] body) {
        Requests.Subscription request =
                ApiJson.read(body, Requests.Subscription.class).check();
        await(api.unsubscribe(request.user(), request.channel(), emptyToNull(request.client())));
        return Replies.EMPTY;
    }

    private Object disconnect(byte[] body) {
        Requests.DisconnectUser request =
                ApiJson.read(body, Requests.DisconnectUser.class).check();
        Disconnect why = request.disconnect() == null ? FORCE_DISCONNECT : request.disconnect();
        await(api.disconnect(request.user(), emptyToNull(request.client()), why));
        return Replies.EMPTY;
    }

    private Object presence(byte[] body) {
        Requests.Channel request = ApiJson.read(body, Requests.Channel.class).check();
        return new Replies.Presence(await(api.presence(request.channel())));
    }

    private Object presenceStats(byte[] body) {
        Requests.Channel request = ApiJson.read(body, Requests.Channel.class).check();
        ChannelsApi.PresenceStats stats = await(api.presenceStats(request.channel()));
        return new Replies.PresenceStats(stats.numClients(), stats.numUsers());
    }

    private Object history(byte[] body) {
        Requests.History request = ApiJson.read(body, Requests.History.class).check();
        StreamPosition since = request.since();
        return Replies.History.of(
                await(api.history(request.channel(), request.limitOrZero(), since, request.reverse())));
    }

    private Object historyRemove(byte[] body) {
        Requests.Channel request = ApiJson.read(body, Requests.Channel.class).check();
        await(api.historyRemove(request.channel()));
        return Replies.EMPTY;
    }

    private Object channels(byte[] body) {
        Requests.Channels request = ApiJson.read(body, Requests.Channels.class);
        return Replies.Channels.of(await(api.channels(request.pattern())));
    }

    private Object info(byte[] body) {
        ApiJson.read(body, Requests.Info.class);
        return Replies.Info.of(await(api.info()));
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /** The stage's value; its {@link ChannelsException} as is, any other failure as an internal error. */
    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ChannelsException refused) {
                throw refused;
            }
            throw new Failure(e.getCause());
        } catch (TimeoutException e) {
            throw new Failure(new TimeoutException("no answer in " + TIMEOUT.toSeconds() + " s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(e);
        }
    }

    /** A call that failed for a reason other than a refusal: answered with an internal error, and logged. */
    static final class Failure extends RuntimeException {
        Failure(Throwable cause) {
            super(cause == null ? "unknown failure" : cause.toString(), cause, false, false);
        }

        ChannelsException asRefusal() {
            return new ChannelsException(ErrorCode.INTERNAL);
        }
    }
}
