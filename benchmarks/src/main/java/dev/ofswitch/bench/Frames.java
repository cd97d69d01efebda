package dev.ofswitch.bench;

/**
 * The packets the benchmarks send: IPv4 frames built field by field, with a valid IP header checksum.
 *
 * <p>{@link #udp} builds the 42-byte frame of OVS's {@code tests/test-conntrack.c} (its {@code payload} hex template),
 * so that a packet here and a packet there are the same bytes:
 *
 * <pre>
 *  offset  bytes                          field
 *   0      50 54 00 00 00 0a              Ethernet destination
 *   6      50 54 00 00 00 09              Ethernet source
 *  12      08 00                          EtherType IPv4
 *  14      45 00 00 1c                    version 4, IHL 5, TOS 0, total length 28
 *  18      00 00 00 00                    id 0, flags/fragment offset 0
 *  22      00 11 a4 cd                    TTL 0 (sic), protocol 17 (UDP), header checksum (0xa4cd for the template)
 *  26      0a 01 01 01                    source 10.1.1.1
 *  30      0a 01 01 02                    destination 10.1.1.2
 *  34      00 01 00 02                    UDP source port 1, destination port 2
 *  38      00 08 00 00                    UDP length 8, checksum 0 (none, legal over IPv4)
 * </pre>
 *
 * {@link #tcp} builds the same Ethernet and IPv4 headers (TTL 64) around a 20-byte TCP header without options and
 * with a valid checksum. {@link #withUdpChecksum} gives a UDP frame a real checksum, {@link #reversed} builds the
 * other direction's frame, and {@link #checksumSums} checks a frame after a NAT rewrite. Only the control path (set-up
 * and verification, never a timed loop) uses this class.
 */
public final class Frames {
    /** Length of {@link #udp} frames: Ethernet 14 + IPv4 20 + UDP 8. */
    public static final int UDP_FRAME_LEN = 42;
    /** Length of {@link #tcp} frames: Ethernet 14 + IPv4 20 + TCP 20. */
    public static final int TCP_FRAME_LEN = 54;

    /** 10.1.1.1 and 10.1.1.2, the addresses of the ovstest template. */
    public static final int IP_10_1_1_1 = 0x0a010101;
    public static final int IP_10_1_1_2 = 0x0a010102;

    /** TCP flags. */
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private static final int ETH_LEN = 14;
    private static final int IP_LEN = 20;

    private Frames() {
    }

    /** The ovstest template with the given source and destination addresses and UDP ports. */
    public static byte[] udp(int srcIp, int dstIp, int srcPort, int dstPort) {
        byte[] f = new byte[UDP_FRAME_LEN];
        ethernet(f);
        ipv4(f, UDP_FRAME_LEN - ETH_LEN, 0, 17, srcIp, dstIp);
        int u = ETH_LEN + IP_LEN;
        put16(f, u, srcPort);
        put16(f, u + 2, dstPort);
        put16(f, u + 4, 8);         // length: header only
        put16(f, u + 6, 0);         // no checksum
        return f;
    }

    /**
     * Packet {@code i} of {@code ovstest test-conntrack benchmark-zones}: the template with UDP source port
     * {@code i >> 16} and destination port {@code i & 0xffff}, each 0 replaced by 65535.
     */
    public static byte[] zonesPacket(int i) {
        int src = (i >>> 16) & 0xffff;
        int dst = i & 0xffff;
        return udp(IP_10_1_1_1, IP_10_1_1_2, src == 0 ? 65535 : src, dst == 0 ? 65535 : dst);
    }

