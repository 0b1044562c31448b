/** The engine for many nodes on Redis: exports {@code io.switchboard.redis} and nothing of Lettuce. */
// Lettuce has no module-info, only an Automatic-Module-Name, which is stable enough to require.
@SuppressWarnings("requires-automatic")
module io.switchboard.redis {
    requires transitive io.switchboard;
    requires lettuce.core;
    requires org.slf4j;

    exports io.switchboard.redis;
}
