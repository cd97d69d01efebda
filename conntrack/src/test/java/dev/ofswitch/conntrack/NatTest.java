package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * NAT in the engine. Unless a test says otherwise, every expected frame is the one real OVS 3.1 sent for the same
 * input (ad hoc oracle runs with {@code --hex}, 2026-11-26; the inputs are scapy's and {@link Frames} builds them
 * byte for byte), and every expected dump line is OVS's.
 */
class NatTest {
    private static final String CLIENT_MAC = "50:54:00:00:00:01";
    private static final String SERVER_MAC = "50:54:00:00:00:02";

    private final TrackerFixture t = new TrackerFixture();

    @AfterEach
    void close() {
        t.tracker.close();
    }

    // ------------------------------------------------------------------------------------------- helpers

    static NatRequest snat(String addr) {
        long a = Addresses.parseIpv4(addr);
        return new NatRequest(NatRequest.F_SRC, 4, 0, a, 0, a, 0, 0);
    }

    static NatRequest snat(String addr, int port) {
        long a = Addresses.parseIpv4(addr);
        return new NatRequest(NatRequest.F_SRC, 4, 0, a, 0, a, port, port);
    }

    static NatRequest dnat(String addr, int port) {
        long a = Addresses.parseIpv4(addr);
        return new NatRequest(NatRequest.F_DST, 4, 0, a, 0, a, port, port);
    }

    static NatRequest snat6(String addr) {
        long[] a = new long[2];
        assertTrue(Addresses.parseIpv6(addr, a));
        return new NatRequest(NatRequest.F_SRC, 6, a[0], a[1], a[0], a[1], 0, 0);
    }

    static CtParams commitNat(NatRequest r) {
        return CtParams.builder().commit(true).nat(r).build();
    }

    static final CtParams LOOKUP_NAT = CtParams.builder().nat(NatRequest.BARE).build();

    /** Runs {@code frame} (copied) through ct in zone 1; returns the frame as it leaves. */
    private byte[] run(byte[] frame, CtParams p) {
        byte[] f = frame.clone();
        t.md = new CtMetadata();
        t.tracker.execute(f, 0, f.length, 1, p, t.md, t.clock.nanoTime());
        return f;
    }

    private String state() {
        return CtState.format(t.md.state());
    }

    private static Frames.Builder out4(String src, String dst) {
        return Frames.ipv4(src, dst).macs(CLIENT_MAC, SERVER_MAC);
    }

    private static Frames.Builder in4(String src, String dst) {
        return Frames.ipv4(src, dst).macs(SERVER_MAC, CLIENT_MAC);
    }

    private static byte[] syn(String src, int sport, String dst, int dport) {
        return out4(src, dst).tcp(sport, dport).flags(Frames.SYN).seq(1000).window(65535).build();
    }

    private static void assertFrame(String expectedHex, byte[] actual) {
        assertEquals(expectedHex, Frames.hex(actual));
    }

    // ------------------------------------------------------------------------------------------- SNAT

    @Test
    void snat_keepsTheSourcePortAndSearchesUpwardInItsClassWhenTaken() {
        NatRequest r = snat("192.168.100.1");
        assertFrame("5054000000025054000000010800450000280001000040064224c0a864011400000213880050000003e8"
                + "000000005002ffff5f770000", run(syn("10.0.0.1", 5000, "20.0.0.2", 80), commitNat(r)));
        assertEquals("new|trk|snat", state());
        assertFrame("5054000000025054000000010800450000280001000040064224c0a864011400000213890050000003e8"
                + "000000005002ffff5f760000", run(syn("10.0.0.2", 5000, "20.0.0.2", 80), commitNat(r)));
        assertFrame("5054000000025054000000010800450000280001000040064224c0a8640114000002138a0050000003e8"
                + "000000005002ffff5f750000", run(syn("10.0.0.3", 5000, "20.0.0.2", 80), commitNat(r)));
        // 511 is the top of 1-511: the search wraps to 1.
        run(syn("10.0.0.4", 511, "20.0.0.2", 80), commitNat(r));
        assertFrame("5054000000025054000000010800450000280001000040064224c0a864011400000200010050000003e8"
                + "000000005002ffff72fe0000", run(syn("10.0.0.5", 511, "20.0.0.2", 80), commitNat(r)));
        // 65535 is the top of 1024-65535: the search wraps to 1024.
        run(syn("10.0.0.6", 65535, "20.0.0.2", 80), commitNat(r));
        assertFrame("5054000000025054000000010800450000280001000040064224c0a864011400000204000050000003e8"
                + "000000005002ffff6eff0000", run(syn("10.0.0.7", 65535, "20.0.0.2", 80), commitNat(r)));
    }

