/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.chat;

import io.switchboard.engine.Retention;
import io.switchboard.settings.InvalidSettingException;
import java.util.Objects;

/**
 * The chat's own limits.
 *
 * @param historySize messages kept per room for newcomers and for recovery (default 100)
 * @param queuedPerUser direct messages kept for a user who is away, oldest dropped first (default 100)
 * @param maxMessageChars longest chat message in characters (default 4,096)
 * @param welcomeBytes the most history bytes (UTF-8, as sent) one welcome or history page carries: the
 *     newest messages that fit, the rest paged with a {@code history} request. Keep it well below the
 *     outbound buffer, so a welcome always fits (default 256 KiB, a quarter of the default buffer)
 * @param retention how long rooms and queued direct messages are kept, and the in-memory budget
 */
public record ChatSettings(
        int historySize, int queuedPerUser, int maxMessageChars, int welcomeBytes, Retention retention) {

    /** The default welcome budget: 256 KiB. */
    public static final int DEFAULT_WELCOME_BYTES = 256 * 1024;

    public ChatSettings {
        positive("historySize", historySize);
        positive("queuedPerUser", queuedPerUser);
        positive("maxMessageChars", maxMessageChars);
        positive("welcomeBytes", welcomeBytes);
        Objects.requireNonNull(retention, "retention");
    }

    /** The given limits with the default welcome budget and {@link Retention#defaults()}. */
    public ChatSettings(int historySize, int queuedPerUser, int maxMessageChars) {
        this(historySize, queuedPerUser, maxMessageChars, DEFAULT_WELCOME_BYTES, Retention.defaults());
    }

    /** 100 messages of history, 100 queued direct messages, 4,096 characters, 256 KiB welcomes, 24 h. */
    public static ChatSettings defaults() {
        return new ChatSettings(100, 100, 4096);
    }

    public ChatSettings withWelcomeBytes(int value) {
        return new ChatSettings(historySize, queuedPerUser, maxMessageChars, value, retention);
    }

    public ChatSettings withRetention(Retention value) {
        return new ChatSettings(historySize, queuedPerUser, maxMessageChars, welcomeBytes, value);
    }

    private static void positive(String setting, int value) {
        if (value < 1) {
            throw new InvalidSettingException(setting, "must be at least 1, not " + value);
        }
    }
}
