/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECKey;
import java.util.Set;

/**
 * Ed25519 signatures (JWS algorithm {@code EdDSA}, RFC 8037) done by the JDK's own {@code Ed25519}
 * provider. nimbus-jose-jwt's Ed25519 classes need Google Tink; the JDK has had Ed25519 since 15, so
 * the token code carries no second crypto library for one algorithm.
 */
final class JdkEdDsa {

    /** The algorithm names a header may use for Ed25519: the classic one and RFC 9864's. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private static final String JCA_NAME = "Ed25519";

    private JdkEdDsa() {}

    /** Whether {@code key} is an Ed25519 key (not Ed448, the other EdDSA curve). */
    static boolean isEd25519(Key key) {
        if (key instanceof EdECKey ed) {
            return JCA_NAME.equalsIgnoreCase(ed.getParams().getName());
        }
        return false;
    }

    /** Checks Ed25519 signatures with one public key. */
    static final class Verifier implements JWSVerifier {
        private final PublicKey key;
        private final JCAContext context = new JCAContext();

        Verifier(PublicKey key) {
            this.key = key;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            if (!ALGORITHMS.contains(header.getAlgorithm())) {
                return false;
            }
            try {
                Signature verifier = Signature.getInstance(JCA_NAME);
                verifier.initVerify(key);
                verifier.update(signingInput);
                return verifier.verify(signature.decode());
            } catch (SignatureException e) {
                return false; // a signature of the wrong length or shape is simply not this key's
            } catch (GeneralSecurityException e) {
                throw new JOSEException("Ed25519 is not available: " + e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return ALGORITHMS;
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }

    /** Signs with one Ed25519 private key (tests and issuers). */
    static final class Signer implements JWSSigner {
        private final PrivateKey key;
        private final JCAContext context = new JCAContext();

        Signer(PrivateKey key) {
            this.key = key;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            try {
                Signature signer = Signature.getInstance(JCA_NAME);
                signer.initSign(key);
                signer.update(signingInput);
                return Base64URL.encode(signer.sign());
            } catch (GeneralSecurityException e) {
                throw new JOSEException("cannot sign with Ed25519: " + e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return ALGORITHMS;
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }
}