    @Test
    void snat_replyIsTranslatedBackAndMarkedDnat() {
        NatRequest r = snat("192.168.100.1");
        run(syn("10.0.0.1", 5000, "20.0.0.2", 80), commitNat(r));
        run(syn("10.0.0.2", 5000, "20.0.0.2", 80), commitNat(r));
        byte[] synAck = in4("20.0.0.2", "192.168.100.1").tcp(80, 5001).flags(Frames.SYN | Frames.ACK).seq(5000)
                .ack(1001).window(65535).build();
        assertFrame("5054000000015054000000020800450000280001000040065ccc140000020a0000020050138800001388"
                + "000003e95012ffff66860000", run(synAck, LOOKUP_NAT));
        assertEquals("est|rpl|trk|dnat", state());
        assertEquals("10.0.0.2", Addresses.ipv4(t.md.tupleSrc1));
        assertEquals(List.of(
                "tcp,orig=(src=10.0.0.1,dst=20.0.0.2,sport=5000,dport=80),reply=(src=20.0.0.2,dst=192.168.100.1,"
                        + "sport=80,dport=5000),zone=1,status=0,timeout=30,protoinfo=(state_orig=SYN_SENT,"
                        + "state_reply=CLOSED,flags_orig=0,flags_reply=0)",
                "tcp,orig=(src=10.0.0.2,dst=20.0.0.2,sport=5000,dport=80),reply=(src=20.0.0.2,dst=192.168.100.1,"
                        + "sport=80,dport=5001),zone=1,status=0,timeout=30,protoinfo=(state_orig=ESTABLISHED,"
                        + "state_reply=SYN_SENT,flags_orig=0,flags_reply=0)"), t.dump());
    }

    @Test
    void untranslatedReplyToTheRealAddressIsNotTheConnection() {
        run(syn("10.0.0.1", 5000, "20.0.0.2", 80), commitNat(snat("192.168.100.1")));
        byte[] direct = in4("20.0.0.2", "10.0.0.1").tcp(80, 5000).flags(Frames.SYN | Frames.ACK).seq(5000)
                .ack(1001).window(65535).build();
        run(direct, LOOKUP_NAT);
        assertEquals("inv|trk", state());   // a SYN-ACK without a connection
    }

    @Test
    void udp_singlePortRangeExhausts_nothingIsCreatedAndThePacketLeavesUntranslated() {
        NatRequest r = snat("192.168.100.1", 1000);
        byte[] a = out4("10.0.0.1", "20.0.0.2").udp(7000, 53).payload("a").build();
        byte[] b = out4("10.0.0.2", "20.0.0.2").udp(7000, 53).payload("b").build();
        assertFrame("50540000000250540000000108004500001d0001000040114224c0a864011400000203e800350009621361",
                run(a, commitNat(r)));
        byte[] out = run(b, commitNat(r));
        assertArrayEquals(b, out);
        assertEquals("new|trk", state());
        assertEquals(1, t.tracker.connectionCount());
        assertEquals(1, t.tracker.stats().natExhausted());
    }

    @Test
    void exhaustedPortIsFreeAgainOnceItsConnectionExpires() {
        NatRequest r = snat("192.168.100.1", 1000);
        run(out4("10.0.0.1", "20.0.0.2").udp(7000, 53).payload("a").build(), commitNat(r));
        t.clock.warp(60_000);   // expired, not yet swept: OVS's lookups already skip it
        byte[] out = run(out4("10.0.0.2", "20.0.0.2").udp(7000, 53).payload("b").build(), commitNat(r));
        assertEquals(1000, ((out[34] & 0xff) << 8) | (out[35] & 0xff));
        assertEquals(1, t.tracker.connectionCount());
        assertEquals(1, t.dump().size());
        assertTrue(t.dump().get(0).startsWith("udp,orig=(src=10.0.0.2,"));
    }

