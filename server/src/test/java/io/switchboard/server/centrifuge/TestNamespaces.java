/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The settings file the nodes of these tests start with ({@code --config}): the defaults for
 * channels without a namespace, and a namespace of private channels.
 */
final class TestNamespaces {

    /** Channels {@code private:NAME}: subscribing takes a subscription token. */
    static final String PRIVATE = "private";

    private TestNamespaces() {}

    /** Writes the settings file (under the module's build output) and returns its path. */
    static String file() {
        try {
            Path file = Files.createDirectories(Path.of("target", "centrifuge")).resolve("switchboard.properties");
            Files.writeString(file, "namespace." + PRIVATE + ".subscribe=token\n");
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
