/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test after which Netty's leak detector (paranoid in tests) reports a buffer that was
 * collected without being released. The detector only learns of a leak when the buffer is garbage
 * collected and reports it on a later allocation, so after each test this collects garbage, waits
 * until the collected references are queued (a sentinel of its own tells when), and allocates once.
 */
public final class LeakCheck implements AfterEachCallback {

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ByteBufUtil.setLeakListener((type, records) -> LEAKS.add(type + " leaked:" + records));
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        collectGarbage();
        ByteBufAllocator.DEFAULT.directBuffer(1).release(); // reports what the collection found
        List<String> found = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            found.add(leak);
        }
        if (!found.isEmpty()) {
            throw new AssertionError("Netty buffers were never released:\n" + String.join("\n", found));
        }
    }

    /** A full collection, and the moment its weak references have been queued. */
    private static void collectGarbage() throws InterruptedException {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        if (queue.remove(10_000) != sentinel) {
            throw new AssertionError("the garbage collector did not clear a weak reference within 10 s");
        }
    }
}
