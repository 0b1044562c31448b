/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.settings.Limits;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The README's limits table ("Limits and security") agrees with the defaults: each row's default
 * names the default of every {@code serve} option and every {@link Limits} setting in that row, the
 * table names every setting of {@link Limits}, and each setting's row names the option that sets it.
 */
class ReadmeLimitsTableTest {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** One row: its cells, and the options and settings its last two columns name. */
    record Row(String limit, String defaults, String over, List<String> options, List<String> settings) {
        String shown() {
            return defaults + " | " + over;
        }
    }

    @Test
    void everyDefaultInTheTableIsTheDeclaredOne() throws IOException {
        SoftAssertions softly = new SoftAssertions();
        for (Row row : table()) {
            for (String name : row.options()) {
                ServeOption<?> option = option(name);
                softly.assertThat(option)
                        .as("README names %s, which serve does not have", name)
                        .isNotNull();
                String shown = option == null ? null : readable(option);
                if (shown != null) {
                    softly.assertThat(row.shown())
                            .as("README row '%s': the default of %s", row.limit(), name)
                            .contains(shown);
                }
            }
            for (String setting : row.settings()) {
                String shown = readable(setting, Limits.defaults());
                if (shown != null) {
                    softly.assertThat(row.shown())
                            .as("README row '%s': the default of %s", row.limit(), setting)
                            .contains(shown);
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void theTableNamesEverySettingOfLimitsWithTheOptionThatSetsIt() throws IOException {
        List<Row> rows = table();
        List<String> named =
                rows.stream().flatMap(row -> row.settings().stream()).toList();
        assertThat(named).containsAll(settings());
        for (Row row : rows) {
            for (String setting : row.settings()) {
                String leaf = setting.contains(".") ? setting.substring(setting.indexOf('.') + 1) : setting;
                ServeOptions.feeding(leaf).ifPresent(option -> assertThat(row.options())
                        .as("README row '%s' sets %s", row.limit(), setting)
                        .contains(option.name()));
            }
        }
    }

    /** {@code messages.maxFrameBytes} and the like: every component of every group, and {@code rateLimit}. */
    private static List<String> settings() {
        List<String> all = new ArrayList<>();
        for (RecordComponent group : Limits.class.getRecordComponents()) {
            if (!group.getType().isRecord() || group.getName().equals("rateLimit")) {
                all.add(group.getName());
                continue;
            }
            for (RecordComponent setting : group.getType().getRecordComponents()) {
                all.add(group.getName() + "." + setting.getName());
            }
        }
        return all;
    }

    /** The option's default as the README writes it, or {@code null} where it has none to compare. */
    private static <T> String readable(ServeOption<T> option) {
        T value = option.defaultValue();
        return value == null || value instanceof List<?> list && list.isEmpty()
                ? null
                : option.unit().readable().apply(value);
    }

    /** The default of {@code path} in {@code limits} as the README writes it, or {@code null}. */
    private static String readable(String path, Limits limits) {
        Object value = limits;
        for (String part : path.split("\\.")) {
            value = component(value, part);
        }
        String name = path.substring(path.lastIndexOf('.') + 1);
        return switch (value) {
            case null -> null;
            case Integer n when name.endsWith("Bytes") -> Limits.bytes(n);
            case Integer n -> NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
            case Duration d -> Converters.describe(d);
            case Boolean on -> on ? "on" : "off";
            case Enum<?> e -> e.name().toLowerCase(Locale.ROOT);
            case List<?> list when list.isEmpty() -> null;
            case List<?> list ->
                String.join(", ", list.stream().map(String::valueOf).toList());
            default -> null; // a rate limit: its options hold its parts
        };
    }

    private static Object component(Object record, String name) {
        RecordComponent component = Arrays.stream(record.getClass().getRecordComponents())
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(record.getClass().getSimpleName() + " has no setting " + name));
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static ServeOption<?> option(String name) {
        return ServeOptions.ALL.stream()
                .filter(option -> option.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** The rows of the first table under "## Limits and security". */
    static List<Row> table() throws IOException {
        List<String> lines = Files.readAllLines(readme());
        int section = lines.indexOf("## Limits and security");
        assertThat(section).as("the README's Limits and security section").isNotNegative();
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(section + 1, lines.size())) {
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            if (inTable && !line.startsWith("| ---")) {
                rows.add(row(line));
            }
            inTable = true;
        }
        assertThat(rows).as("rows of the limits table").hasSizeGreaterThan(10);
        return rows;
    }

    private static Row row(String line) {
        String[] cells = line.substring(1, line.length() - 1).split(" \\| ", -1);
        assertThat(cells).as(line).hasSize(5);
        // "(follows `--outbound-buffer`)": a value derived from an option's, not the option's own.
        String optionCell = cells[3].trim().startsWith("(") ? "" : cells[3];
        List<String> options = codes(optionCell).stream()
                .filter(code -> code.startsWith("--"))
                .map(code -> code.replace("[no-]", ""))
                .toList();
        List<String> settings = codes(cells[4]).stream()
                .filter(code -> Character.isLowerCase(code.charAt(0)))
                .toList();
        return new Row(cells[0].trim(), cells[1].trim(), cells[2].trim(), options, settings);
    }

    private static List<String> codes(String cell) {
        return CODE.matcher(cell).results().map(match -> match.group(1)).toList();
    }

    private static Path readme() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("a folder above %s with README.md", Path.of("").toAbsolutePath())
                .isNotNull();
        return dir.resolve("README.md");
    }
}
