/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Switchboard's framework: exports the API packages; {@code io.switchboard.transport} and its
 * subpackages, the only ones that see Netty, stay inside; {@code session.internal} is for the
 * testkit alone. The native epoll transport is used when its module is
 * resolved too (on the module path: {@code --add-modules io.netty.transport.epoll.linux.x86_64});
 * NIO otherwise.
 */
module io.switchboard {
    requires transitive com.fasterxml.jackson.databind;
    requires com.nimbusds.jose.jwt;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires java.net.http;
    requires org.slf4j;

    exports io.switchboard;
    exports io.switchboard.blocking;
    exports io.switchboard.engine;
    exports io.switchboard.http;
    exports io.switchboard.json;
    exports io.switchboard.routing;
    exports io.switchboard.security;
    exports io.switchboard.session;
    exports io.switchboard.session.internal to
            io.switchboard.testkit;
    exports io.switchboard.settings;
    exports io.switchboard.stats;
    exports io.switchboard.time;
}
