/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Serves files from a folder or from the classpath, mounted with {@code Router.Builder.files}.
 * Answers GET and HEAD (405 otherwise) with the content type from the extension and an ETag (an
 * {@code If-None-Match} naming it, in a list, weakly or as {@code *}, gets 304). A request for the
 * mount point itself serves {@code index.html}. Names with {@code .} or {@code ..} segments,
 * backslashes or NUL are refused with 404, and nothing outside the root is ever read, symbolic
 * links included.
 */
public final class StaticFiles implements HttpHandler {

    /** The name of the path parameter that holds the requested file. */
    public static final String FILE_PARAM = "file";

    private static final String INDEX = "index.html";

    private final Source source;

    private StaticFiles(Source source) {
        this.source = source;
    }

    /** Files under {@code root} on the classpath, such as {@code "web"} for {@code src/main/resources/web}. */
    public static StaticFiles classpath(String root) {
        Objects.requireNonNull(root, "root");
        String prefix = root.replaceAll("^/+|/+$", "");
        return classpath(prefix, Thread.currentThread().getContextClassLoader());
    }

    /** Files under {@code root} as seen by {@code loader}. */
    public static StaticFiles classpath(String root, ClassLoader loader) {
        return new StaticFiles(new ClasspathSource(root.replaceAll("^/+|/+$", ""), loader));
    }

    /** Files under the folder {@code root}. Fails if it is not a folder. */
    public static StaticFiles directory(Path root) {
        try {
            Path real = root.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new IllegalArgumentException("static files root " + root + " is not a folder");
            }
            return new StaticFiles(new DirectorySource(real));
        } catch (IOException e) {
            throw new IllegalArgumentException("static files root " + root + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws IOException {
        if (!request.isRead()) {
            return HttpResponse.text(405, "Method Not Allowed").withHeader("Allow", "GET, HEAD");
        }
        String name = request.scope().pathParams().getOrDefault(FILE_PARAM, INDEX);
        if (!isSafe(name)) {
            return HttpResponse.notFound();
        }
        Optional<byte[]> content = source.read(name);
        if (content.isEmpty()) {
            return HttpResponse.notFound();
        }
        byte[] bytes = content.get();
        String etag = etag(bytes);
        if (notModified(request.scope().headers().all("If-None-Match"), etag)) {
            return HttpResponse.status(304).withHeader("ETag", etag);
        }
        return HttpResponse.of(200, ContentTypes.forFile(name), bytes)
                .withHeader("ETag", etag)
                .withHeader("Cache-Control", "no-cache");
    }

    /** Whether {@code name} is a relative name with no way out of the root. */
    static boolean isSafe(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code If-None-Match} names {@code etag} (RFC 9110, 13.1.2): {@code *}, or a
     * comma-separated list of tags in any number of headers, compared weakly ({@code W/"x"} matches
     * {@code "x"}), as browsers send a list when they hold several versions.
     */
    static boolean notModified(List<String> ifNoneMatch, String etag) {
        for (String header : ifNoneMatch) {
            for (String tag : header.split(",")) {
                String trimmed = tag.trim();
                if (trimmed.equals("*") || opaque(trimmed).equals(etag)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static String etag(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return "\"" + Integer.toHexString(bytes.length) + "-" + HexFormat.of().toHexDigits((int) crc.getValue()) + "\"";
    }

    private interface Source {
        Optional<byte[]> read(String name) throws IOException;
    }

    private record DirectorySource(Path root) implements Source {
        @Override
        public Optional<byte[]> read(String name) throws IOException {
            Path file = root.resolve(name).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                return Optional.empty();
            }
            Path real = file.toRealPath();
            if (!real.startsWith(root)) {
                return Optional.empty(); // a symbolic link out of the root
            }
            return Optional.of(Files.readAllBytes(real));
        }
    }

    private record ClasspathSource(String root, ClassLoader loader) implements Source {
        @Override
        public Optional<byte[]> read(String name) throws IOException {
            URL url = loader.getResource(root.isEmpty() ? name : root + "/" + name);
            if (url == null || isDirectory(url)) {
                return Optional.empty();
            }
            URLConnection connection = url.openConnection();
            connection.setUseCaches(false);
            try (InputStream in = connection.getInputStream()) {
                return Optional.of(in.readAllBytes());
            }
        }

        private static boolean isDirectory(URL url) throws IOException {
            return switch (url.getProtocol()) {
                case "file" -> {
                    try {
                        yield !Files.isRegularFile(Path.of(url.toURI()));
                    } catch (URISyntaxException e) {
                        throw new UncheckedIOException(new IOException(e));
                    }
                }
                case "jar" ->
                    ((JarURLConnection) url.openConnection()).getJarEntry().isDirectory();
                default -> false;
            };
        }
    }
}
