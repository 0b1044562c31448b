/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.session.Scope;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The static file handler on its own: what the router hands it is the {@code file} path parameter,
 * already decoded, so every name a client could smuggle in is tried here directly.
 */
class StaticFilesTest {

    /** src/test/resources/http/static, with http/secret.txt just outside it. */
    private static final StaticFiles CLASSPATH = StaticFiles.classpath("http/static");

    private static HttpRequest get(String file, String... headers) {
        return request("GET", file, headers);
    }

    private static HttpRequest request(String method, String file, String... headers) {
        Scope.Builder scope = Scope.builder("/assets" + (file == null ? "" : "/" + file))
                .pathParams(file == null ? Map.of() : Map.of(StaticFiles.FILE_PARAM, file));
        for (int i = 0; i < headers.length; i += 2) {
            scope.header(headers[i], headers[i + 1]);
        }
        return new HttpRequest(method, scope.build(), new byte[0]);
    }

    private static void expectFile(StaticFiles files, String name, String type, String body) throws IOException {
        HttpResponse response = files.handle(get(name));
        assertThat(response.status()).as(name).isEqualTo(200);
        assertThat(response.headers()).as(name).containsEntry("Content-Type", type);
        assertThat(response.bodyText()).as(name).isEqualTo(body);
    }

    @Test
    void classpathFilesComeWithTheirContentTypes() throws IOException {
        expectFile(CLASSPATH, "app.js", "text/javascript; charset=utf-8", "console.log(\"app\");\n");
        expectFile(CLASSPATH, "style.css", "text/css; charset=utf-8", "body { color: teal; }\n");
        expectFile(CLASSPATH, "data.json", "application/json", "{\"answer\":42}\n");
        expectFile(CLASSPATH, "sub/page.html", "text/html; charset=utf-8", "<p>sub page</p>\n");
        expectFile(CLASSPATH, "LOGO.PNG", "image/png", "PNGDATA");
    }

    @Test
    void theMountPointItselfIsIndexHtml() throws IOException {
        HttpResponse response = CLASSPATH.handle(get(null));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("<!doctype html><title>home</title>\n");
        assertThat(response.headers()).containsEntry("Content-Type", "text/html; charset=utf-8");
    }

    @Test
    void slashesAroundTheClasspathRootDoNotMatter() throws IOException {
        expectFile(
                StaticFiles.classpath("/http/static/"),
                "app.js",
                "text/javascript; charset=utf-8",
                "console.log(\"app\");\n");
    }

    @Test
    void aMissingFileOrAFolderIs404() throws IOException {
        assertThat(CLASSPATH.handle(get("missing.js")).status()).isEqualTo(404);
        assertThat(CLASSPATH.handle(get("sub")).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../secret.txt",
                "sub/../../secret.txt",
                "sub/../app.js",
                "./app.js",
                "sub/./page.html",
                "..",
                ".",
                "/etc/passwd",
                "sub//page.html",
                "sub/",
                "..\\secret.txt",
                "sub\\page.html",
                "app.js\u0000.png",
                ""
            })
    void namesThatCouldLeaveTheRootAreRefusedWith404(String name) throws IOException {
        assertThat(StaticFiles.isSafe(name)).isFalse();
        assertThat(CLASSPATH.handle(get(name)).status()).isEqualTo(404);
    }

    @Test
    void escapesThatSurviveDecodingAreTakenLiterallyNotDecodedAgain() throws IOException {
        // "/assets/%252e%252e/secret.txt" reaches the handler as "%2e%2e/secret.txt".
        assertThat(CLASSPATH.handle(get("%2e%2e/secret.txt")).status()).isEqualTo(404);
        assertThat(CLASSPATH.handle(get("sub%2f..%2f..%2fsecret.txt")).status()).isEqualTo(404);
    }

    @Test
    void ordinaryNamesAreSafe() {
        assertThat(StaticFiles.isSafe("app.js")).isTrue();
        assertThat(StaticFiles.isSafe("sub/page.html")).isTrue();
        assertThat(StaticFiles.isSafe("..hidden/x"))
                .as("dots inside a name are fine")
                .isTrue();
        assertThat(StaticFiles.isSafe("a..b")).isTrue();
    }

    @Test
    void filesInsideAJarAreServedAndItsFoldersAreNot(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("site.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            entry(out, "web/", null);
            entry(out, "web/index.html", "<p>jar home</p>");
            entry(out, "web/sub/", null);
            entry(out, "web/sub/a.css", "a {}");
            entry(out, "secret.txt", "jar secret");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            StaticFiles files = StaticFiles.classpath("web", loader);

            expectFile(files, "sub/a.css", "text/css; charset=utf-8", "a {}");
            assertThat(files.handle(get(null)).bodyText()).isEqualTo("<p>jar home</p>");
            assertThat(files.handle(get("sub")).status()).isEqualTo(404);
            assertThat(files.handle(get("../secret.txt")).status()).isEqualTo(404);
        }
    }

    private static void entry(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        if (content != null) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }

