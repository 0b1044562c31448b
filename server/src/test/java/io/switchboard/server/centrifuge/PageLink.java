/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.centrifuge;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The centrifuge client's browser build in a Chromium window of its own ({@code agent/page.html}):
 * commands are handed to {@code window.agent}, events taken with one asynchronous script call that
 * returns as soon as there is one (no polling). The window is closed at the end.
 */
final class PageLink implements AgentLink {

    private static final Duration LOAD = Duration.ofSeconds(10);

    private final ChromeDriver driver;
    private final String handle;

    private PageLink(ChromeDriver driver, String handle) {
        this.driver = driver;
        this.handle = handle;
    }

    /** Opens the agent's page at {@code url} in a new window of {@code driver}. */
    static PageLink open(ChromeDriver driver, String url) {
        driver.switchTo().newWindow(WindowType.WINDOW);
        PageLink link = new PageLink(driver, driver.getWindowHandle());
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        driver.get(url);
        new WebDriverWait(driver, LOAD)
                .withMessage(() -> "the agent's page at " + url + " did not load (title: " + driver.getTitle() + ")")
                .until(d -> "centrifuge agent ready".equals(d.getTitle()));
        return link;
    }

    private void focus() {
        if (!handle.equals(driver.getWindowHandle())) {
            driver.switchTo().window(handle);
        }
    }

    @Override
    public void send(Map<String, Object> command) {
        focus();
        driver.executeScript("window.agent.handle(arguments[0])", command);
    }

    @Override
    public List<JsonNode> take(Duration wait) {
        focus();
        Object events = driver.executeAsyncScript(
                "window.agent.take(arguments[0], arguments[arguments.length - 1])", wait.toMillis());
        List<JsonNode> taken = new ArrayList<>();
        for (Object event : (List<?>) events) {
            taken.add(Json.mapper().valueToTree(event));
        }
        return taken;
    }

    @Override
    public String runtime() {
        return "Chromium";
    }

    @Override
    public void close() {
        focus();
        driver.close();
        driver.switchTo().window(driver.getWindowHandles().iterator().next());
    }
}
