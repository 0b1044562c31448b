/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import io.switchboard.server.browser.Browser;

/**
 * One headless Chromium and the site its pages come from, shared by a class of tests: each client
 * is a window of its own, closed after its test.
 */
final class ChromiumClients implements AutoCloseable {

    private final AgentPages pages;
    private final Browser browser;

    private ChromiumClients(AgentPages pages, Browser browser) {
        this.pages = pages;
        this.browser = browser;
    }

    static ChromiumClients start() {
        AgentPages pages = AgentPages.start();
        try {
            return new ChromiumClients(pages, Browser.start());
        } catch (RuntimeException | AssertionError e) {
            pages.close();
            throw e;
        }
    }

    /** The origin of the pages, which the nodes must allow. */
    String origin() {
        return pages.origin();
    }

    /** A new window with the client's page. */
    AgentLink open() {
        return PageLink.open(browser.driver(), pages.page());
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            pages.close();
        }
    }
}
