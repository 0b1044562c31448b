/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.settings;

import java.util.Objects;

/**
 * A setting that cannot hold the value it was given. The message starts with the setting's name as
 * its record component reads ({@code maxConnections must be at least 1, not 0}), so that a command
 * line can put its own name for it in front of the rest.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;

    /**
     * A setting that is wrong.
     *
     * @param setting the setting's name, such as {@code maxConnections} or {@code rateLimit.burst}
     * @param problem what is wrong with it, appended after the name: {@code must be at least 1, not 0}
     *     or {@code : 'x' is not an origin}
     */
    public InvalidSettingException(String setting, String problem) {
        super(Objects.requireNonNull(setting, "setting") + (problem.startsWith(":") ? "" : " ") + problem);
        this.setting = setting;
    }

    /** The setting's name, as the message starts with it. */
    public String setting() {
        return setting;
    }

    /** The message after the setting's name: {@code  must be at least 1, not 0}, with its separator. */
    public String problem() {
        return getMessage().substring(setting.length());
    }
}
