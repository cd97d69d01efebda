package dev.ofswitch.ofswitch.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The extra ovs-ofctl 3.1 captures (golden/ovs-ofctl-extra.txt): ct-flush, ct-flush-zone, packet-out, add-group,
 * dump-flows / dump-aggregate requests and the monitor's NXT_SET_PACKET_IN_FORMAT decode to what ofp-print shows.
 */
class ExtraVectorsTest {
    private static List<Golden.Vector> vectors() throws Exception {
        return Golden.load("ovs-ofctl-extra.txt");
    }

    private static ByteBuf find(String prefix, String contains) throws Exception {
        for (Golden.Vector v : vectors()) {
            if (v.meaning().startsWith(prefix) || v.meaning().contains(prefix)) {
                if (contains == null || v.meaning().contains(contains)) {
                    return Unpooled.wrappedBuffer(v.bytes());
                }
            }
        }
        throw new AssertionError("no vector " + prefix + " " + contains);
    }

    @Test
    void ctFlush_tuplesAndZone() throws Exception {
        ByteBuf m = find("NXT_CT_FLUSH (OF1.3)", "zone=9");
        assertTrue(NiciraMessages.isNicira(m));
        assertEquals(NiciraMessages.NXT_CT_FLUSH, NiciraMessages.subtype(m));
        NiciraMessages.CtFlush f = NiciraMessages.decodeCtFlush(m);
        assertEquals(6, f.ipProto());
        assertEquals(9, f.zone());
        assertArrayEquals(Hex.decode("00000000000000000000ffff0a000001"), f.orig().src());
        assertArrayEquals(Hex.decode("00000000000000000000ffff0a000002"), f.orig().dst());
        assertEquals(1000, f.orig().srcPort());
        assertEquals(80, f.orig().dstPort());
        assertArrayEquals(Hex.decode("00000000000000000000ffff0a000002"), f.reply().src());
        assertNull(f.reply().dst());
        assertEquals(80, f.reply().srcPort());
        assertNull(f.mark());
    }

    @Test
    void ctFlush_icmpv6Tuple() throws Exception {
        NiciraMessages.CtFlush f = NiciraMessages.decodeCtFlush(find("NXT_CT_FLUSH (OF1.3)", "icmp_id=5"));
        assertEquals(58, f.ipProto());
        assertEquals(5, f.orig().icmpId());
        assertEquals(128, f.orig().icmpType());
        assertEquals(0, f.orig().icmpCode());
    }

    @Test
    void ctFlushZone_allVersions() throws Exception {
        int n = 0;
        for (Golden.Vector v : vectors()) {
            if (v.meaning().contains("NXT_CT_FLUSH_ZONE")) {
                ByteBuf m = Unpooled.wrappedBuffer(v.bytes());
                assertEquals(7, NiciraMessages.decodeCtFlushZone(m));
                ByteBuf out = Unpooled.buffer();
                NiciraMessages.encodeCtFlushZone(out, OfHeader.version(m), OfHeader.xid(m), 7);
                assertArrayEquals(v.bytes(), GoldenVectorsTest.bytes(out));
                n++;
            }
        }
        assertEquals(3, n);
    }

    @Test
    void packetOut_allVersions() throws Exception {
        int n = 0;
        for (Golden.Vector v : vectors()) {
            if (v.meaning().contains("OFPT_PACKET_OUT")) {
                PacketOut po = PacketOut.decode(Unpooled.wrappedBuffer(v.bytes()), ExperimenterActions.REJECT);
                assertEquals(1, po.inPort(), v.toString());
                assertEquals(PacketIn.NO_BUFFER, po.bufferId());
                assertEquals(List.of(new Action.Output(2, po.version() == OfVersion.OF10 ? 0 : 0)),
                        po.actions().actions().stream().map(a -> new Action.Output(((Action.Output) a).port(), 0))
                                .toList());
                assertTrue(v.meaning().contains("data_len=" + po.data().length), v.toString());
                if (po.version() == OfVersion.OF15) {
                    assertEquals(5, po.metadata().get(MatchField.XREG0).value() >>> 32);
                }
                n++;
            }
        }
        assertEquals(8, n);
    }

