/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Content types by file extension. */
class ContentTypesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "index.html      | text/html; charset=utf-8",
                "old.htm         | text/html; charset=utf-8",
                "site.css        | text/css; charset=utf-8",
                "app.js          | text/javascript; charset=utf-8",
                "mod.mjs         | text/javascript; charset=utf-8",
                "data.json       | application/json",
                "app.js.map      | application/json",
                "notes.txt       | text/plain; charset=utf-8",
                "README.md       | text/markdown; charset=utf-8",
                "feed.xml        | application/xml",
                "logo.svg        | image/svg+xml",
                "a.png           | image/png",
                "a.jpg           | image/jpeg",
                "a.jpeg          | image/jpeg",
                "a.gif           | image/gif",
                "a.webp          | image/webp",
                "favicon.ico     | image/x-icon",
                "f.woff          | font/woff",
                "f.woff2         | font/woff2",
                "m.wasm          | application/wasm",
                "doc.pdf         | application/pdf",
                "sub/dir/a.css   | text/css; charset=utf-8"
            })
    void knownExtensions(String name, String type) {
        assertThat(ContentTypes.forFile(name)).isEqualTo(type);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "LOGO.PNG | image/png",
                "Index.Html | text/html; charset=utf-8",
                "APP.JS | text/javascript; charset=utf-8"
            })
    void extensionsIgnoreCase(String name, String type) {
        assertThat(ContentTypes.forFile(name)).isEqualTo(type);
    }

    @ParameterizedTest
    @CsvSource({"blob.bin", "archive.tar.gz", "README", "trailing.", "dir.d/file", ".hidden", "x.exe"})
    void unknownOrMissingExtensionsAreOctetStreams(String name) {
        assertThat(ContentTypes.forFile(name)).isEqualTo("application/octet-stream");
    }
}
