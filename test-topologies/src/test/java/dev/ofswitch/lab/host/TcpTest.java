package dev.ofswitch.lab.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.host.wire.FrameFormat;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class TcpTest {
    private final VirtualScheduler sched = new VirtualScheduler();
    private final List<String> trace = new ArrayList<>();

    private TestWire wire(long seed, double delayMs) {
        TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, seed);
        wire.taps.add((p, f) -> trace.add(String.format("%8.3f %s", sched.elapsedNanos() / 1e6,
                FrameFormat.describe(f))));
        return wire;
    }

    /** Collects what a connection receives, and its EOF and close. */
    static final class Sink implements TcpHandler {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        boolean eof;
        boolean closed;
        SocketError error;
        final boolean closeOnEof;

        Sink(boolean closeOnEof) {
            this.closeOnEof = closeOnEof;
        }

        @Override
        public void onData(TcpConnection c, byte[] d) {
            data.writeBytes(d);
        }

        @Override
        public void onEof(TcpConnection c) {
            eof = true;
            if (closeOnEof) {
                c.close();
            }
        }

        @Override
        public void onClosed(TcpConnection c, SocketError e) {
            closed = true;
            error = e;
        }
    }

    @Test
    void handshake_dataBothWays_andOrderlyClose() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        wire.ports().forEach(p -> p.configure(l -> l.delayMs(0.5)));
        List<TcpConnection> accepted = new ArrayList<>();
        Sink serverSink = new Sink(true);
        sched.await(h2.listen(5001, c -> {
            accepted.add(c);
            c.setHandler(serverSink);
        }));
        Sink clientSink = new Sink(false);

        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 5001, clientSink));

        assertEquals(TcpState.ESTABLISHED, c.state());
        sched.runUntilIdle();
        assertEquals(1, accepted.size());
        TcpConnection s = accepted.get(0);
        assertEquals(TcpState.ESTABLISHED, s.state());
        assertEquals(List.of("tcp ESTABLISHED 10.0.0.2:5001 10.0.0.1:" + c.localAddress().getPort(),
                "tcp LISTEN 10.0.0.2:5001"), sched.await(h2.netstat()));
        assertTrue(trace.stream().anyMatch(l -> l.contains("Flags [S], seq") && l.contains("mss 1460,wscale 7")),
                trace::toString);

        sched.await(c.write("hello from h1".getBytes()));
        sched.await(s.write("hello from h2".getBytes()));
        sched.runUntilIdle();
        assertEquals("hello from h1", serverSink.data.toString());
        assertEquals("hello from h2", clientSink.data.toString());

        sched.await(c.close());
        sched.await(c.closeFuture());
        assertTrue(serverSink.eof && clientSink.eof);
        assertEquals(TcpState.TIME_WAIT, c.state(), "the side that closed first waits");
        sched.runUntil(() -> s.state() == TcpState.CLOSED, Long.MAX_VALUE);
        assertEquals(TcpState.CLOSED, s.state());
        assertTrue(serverSink.closed && serverSink.error == null);

        long before = sched.elapsedMillis();
        sched.runUntilIdle();
        assertEquals(TcpState.CLOSED, c.state());
        assertTrue(sched.elapsedMillis() - before >= 59_000, "TIME_WAIT lasts 60 s");
    }

    @Test
    void timeWait_isConfigurableAndAnswersARetransmittedFin() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.builder(1).tcpTimeWaitMs(2000).build());
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        sched.await(h2.listen(80, c -> c.setHandler(new Sink(true))));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80, new Sink(false)));
        // Lose h1's last ACK (the one for h2's FIN) once: h2 retransmits its FIN into h1's TIME_WAIT.
        boolean[] dropped = {false};
        wire.portOf(h1).up.dropIf = f -> {
            String d = FrameFormat.describe(f);
            if (!dropped[0] && c.state() == TcpState.TIME_WAIT && d.contains("Flags [.]")) {
                dropped[0] = true;
                return true;
            }
            return false;
        };

        sched.await(c.close());
        sched.runUntil(() -> c.state() == TcpState.TIME_WAIT, Long.MAX_VALUE);
        long enteredAt = sched.elapsedMillis();
        sched.runUntil(() -> c.state() == TcpState.CLOSED, Long.MAX_VALUE);

        assertTrue(dropped[0]);
        long waited = sched.elapsedMillis() - enteredAt;
        assertTrue(waited >= 2000 && waited < 5000, "restarted once by the FIN: " + waited);
        assertEquals(2, trace.stream().filter(l -> l.contains("10.0.0.2.80 > ") && l.contains("Flags [F.]")).count(),
                trace::toString);
    }

    @Test
    void connect_toAClosedPortIsRefusedByAReset() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));

        CompletableFuture<TcpConnection> f = sched.settle(h1.connect(TestHosts.ip(2), 22));

        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertEquals(SocketError.ECONNREFUSED, assertInstanceOf(HostNetworkException.class, e.getCause()).error());
        assertEquals(1, h2.counters().tcpResetsSent());
        assertTrue(trace.stream().anyMatch(l -> l.contains("10.0.0.2.22 > 10.0.0.1.") && l.contains("Flags [R.], seq 0")),
                trace::toString);
    }

    @Test
    void segment_forNoConnectionIsAnsweredWithAResetAsRfc9293Says() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        TestWire.Port raw = wire.port("raw");
        List<String> back = new ArrayList<>();
        raw.receiver = f -> back.add(FrameFormat.describe(f));
        HostConfig me = TestHosts.config(9);
        // Introduce ourselves with an ARP request so that h2 can answer without resolving.
        raw.send(dev.ofswitch.lab.host.wire.Arp.build(dev.ofswitch.lab.host.wire.Addresses.BROADCAST_MAC, me.mac(),
                dev.ofswitch.lab.host.wire.Arp.OP_REQUEST, me.mac(), me.ipv4Int(), 0, h2.config().ipv4Int()));

        raw.send(RawFrames.tcp(me, h2.config(), 40000, 80, 1234, 777777, 0x10, 1000, new byte[0]));
        raw.send(RawFrames.tcp(me, h2.config(), 40001, 80, 5000, 0, 0x02, 1000, new byte[0]));
        raw.send(RawFrames.tcp(me, h2.config(), 40002, 80, 6000, 0, 0x04, 1000, new byte[0]));
        sched.runUntilIdle();

        assertEquals(List.of(
                "ARP, Reply 10.0.0.2 is-at 00:00:00:00:00:02",
                "10.0.0.2.80 > 10.0.0.9.40000: Flags [R], seq 777777, win 0, length 0",
                "10.0.0.2.80 > 10.0.0.9.40001: Flags [R.], seq 0, ack 5001, win 0, length 0"), back.subList(0, 3));
        assertEquals(2, h2.counters().tcpResetsSent());
        // We never answer ARP: the STALE entry h2 learnt from our request is probed (unicast) three times.
        assertEquals(List.of("ARP, Request who-has 10.0.0.9 tell 10.0.0.2", "ARP, Request who-has 10.0.0.9 tell 10.0.0.2",
                "ARP, Request who-has 10.0.0.9 tell 10.0.0.2"), back.subList(3, back.size()));
    }

    @Test
    void abort_sendsResetAndThePeerSeesConnectionReset() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        Sink server = new Sink(false);
        sched.await(h2.listen(80, c -> c.setHandler(server)));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80));
        sched.await(c.write(new byte[3000]));

        sched.await(c.abort());
        sched.runUntilIdle();

        assertTrue(server.closed);
        assertEquals(SocketError.ECONNRESET, server.error);
        CompletionException e = assertThrows(CompletionException.class, () -> c.closeFuture().join());
        assertEquals(SocketError.ECONNABORTED, ((HostNetworkException) e.getCause()).error());
        assertEquals(1, h2.counters().tcpResetsReceived());
    }

    @Test
    void connect_withNoAnswerTimesOutAfterTheSynRetries() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        sched.await(h2.listen(80, c -> { }));
        sched.await(h1.ping(TestHosts.ip(2), 1, 1000, 1000, 56));
        wire.portOf(h2).down.dropIf = f -> FrameFormat.describe(f).contains("Flags [S]");

        long start = sched.elapsedMillis();
        CompletableFuture<TcpConnection> f = sched.settle(h1.connect(TestHosts.ip(2), 80));

        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertEquals(SocketError.ETIMEDOUT, ((HostNetworkException) e.getCause()).error());
        // 1 + 2 + 4 + 8 + 16 + 32 + 64 s: six retries, as tcp_syn_retries=6 gives on Linux.
        assertEquals(127_000, sched.elapsedMillis() - start);
        assertEquals(6, h1.counters().tcpRetransmits());
    }

    @Test
    void established_connectionGivesUpWithAResetWhenThePeerVanishes() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.builder(1).tcpRetries(4).build());
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        sched.await(h2.listen(80, c -> c.setHandler(new Sink(false))));
        Sink client = new Sink(false);
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80, client));
        wire.portOf(h2).down.down = true;

        CompletableFuture<Void> w = sched.settle(c.write(new byte[10_000]));

        CompletionException e = assertThrows(CompletionException.class, w::join);
        assertEquals(SocketError.ETIMEDOUT, ((HostNetworkException) e.getCause()).error());
        assertEquals(SocketError.ETIMEDOUT, client.error);
        assertEquals(1, h1.counters().tcpResetsSent());
        assertEquals(4, c.stats().timeouts());
    }

    @Test
    void largeWrite_isSegmentedByTheMss() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        Sink server = new Sink(false);
        sched.await(h2.listen(80, c -> c.setHandler(server)));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80));
        byte[] data = new byte[100_000];
        new Random(5).nextBytes(data);
        List<Integer> frameSizes = new ArrayList<>();
        wire.portOf(h1).up.dropIf = f -> {
            frameSizes.add(f.length);
            return false;
        };

        sched.await(c.write(data));
        sched.runUntilIdle();

        assertArrayEquals(data, server.data.toByteArray());
        assertEquals(14 + 20 + 20 + 1460, frameSizes.stream().mapToInt(Integer::intValue).max().getAsInt());
        assertEquals(100_000, c.stats().bytesAcked());
        assertEquals(0, c.stats().retransmits());
    }

    @Test
    void pullMode_fullReceiveBufferClosesTheWindowAndProbesReopenIt() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.builder(2).tcpRcvBufBytes(16384).build());
        TcpWindowMonitor monitor = new TcpWindowMonitor();
        monitor.install(wire);
        List<TcpConnection> accepted = new ArrayList<>();
        sched.await(h2.listen(80, accepted::add));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80));
        byte[] data = new byte[100_000];
        new Random(6).nextBytes(data);

        CompletableFuture<Void> w = c.write(data);
        sched.advance(30_000);
        assertTrue(!w.isDone(), "nobody reads, so the window stays shut");
        assertTrue(c.stats().zeroWindowProbes() > 0, "probes while the window is zero");
        // Linux-like: the edge never moves back, rounded up to the 128-byte scale unit, so a little more fits.
        long buffered = accepted.get(0).stats().bytesReceived();
        assertTrue(buffered >= 16384 - 1460 && buffered <= 16384 + 1024, "buffered " + buffered);

        ByteArrayOutputStream got = new ByteArrayOutputStream();
        TcpConnection s = accepted.get(0);
        while (got.size() < data.length) {
            got.writeBytes(sched.await(s.read()));
        }
        sched.await(w);
        assertArrayEquals(data, got.toByteArray());
        assertEquals(List.of(), monitor.violations);
        assertTrue(monitor.dataSegmentsChecked > 60);
    }

    @Test
    void transfer_ofOneMegabyteThroughFivePercentLossArrivesIntactAndInOrder() {
        TestWire wire = wire(7, 1);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        TcpWindowMonitor monitor = new TcpWindowMonitor();
        monitor.install(wire);
        Sink server = new Sink(true);
        sched.await(h2.listen(5001, c -> c.setHandler(server)));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 5001, new Sink(false)));
        wire.ports().forEach(p -> p.configure(l -> l.delayMs(1).loss(0.05)));
        byte[] data = new byte[1 << 20];
        new Random(8).nextBytes(data);

        sched.await(c.write(data));
        sched.await(c.close());
        sched.runUntilIdle();

        assertArrayEquals(data, server.data.toByteArray());
        assertTrue(server.eof);
        TcpStats st = c.stats();
        assertTrue(st.retransmits() > 0, st::toString);
        assertTrue(st.fastRetransmits() > 0, st::toString);
        assertEquals(st.retransmits(), h1.counters().tcpRetransmits());
        assertEquals(List.of(), monitor.violations);
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void isn_isRandomButReproducibleFromTheSeed() {
        List<String> first = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            VirtualScheduler s = new VirtualScheduler();
            TestWire wire = new TestWire(s, TestWire.Mode.DIRECT, 3);
            List<String> syns = new ArrayList<>();
            wire.taps.add((p, f) -> {
                String d = FrameFormat.describe(f);
                if (d.contains("Flags [S")) {
                    syns.add(d);
                }
            });
            EmulatedHost h1 = wire.host(TestHosts.config(1));
            EmulatedHost h2 = wire.host(TestHosts.config(2));
            s.await(h2.listen(80, c -> { }));
            s.await(h1.connect(TestHosts.ip(2), 80));
            if (run == 0) {
                first.addAll(syns);
            } else {
                assertEquals(first, syns);
            }
        }
        assertEquals(2, first.size());
    }

    @Test
    void windowScale_absentFromOneSynDisablesScalingBothWays() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.builder(1).tcpWindowScale(-1).build());
        EmulatedHost h2 = wire.host(TestHosts.builder(2).tcpRcvBufBytes(262_144).build());
        TcpWindowMonitor monitor = new TcpWindowMonitor();
        monitor.install(wire);
        Sink server = new Sink(false);
        sched.await(h2.listen(80, c -> c.setHandler(server)));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80));
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);

        sched.await(c.write(data));

        assertArrayEquals(data, server.data.toByteArray());
        assertTrue(trace.stream().anyMatch(l -> l.contains("Flags [S.]") && l.contains("options [mss 1460]")),
                "no wscale in the SYN-ACK: " + trace);
        assertTrue(trace.stream().filter(l -> l.contains("10.0.0.2.80 > ") && l.contains("Flags [.]"))
                .allMatch(l -> l.contains("win 65535")), "262144 bytes free, unscaled: capped at 65535");
        assertEquals(65535, c.stats().peerWindowBytes());
        assertEquals(List.of(), monitor.violations);
    }

    @Test
    void windowScale_thePeersShiftIsHonoured() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.builder(2).tcpWindowScale(2).tcpRcvBufBytes(200_000).build());
        TcpWindowMonitor monitor = new TcpWindowMonitor();
        monitor.install(wire);
        sched.await(h2.listen(80, c -> c.setHandler(new Sink(false))));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80));

        sched.await(c.write(new byte[500_000]));

        // 200000 free bytes >> 2 = 50000 in the window field.
        assertEquals(200_000, c.stats().peerWindowBytes());
        assertTrue(trace.stream().anyMatch(l -> l.contains("10.0.0.2.80 > ") && l.contains("win 50000")), trace::toString);
        assertEquals(List.of(), monitor.violations);
    }

    @Test
    void sackPermitted_isAnnouncedOnlyWhenConfiguredAndOffered() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.builder(1).tcpSackPermitted(true).build());
        EmulatedHost h2 = wire.host(TestHosts.builder(2).tcpSackPermitted(true).build());
        EmulatedHost h3 = wire.host(TestHosts.config(3));
        sched.await(h2.listen(80, c -> { }));
        sched.await(h3.listen(80, c -> { }));

        sched.await(h1.connect(TestHosts.ip(2), 80));
        sched.await(h1.connect(TestHosts.ip(3), 80));

        assertTrue(trace.stream().anyMatch(l -> l.contains("10.0.0.1.") && l.contains("Flags [S]")
                && l.contains("mss 1460,sackOK,wscale 7")), trace::toString);
        assertTrue(trace.stream().anyMatch(l -> l.contains("10.0.0.2.80 >") && l.contains("mss 1460,sackOK,wscale 7")));
        assertTrue(trace.stream().anyMatch(l -> l.contains("10.0.0.3.80 >") && l.contains("[mss 1460,wscale 7]")),
                "h3 is not configured for it");
    }

    @Test
    void ipHeaders_ttl64_dfOnTcp_andIdsIncrementByOne() {
        TestWire wire = wire(1, 0.5);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        List<byte[]> fromH1 = new ArrayList<>();
        wire.sendHooks.add((p, f) -> {
            if (p.name.equals("h1") && dev.ofswitch.lab.host.wire.Ethernet.etherType(f) == 0x0800) {
                fromH1.add(f);
            }
        });
        sched.await(h2.listen(80, c -> c.setHandler(new Sink(false))));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80));
        sched.await(c.write(new byte[20_000]));

        int ip = 14;
        for (int i = 0; i < fromH1.size(); i++) {
            byte[] f = fromH1.get(i);
            assertEquals(64, dev.ofswitch.lab.host.wire.Ipv4.ttl(f, ip));
            assertEquals(dev.ofswitch.lab.host.wire.Ipv4.FLAG_DF, dev.ofswitch.lab.host.wire.Ipv4.fragWord(f, ip));
            assertEquals(0, dev.ofswitch.lab.host.wire.Checksum.compute(f, ip, 20));
            if (i > 0) {
                int prev = dev.ofswitch.lab.host.wire.Ipv4.id(fromH1.get(i - 1), ip);
                assertEquals((prev + 1) & 0xffff, dev.ofswitch.lab.host.wire.Ipv4.id(f, ip));
            }
        }
        assertTrue(fromH1.size() > 10);
    }
}
