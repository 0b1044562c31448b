/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.security.Tls;
import org.junit.jupiter.api.Test;

class DevCertificateTest {

    @Test
    void aDevelopmentCertificateNamesLocalhostAndHoldsItsKey() throws Exception {
        Tls tls = DevCertificate.make();
        assertThat(tls.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(tls.certificate().getSubjectAlternativeNames()).hasSize(2);
        assertThat(tls.keyManagers().getKeyManagers()).isNotEmpty();
        assertThat(tls.trustStore().isCertificateEntry("switchboard")).isTrue();
    }

    @Test
    void eachCertificateIsNew() {
        assertThat(DevCertificate.make().certificate())
                .isNotEqualTo(DevCertificate.make().certificate());
    }
}
