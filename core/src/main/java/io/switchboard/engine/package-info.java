/**
 * Groups, users and presence: the {@link io.switchboard.engine.Hub} that handlers send through, the
 * {@link io.switchboard.engine.Engine} interface that carries sends between nodes, and the default
 * {@link io.switchboard.engine.InMemoryEngine}; {@link io.switchboard.engine.History} for recovery
 * and queues. Optional capabilities are tiny interfaces of their own that an engine may implement:
 * {@link io.switchboard.engine.Departures} (the engine removes members on its own, as the Redis
 * engine does for a node that died). An engine or history that shares a store between nodes
 * fails operations it cannot do while the store is unreachable with
 * {@link io.switchboard.engine.UnavailableException}.
 */
package io.switchboard.engine;
