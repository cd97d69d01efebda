package dev.ofswitch.ofswitch.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * Every one of the 127 ovs-ofctl 3.1 vectors (shared/vectors/ovs-ofctl, copied to src/test/resources/golden) decodes
 * to the expected model or to the error OVS's own ofp-print reports, and flows re-encode to the identical bytes.
 *
 * <p>Conntrack actions are decoded by ct-actions later; here each flow that carries one is decoded twice: with the
 * hook a switch without conntrack would use ({@link ExperimenterActions#REJECT}, which must answer
 * OFPBAC_BAD_VENDOR_TYPE) and with the switch's {@link CtActionDecoder}, which must decode them and re-encode the
 * same bytes.
 */
class GoldenVectorsTest {
    private static final Pattern DECODE_ERROR = Pattern.compile("\\*\\*\\*decode error: (\\w+)\\*\\*\\*");

    @Test
    void allCapturedVectors_decodeAndReencode() throws Exception {
        List<Golden.Vector> all = new ArrayList<>();
        for (String v : new String[] {"of10", "of13", "of14", "of15"}) {
            all.addAll(Golden.load("ovs-ofctl-" + v + ".txt"));
        }
        assertEquals(127, all.size(), "vector count");
        int ok = 0;
        boolean tableIdExt = false;
        String lastCase = "";
        List<String> failures = new ArrayList<>();
        for (Golden.Vector vec : all) {
            String caseDir = vec.name().contains("/") ? vec.name().substring(0, vec.name().indexOf('/')) : "";
            if (!caseDir.equals(lastCase)) {
                tableIdExt = false;
                lastCase = caseDir;
            }
            try {
                tableIdExt = check(vec, tableIdExt);
                ok++;
            } catch (AssertionError | Exception e) {
                failures.add(vec + " -> " + e);
            }
        }
        System.out.println("golden ovs-ofctl vectors: " + ok + "/" + all.size() + " pass");
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    /** Checks one vector; returns the connection's NXT_FLOW_MOD_TABLE_ID state after it. */
    private static boolean check(Golden.Vector vec, boolean tableIdExt) throws Exception {
        ByteBuf msg = Unpooled.wrappedBuffer(vec.bytes());
        int type = OfHeader.type(msg);
        Matcher err = DECODE_ERROR.matcher(vec.meaning());
        if (NiciraMessages.isNicira(msg)) {
            int subtype = NiciraMessages.subtype(msg);
            switch (subtype) {
                case NiciraMessages.NXT_SET_FLOW_FORMAT:
                    assertEquals(NiciraMessages.NXFF_NXM, NiciraMessages.decodeSetFlowFormat(msg));
                    ByteBuf out = Unpooled.buffer();
                    NiciraMessages.encodeFormat(out, OfHeader.version(msg), OfHeader.xid(msg), subtype,
                            NiciraMessages.NXFF_NXM);
                    assertArrayEquals(vec.bytes(), bytes(out));
                    return tableIdExt;
                case NiciraMessages.NXT_FLOW_MOD_TABLE_ID:
                    assertTrue(NiciraMessages.decodeFlowModTableId(msg));
                    ByteBuf t = Unpooled.buffer();
                    NiciraMessages.encodeFlowModTableId(t, OfHeader.version(msg), OfHeader.xid(msg), true);
                    assertArrayEquals(vec.bytes(), bytes(t));
                    return true;
                case FlowModCodec.NXT_FLOW_MOD:
                    checkFlowMod(vec, msg, tableIdExt, err);
                    return tableIdExt;
                default:
                    throw new AssertionError("unexpected Nicira subtype " + subtype);
            }
        }
        if (type == FlowModCodec.OFPT_FLOW_MOD) {
            checkFlowMod(vec, msg, tableIdExt, err);
            return tableIdExt;
        }
        // Session messages (HELLO, multipart lookups, FEATURES, BARRIER) belong to Loxi: parse and re-serialize.
        OFMessage m = OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(vec.bytes()));
        assertNotNull(m, "Loxi parses " + vec);
        ByteBuf out = Unpooled.buffer();
        m.writeTo(out);
        assertArrayEquals(vec.bytes(), bytes(out), "Loxi round trip");
        return tableIdExt;
    }

    private static void checkFlowMod(Golden.Vector vec, ByteBuf msg, boolean tableIdExt, Matcher err)
            throws Exception {
        if (err.find()) {
            ErrorCode expected = ErrorCode.valueOf(err.group(1));
            OpenFlowException e = assertThrows(OpenFlowException.class,
                    () -> FlowModCodec.decode(msg, tableIdExt, ExperimenterActions.OPAQUE));
            assertEquals(expected, e.code(), e.getMessage());
            return;
        }
        String actions = vec.meaning().substring(vec.meaning().indexOf("actions="));
        boolean hasCt = actions.contains("ct(") || actions.contains("ct_clear") || actions.contains("nat");
        if (hasCt) {
            // A switch without conntrack refuses them as OVS would refuse an unknown action...
            OpenFlowException e = assertThrows(OpenFlowException.class,
                    () -> FlowModCodec.decode(msg, tableIdExt, ExperimenterActions.REJECT));
            assertEquals(ErrorCode.OFPBAC_BAD_VENDOR_TYPE, e.code());
            // ...and the switch's own decoder turns them into the ct-actions model.
            String model = FlowModCodec.decode(msg, tableIdExt, CtActionDecoder.INSTANCE).instructions().toString();
            assertTrue(model.contains("Conntrack") || model.contains("CtClear"), "ct actions decoded in " + vec);
        }
        // The production decoder: every vector decodes, conntrack actions included.
        FlowMod fm = FlowModCodec.decode(msg, tableIdExt, CtActionDecoder.INSTANCE);
        ByteBuf out = Unpooled.buffer();
        FlowModCodec.encode(out, fm, tableIdExt);
        assertEquals(Hex.encode(vec.bytes()), Hex.encode(bytes(out)), "re-encoded " + vec);
        // The kept bytes are the wire bytes.
        byte[] wire = vec.bytes();
        byte[] mraw = fm.match().raw();
        assertTrue(Hex.encode(wire).contains(Hex.encode(mraw)), "match raw bytes are a slice of the message");
        assertTrue(fm.instructions().rawLength() == 0
                || Hex.encode(wire).endsWith(Hex.encode(fm.instructions().raw())), "instruction raw bytes");
        // Spot checks of the model against ovs-ofctl's text.
        String text = vec.meaning();
        if (text.contains(" DEL ")) {
            assertEquals(FlowMod.OFPFC_DELETE, fm.command());
        } else {
            assertEquals(FlowMod.OFPFC_ADD, fm.command());
        }
        Matcher table = Pattern.compile("table:(\\d+)").matcher(text);
        if (table.find()) {
            assertEquals(Integer.parseInt(table.group(1)), fm.tableId());
        }
        Matcher prio = Pattern.compile("priority=(\\d+)").matcher(text.substring(text.indexOf(':', 30)));
        if (prio.find()) {
            assertEquals(Integer.parseInt(prio.group(1)), fm.priority());
        }
        for (MatchEntry e : fm.match().entries()) {
            MatchField f = e.field();
            String n = f.ovsName();
            if (f.name().startsWith("XREG")) {
                continue; // ovs-ofctl prints xregs as the two regs.
            }
            boolean printed = text.contains(n + "=") || (f.extraName() != null && text.contains(f.extraName() + "="))
                    || f == MatchField.ETH_TYPE || f == MatchField.IP_PROTO || f == MatchField.NW_TOS;
            assertTrue(printed, n + " of the model appears in " + text);
        }
    }

    static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }
}
