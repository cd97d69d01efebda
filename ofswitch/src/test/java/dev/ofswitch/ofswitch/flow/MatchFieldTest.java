package dev.ofswitch.ofswitch.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The registry against OVS's meta-flow facts, and the FlowKey layout's sharing rules. */
class MatchFieldTest {
    @Test
    void headers_matchOvsMetaFlow() {
        // From shared/vectors/ovs-ofctl/README.md and OVS meta-flow.xml.
        assertEquals(0x0001d204, MatchField.CT_STATE.nxmHeader());
        assertEquals(0x0001d308, MatchField.maskedHeader(MatchField.CT_STATE.nxmHeader()));
        assertEquals(0x0001d402, MatchField.CT_ZONE.nxmHeader());
        assertEquals(0x0001d604, MatchField.CT_MARK.nxmHeader());
        assertEquals(0x0001d810, MatchField.CT_LABEL.nxmHeader());
        assertEquals(0x0001d920, MatchField.maskedHeader(MatchField.CT_LABEL.nxmHeader()));
        assertEquals(0x0001ee01, MatchField.CT_NW_PROTO.nxmHeader());
        assertEquals(0x0001f004, MatchField.CT_NW_SRC.nxmHeader());
        assertEquals(0x0001f204, MatchField.CT_NW_DST.nxmHeader());
        assertEquals(0x0001f410, MatchField.CT_IPV6_SRC.nxmHeader());
        assertEquals(0x0001f610, MatchField.CT_IPV6_DST.nxmHeader());
        assertEquals(0x0001f802, MatchField.CT_TP_SRC.nxmHeader());
        assertEquals(0x0001fa02, MatchField.CT_TP_DST.nxmHeader());
        for (int n = 0; n < 16; n++) {
            assertEquals(0x00010004 + n * 0x200, MatchField.reg(n).nxmHeader(), "reg" + n);
        }
        assertEquals(0x00010f08, MatchField.maskedHeader(MatchField.REG7.nxmHeader()));
        assertEquals(0x80010008, MatchField.XREG0.oxmHeader());
        assertEquals(0x80010110, MatchField.maskedHeader(MatchField.XREG0.oxmHeader()));
        assertEquals(0x80000004, MatchField.IN_PORT_OXM.oxmHeader());
        assertEquals(0x00000002, MatchField.IN_PORT.nxmHeader());
        assertEquals(0x80000a02, MatchField.ETH_TYPE.oxmHeader());
        assertEquals(0x80000408, MatchField.METADATA.oxmHeader());
        assertEquals(0x80001604, MatchField.IPV4_SRC.oxmHeader());
        assertEquals(0x80004c08, MatchField.TUN_ID.oxmHeader());
        assertEquals(0x00012008, MatchField.TUN_ID.nxmHeader());
        assertEquals(0x00014402, MatchField.TCP_FLAGS.nxmHeader());
        assertEquals(0x80005402, MatchField.TCP_FLAGS.oxmHeader());
        assertEquals(0xffff5406_4f4e4600L, MatchField.TCP_FLAGS.preferredHeader(0x04));
        assertEquals(0x80005402L << 32, MatchField.TCP_FLAGS.preferredHeader(0x06));
        assertEquals(0x00014402L << 32, MatchField.TCP_FLAGS.preferredHeader(0x01));
        assertEquals(0x80000c02, MatchField.VLAN_VID.oxmHeader());
        assertEquals(0x00000802, MatchField.VLAN_TCI.nxmHeader());
    }

    @Test
    void lookups_roundTripEveryHeaderAndName() {
        Set<Integer> seen = new HashSet<>();
        for (MatchField f : MatchField.values()) {
            for (int h : new int[] {f.nxmHeader(), f.oxmHeader()}) {
                if (h == 0) {
                    continue;
                }
                assertTrue(seen.add(h), "unique header " + Integer.toHexString(h));
                assertSame(f, MatchField.byHeader(h));
                assertSame(f, MatchField.byClassAndField(h));
                assertSame(f, MatchField.byClassAndField(MatchField.maskedHeader(h)));
                if (f.isMaskable()) {
                    assertSame(f, MatchField.byHeader(MatchField.maskedHeader(h)));
                } else {
                    assertNull(MatchField.byHeader(MatchField.maskedHeader(h)), f + " masked");
                }
                assertEquals(f.nBytes(), h & 0xff, f + " header length");
            }
            assertSame(f, MatchField.byName(f.ovsName()));
            if (f.extraName() != null) {
                assertSame(f, MatchField.byName(f.extraName()));
            }
            assertTrue(f.nBits() <= f.nBytes() * 8, f + " bits fit bytes");
        }
        assertSame(MatchField.TCP_FLAGS, MatchField.byExperimenterHeader(MatchField.ONF_TCP_FLAGS_HEADER));
        assertSame(MatchField.TCP_FLAGS, MatchField.byExperimenterHeader(MatchField.ONF_TCP_FLAGS_MASKED_HEADER));
        assertSame(MatchField.IPV4_SRC, MatchField.byName("nw_src"));
        assertSame(MatchField.REG6, MatchField.byName("NXM_NX_REG6"));
        assertSame(MatchField.CT_LABEL, MatchField.byName("NXM_NX_CT_LABEL"));
        assertFalse(MatchField.IN_PHY_PORT.isSupported());
    }

