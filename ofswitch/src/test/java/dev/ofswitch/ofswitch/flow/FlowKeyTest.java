package dev.ofswitch.ofswitch.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Accessors, views and prerequisites on the flat key. */
class FlowKeyTest {
    @Test
    void setThenGet_everyNarrowField_leavesOtherFieldsAlone() {
        Random r = new Random(42);
        for (MatchField f : MatchField.values()) {
            if (!f.isSupported() || f.isWide()) {
                continue;
            }
            long[] key = FlowKey.newKey();
            for (int w = 0; w < FlowKey.WORDS; w++) {
                key[w] = r.nextLong();
            }
            long[] before = key.clone();
            long v = validValue(f, r);
            FlowKey.set(key, f, v);
            assertEquals(v, FlowKey.get(key, f), f.toString());
            for (int w = 0; w < FlowKey.WORDS; w++) {
                if (w != f.word) {
                    assertEquals(before[w], key[w], f + " touched word " + w);
                }
            }
            assertEquals(before[f.word] & ~f.wordMask, key[f.word] & ~f.wordMask, f + " touched other bits");
        }
    }

    private static long validValue(MatchField f, Random r) {
        switch (f) {
            case IN_PORT_OXM:
                return 12;
            case NW_TOS:
                return 0xb8;
            case ARP_OP:
                return 2;
            case CT_STATE:
                return 0x21;
            default:
                long v = r.nextLong();
                return f.nBits() >= 64 ? v : v & ((1L << f.storageBits) - 1);
        }
    }

    @Test
    void views_shareStorageLikeOvs() {
        long[] k = FlowKey.newKey();
        FlowKey.set(k, MatchField.VLAN_TCI, 0xb005); // PCP 5, CFI, VID 5
        assertEquals(0x1005, FlowKey.get(k, MatchField.VLAN_VID));
        assertEquals(5, FlowKey.get(k, MatchField.VLAN_PCP));
        FlowKey.set(k, MatchField.VLAN_PCP, 1);
        assertEquals(0x3005, FlowKey.get(k, MatchField.VLAN_TCI));

        FlowKey.set(k, MatchField.NW_TOS, 0xb8);
        FlowKey.set(k, MatchField.IP_ECN, 3);
        assertEquals(0x2e, FlowKey.get(k, MatchField.IP_DSCP));
        assertEquals(0xb8, FlowKey.get(k, MatchField.NW_TOS));
        assertEquals(3, FlowKey.get(k, MatchField.IP_ECN));

        FlowKey.set(k, MatchField.REG0, 0x11111111L);
        FlowKey.set(k, MatchField.REG1, 0x22222222L);
        assertEquals(0x1111111122222222L, FlowKey.get(k, MatchField.XREG0));
        FlowKey.set(k, MatchField.XREG7, 0xaaaaaaaabbbbbbbbL);
        assertEquals(0xaaaaaaaaL, FlowKey.get(k, MatchField.REG14));
        assertEquals(0xbbbbbbbbL, FlowKey.get(k, MatchField.REG15));

        FlowKey.set(k, MatchField.IN_PORT_OXM, 0xfffffffeL);
        assertEquals(0xfffe, FlowKey.get(k, MatchField.IN_PORT));
        FlowKey.set(k, MatchField.IN_PORT, 3);
        assertEquals(3, FlowKey.get(k, MatchField.IN_PORT_OXM));

        FlowKey.set(k, MatchField.ARP_OP, 2);
        assertEquals(2, FlowKey.get(k, MatchField.IP_PROTO));
        FlowKey.set(k, MatchField.ICMPV4_TYPE, 8);
        assertEquals(8, FlowKey.get(k, MatchField.TCP_SRC));
    }

