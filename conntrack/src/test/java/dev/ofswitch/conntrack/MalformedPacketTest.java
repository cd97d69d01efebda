package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Packets conntrack cannot parse or must not trust are {@code +inv+trk}, create nothing, are counted, and never make
 * the engine throw. Single cases follow OVS 3.1 as the oracle showed it ({@code invalid} example, ad hoc cases
 * {@code udp-icmp-other} and {@code ipv6}) or as {@code conn_key_extract()} reads.
 */
class MalformedPacketTest {
    private static final String A = "10.0.0.1";
    private static final String B = "10.0.0.2";

    private final TrackerFixture ct = new TrackerFixture();

    @AfterEach
    void close() {
        ct.close();
    }

    /** Valid frames of every kind the engine parses, each {@code +new} when whole. */
    static Stream<Arguments> validFrames() {
        return Stream.of(
            Arguments.of("TCP SYN with options", Frames.ipv4(A, B).tcp(40000, 80).flags(Frames.SYN).seq(1000)
                .mss(1460).windowScale(7).build()),
            Arguments.of("TCP data", Frames.ipv4(A, B).tcp(40000, 80).flags(Frames.PSH | Frames.ACK).seq(1).ack(1)
                .payload("GET / HTTP/1.0\r\n").build()),
            Arguments.of("UDP", Frames.ipv4(A, B).udp(5000, 53).payload("query").build()),
            Arguments.of("UDP with IPv4 options", Frames.ipv4(A, B).ipv4Options(Frames.fromHex("94040000"))
                .udp(5000, 53).payload("q").build()),
            Arguments.of("UDP in 802.1Q", Frames.ipv4(A, B).vlan(10).udp(5000, 53).payload("q").build()),
            Arguments.of("UDP in QinQ", Frames.ipv4(A, B).vlan(10).vlan(20).udp(5000, 53).payload("q").build()),
            Arguments.of("ICMP echo", Frames.ipv4(A, B).icmpEcho(8, 7, 1).payload("ping").build()),
            Arguments.of("GRE", Frames.ipv4(A, B).raw(Frames.PROTO_GRE).payload(Frames.fromHex("00000800")).build()),
            Arguments.of("IPv6 TCP with extension headers", Frames.ipv6("fd00::1", "fd00::2").hopByHop()
                .destinationOptions().tcp(40000, 80).flags(Frames.SYN).seq(1000).windowScale(2).build()),
            Arguments.of("IPv6 UDP", Frames.ipv6("fd00::1", "fd00::2").udp(5000, 53).payload("q").build()),
            Arguments.of("ICMPv6 echo", Frames.ipv6("fd00::1", "fd00::2").icmpv6Echo(128, 5, 1).payload("p").build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFrames")
    void everyTruncation_isInvalidAndCreatesNothing(String what, byte[] frame) {
        assertEquals("new|trk", ct.lookup(frame), what + " whole");
        for (int len = 0; len < frame.length; len++) {
            assertEquals("inv|trk", ct.commit(Frames.truncate(frame, len)), what + " cut to " + len);
            assertFalse(ct.md.hasConnection());
        }
        assertEquals(0, ct.count());
        assertEquals(frame.length, ct.tracker.stats().invalid());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFrames")
    void frameAtAnOffset_isParsedThere(String what, byte[] frame) {
        byte[] buffer = new byte[frame.length + 13];
        Arrays.fill(buffer, (byte) 0xa5);
        System.arraycopy(frame, 0, buffer, 7, frame.length);
        CtMetadata md = new CtMetadata();
        ct.tracker.execute(buffer, 7, frame.length, 0, CtParams.COMMIT, md, ct.clock.nanoTime());
        assertEquals("new|trk", CtState.format(md.state()), what);
        assertEquals(1, ct.count(), what);
        ct.lookup(frame);   // the same frame at offset 0 finds the connection committed from offset 7
        assertTrue(ct.md.hasConnection(), what);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFrames")
    void ethernetPadding_isIgnored(String what, byte[] frame) {
        byte[] padded = Arrays.copyOf(frame, frame.length + 20);
        assertEquals("new|trk", ct.commit(padded), what);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFrames")
    void malformed_isInvalid(String what, byte[] frame) {
        assertEquals("inv|trk", ct.commit(frame), what);
        assertEquals(0, ct.count(), what);
        assertEquals(1, ct.tracker.stats().invalid(), what);
    }

    static Stream<Arguments> invalidFrames() {
        Frames.Builder udp = Frames.ipv4(A, B).udp(5000, 53).payload("q");
        Frames.Builder tcp = Frames.ipv4(A, B).tcp(40000, 80).flags(Frames.SYN).seq(1000);
        byte[] version5 = udp.build();
        version5[14] = 0x55;    // checksum left as computed for version 4, as in the oracle case
        return Stream.of(
            Arguments.of("ARP", Frames.arpRequest()),
            Arguments.of("unknown Ethernet type", Frames.ethernet(0x88cc, new byte[46])),
            Arguments.of("IPv4 type over an IPv6 packet", Frames.ipv6("fd00::1", "fd00::2").ethType(0x0800)
                .udp(1, 2).build()),
            Arguments.of("VLAN tag cut short", Frames.truncate(Frames.ipv4(A, B).vlan(1).udp(1, 2).build(), 16)),
            Arguments.of("bad IPv4 header checksum", udp.copy().corruptIpChecksum().build()),
            Arguments.of("IP version 5", version5),
            Arguments.of("IHL 4", udp.copy().ipHeaderLengthWords(4).build()),
            Arguments.of("IHL beyond the packet", udp.copy().ipHeaderLengthWords(15).build()),
            Arguments.of("total length beyond the frame", udp.copy().ipTotalLength(200).build()),
            Arguments.of("total length shorter than the header", udp.copy().ipTotalLength(19).build()),
            Arguments.of("IPv4 first fragment", udp.copy().fragment(true, 0).build()),
            Arguments.of("IPv4 later fragment", udp.copy().fragment(false, 100).build()),
            Arguments.of("bad UDP checksum", udp.copy().corruptL4Checksum().build()),
            Arguments.of("UDP length 7", udp.copy().udpLength(7).build()),
            Arguments.of("UDP length beyond the payload", udp.copy().udpLength(100).build()),
            Arguments.of("UDP source port 0", Frames.ipv4(A, B).udp(0, 53).build()),
            Arguments.of("UDP destination port 0", Frames.ipv4(A, B).udp(5000, 0).build()),
            Arguments.of("bad TCP checksum", tcp.copy().l4Checksum(0x1234).build()),
            Arguments.of("TCP data offset 4", tcp.copy().tcpDataOffsetWords(4).build()),
            Arguments.of("TCP data offset beyond the segment", tcp.copy().tcpDataOffsetWords(15).build()),
            Arguments.of("TCP destination port 0", Frames.ipv4(A, B).tcp(41000, 0).flags(Frames.SYN).build()),
            Arguments.of("TCP source port 0", Frames.ipv4(A, B).tcp(0, 80).flags(Frames.SYN).build()),
            Arguments.of("bad ICMP checksum", Frames.ipv4(A, B).icmpEcho(8, 70, 0).l4Checksum(0x1234).build()),
            Arguments.of("ICMP shorter than 8 bytes", Frames.ipv4(A, B).raw(Frames.PROTO_ICMP)
                .payload(Frames.fromHex("0800f7ff")).build()),
            Arguments.of("IPv6 payload length beyond the frame", Frames.ipv6("fd00::1", "fd00::2")
                .ipv6PayloadLength(100).udp(1, 2).build()),
            Arguments.of("IPv6 version 4", Frames.ipv6("fd00::1", "fd00::2").ipVersion(4).udp(1, 2).build()),
            Arguments.of("IPv6 extension header beyond the payload", Frames.ipv6("fd00::1", "fd00::2")
                .extHeader(0, Frames.fromHex("11ff000000000000")).udp(1, 2).build()),
            Arguments.of("ICMPv6 shorter than 8 bytes", Frames.ipv6("fd00::1", "fd00::2").raw(Frames.PROTO_ICMPV6)
                .payload(Frames.fromHex("80000000")).build()));
    }

    @Test
    void invalid_clearsTheMetadataOfAPacketThatCannotBeParsed() {
        CtMetadata md = new CtMetadata();
        byte[] good = Frames.ipv4(A, B).udp(5000, 53).build();
        ct.tracker.execute(good, 0, good.length, 0, CtParams.builder().commit(true).mark(7, -1).build(), md,
                ct.clock.nanoTime());
        assertEquals(7, md.mark());
        md.forgetConnection();
        byte[] arp = Frames.arpRequest();
        ct.tracker.execute(arp, 0, arp.length, 3, CtParams.COMMIT, md, ct.clock.nanoTime());
        assertEquals(CtState.INV | CtState.TRK, md.state());
        assertEquals(0, md.mark());
        assertEquals(3, md.zone());
        assertFalse(md.hasTuple());
        assertFalse(md.hasConnection());
    }
}
