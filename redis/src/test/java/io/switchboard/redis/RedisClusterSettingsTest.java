/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code redis-cluster://} URIs: seed nodes, a password, no database; wrong ones fail naming the problem. */
class RedisClusterSettingsTest {

    @Test
    void aClusterUriListsSeedNodes() {
        RedisSettings settings = RedisSettings.of("redis-cluster://:secret@10.0.0.1:7000,redis-b:7001");

        assertThat(settings.cluster()).isTrue();
        assertThat(settings.sentinel()).isFalse();
        assertThat(settings.database()).isZero();
        assertThat(settings.display()).isEqualTo("redis-cluster://10.0.0.1:7000,redis-b:7001");
        List<RedisURI> seeds = settings.clusterUris();
        assertThat(seeds).extracting(RedisURI::getHost).containsExactly("10.0.0.1", "redis-b");
        assertThat(seeds).extracting(RedisURI::getPort).containsExactly(7000, 7001);
        assertThat(seeds).allSatisfy(seed -> assertThat(password(seed)).isEqualTo("secret"));
        assertThat(seeds).allSatisfy(seed -> assertThat(seed.getTimeout()).isEqualTo(settings.connectTimeout()));
    }

    @Test
    void thePasswordSettingOverridesTheUris() {
        RedisSettings settings = RedisSettings.of("redis-cluster://:old@h:1").withPassword("new");

        assertThat(password(settings.clusterUris().getFirst())).isEqualTo("new");
        assertThat(password(
                        RedisSettings.of("redis-cluster://h:1").clusterUris().getFirst()))
                .isNull();
    }

    @Test
    void otherUrisAreNoCluster() {
        assertThat(RedisSettings.of("redis://h:1/2").cluster()).isFalse();
        assertThat(RedisSettings.of("redis-sentinel://h:1#m").cluster()).isFalse();
    }

    @Test
    void aClusterHasNoDatabaseToName() {
        assertThatThrownBy(() -> RedisSettings.of("redis-cluster://h:7000/1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no database (a cluster has only database 0)")
                .hasMessageContaining("'redis-cluster://h:7000/1'");
        assertThatThrownBy(() -> RedisSettings.of("redis-cluster://:secret@h:7000/1"))
                .hasMessageContaining("'redis-cluster://:...@h:7000/1'")
                .message()
                .doesNotContain("secret");
    }

    @Test
    void badNodesAreNamed() {
        assertThatThrownBy(() -> RedisSettings.of("redis-cluster://h"))
                .hasMessage("a Redis Cluster URI lists its nodes as HOST:PORT separated by commas, not"
                        + " 'redis-cluster://h'");
        assertThatThrownBy(() -> RedisSettings.of("redis-cluster://h:1,"))
                .hasMessageContaining("HOST:PORT separated by commas");
        assertThatThrownBy(() -> RedisSettings.of("redis-cluster://h:port"))
                .hasMessage("'port' is not a port (1 to 65535) in 'redis-cluster://h:port'");
        assertThatThrownBy(() -> RedisSettings.of("redis-cluster://h:70000"))
                .hasMessageContaining("'70000' is not a port");
    }

    @Test
    void aUserNameIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> RedisSettings.of("redis-cluster://admin:secret@h:1"))
                .hasMessage("a Redis Cluster URI takes a password, no user name: redis-cluster://:PASSWORD@HOST:PORT,"
                        + " not 'redis-cluster://...@h:1'");
        assertThat(password(RedisSettings.of("redis-cluster://:a:b@c@h:1")
                        .clusterUris()
                        .getFirst()))
                .isEqualTo("a:b@c");
    }

    @Test
    void anUnknownSchemeListsAllFour() {
        assertThatThrownBy(() -> RedisSettings.of("cluster://h:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Redis URI starts with redis://, rediss://, redis-sentinel:// or redis-cluster://,"
                        + " not 'cluster://h:1'");
    }

    private static String password(RedisURI seed) {
        RedisCredentials credentials =
                seed.getCredentialsProvider().resolveCredentials().block();
        return credentials == null || !credentials.hasPassword() ? null : new String(credentials.getPassword());
    }
}
