/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.server.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Chromium, driven through ChromeDriver, with a window per {@link ChatPage}. Both
 * programs are Debian's ({@code chromium}, {@code chromium-driver}) unless
 * {@code -Dswitchboard.chromium=PATH} / {@code CHROMIUM} and {@code -Dswitchboard.chromedriver=PATH}
 * / {@code CHROMEDRIVER} say otherwise; with both paths given Selenium downloads nothing. When
 * Chromium cannot start, {@link #start()} fails saying why: a browser test is never skipped.
 */
public final class Browser implements AutoCloseable {

    /** Where every run leaves its screenshots, under the module's build output. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;
    private final String firstWindow;
    private final List<ChatPage> pages = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.firstWindow = driver.getWindowHandle();
    }

    /** Starts Chromium, after clearing the previous run's screenshots. */
    public static Browser start() {
        clearScreenshots();
        String chromium = setting("switchboard.chromium", "CHROMIUM", "/usr/bin/chromium");
        String chromedriver = setting("switchboard.chromedriver", "CHROMEDRIVER", "/usr/bin/chromedriver");
        requireExecutable(chromium, "Chromium", "chromium", "switchboard.chromium");
        requireExecutable(chromedriver, "ChromeDriver", "chromium-driver", "switchboard.chromedriver");
        Path profile;
        try {
            profile = Files.createTempDirectory("switchboard-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                // Every window is a page under test: none may be slowed down as a background tab.
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--window-size=1000,720",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .withLogFile(Path.of("target", "chromedriver.log").toFile())
                .build();
        try {
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (WebDriverException e) {
            throw new AssertionError(
                    "headless Chromium did not start (" + chromium + " driven by " + chromedriver + "): "
                            + firstLine(e.getMessage()) + " See target/chromedriver.log.",
                    e);
        }
    }

    private static String firstLine(String message) {
        String line =
                message == null ? "" : message.lines().findFirst().orElse("").strip();
        return line.endsWith(".") ? line : line + ".";
    }

    private static void clearScreenshots() {
        try (var files = Files.list(Files.createDirectories(SCREENSHOTS))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".png")).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void requireExecutable(String path, String what, String debianPackage, String property) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new AssertionError(what + " is not at " + path + ": the browser tests need it. Install Debian's "
                    + debianPackage + " (apt-get install chromium chromium-driver; .ci/run does) or set -D"
                    + property + "=PATH.");
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /**
     * A page in a window of its own (the first page gets the browser's first window); {@code
     * options} become {@code window.switchboardOptions} before the page's scripts run.
     */
    ChatPage open(String name, String url, String options) {
        String handle;
        if (pages.isEmpty()) {
            handle = firstWindow;
        } else {
            driver.switchTo().newWindow(WindowType.WINDOW);
            handle = driver.getWindowHandle();
        }
        driver.switchTo().window(handle);
        if (options != null) {
            driver.executeCdpCommand(
                    "Page.addScriptToEvaluateOnNewDocument",
                    Map.of("source", "window.switchboardOptions = " + options + ";"));
        }
        ChatPage page = new ChatPage(this, name, handle);
        pages.add(page);
        driver.get(url);
        return page;
    }

    ChatPage open(String name, String url) {
        return open(name, url, null);
    }

    void focus(ChatPage page) {
        if (!driver.getWindowHandle().equals(page.handle())) {
            driver.switchTo().window(page.handle());
        }
    }

    /** Screenshots of every open page, named {@code PREFIX-PAGE.png}. */
    void screenshotAll(String prefix) {
        for (ChatPage page : pages) {
            page.screenshot(prefix + "-" + page.name());
        }
    }

    /** Closes every page but the first window, which goes blank: each test starts from here. */
    void reset() {
        for (ChatPage page : pages) {
            if (!page.handle().equals(firstWindow)) {
                driver.switchTo().window(page.handle());
                driver.close();
            }
        }
        pages.clear();
        driver.switchTo().window(firstWindow);
        driver.get("about:blank");
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary profile left behind is not worth failing a test run over
        }
    }
}