    @Test
    void folderFilesAreServed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("index.html"), "<p>folder home</p>");
        Files.createDirectories(dir.resolve("css"));
        Files.writeString(dir.resolve("css/a.css"), "a {}");
        StaticFiles files = StaticFiles.directory(dir);

        expectFile(files, "css/a.css", "text/css; charset=utf-8", "a {}");
        assertThat(files.handle(get(null)).bodyText()).isEqualTo("<p>folder home</p>");
        assertThat(files.handle(get("css")).status()).as("a folder").isEqualTo(404);
        assertThat(files.handle(get("nope.txt")).status()).isEqualTo(404);
    }

    @Test
    void symbolicLinksOutOfTheFolderAreRefusedAndLinksInsideItAreFollowed(@TempDir Path dir) throws IOException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("a.css"), "a {}");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        // A sibling whose name starts like the root's: a string prefix check would let it through.
        Path sibling = Files.createDirectories(dir.resolve("site-private"));
        Files.writeString(sibling.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(site.resolve("escape.txt"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(site.resolve("escape-dir"), outside);
        Files.createSymbolicLink(site.resolve("sibling"), sibling);
        Files.createSymbolicLink(site.resolve("inside.css"), Path.of("a.css"));
        StaticFiles files = StaticFiles.directory(site);

        assertThat(files.handle(get("escape.txt")).status()).isEqualTo(404);
        assertThat(files.handle(get("escape-dir/secret.txt")).status()).isEqualTo(404);
        assertThat(files.handle(get("sibling/secret.txt")).status()).isEqualTo(404);
        expectFile(files, "inside.css", "text/css; charset=utf-8", "a {}");
    }

    @Test
    void aRootThatIsALinkIsResolvedOnce(@TempDir Path dir) throws IOException {
        Path real = Files.createDirectories(dir.resolve("real"));
        Files.writeString(real.resolve("a.txt"), "via link");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        expectFile(StaticFiles.directory(link), "a.txt", "text/plain; charset=utf-8", "via link");
    }

    @Test
    void theFolderMustExistAndBeAFolder(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");

        assertThatThrownBy(() -> StaticFiles.directory(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("static files root " + file + " is not a folder");
        assertThatThrownBy(() -> StaticFiles.directory(dir.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("static files root " + dir.resolve("missing") + " cannot be read");
    }

    @Test
    void everyFileHasAnETagAndIsRevalidated() throws IOException {
        HttpResponse first = CLASSPATH.handle(get("app.js"));
        String etag = first.headers().get("ETag");

        assertThat(etag).matches("\"[0-9a-f]+-[0-9a-f]{8}\"");
        assertThat(first.headers()).containsEntry("Cache-Control", "no-cache");
        assertThat(CLASSPATH.handle(get("app.js")).headers()).containsEntry("ETag", etag);
        assertThat(CLASSPATH.handle(get("style.css")).headers().get("ETag")).isNotEqualTo(etag);
    }

    @Test
    void aMatchingIfNoneMatchGets304WithNoBody() throws IOException {
        String etag = CLASSPATH.handle(get("app.js")).headers().get("ETag");

        for (String header : List.of(etag, "W/" + etag, "\"other\", " + etag, "*", " " + etag + " ")) {
            HttpResponse response = CLASSPATH.handle(get("app.js", "If-None-Match", header));
            assertThat(response.status()).as(header).isEqualTo(304);
            assertThat(response.body()).as(header).isEmpty();
            assertThat(response.headers()).as(header).containsEntry("ETag", etag);
        }
        HttpResponse twoHeaders = CLASSPATH.handle(get("app.js", "If-None-Match", "\"a\"", "If-None-Match", etag));
        assertThat(twoHeaders.status()).isEqualTo(304);
    }

    @Test
    void aStaleIfNoneMatchGetsTheFile() throws IOException {
        HttpResponse response = CLASSPATH.handle(get("app.js", "If-None-Match", "\"stale\", W/\"older\""));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("console.log(\"app\");\n");
    }

    @Test
    void notModifiedComparesWeakly() {
        assertThat(StaticFiles.notModified(List.of(), "\"x\"")).isFalse();
        assertThat(StaticFiles.notModified(List.of("\"x\""), "\"x\"")).isTrue();
        assertThat(StaticFiles.notModified(List.of("W/\"x\""), "\"x\"")).isTrue();
        assertThat(StaticFiles.notModified(List.of("\"y\",\"x\""), "\"x\"")).isTrue();
        assertThat(StaticFiles.notModified(List.of("\"xx\""), "\"x\"")).isFalse();
        assertThat(StaticFiles.notModified(List.of("x"), "\"x\""))
                .as("quotes are part of the tag")
                .isFalse();
    }

    @Test
    void headIsServedLikeGet() throws IOException {
        HttpResponse response = CLASSPATH.handle(request("HEAD", "app.js"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Content-Type", "text/javascript; charset=utf-8");
    }

    @Test
    void otherMethodsGet405WithAllow() throws IOException {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            HttpResponse response = CLASSPATH.handle(request(method, "app.js"));
            assertThat(response.status()).as(method).isEqualTo(405);
            assertThat(response.headers()).as(method).containsEntry("Allow", "GET, HEAD");
        }
    }

    @Test
    void theFileIsReadFreshEachTime(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("live.txt"), "one");
        StaticFiles files = StaticFiles.directory(dir);
        String before = files.handle(get("live.txt")).headers().get("ETag");

        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("two!".getBytes(StandardCharsets.UTF_8));
        }

        HttpResponse after = files.handle(get("live.txt", "If-None-Match", before));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.bodyText()).isEqualTo("two!");
    }
}
