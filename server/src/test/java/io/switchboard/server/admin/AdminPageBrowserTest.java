/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.ServedNode;
import io.switchboard.server.browser.Browser;
import io.switchboard.testkit.TestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin page in a real headless Chromium against {@code serve --admin-password}: logging in,
 * figures that move while a real WebSocket client sends, a user found and disconnected, a publication
 * that reaches a subscriber, and the layout at desktop and 390 px phone widths (screenshots in
 * {@code target/screenshots/admin}).
 */
class AdminPageBrowserTest {

    private static final String PASSWORD = "browser-admin";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    // A folder of its own: Browser.start() clears the PNGs directly in target/screenshots for its tests.
    private static final Path SCREENSHOTS = Path.of("target", "screenshots", "admin");

    @TempDir
    static Path dir;

    private static Browser browser;
    private static ServedNode node;

    @BeforeAll
    static void start() throws IOException {
        Path config = Files.writeString(dir.resolve("switchboard.properties"), "namespace.news.subscribe=anonymous\n");
        node = ServedNode.start(List.of("--admin-password", PASSWORD, "--config", config.toString()));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            node.close();
        }
    }

    @BeforeEach
    void logIn() {
        driver().manage().window().setSize(new Dimension(1280, 900));
        driver().get(node.http("/admin"));
        await("the login form or the dashboard", () -> shown("login") || shown("dash"));
        if (shown("login")) {
            driver().findElement(By.id("password")).sendKeys(PASSWORD);
            driver().findElement(By.cssSelector("#login button")).click();
        }
        await("the dashboard after logging in", () -> shown("dash"));
    }

    @Test
    void aWrongPasswordSaysSoAndKeepsTheDashboardHidden() {
        driver().findElement(By.id("logout")).click();
        await("the login form after logging out", () -> shown("login"));
        driver().findElement(By.id("password")).sendKeys("not it");
        driver().findElement(By.cssSelector("#login button")).click();
        await("the wrong password notice", () -> text("login-error").equals("Wrong password."));
        assertThat(shown("dash")).isFalse();
    }

    @Test
    void figuresMoveWhileAClientSendsAndTheLayoutFitsAPhone() {
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        try (TestClient bob = TestClient.connect(URI.create(node.ws("/ws/chat/lobby?user=bob")))) {
            pace.scheduleAtFixedRate(() -> bob.sendText("{\"message\":\"hello\"}"), 0, 50, TimeUnit.MILLISECONDS);
            await("a connection in the figures", () -> number("now-connections") >= 1);
            await("messages in per second above 0", () -> number("now-in") > 0);
            await("messages out per second above 0", () -> number("now-out") > 0);
            await("the lobby among the rooms", () -> text("rooms").contains("lobby"));
            await("this node in the nodes table", () -> !driver().findElements(By.cssSelector("#nodes tr.self"))
                    .isEmpty());
            await("a line in the messages chart", () -> !driver().findElements(
                            By.cssSelector("#chart-messages polyline.in"))
                    .isEmpty());
            screenshot("admin-desktop");

            driver().manage().window().setSize(new Dimension(390, 844));
            await("the page to fit 390 px without scrolling sideways", () -> (Boolean)
                    driver().executeScript("return document.documentElement.scrollWidth <= window.innerWidth"));
            screenshot("admin-phone-390");
            driver().executeScript("window.scrollTo(0, document.body.scrollHeight)");
            screenshot("admin-phone-390-bottom");
        } finally {
            pace.shutdownNow();
        }
    }

    @Test
    void aUserIsFoundAndDisconnectedFromThePage() {
        TestClient carol = TestClient.connect(URI.create(node.ws("/ws/chat/kitchen?user=carol")));
        carol.expectText(); // the welcome

        driver().findElement(By.id("user-name")).sendKeys("carol");
        driver().findElement(By.cssSelector("#user-form button")).click();
        await("carol's connection in the kitchen", () -> text("user-connections")
                .contains("room kitchen"));
        driver().findElement(By.id("disconnect")).click();

        assertThat(AdminHttpTest.closeOf(carol).code()).isEqualTo(4501);
        await("the page to say so", () -> text("user-status").equals("Disconnected carol."));
        await("carol's connections to be gone", () -> text("user-summary").equals("0 connections"));
    }

    @Test
    void aLookupThatFailsSaysWhyBeforeAnyLookupSucceeded() {
        driver().findElement(By.id("user-name")).sendKeys("x".repeat(300)); // past the longest name
        driver().findElement(By.cssSelector("#user-form button")).click();

        await("the reason on the page", () -> text("user-status").equals("invalid user"));
        assertThat(shown("user-result")).isFalse();
    }

    @Test
    void aPublicationFromThePageReachesASubscriber() {
        try (TestClient subscriber = TestClient.connect(URI.create(node.ws("/connection/websocket")))) {
            subscriber.sendText("{\"id\":1,\"connect\":{}}");
            assertThat(subscriber.expectText()).contains("\"id\":1", "\"connect\":");
            subscriber.sendText("{\"id\":2,\"subscribe\":{\"channel\":\"news:today\"}}");
            assertThat(subscriber.expectText()).contains("\"id\":2", "\"subscribe\":");

            new Select(driver().findElement(By.id("publish-kind"))).selectByValue("channel");
            WebElement target = driver().findElement(By.id("publish-target"));
            target.sendKeys("news:today");
            WebElement data = driver().findElement(By.id("publish-data"));
            data.clear();
            data.sendKeys("{\"text\": \"from the admin page\"}");
            driver().findElement(By.cssSelector("#publish-form button")).click();

            String push = subscriber.expectText(TIMEOUT);
            assertThat(push).contains("\"channel\":\"news:today\"", "\"text\":\"from the admin page\"");
            await("the page to confirm", () -> text("publish-status").startsWith("Published to news:today"));
        }
    }

    private static ChromeDriver driver() {
        return browser.driver();
    }

    private static boolean shown(String id) {
        return driver().findElement(By.id(id)).isDisplayed();
    }

    private static String text(String id) {
        return driver().findElement(By.id(id)).getText();
    }

    private static double number(String id) {
        try {
            return Double.parseDouble(text(id));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        new WebDriverWait(driver(), TIMEOUT, Duration.ofMillis(100))
                .withMessage(() -> "waited " + TIMEOUT.toSeconds() + " s for " + what)
                .until(d -> condition.getAsBoolean());
    }

    private static void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver().getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