    /**
     * An IPv4 TCP segment without options or payload: {@code flags} from {@link #SYN} and friends, window 65535, and
     * a valid checksum.
     */
    public static byte[] tcp(int srcIp, int dstIp, int srcPort, int dstPort, int flags, int seq, int ack) {
        byte[] f = new byte[TCP_FRAME_LEN];
        ethernet(f);
        ipv4(f, TCP_FRAME_LEN - ETH_LEN, 64, 6, srcIp, dstIp);
        int t = ETH_LEN + IP_LEN;
        put16(f, t, srcPort);
        put16(f, t + 2, dstPort);
        put32(f, t + 4, seq);
        put32(f, t + 8, ack);
        f[t + 12] = (byte) (5 << 4);    // data offset: 5 words
        f[t + 13] = (byte) flags;
        put16(f, t + 14, 65535);        // window
        // Checksum over the pseudo-header (addresses, protocol, TCP length) and the segment.
        long sum = (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + 6 + 20;
        put16(f, t + 16, ~fold(sum + words(f, t, 20)) & 0xffff);
        return f;
    }

    /**
     * Rewrites the IPv4 source address of a frame built here and recomputes its header checksum, so that one buffer
     * can carry many flows.
     */
    public static void setIpv4Source(byte[] f, int srcIp) {
        put32(f, ETH_LEN + 12, srcIp);
        put16(f, ETH_LEN + 10, 0);
        put16(f, ETH_LEN + 10, ~fold(words(f, ETH_LEN, IP_LEN)) & 0xffff);
    }

    /**
     * Fills in the UDP checksum of a {@link #udp} frame (pseudo-header, header and payload), as a sending host would;
     * returns the frame.
     */
    public static byte[] withUdpChecksum(byte[] f) {
        int u = ETH_LEN + IP_LEN;
        int udpLen = get16(f, u + 4);
        put16(f, u + 6, 0);
        int c = ~fold(pseudoHeader(f, 17, udpLen) + words(f, u, udpLen)) & 0xffff;
        put16(f, u + 6, c == 0 ? 0xffff : c);
        return f;
    }

    /**
     * The frame going the other way: Ethernet addresses, IPv4 addresses and L4 ports swapped. Swapping keeps every
     * checksum valid (a one's-complement sum does not depend on the order of its words).
     */
    public static byte[] reversed(byte[] f) {
        byte[] r = f.clone();
        System.arraycopy(f, 0, r, 6, 6);
        System.arraycopy(f, 6, r, 0, 6);
        System.arraycopy(f, ETH_LEN + 12, r, ETH_LEN + 16, 4);
        System.arraycopy(f, ETH_LEN + 16, r, ETH_LEN + 12, 4);
        int l4 = ETH_LEN + IP_LEN;
        System.arraycopy(f, l4, r, l4 + 2, 2);
        System.arraycopy(f, l4 + 2, r, l4, 2);
        return r;
    }

    /**
     * The checksum check of an IPv4 UDP or TCP frame built here (no IP options): the folded one's-complement sum of
     * the IPv4 header, in the high 16 bits, and of the L4 pseudo-header and segment, in the low 16 bits. A valid
     * checksum sums to 0xffff; a UDP checksum of 0 ("none") counts as valid. {@link #VALID} means both are.
     */
    public static int checksumSums(byte[] f) {
        int ip = fold(words(f, ETH_LEN, IP_LEN));
        int proto = f[ETH_LEN + 9] & 0xff;
        int l4 = ETH_LEN + IP_LEN;
        int l4Len = get16(f, ETH_LEN + 2) - IP_LEN;
        int sum = proto == 17 && get16(f, l4 + 6) == 0 ? 0xffff
                : fold(pseudoHeader(f, proto, l4Len) + words(f, l4, l4Len));
        return (ip << 16) | sum;
    }

    /** {@link #checksumSums} of a frame whose two checksums are valid. */
    public static final int VALID = 0xffff_ffff;

    /** Recomputes the IPv4 header checksum and, for UDP, the UDP checksum (as {@link #withUdpChecksum}). */
    public static byte[] withFreshChecksums(byte[] f) {
        put16(f, ETH_LEN + 10, 0);
        put16(f, ETH_LEN + 10, ~fold(words(f, ETH_LEN, IP_LEN)) & 0xffff);
        return (f[ETH_LEN + 9] & 0xff) == 17 ? withUdpChecksum(f) : f;
    }

    /** The IPv4 source address of a frame built here. */
    public static int ipv4Source(byte[] f) {
        return get32(f, ETH_LEN + 12);
    }

    /** The IPv4 destination address of a frame built here. */
    public static int ipv4Destination(byte[] f) {
        return get32(f, ETH_LEN + 16);
    }

    /** The L4 source port of a frame built here. */
    public static int sourcePort(byte[] f) {
        return get16(f, ETH_LEN + IP_LEN);
    }

    /** The L4 destination port of a frame built here. */
    public static int destinationPort(byte[] f) {
        return get16(f, ETH_LEN + IP_LEN + 2);
    }

    /** The sum of the IPv4 pseudo-header's words: addresses, protocol, L4 length. */
    private static long pseudoHeader(byte[] f, int proto, int l4Len) {
        return words(f, ETH_LEN + 12, 8) + proto + l4Len;
    }

    private static int get16(byte[] f, int i) {
        return ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
    }

    private static int get32(byte[] f, int i) {
        return (get16(f, i) << 16) | get16(f, i + 2);
    }

    private static void ethernet(byte[] f) {
        byte[] dst = {0x50, 0x54, 0x00, 0x00, 0x00, 0x0a};
        byte[] src = {0x50, 0x54, 0x00, 0x00, 0x00, 0x09};
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        put16(f, 12, 0x0800);
    }

    private static void ipv4(byte[] f, int totalLength, int ttl, int proto, int srcIp, int dstIp) {
        int p = ETH_LEN;
        f[p] = 0x45;                    // version 4, IHL 5
        f[p + 1] = 0;                   // TOS
        put16(f, p + 2, totalLength);
        put16(f, p + 4, 0);             // id
        put16(f, p + 6, 0);             // flags, fragment offset
        f[p + 8] = (byte) ttl;
        f[p + 9] = (byte) proto;
        put32(f, p + 12, srcIp);
        put32(f, p + 16, dstIp);
        put16(f, p + 10, ~fold(words(f, p, IP_LEN)) & 0xffff);
    }

    /** The sum of the big-endian 16-bit words of {@code f[off, off+len)}; {@code len} is even. */
    private static long words(byte[] f, int off, int len) {
        long sum = 0;
        for (int i = off; i < off + len; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        return sum;
    }

    /** Folds the carries of a one's-complement sum into 16 bits. */
    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static void put16(byte[] f, int i, int v) {
        f[i] = (byte) (v >>> 8);
        f[i + 1] = (byte) v;
    }

    private static void put32(byte[] f, int i, int v) {
        put16(f, i, v >>> 16);
        put16(f, i + 2, v);
    }
}
