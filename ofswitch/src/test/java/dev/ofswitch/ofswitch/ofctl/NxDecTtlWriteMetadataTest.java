package dev.ofswitch.ofswitch.ofctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofswitch.ofswitch.codec.CtActionDecoder;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.FlowModCodec;
import dev.ofswitch.ofswitch.codec.Hex;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.codec.Reencoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The switch's decoding of {@code NXAST_DEC_TTL_CNT_IDS} ({@code dec_ttl(ID,...)}) and of OpenFlow 1.0's
 * {@code NXAST_WRITE_METADATA}, against what {@code ovs-ofctl ofp-print} 3.1 says of the same FLOW_MODs (its action
 * text, or its decode error), recorded below; then the re-encoding of the accepted ones to their own bytes.
 *
 * <p>The same action ending an OpenFlow 1.1+ apply-actions list is taken as OVS takes it too (it re-encodes as a
 * standard write-metadata instruction, so it is not in this table): see WriteMetadataInApplyActionsTest.
 */
class NxDecTtlWriteMetadataTest {
    /** name, ofp-print's actions or "!ERROR", the FLOW_MOD (made by hand, see the test's history). */
    private static final String[][] CASES = {
        {"wm_last", "output:1,write_metadata:0x5/0xff",
            "010e007000000000003fffff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000ffffffffffff00000000000800010000ffff0020000023200016000000000000000000000000000500000000000000ff"},
        {"wm_first", "!OFPBAC_UNSUPPORTED_ORDER",
            "010e007000000000003fffff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000ffffffffffff0000ffff0020000023200016000000000000000000000000000500000000000000ff0000000800010000"},
        {"wm_twice", "!OFPBAC_UNSUPPORTED_ORDER",
            "010e008800000000003fffff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000ffffffffffff0000ffff0020000023200016000000000000000000000000000500000000000000ffffff0020000023200016000000000000000000000000000500000000000000ff"},
        {"wm_only", "write_metadata:0x5/0xff",
            "010e006800000000003fffff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000ffffffffffff0000ffff0020000023200016000000000000000000000000000500000000000000ff"},
        {"dec12", "dec_ttl(1,2),output:1",
            "010e006800000000003fffff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000ffffffffffff0000ffff001800002320001500020000000000010002000000000000000800010000"},
        {"dec13", "!OFPBAC_MATCH_INCONSISTENT",
            "040e005800000000000000000000000000000000000000000000000000008000ffffffffffffffffffffffff0000000000010004000000000004002000000000ffff00180000232000150002000000000001000200000000"},
        {"dec_none", "dec_ttl()",
            "010e005800000000003fffff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000ffffffffffff0000ffff0010000023200015000000000000"},
        {"dec_zero", "!NXBRC_MUST_BE_ZERO",
            "010e006000000000003fffff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000ffffffffffff0000ffff00180000232000150001000000010001000000000000"},
        {"dec_short", "!OFPBAC_BAD_LEN",
            "010e006000000000003fffff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000ffffffffffff0000ffff00180000232000150005000000000001000000000000"},
        {"wm_badzero", "!NXBRC_MUST_BE_ZERO",
            "010e007000000000003fffff00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000ffffffffffff00000000000800010000ffff0020000023200016010000000000000000000000000500000000000000ff"},
    };

    @Test
    void decode_sameVerdictAsOvsOfpPrint_andReencodesToTheSameBytes() throws Exception {
        for (String[] c : CASES) {
            byte[] wire = Hex.decode(c[2]);
            FlowMod fm;
            try {
                fm = FlowModCodec.decode(Unpooled.wrappedBuffer(wire), false, CtActionDecoder.INSTANCE);
            } catch (OpenFlowException e) {
                assertEquals(c[1], "!" + e.code().name(), c[0] + ": " + e.getMessage());
                continue;
            }
            StringBuilder s = new StringBuilder();
            ActionFormatter.format(s, fm.instructions(), Map.of(), Map.of());
            assertEquals(c[1], s.toString(), c[0]);
            ByteBuf out = Unpooled.buffer();
            Reencoder.writeInstructions(out, fm.instructions(), fm.version(), fm.match());
            int actionsAt = fm.version() == 1 ? 72 : 56;
            assertArrayEquals(java.util.Arrays.copyOfRange(wire, actionsAt, wire.length), ByteBufUtil.getBytes(out),
                    c[0] + " re-encoded");
        }
    }
}
