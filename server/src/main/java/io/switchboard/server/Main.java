/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar switchboard.jar serve [options]} (and {@code token}): the command line of the
 * product.
 */
@Command(
        name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A real-time WebSocket server: chat rooms, direct messages, presence, a clock.",
        subcommands = {ServeCommand.class, TokenCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        LogSetup.configure();
        LogSetup.early(args, System.getenv());
        System.exit(run(args, System.getenv()));
    }

    /** Runs the command line with {@code environment} as the process environment; returns the exit code. */
    public static int run(String[] args, java.util.Map<String, String> environment) {
        CommandLine commandLine;
        try {
            commandLine = new CommandLine(new Main(), new ServeCommand.Factory(environment, args));
        } catch (CommandLine.InitializationException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            System.err.println("switchboard: " + cause.getMessage());
            return 2;
        }
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"switchboard " + (version == null ? "(development build)" : version)};
        }
    }
}
