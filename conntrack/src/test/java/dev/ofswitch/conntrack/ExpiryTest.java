package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expiry on a frozen clock (SWITCH-CONTRACT.md §6): an entry is dumped until {@code now >= expiration}, with
 * {@code timeout=} = whole seconds left (0 in its last second), and the first cleaner pass at or after its
 * expiration deletes it. Every packet re-arms the timeout of the state it leaves the connection in. Each case runs
 * from clocks at {@link Long#MIN_VALUE}, just below {@link Long#MAX_VALUE} (so that expirations wrap around), at 0
 * and at an arbitrary value: clock values must only ever be compared by subtraction.
 */
class ExpiryTest {
    static final long[] STARTS = {Long.MIN_VALUE, Long.MAX_VALUE - 5_000_000_000L, 0, 0x3c6e_f372_fe94_f82aL};

    static Stream<Long> starts() {
        return Stream.of(STARTS[0], STARTS[1], STARTS[2], STARTS[3]);
    }

    private static byte[] udp(String src, String dst, int sport, int dport) {
        return Frames.ipv4(src, dst).udp(sport, dport).payload("x").build();
    }

    private static final byte[] QUERY = udp("10.0.0.1", "10.0.0.2", 5000, 53);
    private static final byte[] ANSWER = udp("10.0.0.2", "10.0.0.1", 53, 5000);

    /** Asserts the only entry is dumped with {@code seconds} left and counted. */
    private static void assertPresent(TrackerFixture ct, long seconds) {
        assertEquals(seconds, ct.timeout());
        assertEquals(1, ct.count());
    }

    /** Asserts nothing is dumped; then one cleaner pass deletes the connection. */
    private static void assertGoneAfterOnePass(TrackerFixture ct) {
        assertEquals(List.of(), ct.dump());
        assertEquals(1, ct.count());    // expired, not yet swept
        assertEquals(1, ct.tracker.sweepNow());
        assertEquals(0, ct.count());
    }

    @ParameterizedTest(name = "start {0}")
    @MethodSource("starts")
    void udpFirst_isDumpedUntilItsLastMillisecond(long start) {
        try (TrackerFixture ct = new TrackerFixture(start)) {
            ct.commit(QUERY);
            assertPresent(ct, 60);
            ct.clock.warp(1);
            assertPresent(ct, 59);
            ct.clock.warp(59_000);
            assertPresent(ct, 0);       // t0 + 59001 ms: timeout=0, as seen with OVS
            ct.clock.warp(998);
            assertPresent(ct, 0);       // t0 + 59999 ms
            assertEquals(0, ct.tracker.sweepNow());
            ct.clock.warp(1);           // t0 + 60000 ms: gone
            assertGoneAfterOnePass(ct);
            assertEquals(1, ct.tracker.stats().expired());
        }
    }

    @ParameterizedTest(name = "start {0}")
    @MethodSource("starts")
    void everyPacket_rearmsTheTimeout(long start) {
        try (TrackerFixture ct = new TrackerFixture(start)) {
            ct.commit(QUERY);
            for (int i = 0; i < 5; i++) {
                ct.warp(59_999);
                assertPresent(ct, 0);
                assertEquals("new|trk", ct.lookup(QUERY));
                assertPresent(ct, 60);
            }
            ct.warp(30_000);
            assertEquals("est|rpl|trk", ct.lookup(ANSWER));
            assertPresent(ct, 30);
            ct.warp(29_999);
            assertPresent(ct, 0);
            ct.clock.warp(1);
            assertGoneAfterOnePass(ct);
        }
    }

    @ParameterizedTest(name = "start {0}")
    @MethodSource("starts")
    void expiredButNotSwept_isTreatedAsGoneByPackets(long start) {
        try (TrackerFixture ct = new TrackerFixture(start)) {
            ct.commit(QUERY);
            ct.clock.warp(60_000);
            assertEquals("new|trk", ct.lookup(ANSWER));     // not est: the connection is gone
            assertEquals("new|trk", ct.commit(QUERY));      // a new one
            assertPresent(ct, 60);
            assertEquals(2, ct.tracker.stats().created());
            assertEquals(1, ct.tracker.stats().expired());
        }
    }

    /** How to bring a TCP connection A:40000 → B:80 into a state, and the timeout (s) of that state. */
    static Stream<Arguments> tcpStates() {
        Frames.Builder a = Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80);
        Frames.Builder b = Frames.ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000);
        byte[] syn = a.copy().flags(Frames.SYN).seq(1000).build();
        byte[] synAck = b.copy().flags(Frames.SYN | Frames.ACK).seq(5000).ack(1001).build();
        byte[] ack = a.copy().flags(Frames.ACK).seq(1001).ack(5001).build();
        byte[] fin = a.copy().flags(Frames.FIN | Frames.ACK).seq(1001).ack(5001).build();
        byte[] finAck = b.copy().flags(Frames.FIN | Frames.ACK).seq(5001).ack(1002).build();
        byte[] lastAck = a.copy().flags(Frames.ACK).seq(1002).ack(5002).build();
        byte[] rst = b.copy().flags(Frames.RST | Frames.ACK).seq(5001).ack(1001).build();
        List<byte[]> open = List.of(syn, synAck, ack);
        Stream.Builder<Arguments> s = Stream.builder();
        for (long start : STARTS) {
            s.add(Arguments.of(start, "SYN_SENT/CLOSED", 30, List.of(syn)));
            s.add(Arguments.of(start, "ESTABLISHED/SYN_SENT", 30, List.of(syn, synAck)));
            s.add(Arguments.of(start, "ESTABLISHED/ESTABLISHED", 86400, open));
            s.add(Arguments.of(start, "CLOSING/ESTABLISHED", 900, List.of(syn, synAck, ack, fin)));
            s.add(Arguments.of(start, "FIN_WAIT_2/CLOSING", 45, List.of(syn, synAck, ack, fin, finAck)));
            s.add(Arguments.of(start, "FIN_WAIT_2/FIN_WAIT_2", 30, List.of(syn, synAck, ack, fin, finAck, lastAck)));
            s.add(Arguments.of(start, "TIME_WAIT/TIME_WAIT", 30, List.of(syn, synAck, ack, rst)));
        }
        return s.build();
    }

    @ParameterizedTest(name = "start {0}, {1}: {2} s")
    @MethodSource("tcpStates")
    void tcpState_expiresAfterItsTimeout(long start, String states, int seconds, List<byte[]> packets) {
        try (TrackerFixture ct = new TrackerFixture(start)) {
            Consumer<byte[]> send = f -> assertTrue(ct.commit(f).contains("trk"));
            for (byte[] f : packets) {
                ct.warp(1000);
                send.accept(f);
            }
            assertEquals(states, ct.tcpStates());
            assertPresent(ct, seconds);
            ct.warp(seconds * 1000L - 1);
            assertPresent(ct, 0);
            assertEquals(states, ct.tcpStates());
            ct.clock.warp(1);
            assertGoneAfterOnePass(ct);
        }
    }

    @ParameterizedTest(name = "start {0}")
    @MethodSource("starts")
    void rearmedConnection_doesNotHoldBackOnesThatExpireBeforeIt(long start) {
        // One bucket and one timeout value (udp_first = udp_single = 3 s), so X and Y share one expiry list: X is
        // re-armed after Y was committed, so it must move behind Y, or the cleaner would stop at X and keep Y.
        try (TrackerFixture ct = new TrackerFixture(start, ConnTrackerConfig.defaults().buckets(1))) {
            ct.tracker.setTimeoutPolicy(0, TimeoutPolicy.parse("udp_first=3 udp_single=3"));
            byte[] x = udp("10.0.0.1", "10.0.0.2", 1, 53);
            ct.commit(x);
            ct.clock.warp(500);
            ct.commit(udp("10.0.0.1", "10.0.0.2", 2, 53));
            ct.clock.warp(500);
            ct.lookup(x);                   // X now expires at 4 s, Y at 3.5 s
            ct.clock.warp(2600);            // 3.6 s
            assertEquals(1, ct.tracker.sweepNow());
            assertEquals(1, ct.count());
            assertEquals(1, ct.only().orig().srcPort());
        }
    }

    @ParameterizedTest(name = "start {0}")
    @MethodSource("starts")
    void manyConnections_expireInOrderOfTheirLastPacket(long start) {
        try (TrackerFixture ct = new TrackerFixture(start)) {
            for (int i = 1; i <= 1000; i++) {
                ct.commit(udp("10.0.0.1", "10.0.0.2", i, 53));
                ct.clock.warp(10);
            }
            // The first 500 get a second packet 10 s later: udp_single re-arms them to 60 s from then.
            for (int i = 1; i <= 500; i++) {
                ct.lookup(udp("10.0.0.1", "10.0.0.2", i, 53));
            }
            // now = t0 + 10 s. Connection i (1-based) was committed at t0 + 10 (i - 1) ms: those above 500 expire at
            // t0 + 60 s + 10 (i - 1) ms, that is from t0 + 65 s to t0 + 69.99 s; the first 500 at t0 + 70 s.
            long[][] checkpoints = {{64_999, 1000}, {65_000, 999}, {67_500, 749}, {69_989, 501}, {69_990, 500},
                {69_999, 500}, {70_000, 0}};
            long now = 10_000;
            for (long[] c : checkpoints) {
                ct.clock.warp(c[0] - now);
                now = c[0];
                assertEquals(c[1], ct.tracker.dump(-1, ct.clock.nanoTime()).size(), "dumped at " + now);
                ct.tracker.sweepNow();
                assertEquals(c[1], ct.count(), "counted at " + now);
            }
            assertEquals(1000, ct.tracker.stats().expired());
        }
    }
}