    @Test
    void wideFields_bytesRoundTrip() {
        long[] k = FlowKey.newKey();
        byte[] label = new byte[16];
        for (int i = 0; i < 16; i++) {
            label[i] = (byte) (i + 1);
        }
        FlowKey.setBytes(k, MatchField.CT_LABEL, label, 0);
        assertEquals(0x0102030405060708L, FlowKey.getHigh(k, MatchField.CT_LABEL));
        assertEquals(0x090a0b0c0d0e0f10L, FlowKey.getLow(k, MatchField.CT_LABEL));
        byte[] back = new byte[16];
        FlowKey.getBytes(k, MatchField.CT_LABEL, back, 0);
        assertArrayEquals(label, back);
        assertThrows(IllegalArgumentException.class, () -> FlowKey.get(k, MatchField.CT_LABEL));
        byte[] mac = {1, 2, 3, 4, 5, 6};
        FlowKey.setBytes(k, MatchField.ETH_SRC, mac, 0);
        assertEquals(0x010203040506L, FlowKey.get(k, MatchField.ETH_SRC));
    }

    @Test
    void setMasked_keepsValueMaskedAndTruncatesCtStateMask() {
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        FlowKey.setMasked(v, m, MatchField.IPV4_SRC, 0x0a0000ffL, 0xffffff00L);
        assertEquals(0x0a000000L, FlowKey.get(v, MatchField.IPV4_SRC));
        FlowKey.setMasked(v, m, MatchField.CT_STATE, 0x20, 0xffffffffL);
        assertEquals(0xff, FlowKey.get(m, MatchField.CT_STATE));
        assertTrue(FlowKey.isExact(m, MatchField.CT_STATE));
        assertFalse(FlowKey.isWild(m, MatchField.IPV4_SRC));
        assertFalse(FlowKey.isWild(m, MatchField.ARP_SPA)); // the same bits
        assertTrue(FlowKey.isWild(m, MatchField.IPV4_DST));
        FlowKey.setMasked(v, m, MatchField.IN_PORT_OXM, 0xfffffffeL, 0xffffffffL);
        assertEquals(0xffff, FlowKey.get(m, MatchField.IN_PORT));
    }

    @Test
    void prerequisites_asOvs() {
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        assertFalse(Prerequisite.TCP.isMet(v, m));
        FlowKey.setMasked(v, m, MatchField.ETH_TYPE, 0x0800, 0xffff);
        assertTrue(Prerequisite.IPV4.isMet(v, m));
        assertTrue(Prerequisite.IP_ANY.isMet(v, m));
        assertFalse(Prerequisite.IPV6.isMet(v, m));
        FlowKey.setMasked(v, m, MatchField.IP_PROTO, 6, 0xff);
        assertTrue(Prerequisite.TCP.isMet(v, m));
        assertFalse(Prerequisite.UDP.isMet(v, m));
        assertFalse(Prerequisite.CT_VALID.isMet(v, m));
        FlowKey.setMasked(v, m, MatchField.CT_STATE, 0x20, 0x20);
        assertFalse(Prerequisite.CT_VALID.isMet(v, m), "+trk alone");
        FlowKey.setMasked(v, m, MatchField.CT_STATE, 0x20, 0x30);
        assertTrue(Prerequisite.CT_VALID.isMet(v, m), "+trk-inv");
        FlowKey.setMasked(v, m, MatchField.CT_STATE, 0x02, 0x02);
        assertTrue(Prerequisite.CT_VALID.isMet(v, m), "+est");
        long[] nd = FlowKey.newKey();
        long[] ndm = FlowKey.newKey();
        FlowKey.setMasked(nd, ndm, MatchField.ETH_TYPE, 0x86dd, 0xffff);
        FlowKey.setMasked(nd, ndm, MatchField.IP_PROTO, 58, 0xff);
        FlowKey.setMasked(nd, ndm, MatchField.ICMPV6_TYPE, 135, 0xff);
        assertTrue(Prerequisite.ND_SOLICIT.isMet(nd, ndm));
        assertFalse(Prerequisite.ND_ADVERT.isMet(nd, ndm));
        assertTrue(Prerequisite.ND.isMet(nd, ndm));
        long[] vl = FlowKey.newKey();
        FlowKey.set(vl, MatchField.VLAN_TCI, 0x1005);
        assertTrue(Prerequisite.VLAN_VID.isMet(vl, FlowKey.newKey()));
    }
}
