/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.ServedNode;
import io.switchboard.testkit.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Two nodes on one real Redis: each one's admin API lists both, with their figures, and forgets one that stopped. */
class AdminClusterTest {

    private static final String BEARER = "Bearer cluster-admin";

    @Test
    void eachNodeListsBothAndDropsOneThatStopped() {
        try (RedisServer redis = RedisServer.start();
                ServedNode a = node(redis);
                ServedNode b = node(redis)) {
            AdminHttp adminA = new AdminHttp(a.http(""));
            AdminHttp adminB = new AdminHttp(b.http(""));
            String idA = (String)
                    adminA.json("/admin/api/stats", "Authorization", BEARER).get("node");
            String idB = (String)
                    adminB.json("/admin/api/stats", "Authorization", BEARER).get("node");
            assertThat(idA).isNotEqualTo(idB);

            AdminHttp.eventually(
                    "node a to list a and b", 15, () -> nodes(adminA).equals(Set.of(idA, idB)));
            AdminHttp.eventually(
                    "node b to list a and b", 15, () -> nodes(adminB).equals(Set.of(idA, idB)));
            Map<String, Object> seenByB = adminB.json("/admin/api/nodes", "Authorization", BEARER);
            assertThat(seenByB.get("self")).isEqualTo(idB);
            assertThat(seenByB.get("shared")).isEqualTo(true);

            b.stop();
            AdminHttp.eventually(
                    "node a to drop b, not heard from for " + ClusterFigures.STALE.toSeconds() + " s",
                    ClusterFigures.STALE.toSecondsPart() + 15,
                    () -> nodes(adminA).equals(Set.of(idA)));
        }
    }

    private static ServedNode node(RedisServer redis) {
        return ServedNode.start(List.of("--redis", redis.uri(), "--admin-password", "cluster-admin"));
    }

    private static Set<String> nodes(AdminHttp admin) {
        List<?> nodes = (List<?>)
                admin.json("/admin/api/nodes", "Authorization", BEARER).get("nodes");
        return nodes.stream().map(n -> (String) ((Map<?, ?>) n).get("node")).collect(Collectors.toSet());
    }
}
