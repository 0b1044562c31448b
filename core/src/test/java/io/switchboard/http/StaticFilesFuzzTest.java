/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.Fuzz;
import io.switchboard.routing.RouteMatch;
import io.switchboard.routing.Router;
import io.switchboard.session.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated request paths below a static folder, with every dot, slash and escape that has been used
 * to climb out of one: routing and {@link StaticFiles} together serve a file inside the folder or
 * 404, never a file beside it, and never throw.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StaticFilesFuzzTest {

    private static final String[] PIECES = {
        "/",
        "/",
        "/",
        "..",
        ".",
        "%2e",
        "%2E",
        "%2e%2e",
        "..%2f",
        "..%2F",
        "%2f",
        "%5c",
        "\\",
        "..\\",
        "%00",
        "\u0000",
        "a.txt",
        "sub",
        "b.txt",
        "secret.txt",
        "www",
        "www-evil",
        "x.txt",
        "%252e%252e",
        "~",
        "%c0%ae",
        "%e0%80%ae",
        "\u00c0\u00ae",
        "%",
        "%zz",
        " ",
        "%20",
        "index.html"
    };

    @TempDir
    Path dir;

    @Test
    void nothingOutsideTheFolderIsEverServed() throws IOException {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("a.txt"), "public a");
        Files.writeString(root.resolve("index.html"), "public index");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/b.txt"), "public b");
        Files.writeString(dir.resolve("secret.txt"), "SECRET");
        Files.createDirectories(dir.resolve("www-evil"));
        Files.writeString(dir.resolve("www-evil/x.txt"), "SECRET");
        Router router =
                Router.builder().files("/static", StaticFiles.directory(root)).build();
        Set<String> served = Set.of("public a", "public index", "public b");
        int[] found = {0};

        Fuzz.check(41L, 20_000, StaticFilesFuzzTest::path, path -> {
            Optional<RouteMatch> match = router.match(path);
            if (match.isEmpty()) {
                return;
            }
            HttpRequest request = new HttpRequest(
                    "GET", Scope.builder(path).pathParams(match.get().params()).build(), new byte[0]);
            HttpResponse response;
            try {
                response = match.get().http().handle(request);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new AssertionError("the static files handler threw " + e, e);
            }
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertThat(body).doesNotContain("SECRET");
            if (response.status() == 200) {
                assertThat(served).contains(body);
                found[0]++;
            } else {
                assertThat(response.status()).isEqualTo(404);
            }
        });
        assertThat(found[0]).as("files served, so the generator reaches them").isPositive();
    }

    private static String path(Random random) {
        StringBuilder path = new StringBuilder("/static");
        for (int count = random.nextInt(7); count > 0; count--) {
            path.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return path.toString();
    }
}
