package io.switchboard.server.chat;

/**
 * The chat's own limits.
 *
 * @param historySize messages kept per room for newcomers and for recovery (default 100)
 * @param queuedPerUser direct messages kept for a user who is away, oldest dropped first (default 100)
 * @param maxMessageChars longest chat message in characters (default 4,096)
 */
public record ChatSettings(int historySize, int queuedPerUser, int maxMessageChars) {

    public ChatSettings {
        positive("history size", historySize);
        positive("queued direct messages per user", queuedPerUser);
        positive("max chat message length", maxMessageChars);
    }

    /** 100 messages of history, 100 queued direct messages, 4,096 characters. */
    public static ChatSettings defaults() {
        return new ChatSettings(100, 100, 4096);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
    }
}
