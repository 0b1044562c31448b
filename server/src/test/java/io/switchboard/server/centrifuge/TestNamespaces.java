package io.switchboard.server.centrifuge;

/** The namespaces the nodes of these tests are configured with, beside the defaults of channels without one. */
final class TestNamespaces {

    /** Channels {@code private:NAME}: subscribing takes a subscription token. */
    static final String PRIVATE = "private";

    private TestNamespaces() {}
}
