/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A remembered pass skips the check for equal inputs only, and a refusal is never remembered. */
class LastPassTest {

    private record Inputs(String value, List<String> allowed) {}

    private final List<Inputs> checked = new ArrayList<>();
    private final LastPass<Inputs> pass = new LastPass<>(inputs -> {
        checked.add(inputs);
        return inputs.allowed().contains(inputs.value());
    });

    @Test
    void equalInputsPassWithoutBeingCheckedAgain() {
        assertThat(pass.test(new Inputs("a", List.of("a")))).isTrue();
        assertThat(pass.test(new Inputs(new String("a"), List.of("a")))).isTrue();

        assertThat(checked).hasSize(1);
    }

    @Test
    void otherInputsAreCheckedAndCanFailAfterAPass() {
        assertThat(pass.test(new Inputs("a", List.of("a")))).isTrue();

        assertThat(pass.test(new Inputs("b", List.of("a")))).isFalse();
        assertThat(pass.test(new Inputs("a", List.of("b")))).isFalse();
        assertThat(checked).hasSize(3);
    }

    @Test
    void aRefusalIsCheckedAgainEveryTime() {
        assertThat(pass.test(new Inputs("b", List.of("a")))).isFalse();
        assertThat(pass.test(new Inputs("b", List.of("a")))).isFalse();

        assertThat(checked).hasSize(2);
    }
}
