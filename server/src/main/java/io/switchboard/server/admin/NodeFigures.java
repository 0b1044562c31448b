/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

/**
 * One node's figures as it shares them with the others (every two seconds, through the history).
 *
 * @param node the node's id
 * @param at when it took them, in milliseconds since the epoch (its clock)
 * @param connections its open connections
 * @param inPerSecond messages it received per second
 * @param outPerSecond messages it sent per second
 * @param deliveriesPerSecond broadcast deliveries it wrote per second
 */
record NodeFigures(
        String node, long at, long connections, double inPerSecond, double outPerSecond, double deliveriesPerSecond) {

    static NodeFigures of(String node, StatsRing.Point point) {
        return new NodeFigures(
                node,
                point.at(),
                point.connections(),
                point.inPerSecond(),
                point.outPerSecond(),
                point.deliveriesPerSecond());
    }
}