    @Test
    void udpZeroChecksumStaysZero() {
        byte[] f = out4("10.0.0.9", "20.0.0.3").udp(7000, 53).payload("a").l4Checksum(0).build();
        assertFrame("50540000000250540000000108004500001d0001000040114223c0a864011400000303e800350009000061",
                run(f, commitNat(snat("192.168.100.1", 1000))));
    }

    @Test
    void bareNatAtCommit_storesOvsReplyTupleAndLeavesThePacket() {
        byte[] f = syn("10.0.3.1", 5000, "20.0.0.2", 80);
        assertArrayEquals(f, run(f, commitNat(NatRequest.BARE)));
        assertEquals("new|trk", state());
        assertEquals(List.of("tcp,orig=(src=10.0.3.1,dst=20.0.0.2,sport=5000,dport=80),reply=(src=0.0.0.0,"
                + "dst=10.0.3.1,sport=80,dport=0),zone=1,status=0,timeout=30,protoinfo=(state_orig=SYN_SENT,"
                + "state_reply=CLOSED,flags_orig=0,flags_reply=0)"), t.dump());
    }

    @Test
    void snatWithoutAddress_keepsTheAddressAndPort() {
        byte[] f = syn("10.0.4.1", 6000, "20.0.0.2", 80);
        NatRequest noAddr = new NatRequest(NatRequest.F_SRC, 0, 0, 0, 0, 0, 0, 0);
        assertArrayEquals(f, run(f, commitNat(noAddr)));
        assertEquals("new|trk|snat", state());
        assertTrue(t.dump().get(0).contains("reply=(src=20.0.0.2,dst=10.0.4.1,sport=80,dport=6000)"));
    }

    // ------------------------------------------------------------------------------------------- ICMP echo PAT

    /**
     * Deliberate difference from OVS 3.1, which forwards the second and third request untranslated: identifiers are
     * translated like source ports. The expected frames are ours (checksums verified below), not OVS's.
     */
    @Test
    void icmpEcho_threeHostsWithOneIdGetDistinctIds_andRepliesComeBack() {
        NatRequest r = snat("192.168.100.1");
        byte[][] out = new byte[3][];
        for (int i = 0; i < 3; i++) {
            out[i] = run(out4("10.0.0." + (i + 1), "20.0.0.2").icmpEcho(8, 77, 1).build(), commitNat(r));
            assertEquals("new|trk|snat", state());
        }
        // The first is OVS's frame exactly.
        assertFrame("50540000000250540000000108004500001c0001000040014235c0a86401140000020800f7b1004d0001", out[0]);
        assertFrame("50540000000250540000000108004500001c0001000040014235c0a86401140000020800f7b0004e0001", out[1]);
        assertFrame("50540000000250540000000108004500001c0001000040014235c0a86401140000020800f7af004f0001", out[2]);
        for (byte[] f : out) {
            assertEquals(0, Frames.checksum(f, 34, 8));
        }
        byte[] reply = run(in4("20.0.0.2", "192.168.100.1").icmpEcho(0, 78, 1).build(), LOOKUP_NAT);
        assertEquals("est|rpl|trk|dnat", state());
        byte[] expected = in4("20.0.0.2", "10.0.0.2").icmpEcho(0, 77, 1).build();
        assertArrayEquals(expected, reply);
    }

    // ------------------------------------------------------------------------------------------- DNAT

