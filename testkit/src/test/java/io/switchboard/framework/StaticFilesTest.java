/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.http.StaticFiles;
import io.switchboard.routing.Router;
import io.switchboard.session.Handlers;
import io.switchboard.session.Session;
import io.switchboard.testkit.RawClient;
import io.switchboard.testkit.TestClient;
import io.switchboard.testkit.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static files from the classpath and from a folder: types, index, HEAD, 405, ETags and no way out. */
class StaticFilesTest {

    /** src/test/resources/framework/static, with framework/secret.txt just outside it. */
    private static final Router CLASSPATH = Router.builder()
            .files("/assets", StaticFiles.classpath("framework/static"))
            .build();

    @Test
    void classpathFilesAreServedWithTheirContentTypes() {
        try (TestServer server = TestServer.start(CLASSPATH)) {
            expectFile(server, "/assets/app.js", "text/javascript; charset=utf-8", "console.log(\"app\");\n");
            expectFile(server, "/assets/style.css", "text/css; charset=utf-8", "body { color: teal; }\n");
            expectFile(server, "/assets/data.json", "application/json", "{\"answer\":42}\n");
            expectFile(server, "/assets/notes.txt", "text/plain; charset=utf-8", "plain notes\n");
            expectFile(server, "/assets/blob.bin", "application/octet-stream", "\0\1\2binary");
            expectFile(server, "/assets/sub/page.html", "text/html; charset=utf-8", "<p>sub page</p>\n");
        }
    }

    @Test
    void theMountPointServesIndexHtml() {
        try (TestServer server = TestServer.start(CLASSPATH)) {
            expectFile(server, "/assets", "text/html; charset=utf-8", "<!doctype html><title>home</title>\n");
        }
    }

    @Test
    void aMissingFileOrAFolderIs404() {
        try (TestServer server = TestServer.start(CLASSPATH)) {
            assertThat(server.get("/assets/missing.js").statusCode()).isEqualTo(404);
            assertThat(server.get("/assets/sub").statusCode()).isEqualTo(404);
            assertThat(server.get("/assets/sub/").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void nothingOutsideTheClasspathRootIsServed() {
        try (TestServer server = TestServer.start(CLASSPATH)) {
            assertThat(server.get("/assets/index.html").statusCode()).isEqualTo(200);
            for (String path : traversals("/assets")) {
                assertThat(rawStatus(server, path)).as(path).isEqualTo(404);
            }
        }
    }

    @Test
    void folderFilesAreServedAndNothingOutsideTheFolderIsEvenThroughSymbolicLinks(@TempDir Path dir)
            throws IOException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<p>folder home</p>");
        Files.createDirectories(site.resolve("css"));
        Files.writeString(site.resolve("css/a.css"), "a {}");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "folder secret");
        Files.writeString(dir.resolve("secret.txt"), "folder secret");
        Files.createSymbolicLink(site.resolve("escape.txt"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(site.resolve("escape-dir"), outside);
        Files.createSymbolicLink(site.resolve("inside.css"), Path.of("css/a.css"));
        Router router = Router.builder()
                .files("/", StaticFiles.directory(site))
                .websocket("/ws/echo", Handlers.of(ws -> ws.onText(Session::send)))
                .build();
        try (TestServer server = TestServer.start(router)) {
            expectFile(server, "/", "text/html; charset=utf-8", "<p>folder home</p>");
            expectFile(server, "/index.html", "text/html; charset=utf-8", "<p>folder home</p>");
            expectFile(server, "/css/a.css", "text/css; charset=utf-8", "a {}");
            expectFile(server, "/inside.css", "text/css; charset=utf-8", "a {}");
            assertThat(server.get("/escape.txt").statusCode()).isEqualTo(404);
            assertThat(server.get("/escape-dir/secret.txt").statusCode()).isEqualTo(404);
            assertThat(server.get("/css").statusCode()).isEqualTo(404);
            for (String path : traversals("")) {
                assertThat(rawStatus(server, path)).as(path).isEqualTo(404);
            }
            TestClient client = server.connect("/ws/echo");
            client.sendText("routes beside files still work");
            assertThat(client.expectText()).isEqualTo("routes beside files still work");
        }
    }

    @Test
    void headHasTheHeadersAndNoBody() {
        try (TestServer server = TestServer.start(CLASSPATH);
                RawClient raw = server.raw()) {
            raw.writeRaw("HEAD /assets/app.js HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
            RawClient.HttpHead head = raw.readResponseHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
            assertThat(head.header("Content-Length")).isEqualTo("20");
            assertThat(head.header("ETag")).isNotBlank();
            RawClient.HttpHead get = raw.request("GET /assets/notes.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(get.body()).isEqualTo("plain notes\n");
        }
    }

    @Test
    void otherMethodsAre405NamingTheAllowedOnes() {
        try (TestServer server = TestServer.start(CLASSPATH)) {
            var post = server.send(HttpRequest.newBuilder(server.http("/assets/app.js"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void aMatchingETagGets304WithoutABody() {
        try (TestServer server = TestServer.start(CLASSPATH)) {
            var first = server.get("/assets/style.css");
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).startsWith("\"").endsWith("\"");
            assertThat(server.get("/assets/style.css").headers().firstValue("ETag"))
                    .as("stable")
                    .hasValue(etag);
            assertThat(server.get("/assets/app.js").headers().firstValue("ETag"))
                    .as("per content")
                    .isNotEqualTo(etag);

            for (String condition : List.of(etag, "\"other\", " + etag, "W/" + etag, "*")) {
                var cached = conditionalGet(server, "/assets/style.css", condition);
                assertThat(cached.statusCode()).as(condition).isEqualTo(304);
                assertThat(cached.body()).isEmpty();
                assertThat(cached.headers().firstValue("ETag")).hasValue(etag);
            }
            var changed = conditionalGet(server, "/assets/style.css", "\"stale\"");
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(changed.body()).isEqualTo("body { color: teal; }\n");
        }
    }

    private static java.net.http.HttpResponse<String> conditionalGet(TestServer server, String path, String etag) {
        return server.send(HttpRequest.newBuilder(server.http(path)).header("If-None-Match", etag));
    }

    /** Requests that try to reach {@code secret.txt} beside or above the root mounted at {@code prefix}. */
    private static List<String> traversals(String prefix) {
        return List.of(
                prefix + "/../secret.txt",
                prefix + "/sub/../../secret.txt",
                prefix + "/%2e%2e/secret.txt",
                prefix + "/%2E%2E/secret.txt",
                prefix + "/.%2e/secret.txt",
                prefix + "/..%2fsecret.txt",
                prefix + "/..%2Fsecret.txt",
                prefix + "/sub%2f..%2f..%2fsecret.txt",
                prefix + "/%2e%2e%2fsecret.txt",
                prefix + "/..%5csecret.txt",
                prefix + "/..\\secret.txt",
                prefix + "/%2fetc%2fpasswd",
                prefix + "//etc/passwd",
                prefix + "/index.html%00.js",
                prefix + "/./index.html",
                prefix + "/%2e/index.html",
                prefix + "/%c0%ae%c0%ae/secret.txt");
    }

    /** The status for a request target sent exactly as written (no client normalises it). */
    private static int rawStatus(TestServer server, String target) {
        try (RawClient raw = server.raw()) {
            return raw.request("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .status();
        }
    }

    private static void expectFile(TestServer server, String path, String contentType, String body) {
        var response = server.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue(contentType);
        assertThat(response.body()).as(path).isEqualTo(body);
    }
}
