/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.bench.soak;

import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads another JVM's heap over JMX, reached by attaching to it (the JDK's attach API starts the
 * local management agent in the target, as {@code jcmd ManagementAgent.start_local} does). Every call
 * has a time limit, since a server short of memory may answer slowly or not at all.
 */
final class HeapProbe implements AutoCloseable {

    private static final long MIB = 1024 * 1024;

    private final JMXConnector connector;
    private final MemoryMXBean memory;
    // A thread per call: a call stuck on a server that stopped answering must not hold up the next.
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "soak-heap-probe");
        thread.setDaemon(true);
        return thread;
    });

    private HeapProbe(JMXConnector connector, MemoryMXBean memory) {
        this.connector = connector;
        this.memory = memory;
    }

    static HeapProbe attach(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        // No background connection check: a server busy collecting garbage would only make it log.
        JMXConnector connector = JMXConnectorFactory.connect(
                new JMXServiceURL(address), Map.of("jmx.remote.x.client.connection.check.period", 0L));
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(
                connector.getMBeanServerConnection(), ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        return new HeapProbe(connector, memory);
    }

    /** Heap in use now, garbage included, in MiB; -1 when the server did not answer within the limit. */
    double usedMiB(long timeoutMillis) {
        return call(() -> (double) memory.getHeapMemoryUsage().getUsed() / MIB, timeoutMillis);
    }

    /** Heap in use after two full collections, in MiB; -1 when the server did not answer within the limit. */
    double liveMiB(long timeoutMillis) {
        return call(
                () -> {
                    memory.gc();
                    memory.gc(); // the second catches what the first only made unreachable (finalizable, soft)
                    return (double) memory.getHeapMemoryUsage().getUsed() / MIB;
                },
                timeoutMillis);
    }

    private double call(Callable<Double> read, long timeoutMillis) {
        Future<Double> answer = calls.submit(read);
        try {
            return answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            return -1;
        } finally {
            answer.cancel(true);
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
        try {
            connector.close();
        } catch (Exception e) {
            // the server may be gone already
        }
    }
}
