package dev.ofswitch.lab.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class PingTest {
    private final VirtualScheduler sched = new VirtualScheduler();

    @Test
    void ping_statsAreExactWithAFixedDelay() {
        TestWire wire = new TestWire(sched, TestWire.Mode.DIRECT, 1);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        wire.portOf(h1).configure(l -> l.delayMs(0.25));
        wire.portOf(h2).configure(l -> l.delayMs(0.25));

        PingResult r = sched.await(h1.ping(TestHosts.ip(2), 3, 1000, 1000, 56));

        // Direct cable: each direction crosses h1's and h2's link, 0.5 ms. The first request waits for ARP
        // (request and reply: 1 ms), so its RTT is 2 ms; the others take 1 ms.
        assertEquals(List.of(
                "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.",
                "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=2.00 ms",
                "64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=1.00 ms",
                "64 bytes from 10.0.0.2: icmp_seq=3 ttl=64 time=1.00 ms",
                "",
                "--- 10.0.0.2 ping statistics ---",
                "3 packets transmitted, 3 received, 0% packet loss, time 2000ms",
                "rtt min/avg/max/mdev = 1.000/1.333/2.000/0.471 ms"), r.formatLines());
        assertEquals(3, r.transmitted());
        assertEquals(3, r.received());
        assertEquals(0f, r.lossPercent());
        assertEquals(1000, r.minMicros());
        assertEquals(1333, r.avgMicros());
        assertEquals(2000, r.maxMicros());
        assertEquals(471, r.mdevMicros());
        assertEquals(2_000_000L, r.probes().get(0).rttNanos());
    }

    @Test
    void ping_withLossOnTheWireShowsTheLosses() {
        TestWire wire = new TestWire(sched, TestWire.Mode.DIRECT, 42);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        wire.portOf(h2).configure(l -> l.delayMs(1).loss(0.3));

        PingResult r = sched.await(h1.ping(TestHosts.ip(2), 20, 1000, 1000, 56));

        assertEquals(20, r.transmitted());
        long lost = r.probes().stream().filter(p -> p.outcome() == PingResult.Outcome.LOST).count();
        assertTrue(lost > 0 && lost < 20, "some but not all lost: " + lost);
        assertEquals(20 - lost, r.received());
        assertEquals((float) (lost * 100.0 / 20), r.lossPercent());
        String summary = r.formatLines().get(r.formatLines().size() - 2);
        assertEquals("20 packets transmitted, " + (20 - lost) + " received, "
                + PingResult.formatG(r.lossPercent()) + "% packet loss, time 19000ms", summary);
        // Only replies are printed.
        assertEquals(r.received(), r.replyLines().size());
    }

    @Test
    void ping_toAnAbsentHostReportsHostUnreachableAfterArpGivesUp() {
        TestWire wire = new TestWire(sched, TestWire.Mode.DIRECT, 1);
        EmulatedHost h1 = wire.host(TestHosts.config(1));

        PingResult r = sched.await(h1.ping(TestHosts.ip(9), 3, 1000, 5000, 56));

        // ARP sends 3 requests a second apart and gives up at 3 s; the three queued requests fail together.
        assertEquals(List.of(
                "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable",
                "From 10.0.0.1 icmp_seq=2 Destination Host Unreachable",
                "From 10.0.0.1 icmp_seq=3 Destination Host Unreachable"), r.replyLines());
        assertEquals(3, r.errors());
        assertEquals(0, r.received());
        List<String> lines = r.formatLines();
        assertEquals("3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2000ms",
                lines.get(lines.size() - 2));
        assertEquals("pipe 3", lines.get(lines.size() - 1));
        assertEquals(1, h1.counters().arpFailures());
        assertEquals(3, h1.counters().arpRequestsSent());
    }

    @Test
    void ping_offLinkWithoutAGatewayFailsWithNetworkUnreachable() {
        TestWire wire = new TestWire(sched, TestWire.Mode.DIRECT, 1);
        EmulatedHost h1 = wire.host(TestHosts.config(1));

        CompletableFuture<PingResult> f = sched.settle(h1.ping(dev.ofswitch.lab.host.wire.Addresses.inet4("192.168.1.1"), 1));

        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        HostNetworkException cause = assertInstanceOf(HostNetworkException.class, e.getCause());
        assertEquals(SocketError.ENETUNREACH, cause.error());
    }

    @Test
    void ping_offLinkGoesToTheGatewaysMac() {
        TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, 1);
        EmulatedHost h1 = wire.host(TestHosts.builder(1).ipv4("10.0.0.1", 24).gateway("10.0.0.254").build());
        EmulatedHost gw = wire.host(HostConfig.builder("gw").mac(0xfe).ipv4("10.0.0.254", 24).build());
        List<String> requestsSeenByGw = new java.util.ArrayList<>();
        wire.deliverHooks.add((p, f) -> {
            if (p.name.equals("gw")) {
                requestsSeenByGw.add(dev.ofswitch.lab.host.wire.FrameFormat.describe(f));
            }
        });

        sched.await(h1.ping(dev.ofswitch.lab.host.wire.Addresses.inet4("192.168.1.1"), 1, 1000, 500, 56));

        assertTrue(requestsSeenByGw.contains("ARP, Request who-has 10.0.0.254 tell 10.0.0.1"), requestsSeenByGw::toString);
        assertTrue(requestsSeenByGw.stream().anyMatch(s -> s.startsWith("10.0.0.1 > 192.168.1.1: ICMP echo request")),
                requestsSeenByGw::toString);
        assertEquals(1, gw.counters().rxNotForUs(), "the gateway does not route");
    }

    @Test
    void ping_toItselfUsesLoopback() {
        TestWire wire = new TestWire(sched, TestWire.Mode.DIRECT, 1);
        EmulatedHost h1 = wire.host(TestHosts.config(1));

        PingResult r = sched.await(h1.ping(TestHosts.ip(1), 2, 1000, 1000, 56));

        assertEquals(2, r.received());
        assertEquals(0, wire.portOf(h1).sent, "nothing on the wire");
    }

    @Test
    void ping_payloadNeedingFragmentationFailsWithMessageTooLong() {
        TestWire wire = new TestWire(sched, TestWire.Mode.DIRECT, 1);
        EmulatedHost h1 = wire.host(TestHosts.config(1));

        CompletableFuture<PingResult> f = sched.settle(h1.ping(TestHosts.ip(2), 1, 1000, 1000, 1473));

        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, f::join);
        assertEquals(SocketError.EMSGSIZE, ((HostNetworkException) e.getCause()).error());
    }

    @Test
    void formatReplyTime_followsIputilsPrecisionSteps() {
        assertEquals("0.123 ms", PingResult.formatReplyTime(123));
        assertEquals("0.999 ms", PingResult.formatReplyTime(999));
        assertEquals("1.00 ms", PingResult.formatReplyTime(1000));
        assertEquals("1.24 ms", PingResult.formatReplyTime(1235));
        assertEquals("9.99 ms", PingResult.formatReplyTime(9994));
        assertEquals("10.0 ms", PingResult.formatReplyTime(9995));
        assertEquals("12.3 ms", PingResult.formatReplyTime(12345));
        assertEquals("100 ms", PingResult.formatReplyTime(99950));
        assertEquals("1235 ms", PingResult.formatReplyTime(1234567));
    }

    @Test
    void formatG_printsLossLikeCPercentG() {
        assertEquals("0", PingResult.formatG(0f));
        assertEquals("100", PingResult.formatG(100f));
        assertEquals("33.3333", PingResult.formatG((float) (100.0 / 3)));
        assertEquals("66.6667", PingResult.formatG((float) (200.0 / 3)));
        assertEquals("14.2857", PingResult.formatG((float) (100.0 / 7)));
        assertEquals("30", PingResult.formatG(30f));
        assertEquals("0.1", PingResult.formatG((float) (100.0 / 1000)));
    }
}
