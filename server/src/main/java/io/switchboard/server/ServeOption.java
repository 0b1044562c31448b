/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One setting of {@code serve}, declared once: its option, the kind of value, its default (taken
 * from the record that owns the setting, never retyped) and its description. The option's config key
 * and environment variable follow from its name (see {@link SettingsSource}).
 *
 * @param name the option, {@code --max-message-size}
 * @param label what the option's value is called in the help, {@code SIZE}
 * @param unit how the value is read and written
 * @param defaultValue the value when no source gives one, or {@code null} for none (the owner's own
 *     rule applies, or the feature is off)
 * @param description one or two sentences for {@code --help}
 * @param feeds the names of the settings this option sets in the records that check them ({@code
 *     maxFrameBytes}): their complaints are reported under this option's name
 * @param check for a setting no record checks, what a value must satisfy, or {@code null}
 * @param problem what the error says after the option's name when {@code check} fails; {@code %s}
 *     stands for the value as written
 * @param <T> the value's type
 */
record ServeOption<T>(
        String name,
        String label,
        Unit<T> unit,
        T defaultValue,
        String description,
        List<String> feeds,
        Predicate<T> check,
        String problem) {

    ServeOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, name);
        feeds = List.copyOf(feeds);
    }

    /** An option with a default and a description, that sets nothing a record checks. */
    static <T> ServeOption<T> of(String name, String label, Unit<T> unit, T defaultValue, String description) {
        return new ServeOption<>(name, label, unit, defaultValue, description, List.of(), null, null);
    }

    /** This option, reporting the complaints about {@code settings} under its own name. */
    ServeOption<T> feeding(String... settings) {
        return new ServeOption<>(name, label, unit, defaultValue, description, List.of(settings), check, problem);
    }

    /** This option, checked here because nothing else checks it: fails with {@code name problem}. */
    ServeOption<T> checked(Predicate<T> value, String problem) {
        return new ServeOption<>(name, label, unit, defaultValue, description, feeds, value, problem);
    }

    /** The key in the config file: the name without dashes, {@code max-message-size}. */
    String key() {
        return name.substring(2);
    }

    /** The picocli option, its default written as one would write it on the command line. */
    OptionSpec spec() {
        OptionSpec.Builder option =
                OptionSpec.builder(name).description(description).type(unit.type());
        if (label != null) {
            option.paramLabel(label);
        }
        if (unit.converter() != null) {
            option.converters(unit.converter());
        }
        if (unit == Unit.LIST) {
            option.auxiliaryTypes(String.class).splitRegex(",");
        }
        if (unit == Unit.SWITCH) {
            option.arity("0");
            if (Boolean.TRUE.equals(defaultValue)) {
                option.negatable(true).fallbackValue("true");
            }
        }
        String written = defaultValue == null ? null : unit.written().apply(defaultValue);
        if (written != null) {
            option.defaultValue(written);
        }
        return option.build();
    }

    /** This option's value in {@code command} once parsed, or the default; checked if it has a check. */
    T value(CommandLine.Model.CommandSpec command) {
        Object raw = command.findOption(name).getValue();
        T value;
        try {
            value = raw == null ? defaultValue : unit.finish().apply(raw);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), name + " " + e.getMessage());
        }
        if (value != null && check != null && !check.test(value)) {
            throw new CommandLine.ParameterException(
                    command.commandLine(),
                    name + " " + problem.formatted(unit.written().apply(value)));
        }
        return value;
    }
}
