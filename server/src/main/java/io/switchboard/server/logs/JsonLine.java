/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.logs;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * The JSON line of an event: {@code timestamp} (ISO-8601, UTC), {@code level}, {@code logger},
 * {@code thread}, {@code message}, every key-value pair and MDC entry as a field of its own, and
 * {@code exception} (the stack trace) when there is one, then a newline. Jackson escapes newlines and
 * control characters, so an event is one line whatever its message holds.
 */
final class JsonLine {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonLine() {}

    static byte[] of(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField(
                    "timestamp",
                    event.getInstant().truncatedTo(ChronoUnit.MILLIS).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", Text.wellFormed(event.getThreadName()));
            json.writeStringField("message", Text.wellFormed(event.getFormattedMessage()));
            Set<String> names = new HashSet<>(Set.of("timestamp", "level", "logger", "thread", "message", "exception"));
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    field(json, names, pair.key, pair.value);
                }
            }
            for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
                field(json, names, entry.getKey(), entry.getValue());
            }
            if (event.getThrowableProxy() != null) {
                json.writeStringField(
                        "exception", Text.wellFormed(ThrowableProxyUtil.asString(event.getThrowableProxy())));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * One key-value pair or MDC entry. A name already written (one of the event's own, or a pair's
     * twice) gets an underscore: a JSON object with a name twice is read differently by each reader.
     */
    private static void field(JsonGenerator json, Set<String> names, String key, Object value) throws IOException {
        String name = Text.wellFormed(String.valueOf(key));
        while (!names.add(name)) {
            name = name + "_";
        }
        json.writeFieldName(name);
        switch (value) {
            case null -> json.writeNull();
            case Integer number -> json.writeNumber(number);
            case Long number -> json.writeNumber(number);
            case Short number -> json.writeNumber(number);
            case Byte number -> json.writeNumber(number);
            case BigInteger number -> json.writeNumber(number);
            case BigDecimal number -> json.writeNumber(number);
            // NaN and the infinities are no JSON numbers: they stay strings, as other values.
            case Double number when Double.isFinite(number) -> json.writeNumber(number);
            case Float number when Float.isFinite(number) -> json.writeNumber(number);
            case Boolean flag -> json.writeBoolean(flag);
            default -> json.writeString(Text.wellFormed(String.valueOf(value)));
        }
    }
}
