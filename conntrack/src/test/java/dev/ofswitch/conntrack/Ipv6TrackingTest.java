package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * IPv6: TCP, UDP and ICMPv6 echo tracking, extension headers, fragments, neighbour discovery, ICMPv6 errors and the
 * address format of the dump, as real OVS 3.1 showed them (ad hoc oracle case {@code ipv6}).
 */
class Ipv6TrackingTest {
    private static final String A = "fd00::1";
    private static final String B = "fd00::2";

    private final TrackerFixture ct = new TrackerFixture();

    @AfterEach
    void close() {
        ct.close();
    }

    private static Frames.Builder a() {
        return Frames.ipv6(A, B);
    }

    private static Frames.Builder b() {
        return Frames.ipv6(B, A);
    }

    @Test
    void tcp_throughExtensionHeaders_isTracked() {
        assertEquals("new|trk", ct.commit(a().hopByHop().destinationOptions().tcp(40000, 80).flags(Frames.SYN)
                .seq(1000).build()));
        assertEquals("est|rpl|trk", ct.lookup(b().tcp(80, 40000).flags(Frames.SYN | Frames.ACK).seq(5000).ack(1001)
                .build()));
        assertEquals("est|trk", ct.lookup(a().routingHeader().tcp(40000, 80).flags(Frames.ACK).seq(1001).ack(5001)
                .build()));
        assertEquals(List.of("tcp,orig=(src=fd00::1,dst=fd00::2,sport=40000,dport=80),reply=(src=fd00::2,dst=fd00::1,"
                + "sport=80,dport=40000),status=0,timeout=86400,protoinfo=(state_orig=ESTABLISHED,"
                + "state_reply=ESTABLISHED,flags_orig=0,flags_reply=0)"), ct.dump());
    }

    /** Follows {@code parse_ipv6_ext_hdrs__()}, which skips AH like the other extension headers. */
    @Test
    void udp_throughAuthenticationHeader_isTracked() {
        assertEquals("new|trk", ct.commit(a().authenticationHeader().udp(5000, 53).payload("q").build()));
        assertEquals("est|rpl|trk", ct.lookup(b().udp(53, 5000).payload("r").build()));
    }

    @Test
    void udp_isTrackedAndRepliesAreEstablished() {
        assertEquals("new|trk", ct.commit(a().udp(5000, 53).payload("q").build()));
        assertEquals("est|rpl|trk", ct.lookup(b().udp(53, 5000).payload("r").build()));
        assertEquals(30, ct.timeout());
        assertTrue(ct.md.tupleIsIpv6());
        assertEquals(0xfd00_0000_0000_0000L, ct.md.tupleIpv6SrcHi());
        assertEquals(1, ct.md.tupleIpv6SrcLo());
        assertEquals(2, ct.md.tupleIpv6DstLo());
    }

    @Test
    void udp_zeroChecksum_isInvalidOverIpv6() {
        assertEquals("inv|trk", ct.commit(a().udp(5001, 53).l4Checksum(0).payload("z").build()));
        assertEquals(0, ct.count());
    }

    @Test
    void udp_badChecksum_isInvalid() {
        assertEquals("inv|trk", ct.commit(a().udp(5002, 53).corruptL4Checksum().payload("z").build()));
    }

    @Test
    void icmpv6Echo_isTrackedByIdentifier() {
        assertEquals("new|trk", ct.commit(a().icmpv6Echo(128, 5, 1).build()));
        assertEquals("est|rpl|trk", ct.lookup(b().icmpv6Echo(129, 5, 1).build()));
        assertEquals("inv|trk", ct.lookup(b().icmpv6Echo(129, 9, 1).build()));
        assertEquals(List.of("icmpv6,orig=(src=fd00::1,dst=fd00::2,id=5,type=128,code=0),reply=(src=fd00::2,"
                + "dst=fd00::1,id=5,type=129,code=0),status=0,timeout=30"), ct.dump());
    }

    @Test
    void icmpv6BadChecksum_isInvalid() {
        assertEquals("inv|trk", ct.commit(a().icmpv6Echo(128, 6, 1).corruptL4Checksum().build()));
    }

    @Test
    void neighbourAndRouterSolicitations_areInvalid() {
        byte[] target = Frames.fromHex("fd000000000000000000000000000002");
        assertEquals("inv|trk", ct.commit(a().ttl(255).icmpv6(135, 0).payload(target).build()));
        assertEquals("inv|trk", ct.commit(a().ttl(255).icmpv6(133, 0).build()));
        assertEquals(0, ct.count());
    }

    @Test
    void fragment_isInvalid() {
        assertEquals("inv|trk", ct.commit(a().fragmentHeader(0, true, 1).udp(5003, 53).payload("f").build()));
        assertEquals("inv|trk", ct.commit(a().fragmentHeader(8, false, 1).udp(5003, 53).payload("f").build()));
        assertEquals(0, ct.count());
    }

    @Test
    void atomicFragment_isTracked() {
        assertEquals("new|trk", ct.commit(a().fragmentHeader(0, false, 2).udp(5004, 53).payload("f").build()));
        assertEquals("est|rpl|trk", ct.lookup(b().udp(53, 5004).payload("r").build()));
    }

    @Test
    void icmpv6Errors_areRelatedOrInvalid() {
        ct.commit(a().udp(5000, 53).payload("q").build());
        byte[] quoted = a().udp(5000, 53).buildIp();
        assertEquals("rel|rpl|trk", ct.lookup(b().icmpv6(1, 0).payload(quoted).build()));
        assertEquals("rel|rpl|trk", ct.lookup(b().icmpv6(2, 0).icmpRestOfHeader(1280).payload(quoted).build()));
        assertEquals("inv|trk", ct.lookup(b().icmpv6(1, 0).payload(a().udp(5999, 53).buildIp()).build()));
        assertEquals(1, ct.count());
    }

    @Test
    void icmpv4InsideIpv6_isTrackedWithoutL4Key() {
        assertEquals("new|trk", ct.commit(a().icmpEcho(8, 4, 0).build()));
        assertEquals(List.of("icmp,orig=(src=fd00::1,dst=fd00::2,id=0,type=0,code=0),reply=(src=fd00::2,dst=fd00::1,"
                + "id=0,type=0,code=0),status=0,timeout=60"), ct.dump());
    }

    @Test
    void dump_printsAddressesLikeInetNtop() {
        ct.commit(Frames.ipv6("2001:db8::1:0:0:1", "2001:db8:0:1::").udp(7000, 7001).build());
        ct.commit(Frames.ipv6("::ffff:10.0.0.1", "::1").udp(7002, 7003).build());
        ct.commit(Frames.ipv6("fe80::a:0:0:0:b", "1:0:0:2::3:0").udp(7004, 7005).build());
        ct.commit(Frames.ipv6("::", "::10.0.0.1").udp(7006, 7007).build());
        String dump = String.join("\n", ct.dump());
        assertTrue(dump.contains("orig=(src=2001:db8::1:0:0:1,dst=2001:db8:0:1::,"), dump);
        assertTrue(dump.contains("orig=(src=::ffff:10.0.0.1,dst=::1,"), dump);
        assertTrue(dump.contains("orig=(src=fe80:0:0:a::b,dst=1::2:0:0:3:0,"), dump);
        assertTrue(dump.contains("orig=(src=::,dst=::10.0.0.1,"), dump);
    }
}
