package dev.ofswitch.lab.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.host.wire.Addresses;
import dev.ofswitch.lab.host.wire.Arp;
import dev.ofswitch.lab.host.wire.Ethernet;
import dev.ofswitch.lab.host.wire.FrameFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArpTest {
    private final VirtualScheduler sched = new VirtualScheduler();
    private final TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, 1);
    /** ARP frames as the fabric sees them: "t_ms sender: description, to dst-mac". */
    private final List<String> arp = new ArrayList<>();

    ArpTest() {
        wire.taps.add((p, f) -> {
            if (Ethernet.etherType(f) == Ethernet.TYPE_ARP) {
                String to = Ethernet.dst(f) == Addresses.BROADCAST_MAC ? "broadcast"
                        : Addresses.formatMac(Ethernet.dst(f));
                arp.add(sched.elapsedMillis() + " " + p.name + ": " + FrameFormat.describe(f) + ", to " + to);
            }
        });
    }

    @Test
    void arp_resolvesOnceAndTheAnswerIsCached() {
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));

        sched.await(h1.ping(TestHosts.ip(2), 3, 1000, 1000, 56));

        assertEquals(List.of(
                "0 h1: ARP, Request who-has 10.0.0.2 tell 10.0.0.1, to broadcast",
                "0 h2: ARP, Reply 10.0.0.2 is-at 00:00:00:00:00:02, to 00:00:00:00:00:01"), arp);
        List<ArpEntry> t1 = sched.await(h1.arpTable());
        assertEquals(1, t1.size());
        assertEquals(ArpEntry.State.REACHABLE, t1.get(0).state());
        assertEquals("00:00:00:00:00:02", t1.get(0).mac());
        // h2 learnt h1 from the request (STALE), used it for the replies (DELAY)...
        assertEquals(ArpEntry.State.DELAY, sched.await(h2.arpTable()).get(0).state());
    }

    @Test
    void arp_entryLearntFromARequestIsProbedByUnicastAfterTheFirstProbeDelay() {
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        sched.await(h1.ping(TestHosts.ip(2), 1, 1000, 1000, 56));

        sched.runUntilIdle();

        // Linux's delay_first_probe_time (5 s) after the STALE entry was first used, one unicast probe, answered.
        assertEquals("5000 h2: ARP, Request who-has 10.0.0.1 tell 10.0.0.2, to 00:00:00:00:00:01", arp.get(2));
        assertEquals("5000 h1: ARP, Reply 10.0.0.1 is-at 00:00:00:00:00:01, to 00:00:00:00:00:02", arp.get(3));
        assertEquals(4, arp.size());
        assertEquals(ArpEntry.State.REACHABLE, sched.await(h2.arpTable()).get(0).state());
    }

    @Test
    void arp_reachableEntryGoesStaleAndIsReconfirmedWithoutBroadcast() {
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        wire.host(TestHosts.config(2));
        sched.await(h1.ping(TestHosts.ip(2), 1, 1000, 1000, 56));
        sched.advance(50_000);
        assertEquals(ArpEntry.State.STALE, sched.await(h1.arpTable()).get(0).state(),
                "reachable for at most 1.5 x 30 s");
        arp.clear();

        long t = sched.elapsedMillis();
        PingResult r = sched.await(h1.ping(TestHosts.ip(2), 1, 1000, 1000, 56));
        sched.runUntilIdle();

        assertEquals(1, r.received(), "a stale entry is still used at once");
        // Both entries were stale and both were used: each side probes the other by unicast, 5 s later.
        assertEquals(List.of(
                (t + 5000) + " h1: ARP, Request who-has 10.0.0.2 tell 10.0.0.1, to 00:00:00:00:00:02",
                (t + 5000) + " h2: ARP, Request who-has 10.0.0.1 tell 10.0.0.2, to 00:00:00:00:00:01",
                (t + 5000) + " h2: ARP, Reply 10.0.0.2 is-at 00:00:00:00:00:02, to 00:00:00:00:00:01",
                (t + 5000) + " h1: ARP, Reply 10.0.0.1 is-at 00:00:00:00:00:01, to 00:00:00:00:00:02"), arp);
    }

    @Test
    void arp_unusedStaleEntriesAreForgotten() {
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        wire.host(TestHosts.config(2));
        sched.await(h1.ping(TestHosts.ip(2), 1, 1000, 1000, 56));

        sched.advance(200_000);

        assertEquals(List.of(), sched.await(h1.arpTable()));
    }

    @Test
    void arp_pendingQueueIsBoundedAndDropsTheOldest() {
        EmulatedHost h1 = wire.host(TestHosts.builder(1).arpQueueLimit(3).build());
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        List<String> got = new ArrayList<>();
        sched.await(h2.bind(9, (s, src, port, payload) -> got.add(new String(payload))));

        for (int i = 1; i <= 5; i++) {
            h1.sendUdp(4000, TestHosts.ip(2), 9, ("d" + i).getBytes());
        }
        sched.runUntilIdle();

        assertEquals(List.of("d3", "d4", "d5"), got);
        assertEquals(2, h1.counters().arpQueueDrops());
    }

    @Test
    void arp_requestsForOtherAddressesAreIgnored() {
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        TestWire.Port raw = wire.port("raw");
        HostConfig me = TestHosts.config(9);
        sched.await(h2.start());

        raw.send(Arp.build(Addresses.BROADCAST_MAC, me.mac(), Arp.OP_REQUEST, me.mac(), me.ipv4Int(), 0,
                Addresses.parseIpv4("10.0.0.3")));
        sched.runUntilIdle();

        assertEquals(0, h2.counters().arpRepliesSent());
        assertEquals(List.of(), sched.await(h2.arpTable()), "nor does it learn from them");
    }

    @Test
    void arp_gratuitousAnnouncementOnStartWhenConfigured() {
        wire.host(TestHosts.builder(1).gratuitousArp(true).build());
        wire.host(TestHosts.config(2));

        sched.runUntilIdle();

        assertEquals(List.of("0 h1: ARP, Request who-has 10.0.0.1 tell 10.0.0.1, to broadcast"), arp);
    }

    @Test
    void arp_tcpForwardProgressConfirmsTheNeighbourSoNoProbesAreNeeded() {
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        wire.ports().forEach(p -> p.configure(l -> l.delayMs(1).rate(10_000_000)));
        sched.await(h2.iperfServer(5001));

        Iperf.Report r = sched.await(h1.iperfTcp(TestHosts.ip(2), 5001, 60_000));

        assertTrue(r.bytes() > 50_000_000L, r::toString);
        assertTrue(arp.stream().noneMatch(l -> l.contains(" h1: ARP, Request") && !l.endsWith("broadcast")),
                () -> String.join("\n", arp));
    }
}
