package dev.ofswitch.lab.host.wire;

/**
 * Ethernet II framing, without preamble and FCS (what a NIC hands the stack).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   destination MAC (6 bytes)                   |
 * +                               +-------------------------------+
 * |                               |                               |
 * +-------------------------------+                               +
 * |                     source MAC (6 bytes)                      |
 * +-------------------------------+-------------------------------+
 * |          EtherType            |  payload ...
 * +-------------------------------+
 * </pre>
 *
 * Frames shorter than {@value #MIN_FRAME} bytes are padded with zeros up to it, as NICs do: IEEE 802.3's 64-byte
 * minimum less the 4-byte FCS. The padding is not part of the IP packet; receivers trust the IP total length.
 */
public final class Ethernet {
    /** Header length: two MACs and the EtherType. */
    public static final int HEADER_LEN = 14;
    /** The minimum frame length without FCS. */
    public static final int MIN_FRAME = 60;
    /** Offset of the destination MAC. */
    public static final int DST = 0;
    /** Offset of the source MAC. */
    public static final int SRC = 6;
    /** Offset of the EtherType. */
    public static final int TYPE = 12;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_IPV6 = 0x86dd;

    private Ethernet() {
    }

    /** A zeroed frame able to hold {@code payloadLength} bytes after the header, padded to {@link #MIN_FRAME}. */
    public static byte[] allocate(int payloadLength) {
        return new byte[Math.max(MIN_FRAME, HEADER_LEN + payloadLength)];
    }

    /** Writes the header at offset 0. */
    public static void writeHeader(byte[] f, long dstMac, long srcMac, int etherType) {
        Addresses.writeMac(f, DST, dstMac);
        Addresses.writeMac(f, SRC, srcMac);
        Bytes.put16(f, TYPE, etherType);
    }

    public static long dst(byte[] f) {
        return Addresses.readMac(f, DST);
    }

    public static long src(byte[] f) {
        return Addresses.readMac(f, SRC);
    }

    public static int etherType(byte[] f) {
        return Bytes.u16(f, TYPE);
    }
}
