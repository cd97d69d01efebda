package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-zone timeout policies ({@code ovs-vsctl add-zone-tp}): which key controls which state (the oracle README's
 * "Default timeouts" table, measured with OVS 3.1 by giving every key a different value), that a policy applies to
 * connections committed after it is set, and that connections with different timeouts in one bucket still expire on
 * time (the expiry lists are keyed by timeout value, see {@code Bucket}).
 */
class TimeoutPolicyTest {
    private TrackerFixture ct = new TrackerFixture();

    @AfterEach
    void close() {
        ct.close();
    }

    private static byte[] udp(String src, String dst, int sport, int dport) {
        return Frames.ipv4(src, dst).udp(sport, dport).payload("x").build();
    }

    @Test
    void defaults_areOvsDefaults() {
        TimeoutPolicy d = TimeoutPolicy.defaults();
        assertEquals(30, d.seconds(TimeoutKey.TCP_SYN_SENT));
        assertEquals(30, d.seconds(TimeoutKey.TCP_SYN_RECV));
        assertEquals(86400, d.seconds(TimeoutKey.TCP_ESTABLISHED));
        assertEquals(900, d.seconds(TimeoutKey.TCP_FIN_WAIT));
        assertEquals(45, d.seconds(TimeoutKey.TCP_TIME_WAIT));
        assertEquals(30, d.seconds(TimeoutKey.TCP_CLOSE));
        assertEquals(60, d.seconds(TimeoutKey.UDP_FIRST));
        assertEquals(60, d.seconds(TimeoutKey.UDP_SINGLE));
        assertEquals(30, d.seconds(TimeoutKey.UDP_MULTIPLE));
        assertEquals(60, d.seconds(TimeoutKey.ICMP_FIRST));
        assertEquals(30, d.seconds(TimeoutKey.ICMP_REPLY));
        assertEquals(Map.of(), d.overrides());
    }

