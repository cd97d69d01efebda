package dev.ofswitch.lab.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.host.wire.Bytes;
import dev.ofswitch.lab.host.wire.Checksum;
import dev.ofswitch.lab.host.wire.Ethernet;
import dev.ofswitch.lab.host.wire.Ipv4;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Frames damaged at random (bytes overwritten, cut short, extended with garbage, checksums optionally repaired so the
 * damage reaches the L4 parsers) and pure noise never make a host throw, never reach the parser's safety net
 * (explicit checks catch them first), and leave the host working: once ARP is flushed (a damaged ARP packet may be
 * a valid one that poisons the cache, as on Linux), it still answers a ping.
 */
class MalformedFramePropertyTest {
    /** Real frames of every kind the stack parses, recorded once from a short session. */
    private static final List<byte[]> FRAMES = record();

    private static List<byte[]> record() {
        VirtualScheduler sched = new VirtualScheduler();
        TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, 1);
        List<byte[]> frames = new ArrayList<>();
        wire.taps.add((p, f) -> frames.add(f.clone()));
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        sched.await(h1.ping(TestHosts.ip(2), 1, 1000, 1000, 56));
        sched.await(h2.bind(7, (s, src, port, payload) -> s.send(src, port, payload)));
        sched.await(h1.sendUdp(4000, TestHosts.ip(2), 7, "udp".getBytes()));
        sched.await(h1.sendUdp(4000, TestHosts.ip(2), 9, "closed".getBytes()));
        sched.await(h2.listen(80, c -> c.setHandler(new TcpHandler() {
            @Override
            public void onEof(TcpConnection conn) {
                conn.close();
            }
        })));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80));
        sched.await(c.write(new byte[3000]));
        sched.await(c.close());
        sched.runUntilIdle();
        return frames;
    }

    @Provide
    Arbitrary<List<byte[]>> damagedFrames() {
        return damaged().list().ofMinSize(1).ofMaxSize(20);
    }

    private Arbitrary<byte[]> damaged() {
        Arbitrary<byte[]> mutated = Combinators.combine(
                Arbitraries.of(FRAMES),
                Arbitraries.integers().between(0, 1 << 16).list().ofMaxSize(6),
                Arbitraries.bytes().list().ofSize(6),
                Arbitraries.integers().between(-80, 40),
                Arbitraries.of(true, false)).as((f, positions, values, resize, repair) -> {
                    byte[] d = f.clone();
                    for (int i = 0; i < positions.size(); i++) {
                        d[positions.get(i) % d.length] = values.get(i);
                    }
                    d = Arrays.copyOf(d, Math.max(0, d.length + resize));
                    if (repair) {
                        repairChecksums(d);
                    }
                    return d;
                });
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
        Arbitrary<byte[]> noiseForUs = noise.map(n -> {
            byte[] d = Arrays.copyOf(n, Math.max(n.length, Ethernet.HEADER_LEN));
            Ethernet.writeHeader(d, 2, 9, n.length % 2 == 0 ? Ethernet.TYPE_IPV4 : Ethernet.TYPE_ARP);
            return d;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, mutated), net.jqwik.api.Tuple.of(1, noise), net.jqwik.api.Tuple.of(2, noiseForUs));
    }

    @Property(tries = 300)
    void damagedFrames_areDroppedAndCounted_andTheHostKeepsWorking(@ForAll("damagedFrames") List<byte[]> frames) {
        VirtualScheduler sched = new VirtualScheduler();
        TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, 2);
        List<String> brokeThrough = new ArrayList<>();
        HostLogger logger = (h, t, m) -> {
            if (m.contains("broke the parser") || m.contains(" threw ")) {
                brokeThrough.add(m);
            }
        };
        EmulatedHost h1 = wire.host(TestHosts.builder(1).logger(logger).build());
        EmulatedHost h2 = wire.host(TestHosts.builder(2).logger(logger).build());
        sched.await(h2.bind(7, (s, src, port, payload) -> s.send(src, port, payload)));
        sched.await(h2.listen(80, c -> { }));
        sched.await(h1.connect(TestHosts.ip(2), 80));

        for (byte[] f : frames) {
            h2.receive(f.clone());
            h1.receive(f.clone());
        }
        sched.runUntilIdle();

        assertEquals(List.of(), brokeThrough);
        assertTrue(h1.counters().rxFrames() >= frames.size());
        // A damaged ARP packet can be a valid one that poisons a cache (as it would on Linux): start ARP afresh.
        sched.await(h1.flushArp());
        sched.await(h2.flushArp());
        PingResult r = sched.await(h1.ping(TestHosts.ip(2), 1, 1000, 1000, 56));
        assertEquals(1, r.received(), "still answers a ping");
    }

    /** Recomputes the IPv4 header checksum and the TCP/UDP/ICMP checksum, when the frame is long enough. */
    private static void repairChecksums(byte[] f) {
        int ip = Ethernet.HEADER_LEN;
        if (f.length < ip + Ipv4.HEADER_LEN || Ethernet.etherType(f) != Ethernet.TYPE_IPV4) {
            return;
        }
        int ihl = Ipv4.headerLength(f, ip);
        int total = Ipv4.totalLength(f, ip);
        if (ihl < Ipv4.HEADER_LEN || ip + ihl > f.length) {
            return;
        }
        Bytes.put16(f, ip + Ipv4.CSUM, 0);
        Bytes.put16(f, ip + Ipv4.CSUM, Checksum.compute(f, ip, ihl));
        int l4 = ip + ihl;
        int l4Len = total - ihl;
        if (l4Len < 8 || l4 + l4Len > f.length) {
            return;
        }
        int proto = Ipv4.protocol(f, ip);
        int csumAt = proto == Ipv4.PROTO_TCP ? 16 : proto == Ipv4.PROTO_UDP ? 6 : proto == Ipv4.PROTO_ICMP ? 2 : -1;
        if (csumAt < 0 || csumAt + 2 > l4Len) {
            return;
        }
        Bytes.put16(f, l4 + csumAt, 0);
        long sum = proto == Ipv4.PROTO_ICMP ? 0
                : Checksum.addIpv4PseudoHeader(0, Ipv4.src(f, ip), Ipv4.dst(f, ip), proto, l4Len);
        Bytes.put16(f, l4 + csumAt, Checksum.finish(Checksum.add(sum, f, l4, l4Len)));
    }
}
