/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The encoder inside the real Logback, writing to memory: the lines as they would reach stderr. */
class LineEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final LineEncoder encoder = new LineEncoder();
    private final Logger logger = logger();

    @AfterEach
    void detach() {
        logger.detachAndStopAllAppenders();
        MDC.clear();
    }

    @Test
    void jsonLinesCarryTheEventsFieldsPairsAndMdc() throws Exception {
        encoder.use(LineFormat.JSON);
        MDC.put("address", "/127.0.0.1:5000");
        logger.atInfo()
                .addKeyValue("code", 1009)
                .addKeyValue("user", "ann smith")
                .addKeyValue("secure", false)
                .log("closing {} with 1009", "/ws/echo");

        JsonNode line = JSON.readTree(lines().getFirst());
        assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("logger").asText()).isEqualTo(logger.getName());
        assertThat(line.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(line.get("message").asText()).isEqualTo("closing /ws/echo with 1009");
        assertThat(line.get("code").isInt()).isTrue();
        assertThat(line.get("code").asInt()).isEqualTo(1009);
        assertThat(line.get("user").asText()).isEqualTo("ann smith");
        assertThat(line.get("secure").isBoolean()).isTrue();
        assertThat(line.get("address").asText()).isEqualTo("/127.0.0.1:5000");
        assertThat(line.has("exception")).isFalse();
    }

    @Test
    void aJsonLineStaysOneValidLineWhateverTheMessageHolds() throws Exception {
        encoder.use(LineFormat.JSON);
        String hostile = "two\nlines\r\"quoted\" \u0000\u001b[31mred\t\\ broken \uD800 pair é 😀";
        logger.atWarn()
                .addKeyValue("message", "a pair named like a field")
                .log(hostile, new IllegalStateException("boom\nagain"));

        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).doesNotContain("\u001b").doesNotContain("\r");
        JsonNode line = JSON.readTree(lines.getFirst());
        assertThat(line.get("message").asText())
                .isEqualTo("two\nlines\r\"quoted\" \u0000\u001b[31mred\t\\ broken \uFFFD pair é 😀");
        assertThat(line.get("message_").asText()).isEqualTo("a pair named like a field");
        assertThat(line.get("exception").asText())
                .startsWith("java.lang.IllegalStateException: boom\nagain")
                .contains("\tat " + LineEncoderTest.class.getName());
    }

    @Test
    void plainLinesReadAsBeforeWithThePairsAppended() {
        MDC.put("session", "s-1");
        logger.atInfo()
                .addKeyValue("code", 1000)
                .addKeyValue("user", "ann smith")
                .log("closing");
        logger.info("no pairs");
        logger.warn("failed", new IllegalStateException("boom"));

        List<String> lines = lines();
        String thread = Thread.currentThread().getName();
        assertThat(lines.get(0))
                .isEqualTo("[" + thread + "] INFO " + logger.getName()
                        + " - closing code=1000 user=\"ann smith\" session=s-1");
        assertThat(lines.get(1)).isEqualTo("[" + thread + "] INFO " + logger.getName() + " - no pairs session=s-1");
        assertThat(lines.get(2)).isEqualTo("[" + thread + "] WARN " + logger.getName() + " - failed session=s-1");
        assertThat(lines.get(3)).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(lines.get(4)).startsWith("\tat " + LineEncoderTest.class.getName());
    }

    @Test
    void aPlainPairAClientChoseCannotEndTheLineOrForgeAnother() {
        logger.atInfo()
                .addKeyValue("user", "ann\n[main] WARN forged - line")
                .addKeyValue("path", "C:\\logs")
                .addKeyValue("odd", "bell\u0007 tab\t cr\r \"q\"")
                .log("joined");

        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst())
                .endsWith(" - joined user=\"ann\\n[main] WARN forged - line\" path=\"C:\\\\logs\""
                        + " odd=\"bell\\u0007 tab\\t cr\\r \\\"q\\\"\"");
    }

    @Test
    void jsonNumbersOfEveryKindStayNumbers() throws Exception {
        encoder.use(LineFormat.JSON);
        logger.atInfo()
                .addKeyValue("ratio", 0.25)
                .addKeyValue("single", 1.5f)
                .addKeyValue("big", new java.math.BigDecimal("12345678901234567890.5"))
                .addKeyValue("huge", new java.math.BigInteger("123456789012345678901234567890"))
                .addKeyValue("nan", Double.NaN)
                .log("figures");

        JsonNode line = JSON.readTree(lines().getFirst());
        assertThat(line.get("ratio").isNumber()).isTrue();
        assertThat(line.get("ratio").asDouble()).isEqualTo(0.25);
        assertThat(line.get("single").asDouble()).isEqualTo(1.5);
        assertThat(line.get("big").isNumber()).isTrue();
        assertThat(line.get("huge").isNumber()).isTrue();
        assertThat(line.get("huge").bigIntegerValue())
                .isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
        assertThat(line.get("nan").isTextual()).isTrue();
    }

    @Test
    void anUnknownFormatKeepsPlainLinesAndAKnownOneIsNamedInAnyCase() {
        encoder.setFormat("xml");
        assertThat(encoder.format()).isEqualTo(LineFormat.PLAIN);
        assertThat(encoder.getContext().getStatusManager().getCopyOfStatusList())
                .anySatisfy(
                        status -> assertThat(status.getMessage()).contains("unknown log format 'xml' (plain or json)"));
        encoder.setFormat(" JSON ");
        assertThat(encoder.format()).isEqualTo(LineFormat.JSON);
    }

    private List<String> lines() {
        return written.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** A logger of its own, writing only here, with the encoder under test. */
    private Logger logger() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger(LineEncoderTest.class.getName() + ".t" + System.nanoTime());
        logger.setAdditive(false);
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(written);
        appender.start();
        logger.addAppender(appender);
        return logger;
    }
}
