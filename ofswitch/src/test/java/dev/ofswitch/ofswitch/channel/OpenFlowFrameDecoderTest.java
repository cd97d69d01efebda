package dev.ofswitch.ofswitch.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenFlowFrameDecoder} in an {@link EmbeddedChannel}, as Netty tests its decoders: one stream of several
 * messages written 1 byte at a time, 2 at a time, and so on up to all of it at once must give the same
 * {@link RawMessage}s (version, type, xid, bytes), leave nothing behind ({@code finish()} is false) and leak nothing
 * (surefire runs with paranoid leak detection; every message read is released).
 */
class OpenFlowFrameDecoderTest {
    /** The stream: several kinds and sizes of message, each with a one-line meaning. */
    private static final String[][] MESSAGES = {
        {"HELLO with a version bitmap", "04000010000000010001000800000010"},
        {"ECHO_REQUEST with 4 bytes of data", "0402000c00000002deadbeef"},
        {"BARRIER_REQUEST, header only", "0414000800000003"},
        {"FLOW_MOD ip -> output:2", "040e005800000004000000000000000000000000000000000000000000000064ffffffff"
                + "ffffffffffffffff000000000001000a80000a02080000000000000000040018000000000000001000000002ffff"
                + "000000000000"},
        {"unknown type 40", "0428000800000005"},
        {"Nicira experimenter, unknown subtype", "040400100000000600002320 00000063"},
        {"OpenFlow 1.0 FEATURES_REQUEST", "0105000800000007"},
        {"wrong-version message", "0714000800000008"},
    };

    private static byte[] small() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] m : MESSAGES) {
            out.writeBytes(HexFormat.of().parseHex(m[1].replace(" ", "")));
        }
        return out.toByteArray();
    }

    /** The small messages around one of the largest possible size (65535 bytes). */
    private static byte[] withBig() {
        byte[] big = new byte[0xffff];
        big[0] = 4;
        big[1] = 2;
        big[2] = (byte) 0xff;
        big[3] = (byte) 0xff;
        big[7] = 9;
        for (int i = 8; i < big.length; i++) {
            big[i] = (byte) i;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(small());
        out.writeBytes(big);
        out.writeBytes(small());
        return out.toByteArray();
    }

    /** What a RawMessage says, as a string (releases it). */
    private static String describe(RawMessage m) {
        try {
            assertEquals(m.length(), m.buf().getUnsignedShort(m.buf().readerIndex() + 2), "slice = one message");
            // One bulk copy: under paranoid leak detection every single-byte read of a tracked buffer records a trace.
            return "v" + m.version() + " t" + m.type() + " x" + m.xid() + " "
                    + HexFormat.of().formatHex(ByteBufUtil.getBytes(m.buf()));
        } finally {
            assertTrue(m.release());
        }
    }

    private static List<String> decode(byte[] all, int step) {
        EmbeddedChannel ch = new EmbeddedChannel(new OpenFlowFrameDecoder());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < all.length; i += step) {
            ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(step, all.length - i)));
            for (Object o; (o = ch.readInbound()) != null; ) {
                out.add(describe((RawMessage) o));
            }
        }
        assertFalse(ch.finish(), "nothing left over at fragment size " + step);
        return out;
    }

    @Test
    void everyFragmentSize_sameMessages() {
        byte[] all = small();
        List<String> expected = decode(all, all.length);
        assertEquals(MESSAGES.length, expected.size());
        for (int i = 0; i < MESSAGES.length; i++) {
            String hex = MESSAGES[i][1].replace(" ", "");
            assertTrue(expected.get(i).endsWith(" " + hex), MESSAGES[i][0] + ": " + expected.get(i));
        }
        assertTrue(expected.get(1).startsWith("v4 t2 x2 "), expected.get(1));
        assertTrue(expected.get(6).startsWith("v1 t5 x7 "), expected.get(6));
        for (int step = 1; step <= all.length; step++) {
            assertEquals(expected, decode(all, step), "fragment size " + step);
        }
    }

    @Test
    void largestMessage_manyFragmentSizes_sameMessages() {
        byte[] all = withBig();
        List<String> expected = decode(all, all.length);
        assertEquals(2 * MESSAGES.length + 1, expected.size());
        assertTrue(expected.get(MESSAGES.length).startsWith("v4 t2 x9 0402ffff0000000908090a0b"), "the 65535-byte one");
        assertEquals(expected.subList(0, MESSAGES.length), expected.subList(MESSAGES.length + 1, expected.size()));
        // Fragment sizes that cut the big message in many places (the small stream above covers every size).
        for (int step : new int[] {97, 255, 509, 1000, 4096, 8191, 65535, 65536, 65537, all.length - 1}) {
            assertEquals(expected, decode(all, step), "fragment size " + step);
        }
    }

    @Test
    void lengthAboveWhatArrived_waitsForTheRest() {
        EmbeddedChannel ch = new EmbeddedChannel(new OpenFlowFrameDecoder());
        byte[] echo = HexFormat.of().parseHex("0402001000000001aabbccdd11223344");
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(echo, 0, 15)), "15 of 16 bytes: no message yet");
        assertNull(ch.readInbound());
        assertTrue(ch.writeInbound(Unpooled.wrappedBuffer(echo, 15, 1)));
        assertEquals("v4 t2 x1 0402001000000001aabbccdd11223344", describe(ch.readInbound()));
        assertFalse(ch.finish());
    }

    @Test
    void lengthBelowHeader_failsTheChannelAfterTheGoodMessagesBefore() {
        for (int badLength : new int[] {0, 1, 7}) {
            EmbeddedChannel ch = new EmbeddedChannel(new OpenFlowFrameDecoder());
            ByteBuf in = Unpooled.buffer();
            in.writeBytes(HexFormat.of().parseHex("0414000800000001"));     // a good barrier first
            in.writeByte(4).writeByte(2).writeShort(badLength).writeInt(2);
            in.writeBytes(HexFormat.of().parseHex("0414000800000003"));     // never decoded: framing is lost
            DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(in));
            assertTrue(e instanceof CorruptedFrameException || e.getCause() instanceof CorruptedFrameException, e
                    .toString());
            assertEquals("v4 t20 x1 0414000800000001", describe(ch.readInbound()), "length " + badLength);
            assertNull(ch.readInbound(), "nothing after the bad header, length " + badLength);
            assertEquals(0, in.refCnt(), "the input was released");
            assertFalse(ch.finish());
        }
    }

    @Test
    void partialHeader_waits() {
        EmbeddedChannel ch = new EmbeddedChannel(new OpenFlowFrameDecoder());
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {4, 20, 0})));
        assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {8, 0, 0, 0})));
        assertTrue(ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {5})));
        assertEquals("v4 t20 x5 0414000800000005", describe(ch.readInbound()));
        assertFalse(ch.finish());
    }
}
