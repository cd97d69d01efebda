package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random traffic through SNAT to a small pool: whatever the order of new flows, replies, repeats, expiries and
 * flushes, no two live connections share a reply tuple, every translated source lies in the pool, a flow that is
 * already tracked keeps its translation, and every reply is translated back to its flow's original addresses, ports
 * (or echo identifier) with valid IPv4, TCP, UDP and ICMP checksums (checked by parsing the result again, which
 * verifies every checksum).
 *
 * <p>The pool is deliberately tiny (two addresses, three ports, or one address with the default port search) and the
 * flows few and colliding, so that port searches, wraps and exhaustion happen in most runs.
 */
class NatPropertyTest {
    private static final String POOL_LO = "192.168.0.1";
    private static final String POOL_HI = "192.168.0.2";

    sealed interface Step permits Open, Reply, Advance, Flush {
    }

    /** Client 10.0.0.{client} port {sport} → server 20.0.0.{server} port {dport}, protocol 0 TCP, 1 UDP, 2 ICMP. */
    record Open(int client, int sport, int server, int dport, int proto) implements Step {
    }

    /** The reply to the {@code index}-th flow opened so far (modulo). */
    record Reply(int index) implements Step {
    }

    record Advance(int seconds) implements Step {
    }

    record Flush() implements Step {
    }