    /** Fields overlap in the key only when OVS stores them in the same struct flow member. */
    @Test
    void storage_overlapsOnlyForOvsViews() {
        Set<String> expected = new TreeSet<>(Set.of(
                "IN_PORT~IN_PORT_OXM", "VLAN_TCI~VLAN_VID", "VLAN_TCI~VLAN_PCP", "NW_TOS~IP_DSCP",
                "IP_PROTO~ARP_OP", "IPV4_SRC~ARP_SPA", "IPV4_DST~ARP_TPA", "ARP_SHA~ND_SLL", "ARP_THA~ND_TLL"));
        String[][] tp = {{"TCP_SRC", "UDP_SRC", "SCTP_SRC", "ICMPV4_TYPE", "ICMPV6_TYPE"},
                         {"TCP_DST", "UDP_DST", "SCTP_DST", "ICMPV4_CODE", "ICMPV6_CODE"}};
        for (String[] group : tp) {
            for (int i = 0; i < group.length; i++) {
                for (int j = i + 1; j < group.length; j++) {
                    expected.add(group[i] + "~" + group[j]);
                }
            }
        }
        for (int x = 0; x < 8; x++) {
            expected.add("REG" + (2 * x) + "~XREG" + x);
            expected.add("REG" + (2 * x + 1) + "~XREG" + x);
        }
        Set<String> actual = new TreeSet<>();
        MatchField[] all = MatchField.values();
        for (int i = 0; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) {
                if (overlap(all[i], all[j])) {
                    actual.add(all[i] + "~" + all[j]);
                }
            }
        }
        assertEquals(expected, actual);
    }

    private static boolean overlap(MatchField a, MatchField b) {
        if (!a.isSupported() || !b.isSupported()) {
            return false;
        }
        long[] ma = FlowKey.newKey();
        long[] mb = FlowKey.newKey();
        fillMask(ma, a);
        fillMask(mb, b);
        for (int w = 0; w < FlowKey.WORDS; w++) {
            if ((ma[w] & mb[w]) != 0) {
                return true;
            }
        }
        return false;
    }

    private static void fillMask(long[] m, MatchField f) {
        if (f.isWide()) {
            FlowKey.setWide(m, f, -1L, -1L);
        } else {
            m[f.word] |= f.wordMask;
        }
    }

    @Test
    void valueValidity_asOvsMfIsValueValid() {
        assertTrue(MatchField.NW_TOS.isValueValid(0xfc));
        assertFalse(MatchField.NW_TOS.isValueValid(0x01));
        assertTrue(MatchField.IP_DSCP.isValueValid(0x3f));
        assertFalse(MatchField.IP_DSCP.isValueValid(0x40));
        assertFalse(MatchField.IP_ECN.isValueValid(4));
        assertFalse(MatchField.ARP_OP.isValueValid(0x100));
        assertFalse(MatchField.CT_STATE.isValueValid(0x100));
        assertTrue(MatchField.VLAN_VID.isValueValid(0x1fff));
        assertFalse(MatchField.VLAN_VID.isValueValid(0x2000));
        assertFalse(MatchField.MPLS_LABEL.isValueValid(0x100000));
        assertFalse(MatchField.TCP_FLAGS.isValueValid(0x1000));
        assertTrue(MatchField.IN_PORT_OXM.isValueValid(0xfffffffeL));
        assertFalse(MatchField.IN_PORT_OXM.isValueValid(0xffff0000L));
        assertTrue(MatchField.METADATA.isValueValid(-1L));
    }

    @Test
    void ports_convertLikeOfputil() {
        assertEquals(0xfffe, MatchField.portFromOfp11(0xfffffffeL));
        assertEquals(5, MatchField.portFromOfp11(5));
        assertEquals(-1, MatchField.portFromOfp11(0xff00));
        assertEquals(0xfffffffdL, MatchField.portToOfp11(0xfffd));
        assertEquals(7, MatchField.portToOfp11(7));
    }
}
