package dev.ofswitch.lab.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.CtState;
import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.lab.host.wire.Ethernet;
import dev.ofswitch.lab.host.wire.FrameFormat;
import dev.ofswitch.lab.host.wire.Ipv4;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The point of the TCP emulation: every frame two hosts exchange in a normal TCP session, fed through the real
 * conntrack engine ({@code ct(commit)} in zone 0, as a stateful firewall does), is tracked and never {@code +inv}:
 * handshake, a 100 kB transfer each way through a lossy, reordering switch, zero windows, and FIN teardown. Loss
 * happens both before the tracker (uplinks) and after it (downlinks).
 *
 * <p>Reordering happens only after the tracker, as in a real network where a host's cable to its switch is FIFO.
 * Reordering before it (netem jitter on a host link, say) can make pf's rule "a retransmission is at most one
 * maximum window behind the highest sequence sent" reject a legitimate fast retransmit that a newer segment
 * overtook: found by {@link ConntrackPropertyTest} with a 5840-byte window, and what OVS would do with Linux hosts
 * too.
 */
class ConntrackTest {
    private final VirtualScheduler sched = new VirtualScheduler();
    private final ControllableClock clock = ControllableClock.manual(0);
    private final ConnTracker ct = ConnTracker.create(clock);
    private final List<String> invalid = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private long tracked;
    private int statesSeen;

    @AfterEach
    void closeTracker() {
        ct.close();
    }

    private void track(byte[] frame) {
        if (Ethernet.etherType(frame) != Ethernet.TYPE_IPV4
                || Ipv4.protocol(frame, Ethernet.HEADER_LEN) != Ipv4.PROTO_TCP) {
            return;
        }
        long now = sched.elapsedNanos();
        long behind = now - clock.nanoTime();
        if (behind > 0) {
            clock.advanceNanos(behind);
        }
        CtMetadata md = new CtMetadata();
        ct.execute(frame.clone(), 0, frame.length, 0, CtParams.COMMIT, md, now);
        int st = md.state();
        statesSeen |= st;
        tracked++;
        String line = String.format("%10.3f %-16s %s", now / 1e6, CtState.format(st), FrameFormat.describe(frame));
        trace.add(line);
        if ((st & CtState.INV) != 0 || (st & CtState.TRK) == 0) {
            invalid.add(line);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void normalTcpSession_isNeverInvalid(long seed) {
        session(seed, 0);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void zeroWindowAndProbes_areNeverInvalid(long seed) {
        List<TcpConnection> conns = session(seed, 5000);
        assertTrue(conns.get(0).stats().zeroWindowProbes() > 0, () -> conns.get(0).stats().toString());
    }

    @Test
    void forgedSegmentBeyondTheWindow_isInvalid() {
        // The control experiment: the same tap flags a segment a real stack would never send.
        TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, 1);
        List<byte[]> forged = new ArrayList<>();
        wire.taps.add((p, f) -> {
            track(f);
            String d = FrameFormat.describe(f);
            if (forged.isEmpty() && d.contains("length 1460")) {
                byte[] g = f.clone();
                int l4 = Ethernet.HEADER_LEN + Ipv4.HEADER_LEN;
                dev.ofswitch.lab.host.wire.Bytes.put32(g, l4 + 4, dev.ofswitch.lab.host.wire.Tcp.seq(g, l4) + 1_000_000);
                dev.ofswitch.lab.host.wire.Bytes.put16(g, l4 + 16, 0);
                int len = Ipv4.totalLength(g, Ethernet.HEADER_LEN) - Ipv4.HEADER_LEN;
                long sum = dev.ofswitch.lab.host.wire.Checksum.addIpv4PseudoHeader(0,
                        Ipv4.src(g, Ethernet.HEADER_LEN), Ipv4.dst(g, Ethernet.HEADER_LEN), Ipv4.PROTO_TCP, len);
                dev.ofswitch.lab.host.wire.Bytes.put16(g, l4 + 16,
                        dev.ofswitch.lab.host.wire.Checksum.finish(dev.ofswitch.lab.host.wire.Checksum.add(sum, g, l4, len)));
                forged.add(g);
            }
        });
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        sched.await(h2.listen(80, c -> c.setHandler(new TcpHandler() { })));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80));
        sched.await(c.write(new byte[5000]));
        assertEquals(List.of(), invalid);

        track(forged.get(0));

        assertEquals(1, invalid.size(), () -> String.join("\n", trace));
    }

    private List<TcpConnection> session(long seed, long serverPauseMs) {
        TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, seed);
        wire.taps.add((p, f) -> track(f));
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.builder(2).tcpRcvBufBytes(32768).build());
        wire.ports().forEach(p -> p.configure(l -> l.delayMs(2).jitterMs(seed % 2 == 0 ? 1.5 : 0).loss(0.02)));
        wire.ports().forEach(p -> p.down.reorder(true));
        byte[] up = new byte[100_000];
        byte[] down = new byte[100_000];
        Random r = new Random(seed);
        r.nextBytes(up);
        r.nextBytes(down);
        ByteArrayOutputStream atServer = new ByteArrayOutputStream();
        ByteArrayOutputStream atClient = new ByteArrayOutputStream();
        List<TcpConnection> accepted = new ArrayList<>();
        sched.await(h2.listen(8080, accepted::add));

        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 8080, new TcpHandler() {
            @Override
            public void onData(TcpConnection conn, byte[] data) {
                atClient.writeBytes(data);
            }

            @Override
            public void onEof(TcpConnection conn) {
                conn.close();
            }
        }));
        sched.runUntil(() -> !accepted.isEmpty(), Long.MAX_VALUE);
        TcpConnection s = accepted.get(0);
        c.write(up);
        sched.advance(serverPauseMs);
        // The server reads slowly (pull mode, 32 kB buffer): its window closes and opens again.
        while (atServer.size() < up.length) {
            sched.advance(20);
            atServer.writeBytes(sched.await(s.read()));
        }
        sched.await(s.write(down));
        sched.await(s.close());
        sched.await(s.read());
        sched.runUntilIdle();

        assertArrayEquals(up, atServer.toByteArray());
        assertArrayEquals(down, atClient.toByteArray());
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpState.CLOSED, s.state());
        assertTrue(tracked > 150, "tracked " + tracked);
        assertTrue((statesSeen & CtState.EST) != 0 && (statesSeen & CtState.NEW) != 0, CtState.format(statesSeen));
        assertTrue(c.stats().retransmits() + s.stats().retransmits() > 0, "the loss made someone retransmit");
        assertEquals(List.of(), invalid, () -> "+inv among:\n" + String.join("\n", trace));
        return List.of(c, s);
    }
}
