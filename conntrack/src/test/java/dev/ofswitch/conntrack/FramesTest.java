package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Frames} builds the same bytes as scapy: each frame below is compared with a packet of an ad hoc oracle case
 * ({@code src/test/resources/oracle-adhoc}, numbered as the case's report numbers packets), which scapy built and
 * real OVS parsed. The knobs break exactly what they say.
 */
class FramesTest {
    private static final String A = "10.0.0.1";
    private static final String B = "10.0.0.2";
    private static final String MAC_A = "50:54:00:00:00:01";
    private static final String MAC_B = "50:54:00:00:00:02";

    static Stream<Arguments> goldenFrames() {
        return Stream.of(
            golden("tcp-window-scale", 1, "SYN with window scale 7",
                () -> a().tcp(40030, 80).flags(Frames.SYN).seq(1000).windowScale(7).build()),
            golden("tcp-window-scale", 2, "SYN-ACK with window scale 8",
                () -> b().tcp(80, 40030).flags(Frames.SYN | Frames.ACK).seq(5000).ack(1001).windowScale(8).build()),
            golden("tcp-window-scale", 10, "SYN with MSS, SACK permitted, NOP, window scale 2",
                () -> a().tcp(40034, 80).flags(Frames.SYN).seq(1000).mss(1460).sackPermitted().nop().windowScale(2)
                    .build()),
            golden("udp-icmp-other", 1, "UDP", () -> a().udp(5000, 53).payload("q1").build()),
            golden("udp-icmp-other", 5, "UDP with checksum 0", () -> a().udp(5001, 53).l4Checksum(0).payload("zz")
                .build()),
            golden("udp-icmp-other", 8, "TCP with checksum 0x1234",
                () -> a().tcp(41000, 80).flags(Frames.SYN).seq(1).window(8192).l4Checksum(0x1234).build()),
            golden("udp-icmp-other", 11, "ICMP echo request", () -> a().icmpEcho(8, 77, 1).build()),
            golden("udp-icmp-other", 13, "ICMP echo reply", () -> b().icmpEcho(0, 77, 1).build()),
            golden("udp-icmp-other", 18, "ICMP port unreachable quoting UDP",
                () -> b().icmp(3, 3).payload(a().udp(5000, 53).buildIp()).build()),
            golden("udp-icmp-other", 20, "ICMP time exceeded from a router",
                () -> Frames.ipv4("10.0.0.254", A).macs(MAC_B, MAC_A).icmp(11, 0).payload(a().udp(5000, 53).buildIp())
                    .build()),
            golden("udp-icmp-other", 25, "ICMP error quoting 8 bytes of TCP",
                () -> b().icmp(3, 3).payload(a().raw(6).payload(Frames.fromHex("a0290050000003e8")).buildIp())
                    .build()),
            golden("udp-icmp-other", 27, "ICMP redirect",
                () -> b().icmp(5, 1).icmpRestOfHeader(0x0a000003).payload(a().udp(5000, 53).buildIp()).build()),
            golden("udp-icmp-other", 29, "GRE", () -> a().raw(47).payload(Frames.fromHex("00000800")).build()),
            golden("udp-icmp-other", 33, "IPv4 options",
                () -> a().ipv4Options(Frames.fromHex("94040000")).udp(5003, 53).payload("opt").build()),
            golden("udp-icmp-other", 34, "802.1Q", () -> a().vlan(10).udp(5004, 53).payload("vlan").build()),
            golden("udp-icmp-other", 35, "UDP length shorter than the payload",
                () -> a().udp(5005, 53).udpLength(10).payload("abtrailer").build()),
            golden("udp-icmp-other", 38, "Ethernet padding", () -> a().udp(5008, 53).payload("pad")
                .ethernetPadding(20).build()),
            golden("udp-icmp-other", 39, "IPv4 first fragment", () -> a().fragment(true, 0).udp(5009, 53)
                .payload("frag").build()),
            golden("ipv6", 1, "IPv6 hop-by-hop and destination options",
                () -> a6().hopByHop().destinationOptions().tcp(40000, 80).flags(Frames.SYN).seq(1000).build()),
            golden("ipv6", 3, "IPv6 routing header",
                () -> a6().routingHeader().tcp(40000, 80).flags(Frames.ACK).seq(1001).ack(5001).build()),
            golden("ipv6", 4, "IPv6 UDP", () -> a6().udp(5000, 53).payload("q").build()),
            golden("ipv6", 8, "ICMPv6 echo request", () -> a6().icmpv6Echo(128, 5, 1).build()),
            golden("ipv6", 12, "neighbour solicitation",
                () -> a6().ttl(255).icmpv6(135, 0).payload(Frames.fromHex("fd000000000000000000000000000002"))
                    .build()),
            golden("ipv6", 14, "IPv6 fragment", () -> a6().fragmentHeader(0, true, 1).udp(5003, 53).payload("f")
                .build()),
            golden("ipv6", 15, "IPv6 atomic fragment", () -> a6().fragmentHeader(0, false, 2).udp(5004, 53)
                .payload("f").build()),
            golden("ipv6", 17, "ICMPv6 packet too big",
                () -> Frames.ipv6("fd00::2", "fd00::1").macs(MAC_B, MAC_A).icmpv6(2, 0).icmpRestOfHeader(1280)
                    .payload(a6().udp(5000, 53).buildIp()).build()),
            golden("ipv6", 21, "IPv4-mapped address",
                () -> Frames.ipv6("::ffff:10.0.0.1", "::1").udp(7002, 7003).payload("c").build()));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("goldenFrames")
    void build_equalsScapysFrame(String oracleCase, int packet, String what, Supplier<byte[]> frame)
            throws IOException {
        assertEquals(Frames.hex(oraclePacket(oracleCase, packet)), Frames.hex(frame.get()), what);
    }

    @Test
    void build_ipv4HeaderAndUdpChecksumsVerify() {
        byte[] f = a().udp(5000, 53).payload("hello").build();
        assertEquals(0, Frames.checksum(f, 14, 20));
        assertEquals(0, udpOverIpv4Sum(f));
    }

    @Test
    void corruptIpChecksum_changesOnlyTheChecksum() {
        byte[] good = a().udp(5000, 53).build();
        byte[] bad = a().udp(5000, 53).corruptIpChecksum().build();
        assertNotEquals(0, Frames.checksum(bad, 14, 20));
        bad[24] = good[24];
        bad[25] = good[25];
        assertArrayEquals(good, bad);
    }

    @Test
    void corruptL4Checksum_isWrongAndNeverZero() {
        for (int port = 1; port < 2000; port++) {
            byte[] f = a().udp(port, 53).corruptL4Checksum().build();
            int csum = ((f[40] & 0xff) << 8) | (f[41] & 0xff);
            assertNotEquals(0, csum, "port " + port);
            assertNotEquals(0, udpOverIpv4Sum(f), "port " + port);
        }
    }

    @Test
    void udp_computedZeroChecksumIsSentAsAllOnes() {
        // Find a payload whose checksum comes out 0 and check that the frame carries 0xffff instead.
        for (int i = 0; i < 65536; i++) {
            byte[] payload = {(byte) (i >>> 8), (byte) i};
            byte[] f = a().udp(5000, 53).payload(payload).build();
            if (((f[40] & 0xff) << 8 | (f[41] & 0xff)) == 0xffff) {
                assertEquals(0, udpOverIpv4Sum(f));
                return;
            }
        }
        throw new AssertionError("no payload gave a zero UDP checksum");
    }

    @Test
    void reversed_swapsAddressesPortsAndMacs() {
        byte[] reply = a().udp(5000, 53).payload("x").reversed().build();
        assertArrayEquals(b().udp(53, 5000).payload("x").build(), reply);
    }

    @Test
    void copy_isIndependent() {
        Frames.Builder base = a().tcp(1, 2).flags(Frames.SYN);
        Frames.Builder other = base.copy().flags(Frames.ACK).windowScale(3);
        assertEquals(Frames.SYN, base.build()[14 + 20 + 13]);
        assertEquals(Frames.ACK, other.build()[14 + 20 + 13]);
        assertEquals(54, base.build().length);
    }

    @Test
    void build_canBeRepeated() {
        Frames.Builder b = a6().hopByHop().udp(1, 2).payload("p");
        assertArrayEquals(b.build(), b.build());
    }

    @Test
    void knobs_writeWhatTheySay() {
        byte[] f = a().ipTotalLength(999).ipHeaderLengthWords(4).ipVersion(5).ttl(3).tos(0x10).ipId(77).dontFragment()
                .tcp(1, 2).tcpDataOffsetWords(15).urgentPointer(9).build();
        assertEquals(0x54, f[14] & 0xff);
        assertEquals(0x10, f[15] & 0xff);
        assertEquals(999, u16(f, 16));
        assertEquals(77, u16(f, 18));
        assertEquals(0x4000, u16(f, 20));
        assertEquals(3, f[22]);
        assertEquals(15 << 4, f[14 + 20 + 12] & 0xff);
        assertEquals(9, u16(f, 14 + 20 + 18));
        byte[] v6 = a6().ipv6PayloadLength(3).flowLabel(0x12345).udp(1, 2).build();
        assertEquals(3, u16(v6, 18));
        assertEquals(0x60012345, ((v6[14] & 0xff) << 24) | ((v6[15] & 0xff) << 16) | u16(v6, 16));
        assertEquals(Frames.ETH_TYPE_ARP, u16(a().ethType(Frames.ETH_TYPE_ARP).udp(1, 2).build(), 12));
    }

    @Test
    void misuse_failsWithAMessage() {
        assertThrows(IllegalStateException.class, () -> a().udp(1, 2).seq(5));
        assertThrows(IllegalStateException.class, () -> a().hopByHop());
        assertThrows(IllegalStateException.class, () -> a6().ipv4Options(new byte[4]));
        assertThrows(IllegalStateException.class, () -> a().build());
        assertThrows(IllegalArgumentException.class, () -> Frames.ipv4("10.0.0", B));
        assertThrows(IllegalArgumentException.class, () -> Frames.ipv6("not-an-address", "fd00::1"));
    }

    @Test
    void arpRequest_isAnArpFrame() {
        byte[] f = Frames.arpRequest();
        assertEquals(42, f.length);
        assertEquals(Frames.ETH_TYPE_ARP, u16(f, 12));
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static Frames.Builder a() {
        return Frames.ipv4(A, B);
    }

    private static Frames.Builder b() {
        return Frames.ipv4(B, A).macs(MAC_B, MAC_A);
    }

    private static Frames.Builder a6() {
        return Frames.ipv6("fd00::1", "fd00::2");
    }

    private static Arguments golden(String oracleCase, int packet, String what, Supplier<byte[]> frame) {
        return Arguments.of(oracleCase, packet, what, frame);
    }

    /** Packet {@code n} (from 1) of an ad hoc oracle case's script. */
    static byte[] oraclePacket(String oracleCase, int n) throws IOException {
        String script = OracleExamplesEngineTest.resource("/oracle-adhoc/", oracleCase + "/packets.hex.txt");
        List<String> packets = new ArrayList<>();
        for (String line : script.split("\n")) {
            if (line.startsWith("in_port=")) {
                packets.add(line.substring(line.indexOf(' ') + 1));
            }
        }
        return Frames.fromHex(packets.get(n - 1));
    }

    /** The UDP checksum check over IPv4 of a frame without tags: 0 when it verifies. */
    private static int udpOverIpv4Sum(byte[] f) {
        int len = f.length - 34;
        byte[] pseudo = new byte[12 + len];
        System.arraycopy(f, 26, pseudo, 0, 8);
        pseudo[9] = 17;
        pseudo[10] = (byte) (len >>> 8);
        pseudo[11] = (byte) len;
        System.arraycopy(f, 34, pseudo, 12, len);
        return Frames.checksum(pseudo, 0, pseudo.length);
    }

    private static int u16(byte[] f, int i) {
        return ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
    }
}
