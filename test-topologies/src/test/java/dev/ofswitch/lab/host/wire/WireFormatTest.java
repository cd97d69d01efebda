package dev.ofswitch.lab.host.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void checksum_rfc1071Example() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (with the carry folded); the checksum is ~ddf2.
        byte[] b = HexFormat.of().parseHex("0001f203f4f5f6f7");
        assertEquals(0xddf2, 0xffff & ~Checksum.compute(b, 0, b.length));
        assertEquals(0x220d, Checksum.compute(b, 0, b.length));
    }

    @Test
    void checksum_oddLengthPadsWithZeroAndVerifiesToZero() {
        byte[] b = {0x12, 0x34, 0x56, 0, 0};
        int c = Checksum.compute(b, 0, 3);
        assertEquals(Checksum.compute(new byte[] {0x12, 0x34, 0x56, 0}, 0, 4), c);
        Bytes.put16(b, 3, c);
        // Data followed by its checksum at an even offset sums to zero when the padding is made explicit.
        byte[] even = {0x12, 0x34, 0x56, 0, (byte) (c >>> 8), (byte) c};
        assertEquals(0, Checksum.compute(even, 0, even.length));
    }

    @Test
    void ipv4Header_isTwentyBytesWithAValidChecksum() {
        byte[] f = new byte[40];
        Ipv4.writeHeader(f, 10, 30, 0x1234, true, 64, Ipv4.PROTO_UDP, Addresses.parseIpv4("10.0.0.1"),
                Addresses.parseIpv4("10.0.0.2"));
        assertEquals("450000" + "1e" + "1234" + "4000" + "4011", HexFormat.of().formatHex(f, 10, 20));
        assertEquals(0, Checksum.compute(f, 10, Ipv4.HEADER_LEN));
        assertEquals(20, Ipv4.headerLength(f, 10));
    }

    @Test
    void arp_isTwentyEightBytesAfterEthernetPaddedToSixty() {
        byte[] f = Arp.build(Addresses.BROADCAST_MAC, 1, Arp.OP_REQUEST, 1, Addresses.parseIpv4("10.0.0.1"), 0,
                Addresses.parseIpv4("10.0.0.2"));
        assertEquals(Ethernet.MIN_FRAME, f.length);
        assertEquals(Ethernet.HEADER_LEN + 28, Arp.TPA + 4);
        assertEquals("ffffffffffff" + "000000000001" + "0806" + "0001" + "0800" + "06" + "04" + "0001"
                + "000000000001" + "0a000001" + "000000000000" + "0a000002", HexFormat.of().formatHex(f, 0, 42));
        assertEquals("ARP, Request who-has 10.0.0.2 tell 10.0.0.1", FrameFormat.describe(f));
    }

    @Test
    void tcpOptions_parseWhatLinuxSendsAndStopAtGarbage() {
        byte[] h = new byte[40];
        byte[] opts = HexFormat.of().parseHex("020405b4" + "0402" + "080a0000000100000000" + "01" + "030307");
        System.arraycopy(opts, 0, h, 20, opts.length);
        Tcp.Options o = Tcp.Options.parse(h, 0, 40);
        assertEquals(1460, o.mss);
        assertEquals(7, o.wscale);
        assertTrue(o.sackPermitted);

        byte[] bad = new byte[28];
        bad[20] = Tcp.OPT_MSS;
        bad[21] = 40;
        Tcp.Options b = Tcp.Options.parse(bad, 0, 28);
        assertEquals(-1, b.mss);
        bad[20] = Tcp.OPT_WSCALE;
        bad[21] = 3;
        bad[22] = 30;
        assertEquals(14, Tcp.Options.parse(bad, 0, 28).wscale, "clamped to RFC 7323's 14");
    }

    @Test
    void addresses_parseAndFormat() {
        assertEquals(0x0a000001, Addresses.parseIpv4("10.0.0.1"));
        assertEquals("255.255.255.255", Addresses.formatIpv4(-1));
        assertEquals(0xffffff00, Addresses.netmask(24));
        assertEquals(0, Addresses.netmask(0));
        assertEquals(-1, Addresses.netmask(32));
        assertEquals(0x0000_0000_0001L, Addresses.parseMac("00:00:00:00:00:01"));
        assertEquals("0a:1b:2c:3d:4e:5f", Addresses.formatMac(Addresses.parseMac("0A-1B-2C-3D-4E-5F")));
        assertTrue(Addresses.isMulticastMac(Addresses.BROADCAST_MAC));
        assertFalse(Addresses.isMulticastMac(2));
        assertThrows(IllegalArgumentException.class, () -> Addresses.parseIpv4("10.0.0.256"));
        assertThrows(IllegalArgumentException.class, () -> Addresses.parseIpv4("10.0.0"));
        assertThrows(IllegalArgumentException.class, () -> Addresses.parseMac("00:00:00:00:00"));
        assertThrows(IllegalArgumentException.class,
                () -> Addresses.ipv4(java.net.InetAddress.getByAddress(new byte[16])));
    }

    @Test
    void describe_neverThrows() {
        assertEquals("runt frame (3 bytes)", FrameFormat.describe(new byte[3]));
        byte[] f = new byte[20];
        Bytes.put16(f, Ethernet.TYPE, Ethernet.TYPE_IPV4);
        assertEquals("malformed frame (20 bytes)", FrameFormat.describe(f));
    }
}
