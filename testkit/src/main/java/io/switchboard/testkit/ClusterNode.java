/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code CLUSTER NODES}: a node of a {@link RedisCluster} as one of its members sees it.
 *
 * @param id the node's cluster id
 * @param port its port on the loopback address
 * @param flags what it is ({@code master}, {@code slave}, {@code myself}, {@code fail}...)
 * @param primaryId the id of its primary, {@code null} for a primary
 * @param slots the slot ranges it serves, each {@code [first, last]}
 */
record ClusterNode(String id, int port, Set<String> flags, String primaryId, List<int[]> slots) {

    static List<ClusterNode> parse(String clusterNodes) {
        return clusterNodes
                .lines()
                .filter(line -> !line.isBlank())
                .map(ClusterNode::line)
                .toList();
    }

    private static ClusterNode line(String line) {
        String[] fields = line.strip().split(" ");
        String address = fields[1].split("@")[0];
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        List<int[]> slots = new ArrayList<>();
        for (int i = 8; i < fields.length; i++) {
            if (!fields[i].startsWith("[")) { // [slot->-id] marks a migration, not a served slot
                String[] range = fields[i].split("-");
                int first = Integer.parseInt(range[0]);
                slots.add(new int[] {first, range.length > 1 ? Integer.parseInt(range[1]) : first});
            }
        }
        return new ClusterNode(
                fields[0], port, Set.of(fields[2].split(",")), "-".equals(fields[3]) ? null : fields[3], slots);
    }

    boolean primary() {
        return flags.contains("master");
    }

    boolean failed() {
        return flags.contains("fail") || flags.contains("fail?");
    }

    boolean serves(int slot) {
        return slots.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
    }
}
