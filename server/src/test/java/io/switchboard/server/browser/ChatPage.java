/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in one browser window, as a person uses it: typing, clicking, reading. Reading
 * goes through one script call per question, so polling a condition stays cheap.
 */
final class ChatPage {

    /** How long any expectation about a page waits. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Browser browser;
    private final String name;
    private final String handle;

    ChatPage(Browser browser, String name, String handle) {
        this.browser = browser;
        this.name = name;
        this.handle = handle;
    }

    String name() {
        return name;
    }

    String handle() {
        return handle;
    }

    /** Types a name and a room into the form and presses Join (or Switch); waits to be connected. */
    ChatPage join(String user, String room) {
        type(By.id("user"), user);
        type(By.id("room"), room);
        element(By.id("join-button")).click();
        awaitStatus("open");
        await("the member list shows " + user, () -> members().contains(user));
        return this;
    }

    /** Types a message and presses Enter. */
    void say(String text) {
        element(By.id("text")).sendKeys(text, Keys.ENTER);
    }

    /** Clicks a name in the member list (again to go back to the room). */
    void clickMember(String member) {
        element(By.cssSelector("#members li[data-name='" + member + "']")).click();
    }

    /** Room messages as {@code FROM: TEXT}, in the order shown. */
    List<String> roomMessages() {
        return strings("return [...document.querySelectorAll('#messages li.message')].map(li =>"
                + " li.querySelector('.from').textContent + ': ' + li.querySelector('.text').textContent)");
    }

    /** Room message ids, in the order shown. */
    List<String> roomMessageIds() {
        return strings("return [...document.querySelectorAll('#messages li.message')].map(li => li.dataset.id)");
    }

    /** Direct messages as {@code to bob: TEXT} or {@code from ann: TEXT}, with {@code [queued]} when marked. */
    List<String> directMessages() {
        return strings("return [...document.querySelectorAll('#messages li.direct')].map(li =>"
                + " li.querySelector('.from').textContent + ': ' + li.querySelector('.text').textContent"
                + " + (li.classList.contains('queued') ? ' [queued]' : ''))");
    }

    /** Lines the page adds itself: joins, leaves, errors. */
    List<String> systemLines() {
        return strings("return [...document.querySelectorAll('#messages li.system')].map(li => li.textContent)");
    }

    /** Messages typed while disconnected, waiting to be sent. */
    List<String> pendingMessages() {
        return strings("return [...document.querySelectorAll('#messages li.pending .text')].map(s => s.textContent)");
    }

    List<String> members() {
        return strings("return [...document.querySelectorAll('#members li')].map(li => li.dataset.name)");
    }

    /** The connection indicator's state: connecting, open, reconnecting or closed. */
    String status() {
        return (String) script("return document.getElementById('status').dataset.state");
    }

    /** The text of the "reconnecting…" banner, or null when it is hidden. */
    String banner() {
        return (String)
                script("const b = document.getElementById('banner'); return b.hidden ? null : b.textContent.trim()");
    }

    /** The notice about messages that could not be recovered, or null when hidden. */
    String notice() {
        return (String) script("const n = document.getElementById('notice');"
                + " return n.hidden ? null : document.getElementById('notice-text').textContent");
    }

    Object script(String script, Object... args) {
        browser.focus(this);
        return browser.driver().executeScript(script, args);
    }

    @SuppressWarnings("unchecked")
    private List<String> strings(String script) {
        return (List<String>) script(script);
    }

    void awaitStatus(String state) {
        await("the connection indicator to say " + state, () -> state.equals(status()));
    }

    /** Waits for {@code condition}; fails naming {@code what} and showing what the page shows. */
    void await(String what, BooleanSupplier condition) {
        browser.focus(this);
        new WebDriverWait(browser.driver(), TIMEOUT, Duration.ofMillis(50))
                .withMessage(() ->
                        name + ": waited " + TIMEOUT.toSeconds() + " s for " + what + "; the page shows " + describe())
                .until(driver -> condition.getAsBoolean());
    }

    /** What the page shows, for failure messages. */
    String describe() {
        return "status=" + status() + " banner=" + banner() + " members=" + members() + " room=" + roomMessages()
                + " direct=" + directMessages() + " system=" + systemLines();
    }

    /** Leaves the page, closing its connection, as closing a tab would. */
    void leave() {
        browser.focus(this);
        browser.driver().get("about:blank");
    }

    /** The browser's Back button. */
    void back() {
        browser.focus(this);
        browser.driver().navigate().back();
    }

    /** Opens the page again (a fresh load, nothing remembered but the name field). */
    void reload(String url) {
        browser.focus(this);
        browser.driver().get(url);
    }

    void resize(int width, int height) {
        browser.focus(this);
        browser.driver().manage().window().setSize(new Dimension(width, height));
    }

    /** Saves what the window shows as {@code target/screenshots/NAME.png}. */
    void screenshot(String file) {
        browser.focus(this);
        try {
            Files.createDirectories(Browser.SCREENSHOTS);
            Files.write(
                    Browser.SCREENSHOTS.resolve(file + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private WebElement element(By by) {
        browser.focus(this);
        return browser.driver().findElement(by);
    }

    private void type(By by, String text) {
        WebElement input = element(by);
        input.clear();
        input.sendKeys(text);
    }
}
