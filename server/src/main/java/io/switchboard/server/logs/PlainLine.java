/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.logs;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * The readable line of an event, as slf4j-simple wrote the server's lines before: {@code [thread]
 * LEVEL logger - message}, then the event's key-value pairs and MDC entries as {@code key=value}
 * (quoted, with escapes, when the value has spaces, quotes or control characters), then the stack
 * trace on the lines below.
 */
final class PlainLine {

    private PlainLine() {}

    static String of(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128)
                .append('[')
                .append(event.getThreadName())
                .append("] ")
                .append(event.getLevel())
                .append(' ')
                .append(event.getLoggerName())
                .append(" - ")
                .append(event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                pair(line, pair.key, pair.value);
            }
        }
        for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
            pair(line, entry.getKey(), entry.getValue());
        }
        line.append(System.lineSeparator());
        if (event.getThrowableProxy() != null) {
            line.append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        return line.toString();
    }

    /**
     * {@code key=value}, the value quoted when it has a space, a quote, an equals sign, a backslash or
     * a control character, which are escaped inside the quotes: a value a client chose (a user name)
     * can neither end the line nor pass for another pair.
     */
    private static void pair(StringBuilder line, String key, Object value) {
        String text = String.valueOf(value);
        line.append(' ').append(key).append('=');
        if (!text.isEmpty() && text.chars().noneMatch(PlainLine::needsQuotes)) {
            line.append(text);
            return;
        }
        line.append('"');
        text.chars().forEach(c -> escaped(line, (char) c));
        line.append('"');
    }

    private static boolean needsQuotes(int c) {
        return c == ' ' || c == '"' || c == '=' || c == '\\' || Character.isISOControl(c);
    }

    private static void escaped(StringBuilder line, char c) {
        switch (c) {
            case '"' -> line.append("\\\"");
            case '\\' -> line.append("\\\\");
            case '\n' -> line.append("\\n");
            case '\r' -> line.append("\\r");
            case '\t' -> line.append("\\t");
            default -> {
                if (Character.isISOControl(c)) {
                    line.append("\\u%04x".formatted((int) c));
                } else {
                    line.append(c);
                }
            }
        }
    }
}
