package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * UDP and every other non-TCP, non-ICMP protocol ({@code other_conn_update()}), ICMP echo ({@code icmp_conn_update()})
 * and ICMP errors ({@code +rel}), over IPv4. A is 10.0.0.1, B 10.0.0.2. The verdicts and timeouts are those real OVS
 * 3.1 showed (oracle README, {@code udp-icmp} example, ad hoc cases {@code udp-icmp-other} and
 * {@code timers-and-reuse}).
 */
class UdpIcmpOtherTrackingTest {
    private static final String A = "10.0.0.1";
    private static final String B = "10.0.0.2";

    private final TrackerFixture ct = new TrackerFixture();

    @AfterEach
    void close() {
        ct.close();
    }

    private static byte[] udp(String src, String dst, int sport, int dport) {
        return Frames.ipv4(src, dst).udp(sport, dport).payload("data").build();
    }

    private static byte[] query() {
        return udp(A, B, 5000, 53);
    }

    private static byte[] answer() {
        return udp(B, A, 53, 5000);
    }

    // ---------------------------------------------------------------------------------------------- UDP

    @Test
    void udp_firstPacket_isNewWithUdpFirstTimeout() {
        assertEquals("new|trk", ct.commit(query()));
        assertEquals(List.of("udp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=5000,dport=53),reply=(src=10.0.0.2,"
                + "dst=10.0.0.1,sport=53,dport=5000),status=0,timeout=60"), ct.dump());
    }

    @Test
    void udp_anotherOrigPacketBeforeAnyReply_isStillNew() {
        ct.commit(query());
        ct.warp(10_000);
        assertEquals(50, ct.timeout());
        assertEquals("new|trk", ct.lookup(query()));
        assertEquals(60, ct.timeout());     // udp_single, re-armed
        assertEquals(1, ct.count());
    }

    @Test
    void udp_reply_isEstablishedAndUsesUdpMultiple() {
        ct.commit(query());
        ct.warp(10_000);
        assertEquals("est|rpl|trk", ct.lookup(answer()));
        assertEquals(30, ct.timeout());
        ct.warp(10_000);
        assertEquals("est|trk", ct.lookup(query()));
        assertEquals(30, ct.timeout());
    }

    @Test
    void udp_replyWithoutConnection_isNew() {
        assertEquals("new|trk", ct.lookup(answer()));
        assertEquals(0, ct.count());
    }

    @Test
    void udp_withoutCommit_leavesNothing() {
        assertEquals("new|trk", ct.lookup(query()));
        assertEquals(List.of(), ct.dump());
        assertFalse(ct.md.hasConnection());
    }

    @Test
    void udp_zeroChecksumOverIpv4_isAccepted() {
        assertEquals("new|trk", ct.commit(Frames.ipv4(A, B).udp(5001, 53).l4Checksum(0).payload("zz").build()));
        assertEquals(1, ct.count());
    }

    @Test
    void udp_lengthShorterThanIpPayload_isCheckedOverThePayload() {
        // udp_len 10 inside 17 bytes of IP payload; the checksum covers all 17, as OVS's check_l4_udp() verifies it.
        assertEquals("new|trk", ct.commit(Frames.ipv4(A, B).udp(5005, 53).udpLength(10).payload("abtrailer").build()));
    }

    @Test
    void udp_originalTupleIsWrittenToMetadata() {
        ct.commit(query());
        ct.lookup(answer());
        assertTrue(ct.md.hasTuple());
        assertEquals(0x0a000001, ct.md.tupleIpv4Src());
        assertEquals(0x0a000002, ct.md.tupleIpv4Dst());
        assertEquals(17, ct.md.tupleProto());
        assertEquals(5000, ct.md.tupleTpSrc());
        assertEquals(53, ct.md.tupleTpDst());
    }

    // ---------------------------------------------------------------------------------------------- other IP protocols