    @Test
    void dnatWithPort_markAndLabelInTheSameCommit() {
        CtParams p = CtParams.builder().commit(true).nat(dnat("20.0.0.2", 8080)).mark(0x2a, -1)
                .label(0, 0x1234, 0, 0xffff).build();
        assertFrame("5054000000025054000000010800450000280001000040065ccd0a0000011400000213891f90000003e8"
                + "000000005002ffff5adf0000", run(syn("10.0.0.1", 5001, "20.0.0.64", 80), p));
        assertEquals("new|trk|dnat", state());
        assertEquals(0x2a, t.md.mark());
        byte[] synAck = in4("20.0.0.2", "10.0.0.1").tcp(8080, 5001).flags(Frames.SYN | Frames.ACK).seq(5000)
                .ack(1001).window(65535).build();
        assertFrame("5054000000015054000000020800450000280001000040065c8f140000400a0000010050138900001388"
                + "000003e95012ffff66480000", run(synAck, LOOKUP_NAT));
        assertEquals("est|rpl|trk|snat", state());
        assertEquals(0x2a, t.md.mark());
        assertEquals(0x1234, t.md.labelLo());
        assertEquals(List.of("tcp,orig=(src=10.0.0.1,dst=20.0.0.64,sport=5001,dport=80),reply=(src=20.0.0.2,"
                + "dst=10.0.0.1,sport=8080,dport=5001),zone=1,status=0,timeout=30,mark=42,labels=0x1234,"
                + "protoinfo=(state_orig=ESTABLISHED,state_reply=SYN_SENT,flags_orig=0,flags_reply=0)"), t.dump());
    }

    // ------------------------------------------------------------------------------------------- ICMP errors

    @Test
    void icmpErrorsOfSnatTcpAndUdp_innerHeaderRestoredWithEveryChecksum() {
        run(syn("10.0.0.1", 5000, "20.0.0.2", 80), commitNat(snat("192.168.100.1")));
        byte[] quoted = Frames.ipv4("192.168.100.1", "20.0.0.2").ttl(63).tcp(5000, 80).flags(Frames.SYN)
                .seq(1000).window(65535).buildIp();
        byte[] unreach = in4("20.0.0.2", "192.168.100.1").icmp(3, 3).payload(quoted).build();
        assertFrame("5054000000015054000000020800450000440001000040015cb6140000020a00000103031b1a00000000"
                + "45000028000100003f065dcd0a0000011400000213880050000003e8000000005002ffff7a200000",
                run(unreach, LOOKUP_NAT));
        assertEquals("rel|rpl|trk|dnat", state());

        // Only 8 bytes of TCP quoted: the TCP checksum is not there to fix.
        byte[] shortQuote = Arrays.copyOf(Frames.ipv4("192.168.100.1", "20.0.0.2").ttl(1).tcp(5000, 80)
                .flags(Frames.SYN).seq(1000).window(65535).buildIp(), 28);
        byte[] exceeded = in4("20.0.0.9", "192.168.100.1").icmp(11, 0).payload(shortQuote).build();
        assertFrame("5054000000015054000000020800450000380001000040015cbb140000090a0000010b00dd3f00000000"
                + "450000280001000001069bcd0a0000011400000213880050000003e8", run(exceeded, LOOKUP_NAT));

        run(out4("10.0.0.1", "20.0.0.2").udp(7000, 53).payload("hello").build(), commitNat(snat("192.168.100.1")));
        byte[] udpQuoted = Frames.ipv4("192.168.100.1", "20.0.0.2").ttl(63).udp(7000, 53).payload("hello")
                .buildIp();
        assertFrame("50540000000150540000000208004500003d0001000040015cbd140000020a00000103031b1e00000000"
                + "45000021000100003f115dc90a000001140000021b580035000d827268656c6c6f",
                run(in4("20.0.0.2", "192.168.100.1").icmp(3, 3).payload(udpQuoted).build(), LOOKUP_NAT));
    }

    @Test
    void icmpErrorOfDnatConnection_restoresTheVipAndPort() {
        run(syn("10.0.0.1", 5001, "20.0.0.64", 80), commitNat(dnat("20.0.0.2", 8080)));
        byte[] quoted = Frames.ipv4("10.0.0.1", "20.0.0.2").ttl(63).tcp(5001, 8080).flags(Frames.SYN).seq(1000)
                .window(65535).buildIp();
        assertFrame("5054000000015054000000020800450000440001000040015c78140000400a00000103011b5a00000000"
                + "45000028000100003f065d8f0a0000011400004013890050000003e8000000005002ffff79e10000",
                run(in4("20.0.0.2", "10.0.0.1").icmp(3, 1).payload(quoted).build(), LOOKUP_NAT));
        assertEquals("rel|rpl|trk|snat", state());
    }

