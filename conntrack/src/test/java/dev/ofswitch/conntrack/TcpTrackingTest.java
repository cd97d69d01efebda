package dev.ofswitch.conntrack;

import static dev.ofswitch.conntrack.Frames.ACK;
import static dev.ofswitch.conntrack.Frames.FIN;
import static dev.ofswitch.conntrack.Frames.PSH;
import static dev.ofswitch.conntrack.Frames.RST;
import static dev.ofswitch.conntrack.Frames.SYN;
import static dev.ofswitch.conntrack.Frames.URG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TCP tracking: verdicts, peer states and timeouts of {@code tcp/TcpTracker} through the engine. Client A
 * 10.0.0.1:40000 (ISN 1000) talks to server B 10.0.0.2:80 (ISN 5000). Every expectation below was seen with real OVS
 * 3.1 (the oracle README's tables, the shared examples, or the ad hoc cases in {@code oracle-adhoc}), unless its
 * comment cites OVS's source instead.
 */
class TcpTrackingTest {
    private final TrackerFixture ct = new TrackerFixture();

    @AfterEach
    void close() {
        ct.close();
    }

    private static byte[] a(int flags, long seq, long ack) {
        return Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(flags).seq(seq).ack(ack).build();
    }

    private static byte[] a(int flags, long seq, long ack, String data) {
        return Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(flags).seq(seq).ack(ack).payload(data).build();
    }

    private static byte[] b(int flags, long seq, long ack) {
        return Frames.ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000).flags(flags).seq(seq).ack(ack).build();
    }

    private static byte[] b(int flags, long seq, long ack, String data) {
        return Frames.ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000).flags(flags).seq(seq).ack(ack).payload(data).build();
    }

    /** SYN, SYN-ACK, ACK: an established connection, A's next sequence 1001, B's 5001. */
    private void handshake() {
        assertEquals("new|trk", ct.commit(a(SYN, 1000, 0)));
        assertEquals("est|rpl|trk", ct.lookup(b(SYN | ACK, 5000, 1001)));
        assertEquals("est|trk", ct.lookup(a(ACK, 1001, 5001)));
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    @Test
    void lifecycle_statesAndTimeoutsAtEachStep() {
        assertEquals("new|trk", ct.commit(a(SYN, 1000, 0)));
        assertEquals("SYN_SENT/CLOSED", ct.tcpStates());
        assertEquals(30, ct.timeout());

        ct.warp(1000);
        assertEquals("est|rpl|trk", ct.lookup(b(SYN | ACK, 5000, 1001)));
        assertEquals("ESTABLISHED/SYN_SENT", ct.tcpStates());
        assertEquals(30, ct.timeout());

        ct.warp(1000);
        assertEquals("est|trk", ct.lookup(a(ACK, 1001, 5001)));
        assertEquals("ESTABLISHED/ESTABLISHED", ct.tcpStates());
        assertEquals(86400, ct.timeout());

        ct.warp(1000);
        assertEquals("est|trk", ct.lookup(a(PSH | ACK, 1001, 5001, "hello")));
        assertEquals("est|rpl|trk", ct.lookup(b(PSH | ACK, 5001, 1006, "world!")));
        assertEquals("est|trk", ct.lookup(a(ACK, 1006, 5007)));
        assertEquals(86400, ct.timeout());

        ct.warp(1000);
        assertEquals("est|trk", ct.lookup(a(FIN | ACK, 1006, 5007)));
        assertEquals("CLOSING/ESTABLISHED", ct.tcpStates());
        assertEquals(900, ct.timeout());

        ct.warp(1000);
        assertEquals("est|rpl|trk", ct.lookup(b(FIN | ACK, 5007, 1007)));
        assertEquals("FIN_WAIT_2/CLOSING", ct.tcpStates());
        assertEquals(45, ct.timeout());

        ct.warp(1000);
        assertEquals("est|trk", ct.lookup(a(ACK, 1007, 5008)));
        assertEquals("FIN_WAIT_2/FIN_WAIT_2", ct.tcpStates());
        assertEquals(30, ct.timeout());
        assertEquals("tcp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=40000,dport=80),reply=(src=10.0.0.2,dst=10.0.0.1,"
                + "sport=80,dport=40000),status=0,timeout=30,protoinfo=(state_orig=FIN_WAIT_2,state_reply=FIN_WAIT_2,"
                + "flags_orig=0,flags_reply=0)", ct.dump().get(0));
    }

    @Test
    void closedEntry_expiresAfterTcpClose() {
        handshake();
        ct.lookup(a(FIN | ACK, 1001, 5001));
        ct.lookup(b(FIN | ACK, 5001, 1002));
        ct.lookup(a(ACK, 1002, 5002));
        ct.warp(29_999);
        assertEquals(0, ct.timeout());
        ct.warp(1);
        assertEquals(List.of(), ct.dump());
        assertEquals(0, ct.count());
    }

    // ---------------------------------------------------------------------------------------------- SYNs

    @Test
    void synRetransmission_isNewAndRearmsTheFirstPacketTimer() {
        ct.commit(a(SYN, 1000, 0));
        ct.warp(5000);
        assertEquals(25, ct.timeout());
        assertEquals("new|trk", ct.commit(a(SYN, 1000, 0)));
        assertEquals(30, ct.timeout());
        assertEquals("new|trk", ct.lookup(a(SYN, 3000, 0)));    // another ISN before any reply
        assertEquals("SYN_SENT/CLOSED", ct.tcpStates());
        assertEquals(1, ct.count());
        // The SYN-ACK still answers the first ISN.
        assertEquals("est|rpl|trk", ct.lookup(b(SYN | ACK, 5000, 1001)));
    }

    @Test
    void synAckRetransmission_isEstablished() {
        ct.commit(a(SYN, 1000, 0));
        ct.lookup(b(SYN | ACK, 5000, 1001));
        assertEquals("est|rpl|trk", ct.lookup(b(SYN | ACK, 5000, 1001)));
        assertEquals("ESTABLISHED/SYN_SENT", ct.tcpStates());
    }

    @Test
    void synWithAnotherIsn_onEstablishedConnection_isEstablished() {
        handshake();
        assertEquals("est|trk", ct.lookup(a(SYN, 777, 0)));
        assertEquals("ESTABLISHED/ESTABLISHED", ct.tcpStates());
    }

    @Test
    void synAfterClose_replacesTheConnectionAndIsNew() {
        handshake();
        ct.lookup(a(FIN | ACK, 1001, 5001));
        ct.lookup(b(FIN | ACK, 5001, 1002));
        ct.lookup(a(ACK, 1002, 5002));
        ct.warp(10_000);
        long flushedBefore = ct.tracker.stats().flushed();

        assertEquals("new|trk", ct.commit(a(SYN, 90000, 0)));
        assertEquals("SYN_SENT/CLOSED", ct.tcpStates());
        assertEquals(30, ct.timeout());
        assertEquals(1, ct.count());
        assertEquals(flushedBefore + 1, ct.tracker.stats().flushed());
        assertEquals("est|rpl|trk", ct.lookup(b(SYN | ACK, 70000, 90001)));
        assertEquals("est|trk", ct.lookup(a(ACK, 90001, 70001)));
        assertEquals("ESTABLISHED/ESTABLISHED", ct.tcpStates());
    }

    @Test
    void synAfterClose_withoutCommit_removesTheOldConnection() {
        handshake();
        ct.lookup(a(FIN | ACK, 1001, 5001));
        ct.lookup(b(FIN | ACK, 5001, 1002));
        ct.lookup(a(ACK, 1002, 5002));
        assertEquals("new|trk", ct.lookup(a(SYN, 7000, 0)));
        assertEquals(List.of(), ct.dump());
        assertEquals(0, ct.count());
    }

    @Test
    void synAck_withoutConnection_isInvalid() {
        assertEquals("inv|trk", ct.commit(b(SYN | ACK, 5000, 1001)));
        assertEquals(0, ct.count());
    }

    // ---------------------------------------------------------------------------------------------- flags

    /** Seen with OVS except URG alone and SYN|FIN|ACK, which follow {@code tcp_invalid_flags()}. */
    @ParameterizedTest(name = "flags 0x{0}")
    @ValueSource(ints = {SYN | FIN, SYN | RST, FIN, 0, PSH, SYN | PSH, URG, SYN | FIN | ACK})
    void invalidFlags_withoutConnection_areInvalidAndNeverCommitted(int flags) {
        assertEquals("inv|trk", ct.commit(a(flags, 100, 0)));
        assertEquals(0, ct.count());
    }

    /** {@code tcp_conn_update()} checks the flags first, before any window or state. */
    @ParameterizedTest(name = "flags 0x{0}")
    @ValueSource(ints = {SYN | FIN, SYN | RST, FIN, 0, PSH, URG})
    void invalidFlags_onEstablishedConnection_areInvalidAndChangeNothing(int flags) {
        handshake();
        ct.warp(1000);
        assertEquals("inv|trk", ct.lookup(a(flags, 1001, 5001)));
        assertEquals("ESTABLISHED/ESTABLISHED", ct.tcpStates());
        assertEquals(86399, ct.timeout());
    }

    // ---------------------------------------------------------------------------------------------- windows

    @Test
    void dataFarOutsideTheWindow_isInvalidAndChangesNothing() {
        handshake();
        ct.warp(1000);
        assertEquals("inv|trk", ct.lookup(a(PSH | ACK, 900_001_001L, 5001, "junk")));
        assertEquals("ESTABLISHED/ESTABLISHED", ct.tcpStates());
        assertEquals(86399, ct.timeout());
        // The window was not moved by the bad segment: in-window data still passes.
        assertEquals("est|trk", ct.lookup(a(PSH | ACK, 1001, 5001, "GET /\r\n")));
    }

    @Test
    void ackOfUnsentData_isInvalidAndChangesNothing() {
        handshake();
        ct.warp(1000);
        assertEquals("inv|trk", ct.lookup(b(ACK, 5001, 800_001_001L)));
        assertEquals(86399, ct.timeout());
        assertEquals("est|rpl|trk", ct.lookup(b(ACK, 5001, 1001)));
    }

    @Test
    void bareAckFarOutsideTheWindow_isNotChecked() {
        handshake();
        // Without data the sequence is not checked (pf: "ease sequencing restrictions on no data packets").
        assertEquals("est|trk", ct.lookup(a(ACK, 900_001_001L, 5001)));
    }

    @Test
    void segmentWithBadChecksum_onEstablishedConnection_isInvalidAndDoesNotRearm() {
        handshake();
        ct.warp(1000);
        byte[] bad = Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(PSH | ACK).seq(1001).ack(5001)
                .payload("x").l4Checksum(0x1234).build();
        assertEquals("inv|trk", ct.lookup(bad));
        assertEquals(86399, ct.timeout());
    }

    @Test
    void seqCheckDisabled_acceptsSegmentsOutsideTheWindow() {
        ct.tracker.setTcpSeqCheck(false);
        handshake();
        assertEquals("est|trk", ct.lookup(a(PSH | ACK, 900_001_001L, 5001, "junk")));
        assertEquals("est|rpl|trk", ct.lookup(b(ACK, 5001, 800_001_001L)));
    }

    @Test
    void seqCheckDisabled_acceptsRstWithAnySequence() {
        // OVS tcp_conn_update(): "(in window && RST sequence exact) || tcp_bypass_seq_chk(ct)": with the check off
        // a RST is valid whatever its sequence number, and closes the connection.
        ct.tracker.setTcpSeqCheck(false);
        handshake();
        assertEquals("est|trk", ct.lookup(a(RST, 123_456, 0)));
        assertEquals("TIME_WAIT/TIME_WAIT", ct.tcpStates());
        assertEquals(30, ct.timeout());
    }

    // ---------------------------------------------------------------------------------------------- RST

    @Test
    void rstWithBadSequence_isInvalidAndChangesNothing() {
        handshake();
        ct.warp(1000);
        assertEquals("inv|trk", ct.lookup(a(RST, 101_001, 0)));
        assertEquals("inv|trk", ct.lookup(a(RST, 1003, 0)));
        assertEquals("ESTABLISHED/ESTABLISHED", ct.tcpStates());
        assertEquals(86399, ct.timeout());
    }

    /** A's {@code seqlo} is still its ISN 1000: a SYN and a bare ACK do not advance it (pf and OVS alike). */
    @ParameterizedTest(name = "seq {0}")
    @ValueSource(longs = {999, 1000, 1001})
    void rstWithExactOrOffByOneSequence_closesTheConnection(long seq) {
        handshake();
        assertEquals("est|trk", ct.lookup(a(RST, seq, 0)));
        assertEquals("TIME_WAIT/TIME_WAIT", ct.tcpStates());
        assertEquals(30, ct.timeout());
    }

    @Test
    void rstAck_fromReplySide_closesTheConnection() {
        handshake();
        ct.warp(1000);
        assertEquals("est|rpl|trk", ct.lookup(b(RST | ACK, 5001, 1001)));
        assertEquals("TIME_WAIT/TIME_WAIT", ct.tcpStates());
        assertEquals(30, ct.timeout());
        ct.warp(5000);
        assertEquals("est|trk", ct.lookup(a(ACK, 1001, 5001)));    // re-arms tcp_close
        assertEquals(30, ct.timeout());
        assertEquals("new|trk", ct.commit(a(SYN, 2000, 0)));      // and the tuple can be reused
        assertEquals("SYN_SENT/CLOSED", ct.tcpStates());
    }

    @Test
    void rstAckWithAckZero_closesTheConnection() {
        handshake();
        assertEquals("est|rpl|trk", ct.lookup(b(RST | ACK, 5001, 0)));
        assertEquals("TIME_WAIT/TIME_WAIT", ct.tcpStates());
    }

    // ---------------------------------------------------------------------------------------------- pick-up

    @Test
    void bareAck_withoutConnection_isNewAndCommitsALiberalEntry() {
        assertEquals("new|trk", ct.commit(a(ACK, 1000, 1)));
        assertEquals("tcp,orig=(src=10.0.0.1,dst=10.0.0.2,sport=40000,dport=80),reply=(src=10.0.0.2,dst=10.0.0.1,"
                + "sport=80,dport=40000),status=0,timeout=30,protoinfo=(state_orig=SYN_SENT,state_reply=CLOSED,"
                + "flags_orig=BE_LIBERAL,flags_reply=BE_LIBERAL)", ct.dump().get(0));
    }

    /** RST and RST|ACK seen with OVS; PSH|ACK and FIN|ACK follow {@code tcp_valid_new()}. */
    @ParameterizedTest(name = "flags 0x{0}")
    @ValueSource(ints = {RST, RST | ACK, PSH | ACK, FIN | ACK})
    void midStreamSegment_withoutConnection_isNewAndLiberal(int flags) {
        assertEquals("new|trk", ct.commit(a(flags, 100, 0)));
        assertEquals("SYN_SENT/CLOSED", ct.tcpStates());
        assertEquals(TcpFlags.BE_LIBERAL, ct.only().tcp().flagsOrig());
        assertEquals(TcpFlags.BE_LIBERAL, ct.only().tcp().flagsReply());
    }

    @Test
    void pickedUpConnection_replyIsEstablishedEvenWithAFarAck() {
        ct.commit(a(ACK, 1000, 1));
        assertEquals("est|rpl|trk", ct.lookup(b(ACK, 1, 201_000)));     // no ack-skew check on the first reply
        assertEquals("ESTABLISHED/SYN_SENT", ct.tcpStates());
        assertEquals(30, ct.timeout());
        assertEquals("est|trk", ct.lookup(a(ACK, 1000, 1)));
        assertEquals("ESTABLISHED/ESTABLISHED", ct.tcpStates());
        assertEquals(86400, ct.timeout());
    }

    @Test
    void pickedUpConnection_carriesData() {
        ct.commit(a(PSH | ACK, 1000, 500, "0123456789"));
        assertEquals("est|rpl|trk", ct.lookup(b(ACK, 500, 1010)));
        assertEquals("est|trk", ct.lookup(a(PSH | ACK, 1010, 500, "abc")));
        assertEquals("ESTABLISHED/ESTABLISHED", ct.tcpStates());
    }

    @Test
    void pickedUpConnection_secondPacketAckingFarAhead_isEstablishedButChangesNothing() {
        ct.commit(a(ACK, 1000, 1));
        ct.warp(1000);
        assertEquals("est|trk", ct.lookup(a(ACK, 1000, 900_000)));
        assertEquals("SYN_SENT/CLOSED", ct.tcpStates());
        assertEquals(29, ct.timeout());     // pf's loose branch does not re-arm
    }

    // ---------------------------------------------------------------------------------------------- window scale

    private static byte[] synWithScale(int sport, int shift) {
        return Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(sport, 80).flags(SYN).seq(1000).windowScale(shift).build();
    }

    private static byte[] synAckWithScale(int dport, int shift) {
        return Frames.ipv4("10.0.0.2", "10.0.0.1").tcp(80, dport).flags(SYN | ACK).seq(5000).ack(1001)
                .windowScale(shift).build();
    }

    @Test
    void windowScale_bothSides_isDumped() {
        ct.commit(synWithScale(40000, 7));
        assertTrue(ct.dump().get(0).endsWith("protoinfo=(state_orig=SYN_SENT,state_reply=CLOSED,wscale_orig=7,"
                + "wscale_reply=0,flags_orig=WINDOW_SCALE,flags_reply=0)"), ct.dump().get(0));
        ct.lookup(synAckWithScale(40000, 8));
        ct.lookup(a(ACK, 1001, 5001));
        assertTrue(ct.dump().get(0).endsWith("protoinfo=(state_orig=ESTABLISHED,state_reply=ESTABLISHED,"
                + "wscale_orig=7,wscale_reply=8,flags_orig=WINDOW_SCALE,flags_reply=WINDOW_SCALE)"), ct.dump().get(0));
    }

    @Test
    void windowScale_onOneSideOnly_isForgotten() {
        ct.commit(synWithScale(40000, 7));
        ct.lookup(b(SYN | ACK, 5000, 1001));
        assertTrue(ct.dump().get(0).endsWith("protoinfo=(state_orig=ESTABLISHED,state_reply=SYN_SENT,"
                + "flags_orig=0,flags_reply=0)"), ct.dump().get(0));
    }

    @Test
    void windowScale_onReplyOnly_isIgnored() {
        ct.commit(a(SYN, 1000, 0));
        ct.lookup(synAckWithScale(40000, 8));
        assertTrue(ct.dump().get(0).endsWith("flags_orig=0,flags_reply=0)"), ct.dump().get(0));
    }

    @Test
    void windowScale_above14_isClamped() {
        ct.commit(Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(SYN).seq(1000).nop().windowScale(15)
                .build());
        assertEquals(14, ct.only().tcp().wscaleOrig());
    }

    @Test
    void windowScale_afterOtherOptions_isFound() {
        ct.commit(Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(SYN).seq(1000).mss(1460).sackPermitted()
                .nop().windowScale(2).build());
        assertEquals(2, ct.only().tcp().wscaleOrig());
    }

    @Test
    void windowScale_zeroOnBothSides_showsFlagsButNoScales() {
        ct.commit(synWithScale(40000, 0));
        ct.lookup(synAckWithScale(40000, 0));
        assertTrue(ct.dump().get(0).endsWith("protoinfo=(state_orig=ESTABLISHED,state_reply=SYN_SENT,"
                + "flags_orig=WINDOW_SCALE,flags_reply=WINDOW_SCALE)"), ct.dump().get(0));
    }

    /** Follows {@code tcp_conn_update()}: windows are shifted only when both SYNs carried the option. */
    @Test
    void windowScale_appliesToTheWindowCheck() {
        // B advertises a window of 1000, scaled by 2^7 when both SYNs carried the option: 1 byte 100000 bytes ahead
        // is inside 128000 but outside 1000.
        for (boolean scaled : new boolean[] {true, false}) {
            try (TrackerFixture f = new TrackerFixture()) {
                int shift = scaled ? 7 : -1;
                Frames.Builder syn = Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(SYN).seq(1000);
                Frames.Builder synAck = Frames.ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000).flags(SYN | ACK).seq(5000)
                        .ack(1001).window(1000);
                if (shift >= 0) {
                    syn.windowScale(shift);
                    synAck.windowScale(shift);
                }
                f.commit(syn.build());
                f.lookup(synAck.build());
                f.lookup(a(ACK, 1001, 5001));
                f.lookup(Frames.ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000).flags(ACK).seq(5001).ack(1001)
                        .window(1000).build());
                String verdict = f.lookup(a(PSH | ACK, 101_001, 5001, "x"));
                assertEquals(scaled ? "est|trk" : "inv|trk", verdict, scaled ? "scaled" : "unscaled");
            }
        }
    }

    /** {@code CT_DPIF_TCPF_*} values, as the tracker reports them. */
    private static final class TcpFlags {
        static final int BE_LIBERAL = dev.ofswitch.conntrack.tcp.TcpTracker.FLAG_BE_LIBERAL;
    }
}
