package dev.ofswitch.lab.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.host.wire.Addresses;
import dev.ofswitch.lab.host.wire.Bytes;
import dev.ofswitch.lab.host.wire.Checksum;
import dev.ofswitch.lab.host.wire.Ethernet;
import dev.ofswitch.lab.host.wire.Icmp;
import dev.ofswitch.lab.host.wire.Ipv4;
import dev.ofswitch.lab.host.wire.Udp;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class UdpTest {
    private final VirtualScheduler sched = new VirtualScheduler();
    private final TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, 1);
    private final EmulatedHost h1 = wire.host(TestHosts.config(1));
    private final EmulatedHost h2 = wire.host(TestHosts.config(2));

    /** Records what a socket receives and the errors reported to it. */
    static final class Recorder implements UdpHandler {
        final List<String> datagrams = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        @Override
        public void onDatagram(UdpSocket s, Inet4Address src, int srcPort, byte[] payload) {
            datagrams.add(src.getHostAddress() + ":" + srcPort + " " + new String(payload));
        }

        @Override
        public void onError(UdpSocket s, Inet4Address dst, int dstPort, SocketError error) {
            errors.add(dst.getHostAddress() + ":" + dstPort + " " + error);
        }
    }

    @Test
    void udp_echo() {
        sched.await(h2.bind(7, (s, src, port, payload) -> s.send(src, port, payload)));
        Recorder r = new Recorder();
        UdpSocket sock = sched.await(h1.bind(0, r));

        sched.await(sock.send(TestHosts.ip(2), 7, "echo me".getBytes()));
        sched.runUntilIdle();

        assertEquals(List.of("10.0.0.2:7 echo me"), r.datagrams);
        assertTrue(sock.localPort() >= 32768 && sock.localPort() <= 60999);
    }

    @Test
    void udp_toAClosedPortIsAnsweredWithPortUnreachableQuotingHeaderAndEightBytes() {
        List<byte[]> sentByH1 = new ArrayList<>();
        List<byte[]> toH1 = new ArrayList<>();
        wire.sendHooks.add((p, f) -> {
            if (p.name.equals("h1") && Ethernet.etherType(f) == Ethernet.TYPE_IPV4) {
                sentByH1.add(f);
            }
        });
        wire.deliverHooks.add((p, f) -> {
            if (p.name.equals("h1") && Ethernet.etherType(f) == Ethernet.TYPE_IPV4) {
                toH1.add(f);
            }
        });
        Recorder r = new Recorder();
        UdpSocket sock = sched.await(h1.bind(4000, r));

        sched.await(sock.send(TestHosts.ip(2), 9999, "nobody listens here".getBytes()));
        sched.runUntilIdle();

        assertEquals(1, toH1.size());
        byte[] icmp = toH1.get(0);
        byte[] udp = sentByH1.get(0);
        int ip = Ethernet.HEADER_LEN;
        int l4 = ip + Ipv4.HEADER_LEN;
        assertEquals(Ipv4.PROTO_ICMP, Ipv4.protocol(icmp, ip));
        assertEquals(0, Checksum.compute(icmp, ip, Ipv4.HEADER_LEN), "IP header checksum");
        assertEquals(64, Ipv4.ttl(icmp, ip));
        assertEquals(0, Ipv4.fragWord(icmp, ip), "no DF on ICMP errors");
        int icmpLen = Ipv4.totalLength(icmp, ip) - Ipv4.HEADER_LEN;
        assertEquals(Icmp.HEADER_LEN + Ipv4.HEADER_LEN + 8, icmpLen);
        assertEquals(Icmp.TYPE_DEST_UNREACHABLE, Icmp.type(icmp, l4));
        assertEquals(Icmp.CODE_PORT_UNREACHABLE, Icmp.code(icmp, l4));
        assertEquals(0, Bytes.u32(icmp, l4 + 4), "unused word");
        assertEquals(0, Checksum.compute(icmp, l4, icmpLen), "ICMP checksum");
        assertArrayEquals(Arrays.copyOfRange(udp, ip, ip + 28), Arrays.copyOfRange(icmp, l4 + 8, l4 + 36),
                "quotes the datagram's IP header and first 8 bytes, unchanged");
        assertEquals(List.of("10.0.0.2:9999 ECONNREFUSED"), r.errors);
        assertEquals(1, h2.counters().udpNoPort());
        assertEquals(1, h2.counters().icmpErrorsSent());
    }

    @Test
    void udp_datagramsCarryDfAndAValidChecksum() {
        List<byte[]> frames = new ArrayList<>();
        wire.sendHooks.add((p, f) -> {
            if (Ethernet.etherType(f) == Ethernet.TYPE_IPV4) {
                frames.add(f);
            }
        });
        sched.await(h2.bind(53, (s, src, port, payload) -> { }));

        sched.await(h1.sendUdp(5353, TestHosts.ip(2), 53, "q".getBytes()));
        sched.runUntilIdle();

        byte[] f = frames.get(0);
        int ip = Ethernet.HEADER_LEN;
        int l4 = ip + Ipv4.HEADER_LEN;
        assertEquals(Ipv4.FLAG_DF, Ipv4.fragWord(f, ip));
        int len = Udp.length(f, l4);
        long sum = Checksum.addIpv4PseudoHeader(0, Ipv4.src(f, ip), Ipv4.dst(f, ip), Ipv4.PROTO_UDP, len);
        assertEquals(0, Checksum.finish(Checksum.add(sum, f, l4, len)));
        assertEquals(Ethernet.MIN_FRAME, f.length, "padded to 60 bytes");
    }

    @Test
    void udp_broadcastToAClosedPortIsNotAnswered() {
        sched.await(h1.sendUdp(68, Addresses.inet4("10.255.255.255"), 67, "discover".getBytes()));
        sched.runUntilIdle();

        assertEquals(1, h2.counters().udpNoPort());
        assertEquals(0, h2.counters().icmpErrorsSent());
    }

    @Test
    void udp_toAnAbsentHostReportsHostUnreachableToTheSocket() {
        Recorder r = new Recorder();
        UdpSocket sock = sched.await(h1.bind(4000, r));

        sched.await(sock.send(TestHosts.ip(99), 53, "anyone?".getBytes()));
        sched.runUntilIdle();

        assertEquals(List.of("10.0.0.99:53 EHOSTUNREACH"), r.errors);
    }

    @Test
    void udp_payloadNeedingFragmentationFailsAndPortsAreExclusive() {
        CompletableFuture<Void> big = sched.settle(h1.sendUdp(4000, TestHosts.ip(2), 53, new byte[1473]));
        assertEquals(SocketError.EMSGSIZE, cause(big).error());
        sched.await(h1.sendUdp(4000, TestHosts.ip(2), 53, new byte[1472]));

        sched.await(h1.bind(4000, new Recorder()));
        CompletableFuture<UdpSocket> again = sched.settle(h1.bind(4000, new Recorder()));
        assertEquals(SocketError.EADDRINUSE, cause(again).error());
    }

    @Test
    void udp_datagramWithABadChecksumIsDroppedAndCounted() {
        Recorder r = new Recorder();
        sched.await(h2.bind(53, r));
        TestWire.Port raw = wire.port("raw");
        byte[] f = RawFrames.udp(TestHosts.config(9), h2.config(), 1000, 53, "x".getBytes());
        f[Ethernet.HEADER_LEN + Ipv4.HEADER_LEN + Udp.HEADER_LEN] ^= 1;

        raw.send(f);
        sched.runUntilIdle();

        assertEquals(List.of(), r.datagrams);
        assertEquals(1, h2.counters().rxMalformed());
    }

    @Test
    void udp_closedSocketStopsReceiving() {
        Recorder r = new Recorder();
        UdpSocket s = sched.await(h2.bind(53, r));
        sched.await(s.close());

        sched.await(h1.sendUdp(4000, TestHosts.ip(2), 53, "late".getBytes()));
        sched.runUntilIdle();

        assertEquals(List.of(), r.datagrams);
        assertEquals(1, h2.counters().udpNoPort());
    }

    private static HostNetworkException cause(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return (HostNetworkException) e.getCause();
    }
}