    // ------------------------------------------------------------------------------------------- IPv6

    @Test
    void ipv6Snat_tcpAndIcmpv6ErrorAndEcho() {
        NatRequest r = snat6("fd00::100");
        byte[] syn6 = Frames.ipv6("fd00::1", "fd00:2::2").macs(CLIENT_MAC, SERVER_MAC).tcp(5000, 80)
                .flags(Frames.SYN).seq(1000).window(65535).build();
        assertFrame("50540000000250540000000186dd6000000000140640fd000000000000000000000000000100fd000002"
                + "00000000000000000000000213880050000003e8000000005002ffff9d1d0000", run(syn6, commitNat(r)));
        byte[] quoted = Frames.ipv6("fd00::100", "fd00:2::2").tcp(5000, 80).flags(Frames.SYN).seq(1000)
                .window(65535).buildIp();
        byte[] err = Frames.ipv6("fd00:2::2", "fd00::100").macs(SERVER_MAC, CLIENT_MAC).icmpv6(1, 4)
                .payload(quoted).build();
        assertFrame("50540000000150540000000286dd6000000000443a40fd000002000000000000000000000002fd0000000000"
                + "0000000000000000000101049d3d000000006000000000140640fd000000000000000000000000000001fd0000"
                + "0200000000000000000000000213880050000003e8000000005002ffff9f1b0000", run(err, LOOKUP_NAT));
        assertEquals("rel|rpl|trk|dnat", state());

        byte[] echo = Frames.ipv6("fd00::1", "fd00:2::2").macs(CLIENT_MAC, SERVER_MAC).icmpv6Echo(128, 5, 1)
                .build();
        assertFrame("50540000000250540000000186dd6000000000083a40fd000000000000000000000000000100fd000002"
                + "000000000000000000000002800084b100050001", run(echo, commitNat(r)));
        byte[] echoReply = Frames.ipv6("fd00:2::2", "fd00::100").macs(SERVER_MAC, CLIENT_MAC)
                .icmpv6Echo(129, 5, 1).build();
        assertFrame("50540000000150540000000286dd6000000000083a40fd000002000000000000000000000002fd000000"
                + "000000000000000000000001810084b000050001", run(echoReply, LOOKUP_NAT));
    }

    /** OVS fixes the IPv6 L4 checksum by the connection's protocol: a UDP connection's Packet Too Big MTU moves. */
    @Test
    void ipv6PacketTooBigOfUdp_keepsOvsQuirkOnTheMtuField() {
        run(Frames.ipv6("fd00::1", "fd00:2::2").macs(CLIENT_MAC, SERVER_MAC).udp(7000, 53).payload("hello").build(),
                commitNat(snat6("fd00::100")));
        byte[] quoted = Frames.ipv6("fd00::100", "fd00:2::2").udp(7000, 53).payload("hello").buildIp();
        byte[] ptb = Frames.ipv6("fd00:2::7", "fd00::100").macs(SERVER_MAC, CLIENT_MAC).icmpv6(2, 0)
                .icmpRestOfHeader(1280).payload(quoted).build();
        assertFrame("50540000000150540000000286dd60000000003d3a40fd000002000000000000000000000007fd0000000000"
                + "0000000000000000000102008c4e000005ff60000000000d1140fd000000000000000000000000000001fd0000"
                + "020000000000000000000000021b580035000da66e68656c6c6f", run(ptb, LOOKUP_NAT));
    }

    // ------------------------------------------------------------------------------------------- lifecycle

