/**
 * General channels: Centrifugo's client protocol (JSON) on a route of the framework, its server
 * API, namespaces, and latest-value conflation, with the engine and history for delivery,
 * presence and recovery on every node.
 */
package io.switchboard.channels;