    @Test
    void gre_isTrackedWithoutPortsLikeUdp() {
        byte[] out = Frames.ipv4(A, B).raw(Frames.PROTO_GRE).payload(Frames.fromHex("00000800")).build();
        byte[] back = Frames.ipv4(B, A).raw(Frames.PROTO_GRE).payload(Frames.fromHex("00000800")).build();
        assertEquals("new|trk", ct.commit(out));
        assertEquals("new|trk", ct.lookup(out));
        assertEquals("est|rpl|trk", ct.lookup(back));
        assertEquals(List.of("47,orig=(src=10.0.0.1,dst=10.0.0.2,sport=0,dport=0),reply=(src=10.0.0.2,dst=10.0.0.1,"
                + "sport=0,dport=0),status=0,timeout=30"), ct.dump());
    }

    @Test
    void sctp_hasNoPortsAndNoChecksumCheck() {
        // Two SCTP associations with different ports and a made-up CRC: one connection, as in OVS 3.1.
        byte[] first = Frames.ipv4(A, B).raw(Frames.PROTO_SCTP).payload(Frames.fromHex("0bb80fa00000000112345678"))
                .build();
        byte[] second = Frames.ipv4(A, B).raw(Frames.PROTO_SCTP).payload(Frames.fromHex("0bb90fa000000001deadbeef"))
                .build();
        assertEquals("new|trk", ct.commit(first));
        assertEquals("new|trk", ct.commit(second));
        assertEquals(List.of("sctp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=0,dport=0),reply=(src=10.0.0.2,dst=10.0.0.1,"
                + "sport=0,dport=0),status=0,timeout=60"), ct.dump());
    }

    // ---------------------------------------------------------------------------------------------- ICMP echo

    private static byte[] ping(int id, int seq) {
        return Frames.ipv4(A, B).icmpEcho(8, id, seq).build();
    }

    private static byte[] pong(int id, int seq) {
        return Frames.ipv4(B, A).icmpEcho(0, id, seq).build();
    }

    @Test
    void icmpEcho_isKeyedByIdentifier() {
        assertEquals("new|trk", ct.commit(ping(77, 1)));
        assertEquals("new|trk", ct.commit(ping(78, 1)));
        assertEquals(2, ct.count());
        assertEquals("est|rpl|trk", ct.lookup(pong(77, 1)));
        assertEquals("inv|trk", ct.lookup(pong(79, 1)));
        assertEquals("icmp,orig=(src=10.0.0.1,dst=10.0.0.2,id=77,type=8,code=0),reply=(src=10.0.0.2,dst=10.0.0.1,"
                + "id=77,type=0,code=0),status=0,timeout=30", ct.dump().get(0));
    }

    @Test
    void icmpEcho_secondRequestBeforeReply_isNewAndRearmsIcmpFirst() {
        ct.commit(ping(5, 1));
        ct.warp(10_000);
        assertEquals("new|trk", ct.lookup(ping(5, 2)));
        assertEquals(60, ct.timeout());
        assertEquals("est|rpl|trk", ct.lookup(pong(5, 2)));
        ct.warp(10_000);
        assertEquals("est|trk", ct.lookup(ping(5, 3)));
        assertEquals(30, ct.timeout());
    }

    @Test
    void icmpEchoReply_withoutRequest_isInvalid() {
        assertEquals("inv|trk", ct.commit(pong(7, 1)));
        assertEquals(0, ct.count());
    }

    @Test
    void icmpTimestampRequest_startsAConnection() {
        assertEquals("new|trk", ct.commit(Frames.ipv4(A, B).icmpEcho(13, 80, 0).payload(new byte[12]).build()));
        assertTrue(ct.dump().get(0).contains("id=80,type=13,code=0),reply=(src=10.0.0.2,dst=10.0.0.1,id=80,type=14"));
    }