    @Test
    void flushByEitherTuple_freesTheReplyTupleForANewConnection() {
        NatRequest r = snat("192.168.100.1", 1000);
        run(out4("10.0.0.1", "20.0.0.2").udp(7000, 53).payload("a").build(), commitNat(r));
        TuplePattern reply = TuplePattern.parse("ct_nw_src=20.0.0.2,ct_nw_dst=192.168.100.1,ct_nw_proto=17,"
                + "ct_tp_src=53,ct_tp_dst=1000");
        assertEquals(1, t.tracker.flush(ConnFilter.all().withZone(1).withReply(reply)));
        assertEquals(0, t.tracker.connectionCount());
        byte[] out = run(out4("10.0.0.2", "20.0.0.2").udp(7000, 53).payload("b").build(), commitNat(r));
        assertEquals(1000, ((out[34] & 0xff) << 8) | (out[35] & 0xff));
        TuplePattern orig = TuplePattern.parse("ct_nw_src=10.0.0.2,ct_nw_dst=20.0.0.2,ct_nw_proto=17,"
                + "ct_tp_src=7000,ct_tp_dst=53");
        assertEquals(1, t.tracker.flush(ConnFilter.all().withZone(1).withOrig(orig)));
        assertEquals(0, t.tracker.connectionCount());
    }

    @Test
    void sweptNatConnection_leavesNoAliasBehind() {
        NatRequest r = snat("192.168.100.1", 1000);
        run(out4("10.0.0.1", "20.0.0.2").udp(7000, 53).payload("a").build(), commitNat(r));
        assertEquals(1, t.warp(61_000));
        // The old reply tuple no longer finds anything: a datagram to it is new, not +rpl.
        run(in4("20.0.0.2", "192.168.100.1").udp(53, 1000).payload("x").build(), LOOKUP_NAT);
        assertEquals("new|trk", state());
    }

    @Test
    void secondNatOnACommittedConnectionIsIgnored() {
        byte[] f = syn("10.0.0.1", 5000, "20.0.0.2", 80);
        run(f, CtParams.COMMIT);
        assertArrayEquals(f, run(f, commitNat(snat("192.168.100.1"))));
        assertEquals("new|trk", state());
    }

    @Test
    void laterCtWithoutNatInTheSameZone_findsTheConnectionByItsOriginalTuple() {
        NatRequest r = snat("192.168.100.1");
        byte[] f = run(syn("10.0.0.1", 5000, "20.0.0.2", 80), commitNat(r));
        // The translated SYN looked up again without nat (OVS check_orig_tuple()).
        CtMetadata md = t.md;
        md.conn = null;     // as if the cached connection were gone: only the original tuple can find it
        t.tracker.execute(f, 0, f.length, 1, CtParams.LOOKUP, md, t.clock.nanoTime());
        assertEquals("new|trk|snat", CtState.format(md.state()));
        assertEquals("10.0.0.1", Addresses.ipv4(md.tupleSrc1));
        assertTrue(md.conn != null);
    }

    @Test
    void cachedConnectionThenNat_translatesThroughTheFastPath() {
        NatRequest r = snat("192.168.100.1");
        run(syn("10.0.0.1", 5000, "20.0.0.2", 80), commitNat(r));
        byte[] ack = out4("10.0.0.1", "20.0.0.2").tcp(5000, 80).flags(Frames.ACK).seq(1001).ack(5001)
                .window(65535).build();
        byte[] f = ack.clone();
        CtMetadata md = new CtMetadata();
        t.tracker.execute(f, 0, f.length, 1, CtParams.LOOKUP, md, t.clock.nanoTime());
        assertArrayEquals(ack, f);
        assertTrue(md.conn != null);
        t.tracker.execute(f, 0, f.length, 1, LOOKUP_NAT, md, t.clock.nanoTime());
        assertEquals("192.168.100.1", Addresses.ipv4(((f[26] & 0xffL) << 24) | ((f[27] & 0xff) << 16)
                | ((f[28] & 0xff) << 8) | (f[29] & 0xff)));
        assertTrue(CtState.format(md.state()).contains("snat"));
        assertTrue(md.conn != null, "OVS 3.1 keeps the connection cached after a nat");
        assertEquals(0, Frames.checksum(f, 14, 20));
    }
}
