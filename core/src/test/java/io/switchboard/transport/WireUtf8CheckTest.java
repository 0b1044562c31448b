package io.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Following frames through the byte stream and refusing bad text at the byte that makes it bad. */
class WireUtf8CheckTest {

    private static final byte[] KEY = {0x11, 0x22, 0x33, 0x44};

    /** A masked client frame; {@code length} may claim more payload than {@code payload} holds. */
    private static byte[] frame(int first, byte[] payload, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        if (length <= 125) {
            out.write(0x80 | length);
        } else {
            out.write(0x80 | 126);
            out.write(length >>> 8);
            out.write(length & 0xFF);
        }
        out.writeBytes(KEY);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ KEY[i & 3]);
        }
        return out.toByteArray();
    }

    /** Writes {@code bytes} one at a time; the number of bytes passed on before an exception. */
    private static int feedByteByByte(EmbeddedChannel channel, byte[] bytes) {
        int passed = 0;
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            ByteBuf out;
            while ((out = channel.readInbound()) != null) {
                passed += out.readableBytes();
                out.release();
            }
            channel.checkException();
        }
        return passed;
    }

    @Test
    void validTextAndBinaryPassWhole() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame(0x01, "κόσ".getBytes(StandardCharsets.UTF_8), 6)); // text, no FIN
        stream.writeBytes(frame(0x89, new byte[] {(byte) 0xFF}, 1)); // a ping between fragments
        stream.writeBytes(frame(0x80, "με".getBytes(StandardCharsets.UTF_8), 4)); // the continuation
        stream.writeBytes(frame(0x82, new byte[] {(byte) 0xFF, (byte) 0xC0}, 2)); // binary: not text
        byte[] all = stream.toByteArray();
        assertThat(feedByteByByte(channel, all)).isEqualTo(all.length);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void theBadByteIsRefusedBeforeTheRestOfTheFrameArrivesAndWhatFollowsPassesUnchecked() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
        byte[] start = frame(0x81, new byte[] {'o', 'k', (byte) 0xFF}, 60_000); // claims 60,000 bytes
        int header = start.length - 3;
        int passed = 0;
        for (int i = 0; i < start.length - 1; i++) {
            passed += feedByteByByte(channel, new byte[] {start[i]});
        }
        assertThat(passed).isEqualTo(header + 2);
        EmbeddedChannel failing = channel;
        assertThatThrownBy(() -> failing.writeInbound(Unpooled.wrappedBuffer(new byte[] {start[start.length - 1]})))
                .isInstanceOf(CorruptedWebSocketFrameException.class)
                .hasMessage("text is not valid UTF-8");
        ByteBuf badByte = channel.readInbound();
        assertThat(badByte.readableBytes())
                .as("passed on after the 1007, for the decoder's count")
                .isOne();
        badByte.release();

        // The rest of the frame (bad or not) and the client's close frame pass on unchecked: the
        // connection discards data from now on, but must still see the close.
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        byte[] restOfFrame = new byte[60_000 - 3];
        Arrays.fill(restOfFrame, (byte) 0xFF);
        after.writeBytes(restOfFrame);
        after.writeBytes(frame(0x88, new byte[0], 0));
        byte[] rest = after.toByteArray();
        assertThat(feedByteByByte(channel, rest)).isEqualTo(rest.length);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aMessageEndingInsideACharacterIsRefusedWithoutItsLastByte() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
        byte[] first = frame(0x01, new byte[] {'a', (byte) 0xE2}, 2);
        byte[] last = frame(0x80, new byte[] {(byte) 0x82}, 1); // FIN, and the character is still one byte short
        assertThat(feedByteByByte(channel, first)).isEqualTo(first.length);
        int passed = 0;
        for (int i = 0; i < last.length - 1; i++) {
            passed += feedByteByByte(channel, new byte[] {last[i]});
        }
        assertThat(passed).isEqualTo(last.length - 1);
        assertThatThrownBy(() -> feedByteByByte(channel, new byte[] {last[last.length - 1]}))
                .isInstanceOf(CorruptedWebSocketFrameException.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void compressedTextIsLeftToTheInflatingSide() {
        EmbeddedChannel channel = new EmbeddedChannel(new WireUtf8Check());
        byte[] compressed = frame(0xC1, new byte[] {(byte) 0xFF, (byte) 0xFE}, 2); // FIN, RSV1, text
        assertThat(feedByteByByte(channel, compressed)).isEqualTo(compressed.length);
        assertThat(channel.finish()).isFalse();
    }
}