    /** Type 42 seen with OVS; router advertisement/solicitation and address mask follow {@code extract_l4_icmp()}. */
    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {42, 9, 10, 17})
    void icmpOtherTypes_areInvalid(int type) {
        assertEquals("inv|trk", ct.commit(Frames.ipv4(A, B).icmp(type, 0).build()));
    }

    @Test
    void icmpEchoWithNonZeroCode_isInvalid() {
        assertEquals("inv|trk", ct.commit(Frames.ipv4(A, B).icmp(8, 1).icmpRestOfHeader(79 << 16).build()));
    }

    // ---------------------------------------------------------------------------------------------- ICMP errors

    /** ICMP error of {@code type}/{@code code} from {@code src} to {@code dst} quoting {@code quoted}. */
    private static byte[] error(String src, String dst, int type, int code, byte[] quoted) {
        return Frames.ipv4(src, dst).icmp(type, code).payload(quoted).build();
    }

    private static byte[] quotedQuery() {
        return Frames.ipv4(A, B).udp(5000, 53).buildIp();
    }

    @Test
    void icmpError_inReplyDirection_isRelatedReply() {
        ct.commit(query());
        assertEquals("rel|rpl|trk", ct.lookup(error(B, A, 3, 3, quotedQuery())));
    }

    @Test
    void icmpError_fromARouterOnTheWay_isRelatedReply() {
        ct.commit(query());
        assertEquals("rel|rpl|trk", ct.lookup(error("10.0.0.254", A, 11, 0, quotedQuery())));
    }

    @Test
    void icmpError_inOriginalDirection_isRelated() {
        ct.commit(query());
        byte[] quotedAnswer = Frames.ipv4(B, A).udp(53, 5000).buildIp();
        assertEquals("rel|trk", ct.lookup(error(A, B, 3, 3, quotedAnswer)));
    }

    @Test
    void icmpError_quotingEightBytesOfTcp_isRelated() {
        ct.commit(Frames.ipv4(A, B).tcp(41001, 80).flags(Frames.SYN).seq(1000).build());
        byte[] quoted = Frames.ipv4(A, B).raw(Frames.PROTO_TCP).payload(Frames.fromHex("a0290050000003e8")).buildIp();
        assertEquals("rel|rpl|trk", ct.lookup(error(B, A, 3, 3, quoted)));
    }

    @Test
    void icmpError_quotingAnEchoConnection_isRelated() {
        ct.commit(ping(77, 1));
        assertEquals("rel|rpl|trk", ct.lookup(error(B, A, 3, 1, Frames.ipv4(A, B).icmpEcho(8, 77, 1).buildIp())));
        assertEquals("rel|trk", ct.lookup(error(A, B, 3, 1, Frames.ipv4(B, A).icmpEcho(0, 77, 1).buildIp())));
    }

    @Test
    void icmpRedirect_isRelated() {
        ct.commit(query());
        assertEquals("rel|rpl|trk", ct.lookup(Frames.ipv4(B, A).icmp(5, 1).icmpRestOfHeader(0x0a000003)
                .payload(quotedQuery()).build()));
    }

    @Test
    void icmpError_quotingNothingTracked_isInvalid() {
        ct.commit(query());
        assertEquals("inv|trk", ct.lookup(error(B, A, 3, 3, Frames.ipv4(A, B).udp(6000, 53).buildIp())));
    }

    @Test
    void icmpError_quotingAPacketNotSentByItsDestination_isInvalid() {
        ct.commit(query());
        assertEquals("inv|trk", ct.lookup(error(B, A, 3, 3, Frames.ipv4("10.0.0.9", B).udp(5000, 53).buildIp())));
    }

    @Test
    void icmpError_quotingAnotherIcmpError_isInvalid() {
        ct.commit(query());
        byte[] inner = Frames.ipv4(A, B).icmp(3, 3).buildIp();
        assertEquals("inv|trk", ct.lookup(error(B, A, 3, 3, inner)));
    }

    @Test
    void icmpError_neverCreatesAConnection() {
        assertEquals("inv|trk", ct.commit(error(B, A, 3, 3, quotedQuery())));
        ct.commit(query());
        assertEquals("rel|rpl|trk", ct.commit(error(B, A, 3, 3, quotedQuery())));
        assertEquals(1, ct.count());
        assertEquals(1, ct.tracker.stats().created());
    }

    @Test
    void icmpError_doesNotRearmItsConnection() {
        ct.commit(query());
        ct.warp(10_000);
        ct.lookup(error(B, A, 3, 3, quotedQuery()));
        assertEquals(50, ct.timeout());
    }

    @Test
    void icmpError_carriesTheConnectionsMarkAndOriginalTuple() {
        ct.ct(query(), 0, CtParams.builder().commit(true).mark(0xab, -1).build());
        ct.lookup(error(B, A, 3, 3, quotedQuery()));
        assertEquals(0xab, ct.md.mark());
        assertEquals(5000, ct.md.tupleTpSrc());
        assertEquals(53, ct.md.tupleTpDst());
    }
}
