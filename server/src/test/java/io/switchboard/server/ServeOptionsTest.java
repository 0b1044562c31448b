/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.engine.Retention;
import io.switchboard.server.chat.ChatSettings;
import io.switchboard.settings.Limits;
import io.switchboard.settings.RateLimit;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The declaration of serve's options: defaults that read back as themselves, names that exist. */
class ServeOptionsTest {

    @Test
    void everyDefaultReadsBackAsItselfFromHowItIsWritten() throws Exception {
        for (ServeOption<?> option : ServeOptions.ALL) {
            if (option.defaultValue() == null || option.unit().converter() == null) {
                continue;
            }
            assertThat(option.unit().converter().convert(written(option)))
                    .as(option.name())
                    .isEqualTo(option.defaultValue());
        }
    }

    @Test
    void optionsHaveDistinctNamesAndFeedSettingsThatExist() {
        assertThat(ServeOptions.ALL.stream().map(ServeOption::name)).doesNotHaveDuplicates();
        Set<String> settings = new HashSet<>(names(ChatSettings.class, ""));
        settings.addAll(names(Retention.class, ""));
        settings.addAll(names(RateLimit.class, "rateLimit."));
        for (RecordComponent group : Limits.class.getRecordComponents()) {
            settings.addAll(names(group.getType(), ""));
        }
        for (ServeOption<?> option : ServeOptions.ALL) {
            assertThat(settings).as(option.name()).containsAll(option.feeds());
        }
    }

    @Test
    void aRecordsComplaintIsReportedUnderTheOptionThatFedIt() {
        assertThat(ServeOptions.feeding("maxFrameBytes")).hasValue(ServeOptions.MAX_MESSAGE_SIZE);
        assertThat(ServeOptions.feeding("rateLimit.burst")).hasValue(ServeOptions.RATE_BURST);
        assertThat(ServeOptions.feeding("inboundBufferBytes")).isEmpty();
    }

    private static <T> String written(ServeOption<T> option) {
        return option.unit().written().apply(option.defaultValue());
    }

    private static List<String> names(Class<?> record, String prefix) {
        if (!record.isRecord()) {
            return List.of();
        }
        return new ArrayList<>(Arrays.stream(record.getRecordComponents())
                .map(component -> prefix + component.getName())
                .toList());
    }
}
