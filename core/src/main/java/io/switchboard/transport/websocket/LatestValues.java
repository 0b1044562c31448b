package io.switchboard.transport.websocket;

import io.switchboard.routing.ConflatedText;
import io.switchboard.session.Message;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest value of each key that a backed-up connection has not received yet (latest-value
 * conflation): a newer value of a held key replaces it, and counts the older one as skipped. At most
 * {@code maxKeys} keys are held. Values are the broadcast's own {@link Message}, shared with every
 * other member: nothing here holds a buffer, so a connection that ends with values held leaks
 * nothing.
 *
 * <p>Values leave oldest key first (the order in which their keys were first held), each rendered by
 * the route's {@link ConflatedText} when it replaced older ones.
 *
 * <p>Threads: the connection's event loop; {@link #conflated()} from any thread.
 */
final class LatestValues {

    private static final Logger log = LoggerFactory.getLogger(LatestValues.class);

    /** A key's newest value and how many older values of the key it replaced. */
    private static final class Held {
        Message message;
        int skipped;

        Held(Message message) {
            this.message = message;
        }
    }

    private final int maxKeys;
    /** Rewrites a value that replaced older ones; null sends it as broadcast. */
    private final ConflatedText render;

    private final Map<String, Held> held = new LinkedHashMap<>();
    /** Written on the loop only; volatile so that a reader on another thread sees it. */
    private volatile long conflated;

    LatestValues(int maxKeys, ConflatedText render) {
        this.maxKeys = maxKeys;
        this.render = render;
    }

    /**
     * Holds {@code message} as the newest value of {@code key}; false, holding nothing, when the key is
     * not held and {@code maxKeys} others are.
     */
    boolean hold(String key, Message message) {
        Held before = held.get(key);
        if (before != null) {
            before.message = message; // the key keeps its place: it was first held earlier
            before.skipped++;
            conflated++;
            return true;
        }
        if (held.size() >= maxKeys) {
            return false;
        }
        held.put(key, new Held(message));
        return true;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /** How many keys have a value held now. */
    int size() {
        return held.size();
    }

    /** How many values were replaced by a newer one of their key, over the connection's life. Any thread. */
    long conflated() {
        return conflated;
    }

    /** Takes the value of the key held longest, rendered; null when none is held. */
    Message next() {
        Iterator<Held> values = held.values().iterator();
        if (!values.hasNext()) {
            return null;
        }
        Held first = values.next();
        values.remove();
        return rendered(first);
    }

    private Message rendered(Held value) {
        if (render == null || value.skipped == 0 || !(value.message instanceof Message.Text text)) {
            return value.message;
        }
        try {
            return Message.text(render.render(text.text(), value.skipped));
        } catch (RuntimeException e) {
            log.warn("rendering a conflated value failed; sending it as broadcast", e);
            return value.message;
        }
    }
}
