/**
 * Groups, users and presence: the {@link io.switchboard.engine.Hub} that handlers send through, the
 * {@link io.switchboard.engine.Engine} interface that carries sends between nodes, and the default
 * {@link io.switchboard.engine.InMemoryEngine}.
 */
package io.switchboard.engine;
