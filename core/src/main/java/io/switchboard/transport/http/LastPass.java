/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import java.util.function.Predicate;

/**
 * The last inputs a check passed, so that the next handshake with equal inputs passes without
 * parsing them again: the Host and Origin checks parse a URI or a host name per request, and a
 * server's clients nearly all send the same few. Only for a check that is a pure function of its
 * inputs (the inputs record must hold everything the answer depends on, the allow-list included);
 * a refusal is never remembered. One slot, so it cannot grow; any thread.
 *
 * @param <K> the check's inputs, a record compared with {@code equals}
 */
public final class LastPass<K> {

    private final Predicate<K> check;
    private volatile K passed;

    /** Remembers what {@code check} passes. */
    public LastPass(Predicate<K> check) {
        this.check = check;
    }

    /** Whether {@code inputs} pass the check: at once when they equal the last that did. */
    public boolean test(K inputs) {
        if (inputs.equals(passed)) {
            return true;
        }
        boolean passes = check.test(inputs);
        if (passes) {
            passed = inputs;
        }
        return passes;
    }
}
