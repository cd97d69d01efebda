package dev.ofswitch.ofswitch.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BundleCodec}: which messages are bundle messages, the length rules, and the control reply's bytes (the
 * expected hex is what ovs-vswitchd 3.1 sent to the same requests; BundleSocketTest checks the rest against it live).
 */
class BundleCodecTest {
    static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(Hex.decode(h));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "052100100000000a0000000100000003, CONTROL",
        "052200100000000a0000000100000003, ADD",
        "062100100000000a0000000100000003, CONTROL",
        "042100100000000a0000000100000003, NONE",                           // no type 33 in OpenFlow 1.3
        "040400180000000a4f4e4600000008fc0000000100000003, CONTROL",        // ONF 2300
        "040400180000000a4f4e4600000008fd0000000100000003, ADD",            // ONF 2301
        "040400180000000a4f4e4600000008fe0000000100000003, NONE",
        "050400180000000a4f4e4600000008fc0000000100000003, NONE",           // ONF bundles are OpenFlow 1.3 only
        "040400180000000a000023200000000d0000000100000003, NONE",           // Nicira
    })
    void kind(String msg, BundleCodec.Kind expected) {
        assertSame(expected, BundleCodec.kind(hex(msg)));
    }

    @Test
    void decodeControl_bothForms_andTheLengthRule() throws OpenFlowException {
        assertEquals(new BundleCodec.Control(1, 2, 3), BundleCodec.decodeControl(hex("052100100000000a0000000100020003")));
        assertEquals(new BundleCodec.Control(7, 4, 1),
                BundleCodec.decodeControl(hex("040400180000000a4f4e4600000008fc0000000700040001")));
        assertEquals(new BundleCodec.Control(1, 0, 0),
                BundleCodec.decodeControl(hex("052100180000000a0000000100000000ffff000800000000")), "a property");
        OpenFlowException e = assertThrows(OpenFlowException.class,
                () -> BundleCodec.decodeControl(hex("052100140000000a000000010000000000000000")));
        assertSame(ErrorCode.OFPBRC_BAD_LEN, e.code(), "properties come in 8-byte units");
        assertSame(ErrorCode.OFPBRC_BAD_LEN, assertThrows(OpenFlowException.class,
                () -> BundleCodec.decodeControl(hex("0521000c0000000a00000001"))).code());
    }

    @Test
    void decodeAdd_findsTheInnerMessage_andIgnoresWhatFollowsIt() throws OpenFlowException {
        ByteBuf m = hex("0522001c000000090000000100000003" + "0502000800000009" + "00000000");
        BundleCodec.Add a = BundleCodec.decodeAdd(Unpooled.wrappedBuffer(Hex.decode(
                "05220040000000090000000200000003"
                        + "050e0030000000090000000000000000000000000000000000000000000000050000000000000000ffffffff00000000"),
                0, 0x40));
        assertEquals(2, a.bundleId());
        assertEquals(3, a.flags());
        assertEquals(BundleCodec.OFPT_FLOW_MOD, a.innerType());
        assertEquals(16, a.innerIndex());
        assertEquals(0x30, a.innerLength());
        assertSame(ErrorCode.OFPBFC_MSG_UNSUP, assertThrows(OpenFlowException.class,
                () -> BundleCodec.decodeAdd(m)).code(), "an echo request cannot be bundled");
    }

    /** OVS's {@code ofpraw_decode()} length rules for the four bundlable types, per version. */
    @ParameterizedTest(name = "version {0} type {1} length {2}: {3}")
    @CsvSource({
        "4, 14, 48, true", "4, 14, 56, true", "4, 14, 52, false", "4, 14, 40, false",
        "5, 15, 16, true", "5, 15, 24, true", "5, 15, 20, false", "6, 15, 16, false", "6, 15, 24, true",
        "4, 16, 40, true", "4, 16, 48, false", "5, 16, 32, true", "5, 16, 40, true", "5, 16, 36, false",
        "6, 16, 32, true",
        "4, 13, 24, true", "4, 13, 25, true", "4, 13, 16, false", "6, 13, 16, true",
        "5, 2, 8, false", "5, 18, 16, false", "5, 17, 16, false",
    })
    void bundlable(int version, int type, int length, boolean expected) {
        assertEquals(expected, BundleCodec.bundlable(version, type, length));
    }

    @Test
    void controlReply_asOvsSendsIt() {
        assertEquals("052100100000000a0000000100010000",
                ByteBufUtil.hexDump(BundleCodec.encodeControlReply(5, 10, 1, BundleCodec.OFPBCT_OPEN_REPLY)));
        assertEquals("040400180000000a4f4e4600000008fc0000000100010000",
                ByteBufUtil.hexDump(BundleCodec.encodeControlReply(4, 10, 1, BundleCodec.OFPBCT_OPEN_REPLY)));
    }
}
