/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.switchboard.engine.Engine;
import io.switchboard.routing.Router;
import io.switchboard.security.Authenticator;
import io.switchboard.security.Hosts;
import io.switchboard.settings.Limits;
import io.switchboard.time.Ticker;
import io.switchboard.transport.fanout.LocalRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/** What every connection of one server shares. */
final class ServerContext {

    private final ServerSettings settings;
    private final LocalRegistry registry;
    private final ChannelGroup channels;
    private final ThreadFactory virtualThreads =
            Thread.ofVirtual().name("switchboard-handler").factory();
    private final TlsLayer tls;
    private final Admission admission;
    private final List<String> allowedHosts;
    private final Counters counters;
    private volatile boolean closing;
    /** The frame decoder's settings for connections without and with compression, one of each per server. */
    private final WebSocketDecoderConfig plainFrames;

    private final WebSocketDecoderConfig deflatedFrames;

    ServerContext(ServerSettings settings, LocalRegistry registry, ChannelGroup channels) {
        this(settings, registry, channels, null);
    }

    ServerContext(ServerSettings settings, LocalRegistry registry, ChannelGroup channels, TlsLayer tls) {
        this(settings, registry, channels, tls, new Counters(settings.counting(), registry::size));
    }

    /** @param counters what the server counts; the registry's shards count broadcasts in it too */
    ServerContext(
            ServerSettings settings, LocalRegistry registry, ChannelGroup channels, TlsLayer tls, Counters counters) {
        this.counters = counters;
        this.settings = settings;
        this.registry = registry;
        this.channels = channels;
        this.tls = tls;
        this.admission = new Admission(this);
        this.allowedHosts = allowedHosts(settings);
        this.plainFrames = ChannelSetup.decoderConfig(settings.limits(), false);
        this.deflatedFrames = ChannelSetup.decoderConfig(settings.limits(), true);
    }

    /** The limits' host allow-list, plus the listen address when it names one interface. */
    private static List<String> allowedHosts(ServerSettings settings) {
        List<String> hosts = new ArrayList<>(settings.limits().access().allowedHosts());
        String listen = settings.host().trim();
        if (listen.isEmpty()
                || listen.equals("0.0.0.0")
                || listen.replace("[", "").replace("]", "").equals("::")) {
            return List.copyOf(hosts);
        }
        try {
            String own = Hosts.normalize(listen);
            if (!hosts.contains(own)) {
                hosts.add(own);
            }
        } catch (IllegalArgumentException e) {
            // A form no Host header carries (an IPv6 zone such as fe80::1%eth0) adds nothing.
        }
        return List.copyOf(hosts);
    }

    /** The host names requests may name in their {@code Host} header (see {@link Hosts}). */
    List<String> allowedHosts() {
        return allowedHosts;
    }

    /** The origin and connection-count checks before an upgrade. */
    Admission admission() {
        return admission;
    }

    Router router() {
        return settings.router();
    }

    Limits limits() {
        return settings.limits();
    }

    /** The frame decoder's settings for a connection that negotiated compression, or one that did not. */
    WebSocketDecoderConfig decoderConfig(boolean deflate) {
        return deflate ? deflatedFrames : plainFrames;
    }

    Engine engine() {
        return settings.engine();
    }

    Authenticator authenticator() {
        return settings.authenticator();
    }

    /** The clock timeouts are measured on. */
    Ticker ticker() {
        return settings.ticker();
    }

    /** TLS for every connection, or {@code null} when the server speaks plain HTTP. */
    TlsLayer tls() {
        return tls;
    }

    /** What the server counts of its traffic. */
    Counters counters() {
        return counters;
    }

    LocalRegistry registry() {
        return registry;
    }

    String nodeId() {
        return settings.nodeId();
    }

    /** Runs each task on a new virtual thread. Never refuses a task, even while closing. */
    Executor virtualThreads() {
        return task -> virtualThreads.newThread(task).start();
    }

    /** Every open channel, for the final sweep at shutdown. */
    void track(Channel channel) {
        channels.add(channel);
    }

    boolean closing() {
        return closing;
    }

    void startClosing() {
        closing = true;
    }
}
