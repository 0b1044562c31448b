/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server;

import static io.switchboard.server.ServeOptions.DEV_TLS;
import static io.switchboard.server.ServeOptions.TLS_CERT;
import static io.switchboard.server.ServeOptions.TLS_KEY;

import io.switchboard.security.Tls;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The certificate {@code serve} uses: from --tls-cert and --tls-key, made up for --dev-tls, or none. */
final class TlsOptions {

    private TlsOptions() {}

    /** The certificate the options name, or {@code null} for plain http:// and ws://. */
    static Tls tls(CommandSpec command) {
        Path cert = TLS_CERT.value(command);
        Path key = TLS_KEY.value(command);
        boolean dev = DEV_TLS.value(command);
        check(command, !dev || (cert == null && key == null), "--dev-tls and --tls-cert/--tls-key exclude each other");
        check(command, key == null || cert != null, "--tls-key needs --tls-cert (the certificate chain it belongs to)");
        check(command, cert == null || key != null, "--tls-cert needs --tls-key (the certificate's private key)");
        if (dev) {
            try {
                return DevCertificate.make();
            } catch (IllegalStateException e) {
                throw new CommandLine.ParameterException(command.commandLine(), "--dev-tls: " + e.getMessage());
            }
        }
        try {
            return cert == null ? null : Tls.pem(cert, key);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
        }
    }

    private static void check(CommandSpec command, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(command.commandLine(), message);
        }
    }
}
