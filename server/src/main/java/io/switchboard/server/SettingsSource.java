/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.channels.NamespaceSettings;
import io.switchboard.channels.Namespaces;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * Where an option's value comes from when the command line does not give it: first a
 * {@code SWITCHBOARD_*} environment variable ({@code --history-size} is {@code
 * SWITCHBOARD_HISTORY_SIZE}), then the config file ({@code history-size=100}), then the built-in
 * default. Every key in the file and every {@code SWITCHBOARD_*} variable must name an option, but for
 * the channels' namespaces, which only the file holds ({@code namespace.ticker.history-size=1}).
 */
final class SettingsSource implements CommandLine.IDefaultValueProvider {

    static final String ENV_PREFIX = "SWITCHBOARD_";

    private final Map<String, String> environment;
    private final Path configFile;
    private final Properties config = new Properties();

    SettingsSource(Map<String, String> environment, String[] args) {
        this.environment = Map.copyOf(environment);
        this.configFile = configPath(args, environment);
        if (configFile != null) {
            load();
        }
    }

    /** The config file named by {@code --config FILE}, {@code --config=FILE} or SWITCHBOARD_CONFIG. */
    private static Path configPath(String[] args, Map<String, String> environment) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String fromEnvironment = environment.get(envName("config"));
        return fromEnvironment == null ? null : Path.of(fromEnvironment);
    }

    private void load() {
        try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
            config.load(reader);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file " + configFile + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("config file " + configFile + " cannot be read: " + e.getMessage());
        }
    }

    /** {@code history-size} is {@code SWITCHBOARD_HISTORY_SIZE}. */
    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (!(argSpec instanceof CommandLine.Model.OptionSpec option)) {
            return null;
        }
        String key = key(option);
        String value = environment.get(envName(key));
        if (value != null) {
            return value;
        }
        return config.getProperty(key);
    }

    private static String key(CommandLine.Model.OptionSpec option) {
        return option.longestName().replaceFirst("^--", "");
    }

    /**
     * The channels' namespaces from the config file's {@code channel.*} and {@code namespace.*} keys
     * (see {@link NamespaceSettings}); fails naming the file and the key.
     */
    Namespaces namespaces(CommandLine.Model.CommandSpec command) {
        Map<String, String> keys = new TreeMap<>();
        config.stringPropertyNames().forEach(key -> keys.put(key, config.getProperty(key)));
        try {
            return NamespaceSettings.read(keys);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    command.commandLine(), "config file " + configFile + ": " + e.getMessage());
        }
    }

    /**
     * Fails, naming the culprit, when the file or the environment holds a setting that is no option
     * of {@code command}.
     */
    void checkKeys(CommandLine.Model.CommandSpec command) {
        Set<String> known = new TreeSet<>();
        command.options().stream()
                .filter(option -> !option.usageHelp() && !option.versionHelp())
                .forEach(option -> known.add(key(option)));
        for (String key : config.stringPropertyNames()) {
            if (!known.contains(key) && !NamespaceSettings.isNamespaceKey(key)) {
                throw new CommandLine.ParameterException(
                        command.commandLine(),
                        "config file " + configFile + ": unknown setting '" + key + "'; settings are " + known
                                + ", and channel.OPTION and namespace.NAME.OPTION for channels");
            }
        }
        for (String name : environment.keySet()) {
            if (name.startsWith(ENV_PREFIX)
                    && known.stream().noneMatch(key -> envName(key).equals(name))) {
                throw new CommandLine.ParameterException(
                        command.commandLine(),
                        "unknown environment variable " + name + "; settings are "
                                + known.stream().map(SettingsSource::envName).toList());
            }
        }
    }
}
