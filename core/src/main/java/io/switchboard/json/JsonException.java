package io.switchboard.json;

/** Text that is not JSON, or JSON that does not fit the expected type. The message is one line. */
public final class JsonException extends RuntimeException {

    public JsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