    @Test
    void groupMod_selectFastFailoverAndNicira() throws Exception {
        GroupMod g13 = GroupMod.decode(find("OFPT_GROUP_MOD (OF1.3)", null), ExperimenterActions.REJECT);
        assertEquals(1, g13.type());
        assertEquals(1, g13.groupId());
        assertEquals(2, g13.buckets().size());
        assertEquals(10, g13.buckets().get(0).weight());
        assertEquals(2, g13.buckets().get(0).watchPort());
        assertEquals(20, g13.buckets().get(1).weight());
        assertEquals(new Action.Output(3, 0), g13.buckets().get(1).actions().actions().get(0));
        GroupMod g15 = GroupMod.decode(find("OFPT_GROUP_MOD (OF1.5)", null), ExperimenterActions.REJECT);
        assertEquals(3, g15.type());
        assertEquals(2, g15.buckets().get(0).watchPort());
        GroupMod nx = GroupMod.decode(find("NXT_GROUP_MOD", null), ExperimenterActions.REJECT);
        assertEquals(0, nx.type());
        assertEquals(3, nx.groupId());
        assertEquals(new Action.Output(2, 0), nx.buckets().get(0).actions().actions().get(0));
    }

    @Test
    void flowStatsRequests_allForms() throws Exception {
        FlowStats.Request r13 = FlowStats.decodeRequest(find("OFPST_FLOW request (OF1.3)", null));
        assertEquals(0xff, r13.tableId());
        assertTrue(r13.match().isCatchAll());
        FlowStats.Request r15 = FlowStats.decodeRequest(find("OFPST_FLOW request (OF1.5)", null));
        assertEquals(1, r15.tableId());
        assertEquals(MatchField.XREG0, r15.match().entries().get(0).field());
        FlowStats.Request nx = FlowStats.decodeRequest(find("NXST_FLOW request", null));
        assertTrue(nx.nicira());
        assertEquals(MatchField.ETH_TYPE, nx.match().entries().get(0).field());
        FlowStats.Request agg = FlowStats.decodeRequest(find("NXST_AGGREGATE request", null));
        assertTrue(agg.aggregate());
        assertEquals(MatchField.REG0, agg.match().entries().get(0).field());
        FlowStats.Request agg14 = FlowStats.decodeRequest(find("OFPST_AGGREGATE request (OF1.4)", null));
        assertTrue(agg14.aggregate());
    }

    @Test
    void controllerActions_decodeAndReencodeByteForByte() throws Exception {
        int n = 0;
        for (Golden.Vector v : vectors()) {
            if (v.meaning().contains("FLOW_MOD") && v.meaning().contains("controller")) {
                FlowMod fm = FlowModCodec.decode(Unpooled.wrappedBuffer(v.bytes()), false, ExperimenterActions.REJECT);
                ByteBuf out = Unpooled.buffer();
                FlowModCodec.encode(out, fm, false);
                assertEquals(Hex.encode(v.bytes()), Hex.encode(GoldenVectorsTest.bytes(out)), v.toString());
                n++;
            }
        }
        assertEquals(3, n);
        FlowMod fm = FlowModCodec.decode(find("flow_mod_controller2.hex", null), false, ExperimenterActions.REJECT);
        Action.Controller c = (Action.Controller) fm.instructions().applyActions().get(0);
        assertEquals(100, c.maxLen());
        assertEquals(5, c.controllerId());
        assertEquals(0, c.reason());
        assertArrayEquals(new byte[] {1, 2}, c.userdata());
        assertTrue(c.pause());
        assertEquals(3, c.meterId());
    }

    @Test
    void setPacketInFormat_nxtPacketIn2() throws Exception {
        assertEquals(NiciraMessages.NXPIF_NXT_PACKET_IN2,
                NiciraMessages.decodeSetPacketInFormat(find("NXT_SET_PACKET_IN_FORMAT", null)));
    }
}