    /** What the first packet of a flow became. */
    record Flow(Open open, long natAddr, int natPort) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> open = Combinators.combine(Arbitraries.integers().between(1, 6),
                Arbitraries.of(511, 1000, 1001, 5000, 65535), Arbitraries.integers().between(1, 2),
                Arbitraries.of(53, 80), Arbitraries.integers().between(0, 2)).as(Open::new);
        Arbitrary<Step> reply = Arbitraries.integers().between(0, 40).map(Reply::new);
        Arbitrary<Step> advance = Arbitraries.integers().between(1, 40).map(Advance::new);
        Arbitrary<Step> flush = Arbitraries.just(new Flush());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, open), net.jqwik.api.Tuple.of(5, reply),
                net.jqwik.api.Tuple.of(1, advance), net.jqwik.api.Tuple.of(1, flush)).list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 300)
    void snatToASmallPool_uniqueReplyTuplesAndExactReverseTranslation(@ForAll("steps") List<Step> steps,
                                                                       @ForAll boolean portRange,
                                                                       @ForAll("buckets") int buckets) {
        long lo = Addresses.parseIpv4(POOL_LO);
        long hi = Addresses.parseIpv4(portRange ? POOL_HI : POOL_LO);
        NatRequest req = new NatRequest(NatRequest.F_SRC, 4, 0, lo, 0, hi, portRange ? 1000 : 0,
                portRange ? 1002 : 0);
        CtParams commit = CtParams.builder().commit(true).nat(req).build();
        CtParams lookup = CtParams.builder().nat(NatRequest.BARE).build();
        try (TrackerFixture t = new TrackerFixture(0, ConnTrackerConfig.defaults().buckets(buckets))) {
            List<Flow> flows = new ArrayList<>();
            Map<Open, Flow> live = new HashMap<>();
            for (Step s : steps) {
                if (s instanceof Open raw) {
                    // ICMP has no destination port: flows that differ only there are one flow.
                    Open o = raw.proto == 2 ? new Open(raw.client, raw.sport, raw.server, 0, 2) : raw;
                    Open key = o;
                    byte[] f = request(o);
                    boolean wasLive = isLive(t, o);
                    CtMetadata md = new CtMetadata();
                    t.tracker.execute(f, 0, f.length, 0, commit, md, t.clock.nanoTime());
                    assertTrue(new PacketKey().extract(f, 0, f.length, 0), "egress checksums");
                    long src = ipv4(f, 26);
                    int port = o.proto == 2 ? u16(f, 38) : u16(f, 34);
                    boolean translated = (md.state() & CtState.SNAT) != 0;
                    if (translated) {
                        assertTrue(src >= lo && src <= hi, "source outside the pool");
                        if (portRange && o.proto != 2) {
                            assertTrue(port >= 1000 && port <= 1002, "port outside the range: " + port);
                        }
                        Flow prev = live.get(key);
                        if (prev != null && wasLive) {
                            assertEquals(prev.natAddr, src, "a tracked flow changed its address");
                            assertEquals(prev.natPort, port, "a tracked flow changed its port");
                        }
                        Flow flow = new Flow(o, src, port);
                        live.put(key, flow);
                        flows.add(flow);
                    } else {
                        // Exhaustion: OVS 3.1 forwards the packet as it was and creates nothing.
                        assertArrayEquals(request(o), f);
                        assertEquals("new|trk", CtState.format(md.state()));
                    }
                } else if (s instanceof Reply r && !flows.isEmpty()) {
                    Flow flow = flows.get(r.index % flows.size());
                    if (!isLive(t, flow.open) || live.get(flow.open) != flow) {
                        continue;
                    }
                    byte[] f = reply(flow);
                    CtMetadata md = new CtMetadata();
                    t.tracker.execute(f, 0, f.length, 0, lookup, md, t.clock.nanoTime());
                    assertTrue((md.state() & CtState.RPL) != 0 && (md.state() & CtState.DNAT) != 0,
                            () -> "reply not matched: " + CtState.format(md.state()));
                    assertTrue(new PacketKey().extract(f, 0, f.length, 0), "reply checksums");
                    assertEquals(Addresses.parseIpv4("10.0.0." + flow.open.client), ipv4(f, 30));
                    assertEquals(Addresses.parseIpv4("20.0.0." + flow.open.server), ipv4(f, 26));
                    if (flow.open.proto == 2) {
                        assertEquals(flow.open.sport, u16(f, 38), "echo id not restored");
                    } else {
                        assertEquals(flow.open.sport, u16(f, 36), "port not restored");
                        assertEquals(flow.open.dport, u16(f, 34));
                    }
                } else if (s instanceof Advance a) {
                    t.warp(a.seconds * 1000L);
                } else if (s instanceof Flush) {
                    t.tracker.flush(ConnFilter.all());
                }
                assertUniqueReplies(t);
            }
        }
    }

    @Provide
    Arbitrary<Integer> buckets() {
        return Arbitraries.of(1, 2, 256);
    }

    private static void assertUniqueReplies(TrackerFixture t) {
        Set<String> seen = new HashSet<>();
        for (ConnEntry e : t.tracker.dump(-1, t.clock.nanoTime())) {
            String r = e.reply().proto() + "|" + e.reply().format();
            assertTrue(seen.add(r), () -> "two connections with reply tuple " + r + ": " + t.dump());
        }
    }

    private static boolean isLive(TrackerFixture t, Open o) {
        String orig = (o.proto == 0 ? "tcp" : o.proto == 1 ? "udp" : "icmp") + ",orig=(src=10.0.0." + o.client
                + ",dst=20.0.0." + o.server + ","
                + (o.proto == 2 ? "id=" + o.sport + ",type=8,code=0)" : "sport=" + o.sport + ",dport=" + o.dport + ")");
        for (String line : t.dump()) {
            if (line.startsWith(orig)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] request(Open o) {
        Frames.Builder b = Frames.ipv4("10.0.0." + o.client, "20.0.0." + o.server);
        switch (o.proto) {
            case 0:
                return b.tcp(o.sport, o.dport).flags(Frames.SYN).seq(1000).window(65535).build();
            case 1:
                return b.udp(o.sport, o.dport).payload("q").build();
            default:
                return b.icmpEcho(8, o.sport, 1).build();
        }
    }

    private static byte[] reply(Flow flow) {
        Open o = flow.open;
        Frames.Builder b = Frames.ipv4("20.0.0." + o.server, Addresses.ipv4(flow.natAddr));
        switch (o.proto) {
            case 0:
                return b.tcp(o.dport, flow.natPort).flags(Frames.SYN | Frames.ACK).seq(5000).ack(1001)
                        .window(65535).build();
            case 1:
                return b.udp(o.dport, flow.natPort).payload("answer").build();
            default:
                return b.icmpEcho(0, flow.natPort, 1).build();
        }
    }

    private static long ipv4(byte[] f, int at) {
        return ((f[at] & 0xffL) << 24) | ((f[at + 1] & 0xff) << 16) | ((f[at + 2] & 0xff) << 8) | (f[at + 3] & 0xff);
    }

    private static int u16(byte[] f, int at) {
        return ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff);
    }
}
