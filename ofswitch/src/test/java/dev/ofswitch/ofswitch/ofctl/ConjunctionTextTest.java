package dev.ofswitch.ofswitch.ofctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.codec.CtActionDecoder;
import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.FlowModCodec;
import dev.ofswitch.ofswitch.codec.Hex;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.codec.Reencoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code conjunction(id,k/n)} ({@code NXAST_CONJUNCTION}) and {@code conj_id} (NXM_NX_CONJ_ID) in the flow language
 * and on the wire, against what Debian's {@code ovs-ofctl} 3.1 prints and sends, recorded below (ovs-ofctl
 * {@code parse-flow}; the action bytes from its hex dump). The live byte comparison with ovs-ofctl covers the flows of
 * the oracle case {@code conjunction-security-group} ({@code OfctlByteIdentityTest}).
 */
class ConjunctionTextTest {
    /** Flow text, then ovs-ofctl's canonical match and actions. */
    private static final String[][] PRINTED = {
        {"actions=conjunction(1,1/2)", "", "conjunction(1,1/2)"},
        {"actions=conjunction( 1 , 1 / 2 )", "", "conjunction(1,1/2)"},
        {"actions=conjunction(1,1/64)", "", "conjunction(1,1/64)"},
        {"actions=conjunction(4294967295,2/2)", "", "conjunction(4294967295,2/2)"},
        {"actions=conjunction(-1,1/2)", "", "conjunction(4294967295,1/2)"},
        {"actions=conjunction(0x10,1/2)", "", "conjunction(16,1/2)"},
        {"actions=conjunction(1,1/2),note:01", "", "conjunction(1,1/2),note:01.00.00.00.00.00"},
        {"actions=conjunction(1,1/2),conjunction(2,2/3)", "", "conjunction(1,1/2),conjunction(2,2/3)"},
        {"conj_id=5,actions=drop", "conj_id=5", "drop"},
        {"conj_id=0x10,actions=drop", "conj_id=16", "drop"},
        {"conj_id=3,actions=conjunction(1,1/2)", "conj_id=3", "conjunction(1,1/2)"},
        {"priority=70,conj_id=10,ct_state=+new-est+trk,ip,in_port=2,actions=ct(commit),output:1",
            "priority=70,conj_id=10,ct_state=+new-est+trk,ip,in_port=2", "ct(commit),output:1"},
    };

    /** Flow text, then ovs-ofctl's error message. */
    private static final String[][] REFUSED = {
        {"actions=conjunction(1,0/2)", "clause index must be positive"},
        {"actions=conjunction(1,3/2)", "clause index must be less than or equal to number of clauses"},
        {"actions=conjunction(1,1/1)", "conjunction must have at least 2 clauses"},
        {"actions=conjunction(1,1/65)", "conjunction must have at most 64 clauses"},
        {"actions=conjunction(1)", "\"conjunction\" syntax is \"conjunction(id,i/n)\""},
        {"actions=conjunction(1,1/2)x", "unknown action x"},
        {"actions=conjunction(1,1/2),output:1", "\"conjunction\" actions may be used along with \"note\" but not any "
            + "other kind of action (such as the \"output\" action used here)"},
        {"actions=conjunction(1,1/2),goto_table:3", "\"conjunction\" actions may be used along with \"note\" but not "
            + "any other kind of action (such as the \"goto_table\" action used here)"},
        {"conj_id=5/0xff,actions=drop", "5/0xff: invalid mask for field conj_id"},
    };

    /** ovs-ofctl's NXAST_CONJUNCTION for conjunction(1,1/2): clause 0-based, n_clauses, id. */
    private static final String CONJ_1_1_2 = "ffff0010000023200022000200000001";

    private static FlowMod parse(String text, int version) throws Exception {
        OfctlFlows.ParsedFlowMod p = OfctlFlows.parseFlowMod(text, version, FlowMod.OFPFC_ADD).flowMods().get(0);
        assertNotNull(p.flowMod(), () -> text + ": " + p.decodeError());
        return p.flowMod();
    }

    @Test
    void print_asOvsOfctl_inEveryVersion() throws Exception {
        for (int version : new int[] {OfVersion.OF10, OfVersion.OF13, OfVersion.OF15}) {
            for (String[] c : PRINTED) {
                FlowMod fm = parse(c[0], version);
                StringBuilder m = new StringBuilder();
                MatchFormatter.format(m, fm.match(), fm.priority(), Map.of());
                StringBuilder a = new StringBuilder();
                ActionFormatter.format(a, fm.instructions(), Map.of(), Map.of());
                assertEquals(c[1], m.toString(), c[0] + " match, version " + version);
                assertEquals(c[2], a.toString(), c[0] + " actions, version " + version);
            }
        }
    }

    @Test
    void refused_withOvsOfctlsMessage() {
        for (String[] c : REFUSED) {
            OfctlParseException e = assertThrows(OfctlParseException.class,
                    () -> OfctlFlows.parseFlowMod(c[0], OfVersion.OF13, FlowMod.OFPFC_ADD), c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
    }

    @Test
    void wire_actionBytesAsOvsOfctl_andReencodedToThem() throws Exception {
        for (int version : new int[] {OfVersion.OF10, OfVersion.OF13}) {
            byte[] wire = OfctlFlows.parseFlowMod("actions=conjunction(1,1/2)", version, FlowMod.OFPFC_ADD)
                    .flowMods().get(0).bytes();
            String hex = Hex.encode(wire);
            assertTrue(hex.endsWith(CONJ_1_1_2), hex);
            FlowMod fm = FlowModCodec.decode(Unpooled.wrappedBuffer(wire), false, CtActionDecoder.INSTANCE);
            ByteBuf out = Unpooled.buffer();
            Reencoder.writeInstructions(out, fm.instructions(), fm.version(), fm.match());
            byte[] again = ByteBufUtil.getBytes(out);
            assertArrayEquals(Hex.decode(CONJ_1_1_2), Arrays.copyOfRange(again, again.length - 16, again.length));
            assertEquals(1, fm.instructions().conjunctions().length);
            assertEquals(1L << 32 | 2, fm.instructions().conjunctions()[0], "id 1, clause 0, 2 clauses");
        }
    }

    @Test
    void decode_badClauses_andConjunctionMixedWithOutput_areNxbacBadConjunction() throws Exception {
        byte[] wire = OfctlFlows.parseFlowMod("actions=conjunction(1,1/2),note:01", OfVersion.OF13,
                FlowMod.OFPFC_ADD).flowMods().get(0).bytes();
        int conj = Hex.encode(wire).indexOf(CONJ_1_1_2) / 2;
        byte[] oneClause = wire.clone();
        oneClause[conj + 11] = 1;
        byte[] clauseTooHigh = wire.clone();
        clauseTooHigh[conj + 10] = 2;
        byte[] withOutput = wire.clone();
        // The 16-byte note that follows becomes output:1 (OFPAT_OUTPUT, 16 bytes).
        System.arraycopy(Hex.decode("00000010000000010000000000000000"), 0, withOutput, conj + 16, 16);
        for (byte[] bad : new byte[][] {oneClause, clauseTooHigh, withOutput}) {
            OpenFlowException e = assertThrows(OpenFlowException.class,
                    () -> FlowModCodec.decode(Unpooled.wrappedBuffer(bad), false, CtActionDecoder.INSTANCE));
            assertEquals(ErrorCode.NXBAC_BAD_CONJUNCTION, e.code(), e.getMessage());
        }
        FlowModCodec.decode(Unpooled.wrappedBuffer(wire), false, CtActionDecoder.INSTANCE);
    }
}
