/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import io.switchboard.server.logs.LineEncoder;
import java.util.Locale;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Chooses the product's Logback configuration ({@link #CONFIGURATION}) and applies {@code serve}'s log
 * format to the server's log lines: the encoder of that configuration's console appender takes it.
 * The format is only known once every setting is resolved (the option, the environment, the config
 * file), so it switches the encoder Logback configured at the first logger, before the server starts
 * and logs; and a failed start is said in that format too.
 */
final class LogSetup {

    /** The product's Logback configuration, a class path resource: no {@code logback.xml} in the library jar. */
    static final String CONFIGURATION = "io/switchboard/server/logs/switchboard-logback.xml";

    private static final String CONFIGURATION_PROPERTY = "logback.configurationFile";

    private LogSetup() {}

    /**
     * Points Logback at {@link #CONFIGURATION} unless the operator gave a configuration of their own.
     * Before the first logger is made: Logback reads its configuration then, once.
     */
    static void configure() {
        if (System.getProperty(CONFIGURATION_PROPERTY) == null) {
            System.setProperty(CONFIGURATION_PROPERTY, CONFIGURATION);
        }
    }

    /**
     * The format the command line or the environment name, before they are parsed: the classes parsing
     * loads may log already (at debug level). {@code serve} applies the resolved format, which may come
     * from the config file, once parsed.
     */
    static void early(String[] args, Map<String, String> environment) {
        String named = environment.get(SettingsSource.envName("log-format"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-format") && i + 1 < args.length) {
                named = args[i + 1];
            } else if (args[i].startsWith("--log-format=")) {
                named = args[i].substring("--log-format=".length());
            }
        }
        try {
            use(Operations.LogFormat.valueOf(String.valueOf(named).strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            // none or a wrong one: parsing will say so, in plain lines
        }
    }

    /**
     * Writes lines in {@code format} from now on. Does nothing under another configuration (a {@code
     * -Dlogback.configurationFile} of the operator's, another SLF4J binding): that one says how lines look.
     */
    static void use(Operations.LogFormat format) {
        // By name first: without Logback on the class path (an optional dependency of the library),
        // the encoder's class cannot load.
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            return;
        }
        LineEncoder.useEverywhere(factory, format.name());
    }

    /**
     * Says why the server did not start: a sentence for whoever started it, or, where stderr carries
     * JSON lines, an error event like the others.
     */
    static void startFailed(Operations.LogFormat format, String why) {
        if (format == Operations.LogFormat.JSON) {
            LoggerFactory.getLogger(ServeCommand.class).error("switchboard could not start: {}", why);
        } else {
            System.err.println("switchboard: " + why);
        }
    }
}