    @Test
    void zonePolicy_everyKeyControlsItsState() {
        // Every key a different value, as the oracle measurement did.
        ct.tracker.setTimeoutPolicy(9, TimeoutPolicy.parse("tcp_syn_sent=101 tcp_syn_recv=102 tcp_established=103 "
                + "tcp_fin_wait=104 tcp_time_wait=105 tcp_close=106 udp_first=107 udp_single=108 udp_multiple=109 "
                + "icmp_first=110 icmp_reply=111"));
        Frames.Builder a = Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80);
        Frames.Builder b = Frames.ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000);
        ct.ct(a.copy().flags(Frames.SYN).seq(1000).build(), 9, CtParams.COMMIT);
        assertEquals(101, ct.timeout());
        ct.ct(b.copy().flags(Frames.SYN | Frames.ACK).seq(5000).ack(1001).build(), 9, CtParams.LOOKUP);
        assertEquals(102, ct.timeout());
        ct.ct(a.copy().flags(Frames.ACK).seq(1001).ack(5001).build(), 9, CtParams.LOOKUP);
        assertEquals(103, ct.timeout());
        ct.ct(a.copy().flags(Frames.FIN | Frames.ACK).seq(1001).ack(5001).build(), 9, CtParams.LOOKUP);
        assertEquals(104, ct.timeout());
        ct.ct(b.copy().flags(Frames.FIN | Frames.ACK).seq(5001).ack(1002).build(), 9, CtParams.LOOKUP);
        assertEquals(105, ct.timeout());
        ct.ct(a.copy().flags(Frames.ACK).seq(1002).ack(5002).build(), 9, CtParams.LOOKUP);
        assertEquals(106, ct.timeout());
        ct.tracker.flush(ConnFilter.all(), 0);

        ct.ct(udp("10.0.0.1", "10.0.0.2", 5000, 53), 9, CtParams.COMMIT);
        assertEquals(107, ct.timeout());
        ct.ct(udp("10.0.0.1", "10.0.0.2", 5000, 53), 9, CtParams.LOOKUP);
        assertEquals(108, ct.timeout());
        ct.ct(udp("10.0.0.2", "10.0.0.1", 53, 5000), 9, CtParams.LOOKUP);
        assertEquals(109, ct.timeout());
        ct.tracker.flush(ConnFilter.all(), 0);

        ct.ct(Frames.ipv4("10.0.0.1", "10.0.0.2").icmpEcho(8, 1, 1).build(), 9, CtParams.COMMIT);
        assertEquals(110, ct.timeout());
        ct.ct(Frames.ipv4("10.0.0.2", "10.0.0.1").icmpEcho(0, 1, 1).build(), 9, CtParams.LOOKUP);
        assertEquals(111, ct.timeout());
    }

    @Test
    void zonePolicy_appliesOnlyToItsZone() {
        ct.tracker.setTimeoutPolicy(3, TimeoutPolicy.defaults().with(TimeoutKey.UDP_FIRST, 5));
        ct.ct(udp("10.0.0.1", "10.0.0.2", 5000, 53), 3, CtParams.COMMIT);
        ct.ct(udp("10.0.0.1", "10.0.0.2", 5000, 53), 0, CtParams.COMMIT);
        List<ConnEntry> d = ct.tracker.dump(-1, ct.clock.nanoTime());
        assertEquals(60, d.get(0).timeoutSeconds());
        assertEquals(5, d.get(1).timeoutSeconds());
        assertEquals(5, ct.tracker.timeoutPolicy(3).seconds(TimeoutKey.UDP_FIRST));
        assertEquals(60, ct.tracker.timeoutPolicy(0).seconds(TimeoutKey.UDP_FIRST));
    }

    @Test
    void zonePolicy_appliesToConnectionsCommittedAfterwards() {
        byte[] first = udp("10.0.0.1", "10.0.0.2", 5000, 53);
        ct.ct(first, 3, CtParams.COMMIT);
        ct.tracker.setTimeoutPolicy(3, TimeoutPolicy.defaults().with(TimeoutKey.UDP_FIRST, 5)
                .with(TimeoutKey.UDP_SINGLE, 6));
        ct.ct(udp("10.0.0.1", "10.0.0.2", 5001, 53), 3, CtParams.COMMIT);
        assertEquals(5, ct.tracker.dump(3, 0).get(1).timeoutSeconds());
        // The older connection keeps the policy it was committed with, also on its next packet.
        ct.ct(first, 3, CtParams.LOOKUP);
        assertEquals(60, ct.tracker.dump(3, 0).get(0).timeoutSeconds());
        ct.warp(5000);
        assertEquals(1, ct.count());
    }

    @Test
    void zonePolicy_removed_restoresTheDefault() {
        ct.tracker.setTimeoutPolicy(3, TimeoutPolicy.parse("udp_first=5"));
        ct.tracker.setTimeoutPolicy(3, null);
        ct.ct(udp("10.0.0.1", "10.0.0.2", 5000, 53), 3, CtParams.COMMIT);
        assertEquals(60, ct.timeout());
    }

    @Test
    void defaultPolicy_appliesToZonesWithoutTheirOwn() {
        ct.tracker.setDefaultTimeoutPolicy(TimeoutPolicy.parse("udp_first=7"));
        ct.tracker.setTimeoutPolicy(4, TimeoutPolicy.parse("udp_first=8"));
        ct.ct(udp("10.0.0.1", "10.0.0.2", 1, 53), 2, CtParams.COMMIT);
        ct.ct(udp("10.0.0.1", "10.0.0.2", 1, 53), 4, CtParams.COMMIT);
        List<ConnEntry> d = ct.tracker.dump(-1, 0);
        assertEquals(7, d.get(0).timeoutSeconds());
        assertEquals(8, d.get(1).timeoutSeconds());
    }

    @Test
    void zeroTimeout_expiresAtOnce() {
        ct.tracker.setTimeoutPolicy(0, TimeoutPolicy.parse("udp_first=0"));
        assertEquals("new|trk", ct.commit(udp("10.0.0.1", "10.0.0.2", 5000, 53)));
        assertEquals(List.of(), ct.dump());
        assertEquals(1, ct.count());
        ct.warp(0);
        assertEquals(0, ct.count());
    }

    @Test
    void mixedTimeoutsInOneBucket_eachExpiresOnTime() {
        // One bucket, so every connection shares its lists. Zone 1 expires after 10 s, zone 2 after 60 s, TCP SYNs in
        // zone 1 after 10 s too (the same value, so the same list): interleaved commits, 1 ms apart.
        ct.close();
        ct = new TrackerFixture(0, ConnTrackerConfig.defaults().buckets(1));
        ct.tracker.setTimeoutPolicy(1, TimeoutPolicy.parse("udp_first=10 tcp_syn_sent=10"));
        for (int i = 1; i <= 300; i++) {
            ct.ct(udp("10.0.0.1", "10.0.0.2", i, 53), i % 2 == 0 ? 1 : 2, CtParams.COMMIT);
            if (i % 3 == 0) {
                ct.ct(Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(i, 80).flags(Frames.SYN).build(), 1, CtParams.COMMIT);
            }
            ct.warp(1);
        }
        assertEquals(400, ct.count());
        ct.warp(10_001 - 300);     // the clock is at 300 ms: now 10.001 s, the expiry of the first zone-1 connection
        assertEquals(399, ct.count());
        ct.warp(300);
        assertEquals(150, ct.count());
        assertEquals(250, ct.tracker.stats().expired());
        assertTrue(ct.tracker.dump(1, ct.clock.nanoTime()).isEmpty());
        ct.warp(50_000);
        assertEquals(0, ct.count());
    }

    @Test
    void parse_acceptsSpacesAndCommas() {
        TimeoutPolicy p = TimeoutPolicy.parse(" udp_first=2,tcp_syn_sent=3  icmp_reply=4 ");
        assertEquals(Map.of(TimeoutKey.UDP_FIRST, 2, TimeoutKey.TCP_SYN_SENT, 3, TimeoutKey.ICMP_REPLY, 4),
                p.overrides());
        assertEquals(p, TimeoutPolicy.defaults().with(TimeoutKey.UDP_FIRST, 2).with(TimeoutKey.TCP_SYN_SENT, 3)
                .with(TimeoutKey.ICMP_REPLY, 4));
        assertTrue(p.toString().contains("udp_first=2"), p.toString());
        assertEquals(TimeoutKey.TCP_UNACK, TimeoutKey.byOvsName("tcp_unack"));
    }

    @Test
    void parse_rejectsWhatOvsRejects() {
        assertEquals("timeout policy: unknown key \"udp_last\"",
                assertThrows(IllegalArgumentException.class, () -> TimeoutPolicy.parse("udp_last=3")).getMessage());
        assertEquals("timeout policy: expected KEY=SECONDS, got \"udp_first\"",
                assertThrows(IllegalArgumentException.class, () -> TimeoutPolicy.parse("udp_first")).getMessage());
        assertEquals("timeout policy: udp_first: not a number of seconds: \"x\"",
                assertThrows(IllegalArgumentException.class, () -> TimeoutPolicy.parse("udp_first=x")).getMessage());
        assertEquals("udp_first: timeout must not be negative: -1",
                assertThrows(IllegalArgumentException.class, () -> TimeoutPolicy.parse("udp_first=-1")).getMessage());
    }
}
