package dev.ofswitch.lab.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IperfTest {
    /** Mininet's {@code _parseIperf()} regex: what Mininet users' scripts extract. */
    private static final Pattern MININET_RATE = Pattern.compile("([\\d\\.]+ \\w+/sec)");

    private final VirtualScheduler sched = new VirtualScheduler();
    private final TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, 1);
    private final EmulatedHost h1 = wire.host(TestHosts.config(1));
    private final EmulatedHost h2 = wire.host(TestHosts.config(2));

    @Test
    void tcp_measuresGoodputCloseToTheLinkRate() {
        wire.ports().forEach(p -> p.configure(l -> l.delayMs(1).rate(100_000_000)));

        Iperf.Result r = sched.await(Iperf.tcp(h1, h2, 5001, 5000));

        double client = r.client().bitsPerSecond();
        double server = r.server().bitsPerSecond();
        // 1460 bytes of payload per 1514-byte frame: at most 96.4 Mbit/s of goodput on a 100 Mbit/s link.
        assertTrue(client > 85e6 && client < 96.5e6, r::toString);
        assertTrue(server > 85e6 && server < 96.5e6, r::toString);
        assertTrue(r.format().matches("\\*\\*\\* Results: \\['\\d\\d\\.\\d Mbits/sec', '\\d\\d\\.\\d Mbits/sec'\\]"),
                r.format());
        assertEquals(r.server().bytes(), r.client().bytes());
        for (String v : r.values()) {
            assertTrue(MININET_RATE.matcher(v).matches(), v);
        }
    }

    @Test
    void tcp_byteCountMode() {
        sched.await(h2.iperfServer(5001));

        Iperf.Report r = sched.await(h1.iperfTcpBytes(TestHosts.ip(2), 5001, 1_000_000));

        assertEquals(1_000_000, r.bytes());
    }

    @Test
    void udp_atTheRequestedRateOnALosslessLink() {
        wire.ports().forEach(p -> p.configure(l -> l.delayMs(1).rate(100_000_000)));

        Iperf.Result r = sched.await(Iperf.udp(h1, h2, 5001, 10_000_000, 2000));

        assertEquals("10M", r.values().get(0));
        assertEquals(0, r.server().lost());
        assertEquals(r.client().datagrams(), r.server().datagrams());
        assertTrue(Math.abs(r.client().bitsPerSecond() - 10e6) < 0.1e6, r::toString);
        assertTrue(r.format().startsWith("*** Results: ['10M', '"), r.format());
        assertEquals(r.server().datagrams(), r.client().peer().datagrams(), "the server's report came back");
    }

    @Test
    void udp_reportsLossAndJitter() {
        wire.ports().forEach(p -> p.configure(l -> l.delayMs(1).jitterMs(0.5).loss(0.05)));

        Iperf.Result r = sched.await(Iperf.udp(h1, h2, 5001, 5_000_000, 2000));

        long sent = r.client().datagrams();
        assertTrue(r.server().lost() > 0, r::toString);
        assertEquals(sent, r.server().datagrams() + r.server().lost(), r::toString);
        assertTrue(r.server().jitterMicros() > 0, r::toString);
        double loss = r.client().lossPercent();
        assertTrue(loss > 3 && loss < 20, "about 5-10 % (two links): " + loss);
    }

    @Test
    void formatRate_followsIperf2AdaptiveBits() {
        assertEquals("9.43 Gbits/sec", Iperf.formatRate(9.43e9));
        assertEquals("943 Mbits/sec", Iperf.formatRate(943e6));
        assertEquals("10.0 Mbits/sec", Iperf.formatRate(9.996e6));
        assertEquals("9.99 Mbits/sec", Iperf.formatRate(9.994e6));
        assertEquals("12.5 Kbits/sec", Iperf.formatRate(12.5e3));
        assertEquals("800 bits/sec", Iperf.formatRate(800));
        assertEquals("0.00 bits/sec", Iperf.formatRate(0));
        assertEquals("10M", Iperf.formatBandwidthArg(10_000_000));
        assertEquals("1G", Iperf.formatBandwidthArg(1_000_000_000));
        assertEquals("1500K", Iperf.formatBandwidthArg(1_500_000));
    }
}
