package dev.ofswitch.lab.host.wire;

/**
 * ARP for IPv4 over Ethernet (RFC 826), after the Ethernet header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   hardware type (1 = Ethernet)|  protocol type (0x0800)       |
 * +---------------+---------------+-------------------------------+
 * | hw len (6)    | proto len (4) |  operation (1 request, 2 reply)
 * +---------------+---------------+-------------------------------+
 * |                 sender hardware address (6)                   |
 * +                               +-------------------------------+
 * |                               | sender protocol address (4)   |
 * +-------------------------------+-------------------------------+
 * |                               |                               |
 * +-------------------------------+                               +
 * |                 target hardware address (6)                   |
 * +-------------------------------+-------------------------------+
 * |                 target protocol address (4)                   |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Offsets below are absolute in the frame (the ARP packet starts at {@link Ethernet#HEADER_LEN}).
 */
public final class Arp {
    /** Length of the ARP packet for Ethernet/IPv4. */
    public static final int LEN = 28;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private static final int BASE = Ethernet.HEADER_LEN;
    public static final int HTYPE = BASE;
    public static final int PTYPE = BASE + 2;
    public static final int HLEN = BASE + 4;
    public static final int PLEN = BASE + 5;
    public static final int OP = BASE + 6;
    public static final int SHA = BASE + 8;
    public static final int SPA = BASE + 14;
    public static final int THA = BASE + 18;
    public static final int TPA = BASE + 24;

    private Arp() {
    }

    /**
     * Builds a complete ARP frame (padded to {@link Ethernet#MIN_FRAME}).
     *
     * @param ethDst the Ethernet destination: broadcast for a request, the requester for a reply
     */
    public static byte[] build(long ethDst, long ethSrc, int op, long sha, int spa, long tha, int tpa) {
        byte[] f = Ethernet.allocate(LEN);
        Ethernet.writeHeader(f, ethDst, ethSrc, Ethernet.TYPE_ARP);
        Bytes.put16(f, HTYPE, 1);
        Bytes.put16(f, PTYPE, Ethernet.TYPE_IPV4);
        f[HLEN] = 6;
        f[PLEN] = 4;
        Bytes.put16(f, OP, op);
        Addresses.writeMac(f, SHA, sha);
        Bytes.put32(f, SPA, spa);
        Addresses.writeMac(f, THA, tha);
        Bytes.put32(f, TPA, tpa);
        return f;
    }

    /** Whether the fixed fields say Ethernet/IPv4 and the frame is long enough. */
    public static boolean isEthernetIpv4(byte[] f, int length) {
        return length >= BASE + LEN && Bytes.u16(f, HTYPE) == 1 && Bytes.u16(f, PTYPE) == Ethernet.TYPE_IPV4
                && f[HLEN] == 6 && f[PLEN] == 4;
    }

    public static int op(byte[] f) {
        return Bytes.u16(f, OP);
    }

    public static long senderMac(byte[] f) {
        return Addresses.readMac(f, SHA);
    }

    public static int senderIp(byte[] f) {
        return Bytes.u32(f, SPA);
    }

    public static long targetMac(byte[] f) {
        return Addresses.readMac(f, THA);
    }

    public static int targetIp(byte[] f) {
        return Bytes.u32(f, TPA);
    }
}
