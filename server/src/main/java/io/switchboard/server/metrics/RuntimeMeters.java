/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

/**
 * Micrometer's own binders for the process: JVM memory, garbage collection, threads, class loading,
 * processor and uptime, and the Netty allocator the server's connections take their buffers from.
 */
final class RuntimeMeters implements AutoCloseable {

    private final JvmGcMetrics gc = new JvmGcMetrics();

    private RuntimeMeters() {}

    /** Binds them all to {@code registry}; {@link #close()} stops listening for collections. */
    static RuntimeMeters bind(MeterRegistry registry) {
        RuntimeMeters meters = new RuntimeMeters();
        new JvmMemoryMetrics().bindTo(registry);
        meters.gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // The server's channels use Netty's default allocator (adaptive in Netty 4.2, pooled when
        // -Dio.netty.allocator.type=pooled): that is the one whose memory the node spends.
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
        return meters;
    }

    @Override
    public void close() {
        gc.close();
    }
}
