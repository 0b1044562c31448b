/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.logs;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import org.slf4j.ILoggerFactory;

/**
 * Logback's encoder for the server's log lines: one readable line per event ({@code plain}) or one
 * JSON object per line ({@code json}). The format may change once, while the server starts: {@code
 * serve} knows it only when every setting is resolved, and a logger may have been made before that.
 */
public final class LineEncoder extends EncoderBase<ILoggingEvent> {

    private volatile LineFormat format = LineFormat.PLAIN;

    /** Chooses the format by its name, {@code plain} or {@code json} (logback.xml's {@code <format>}). */
    public void setFormat(String name) {
        try {
            format = LineFormat.named(name);
        } catch (IllegalArgumentException e) {
            addError(e.getMessage() + "; logging plain lines");
        }
    }

    /** Chooses the format. */
    public void use(LineFormat format) {
        this.format = format;
    }

    /**
     * Switches every encoder of this kind on the root logger's appenders to the format {@code name}
     * ({@code plain} or {@code json}), when {@code factory} is Logback's; does nothing under another
     * SLF4J provider or another configuration, which then says how lines look.
     */
    public static void useEverywhere(ILoggerFactory factory, String name) {
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        LineFormat lines = LineFormat.named(name);
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appender -> {
            if (appender instanceof OutputStreamAppender<ILoggingEvent> out
                    && out.getEncoder() instanceof LineEncoder encoder) {
                encoder.use(lines);
            }
        });
    }

    /** The format of the lines. */
    public LineFormat format() {
        return format;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return switch (format) {
            case PLAIN -> PlainLine.of(event).getBytes(StandardCharsets.UTF_8);
            case JSON -> JsonLine.of(event);
        };
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
