/*
 * Copyright the Switchboard authors.
 * Licensed under the Apache License, Version 2.0: see LICENSE or https://www.apache.org/licenses/LICENSE-2.0
 * SPDX-License-Identifier: Apache-2.0
 */
package io.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that writes exactly the bytes a test asks for, for conformance tests: frames
 * with any flags, opcode, masking and length, partial writes, raw HTTP. It reads what the server
 * sends frame by frame, with a timeout.
 */
public final class RawClient implements AutoCloseable {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    private RawClient(Socket socket, String host) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.host = host;
    }

    /** Opens a TCP connection. */
    public static RawClient connect(String host, int port) {
        try {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout((int) Recorder.DEFAULT_TIMEOUT.toMillis());
            return new RawClient(socket, host + ":" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A frame as read or to be written.
     *
     * @param fin the FIN bit
     * @param rsv the three reserved bits, as a number 0-7
     * @param opcode the opcode
     * @param payload the unmasked payload
     */
    public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** For a close frame: the code, or 1005 when the payload is empty. */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        /** For a close frame: the reason. */
        public String closeReason() {
            return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Frame[fin=" + fin + " rsv=" + rsv + " opcode=" + opcode + " length=" + payload.length + "]";
        }
    }

    /**
     * An HTTP response head and body.
     *
     * @param status the status code
     * @param headers header values by lower-cased name
     * @param body the body text ({@code Content-Length} bytes; empty for a 101)
     */
    public record HttpHead(int status, Map<String, List<String>> headers, String body) {
        /** The first value of a header, or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    /** A fresh random Sec-WebSocket-Key. */
    public static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** Sends a correct upgrade request for {@code path} and reads the answer. */
    public HttpHead upgrade(String path) {
        return upgrade(path, Map.of());
    }

    /** Sends an upgrade request for {@code path} with extra (or overriding) headers; reads the answer. */
    public HttpHead upgrade(String path, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", host);
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Key", newKey());
        headers.put("Sec-WebSocket-Version", "13");
        extra.forEach((name, value) -> {
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            if (value != null) {
                headers.put(name, value);
            }
        });
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        headers.forEach(
                (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        return request(request.toString());
    }

    /** Writes {@code raw} as is and reads one response. */
    public HttpHead request(String raw) {
        writeRaw(raw.getBytes(StandardCharsets.ISO_8859_1));
        return readResponse();
    }

    /** Reads one HTTP response: head and {@code Content-Length} body. */
    public HttpHead readResponse() {
        return readResponse(true);
    }

    /**
     * Reads the head of one HTTP response and no body, as the answer to a {@code HEAD} request has
     * none whatever its {@code Content-Length} says.
     */
    public HttpHead readResponseHead() {
        return readResponse(false);
    }

    private HttpHead readResponse(boolean withBody) {
        try {
            String statusLine = readLine();
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(
                                line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            int length = withBody && headers.containsKey("content-length")
                    ? Integer.parseInt(headers.get("content-length").get(0))
                    : 0;
            byte[] body = in.readNBytes(length);
            return new HttpHead(status, headers, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection mid-response");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    /** Sends a final, masked text frame. */
    public void sendText(String text) {
        send(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a final, masked binary frame. */
    public void sendBinary(byte[] data) {
        send(true, 0, BINARY, data);
    }

    /** Sends a masked close frame with a code and reason. */
    public void sendClose(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload =
                ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text);
        send(true, 0, CLOSE, payload.array());
    }

    /** Sends a masked frame. */
    public void send(boolean fin, int rsv, int opcode, byte[] payload) {
        writeRaw(encode(fin, rsv, opcode, payload, true));
    }

    /** The bytes of one frame, masked with a random key or not. */
    public static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0xF));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length <= 125) {
            frame.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(maskBit | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        if (!masked) {
            frame.writeBytes(payload);
            return frame.toByteArray();
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        frame.writeBytes(key);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ key[i & 3]);
        }
        return frame.toByteArray();
    }

    /** Writes bytes as they are. */
    public void writeRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the next frame; fails on timeout or if the server closes the connection first. */
    public Frame readFrame() {
        try {
            int first = in.read();
            if (first < 0) {
                throw new AssertionError("the server closed the connection instead of sending a frame");
            }
            int second = readByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = ByteBuffer.wrap(in.readNBytes(8)).getLong();
            }
            if ((second & 0x80) != 0) {
                throw new AssertionError("the server sent a masked frame");
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length != length) {
                throw new EOFException("frame cut short");
            }
            return new Frame((first & 0x80) != 0, (first >> 4) & 7, first & 0xF, payload);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + Recorder.DEFAULT_TIMEOUT.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("frame cut short");
        }
        return b;
    }

    /** Reads frames until a close frame and returns it; fails if a data frame comes first. */
    public Frame expectClose() {
        Frame frame = readFrame();
        if (frame.opcode() != CLOSE) {
            throw new AssertionError("expected a close frame but got " + frame + " '" + frame.text() + "'");
        }
        return frame;
    }

    /** Fails unless the server closes the TCP connection within the default timeout. */
    public void expectEof() {
        expectEof(Recorder.DEFAULT_TIMEOUT);
    }

    /** Fails unless the server closes the TCP connection within {@code timeout}, sending nothing more. */
    public void expectEof(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            int b = in.read();
            if (b >= 0) {
                throw new AssertionError(
                        "expected the connection to close but read a byte 0x" + Integer.toHexString(b));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            // a reset also ends the connection
        }
    }

    /** The client's own port: what the server sees as the remote port. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Drops the connection with a TCP reset, as a client that crashed or lost its network would. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
