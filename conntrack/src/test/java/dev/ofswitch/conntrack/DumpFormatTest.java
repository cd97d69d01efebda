package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.conntrack.tcp.TcpState;
import dev.ofswitch.conntrack.tcp.TcpTracker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code dpctl/dump-conntrack} line format (SWITCH-CONTRACT.md §7, OVS {@code ct_dpif_format_entry()}): verbose
 * ({@code -m}) and not, with and without {@code -s}, zone only when non-zero, mark in decimal, labels in hex without
 * leading zeros, TCP protoinfo in both forms; and the order of {@link ConnTracker#dump}.
 */
class DumpFormatTest {
    private static final CtTuple ORIG = new CtTuple(4, 6, "10.0.0.1", "10.0.0.2", 40000, 80, 0, 0, 0);
    private static final CtTuple REPLY = new CtTuple(4, 6, "10.0.0.2", "10.0.0.1", 80, 40000, 0, 0, 0);
    private static final String TUPLES = "tcp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=40000,dport=80),"
            + "reply=(src=10.0.0.2,dst=10.0.0.1,sport=80,dport=40000)";

    private static ConnEntry.TcpInfo tcp(int orig, int reply) {
        return new ConnEntry.TcpInfo(orig, reply, 0, 0, 0, 0);
    }

    @Test
    void verboseWithStats_isWhatTheOracleReadsMinusTheId() {
        ConnEntry e = new ConnEntry(ORIG, REPLY, 3, 30, 0xab, 0, 0x1122,
                new ConnEntry.TcpInfo(TcpState.SYN_SENT, TcpState.CLOSED, 7, 0, TcpTracker.FLAG_WINDOW_SCALE, 0),
                null);
        assertEquals(TUPLES + ",id=0,zone=3,status=0,timeout=30,mark=171,labels=0x1122,protoinfo=(state_orig=SYN_SENT,"
                + "state_reply=CLOSED,wscale_orig=7,wscale_reply=0,flags_orig=WINDOW_SCALE,flags_reply=0)",
                e.format(true, true));
    }

    @Test
    void nonVerbose_hasNoIdNoStatusAndOneTcpState() {
        ConnEntry e = new ConnEntry(ORIG, REPLY, 0, 30, 0, 0, 0, tcp(TcpState.ESTABLISHED, TcpState.SYN_SENT), null);
        assertEquals(TUPLES + ",protoinfo=(state=ESTABLISHED)", e.format(false, false));
        assertEquals(TUPLES + ",timeout=30,protoinfo=(state=ESTABLISHED)", e.format(false, true));
        assertEquals(TUPLES + ",id=0,status=0,protoinfo=(state_orig=ESTABLISHED,state_reply=SYN_SENT,flags_orig=0,"
                + "flags_reply=0)", e.format(true, false));
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
        "SYN_SENT, CLOSED, SYN_SENT",
        "ESTABLISHED, SYN_SENT, ESTABLISHED",
        "SYN_RECV, CLOSED, ESTABLISHED",
        "CLOSING, ESTABLISHED, CLOSING",
        "FIN_WAIT_2, CLOSING, TIME_WAIT",
        "FIN_WAIT_2, FIN_WAIT_2, TIME_WAIT",
        "TIME_WAIT, TIME_WAIT, TIME_WAIT",
    })
    void nonVerboseTcpState_isTheLargerOneCoalesced(String orig, String reply, String shown) {
        assertEquals(shown, TcpState.coalescedName(stateOf(orig), stateOf(reply)));
    }

    private static int stateOf(String name) {
        for (int s = 0; s <= TcpState.TIME_WAIT; s++) {
            if (TcpState.name(s).equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void zoneMarkAndLabels_areLeftOutWhenZero() {
        ConnEntry e = new ConnEntry(ORIG, REPLY, 0, 5, 0, 0, 0, null, null);
        assertEquals(TUPLES + ",id=0,status=0,timeout=5", e.format(true, true));
    }

    @Test
    void mark_isUnsignedDecimal() {
        ConnEntry e = new ConnEntry(ORIG, REPLY, 0, 5, -1, 0, 0, null, null);
        assertTrue(e.format(false, false).endsWith(",mark=4294967295"), e.format(false, false));
    }

    @ParameterizedTest(name = "{0}:{1} -> {2}")
    @CsvSource({
        "0, 1, 0x1",
        "0, 0x1122, 0x1122",
        "1, 0, 0x10000000000000000",
        "0x10, 0x5, 0x100000000000000005",
        "-9223372036854775808, 0, 0x80000000000000000000000000000000",
        "0, -1, 0xffffffffffffffff",
    })
    void labels_areHexWithoutLeadingZeros(String hi, String lo, String shown) {
        ConnEntry e = new ConnEntry(ORIG, REPLY, 0, 5, 0, Long.decode(hi), Long.decode(lo), null, null);
        assertTrue(e.format(false, false).endsWith(",labels=" + shown), e.format(false, false));
    }

    @Test
    void icmpTuples_showIdTypeAndCode() {
        CtTuple o = new CtTuple(4, 1, "10.0.0.1", "10.0.0.2", 0, 0, 4660, 8, 0);
        CtTuple r = new CtTuple(4, 1, "10.0.0.2", "10.0.0.1", 0, 0, 4660, 0, 0);
        assertEquals("icmp,orig=(src=10.0.0.1,dst=10.0.0.2,id=4660,type=8,code=0),reply=(src=10.0.0.2,dst=10.0.0.1,"
                + "id=4660,type=0,code=0),status=0,timeout=60", new ConnEntry(o, r, 0, 60, 0, 0, 0, null, null)
                .format(true, true).replace("),id=0,", "),"));
        assertTrue(o.isIcmp());
        assertFalse(ORIG.isIcmp());
    }

    @Test
    void protocolNames_orNumbers() {
        assertEquals("tcp", CtTuple.protoName(6));
        assertEquals("udp", CtTuple.protoName(17));
        assertEquals("icmp", CtTuple.protoName(1));
        assertEquals("icmpv6", CtTuple.protoName(58));
        assertEquals("sctp", CtTuple.protoName(132));
        assertEquals("udplite", CtTuple.protoName(136));
        assertEquals("dccp", CtTuple.protoName(33));
        assertEquals("igmp", CtTuple.protoName(2));
        assertEquals("47", CtTuple.protoName(47));
    }

    @Test
    void helper_isAppended() {
        ConnEntry e = new ConnEntry(ORIG, REPLY, 0, 5, 0, 0, 0, null, "ftp");
        assertTrue(e.format(false, false).endsWith(",helper=ftp"), e.format(false, false));
    }

    @Test
    void tcpFlags_areJoinedByBars() {
        assertEquals("0", TcpTracker.formatFlags(0));
        assertEquals("WINDOW_SCALE|BE_LIBERAL",
                TcpTracker.formatFlags(TcpTracker.FLAG_WINDOW_SCALE | TcpTracker.FLAG_BE_LIBERAL));
    }

    @Test
    void ctState_isFormattedLikeOvsOfctl() {
        assertEquals("0", CtState.format(0));
        assertEquals("new|trk", CtState.format(CtState.NEW | CtState.TRK));
        assertEquals("est|rel|rpl|inv|trk|snat|dnat", CtState.format(0xfe));
        assertEquals(CtState.RPL, CtState.parseBit("rpl"));
        assertEquals(-1, CtState.parseBit("xyz"));
        assertEquals("dnat", CtState.bitName(7));
    }

    @Test
    void dump_isSortedByZoneThenText_andFiltersByZone() {
        try (TrackerFixture ct = new TrackerFixture()) {
            ct.ct(Frames.ipv4("10.0.0.9", "10.0.0.2").udp(1, 2).build(), 0, CtParams.COMMIT);
            ct.ct(Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build(), 7, CtParams.COMMIT);
            ct.ct(Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build(), 0, CtParams.COMMIT);
            ct.ct(Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).flags(Frames.SYN).build(), 0, CtParams.COMMIT);
            List<ConnEntry> all = ct.tracker.dump(-1, 0);
            assertEquals(List.of(0, 0, 0, 7), all.stream().map(ConnEntry::zone).toList());
            assertTrue(all.get(0).format(false, false).startsWith("tcp,"));
            assertTrue(all.get(1).format(false, false).startsWith("udp,orig=(src=10.0.0.1,"));
            assertTrue(all.get(2).format(false, false).startsWith("udp,orig=(src=10.0.0.9,"));
            assertEquals(1, ct.tracker.dump(7, 0).size());
            assertEquals(0, ct.tracker.dump(8).size());
        }
    }

    @Test
    void addresses_roundTrip() {
        long[] out = new long[2];
        for (String s : List.of("::", "::1", "fd00::1", "2001:db8::1:0:0:1", "fe80:0:0:a::b", "1::2:0:0:3:0",
                "::ffff:10.0.0.1", "::10.0.0.1", "1:2:3:4:5:6:7:8", "1:0:2:3:4:5:6:7", "1::")) {
            assertTrue(Addresses.parseIpv6(s, out), s);
            assertEquals(s, Addresses.ipv6(out[0], out[1]));
        }
        assertFalse(Addresses.parseIpv6("1:::2", out));
        assertFalse(Addresses.parseIpv6("1:2:3:4:5:6:7:8:9", out));
        assertFalse(Addresses.parseIpv6(":1::", out));
        assertFalse(Addresses.parseIpv6("12345::", out));
        assertEquals(0x0a000001L, Addresses.parseIpv4("10.0.0.1"));
        assertEquals(-1, Addresses.parseIpv4("10.0.0.256"));
        assertEquals(-1, Addresses.parseIpv4("10.0.0"));
        assertEquals("255.255.255.255", Addresses.ipv4(0xffffffffL));
    }

    @Test
    void addresses_compressTheFirstOfTwoEqualZeroRuns() {
        long[] out = new long[2];
        Addresses.parseIpv6("1:0:0:2:0:0:3:4", out);
        assertEquals("1::2:0:0:3:4", Addresses.ipv6(out[0], out[1]));
        Addresses.parseIpv6("1:2:0:3:4:5:6:7", out);
        assertEquals("1:2:0:3:4:5:6:7", Addresses.ipv6(out[0], out[1]));     // a single zero group stays
    }
}
