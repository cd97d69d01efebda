package dev.ofswitch.lab.host.wire;

/**
 * The IPv4 header (RFC 791), always written without options; offsets are relative to the header's start.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |    DSCP/ECN   |          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Flags are reserved, DF ({@link #FLAG_DF}) and MF ({@link #FLAG_MF}), in the top three bits of the 16-bit word at
 * {@link #FRAG}.
 */
public final class Ipv4 {
    /** Header length without options. */
    public static final int HEADER_LEN = 20;
    /** The TTL Linux uses by default ({@code net.ipv4.ip_default_ttl}). */
    public static final int DEFAULT_TTL = 64;

    public static final int VER_IHL = 0;
    public static final int TOS = 1;
    public static final int TOTAL_LEN = 2;
    public static final int ID = 4;
    public static final int FRAG = 6;
    public static final int TTL = 8;
    public static final int PROTO = 9;
    public static final int CSUM = 10;
    public static final int SRC = 12;
    public static final int DST = 16;

    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int FRAG_OFFSET_MASK = 0x1fff;

    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;

    private Ipv4() {
    }

    /** Writes a 20-byte header at {@code off} and its checksum. */
    public static void writeHeader(byte[] f, int off, int totalLength, int id, boolean dontFragment, int ttl,
            int protocol, int srcIp, int dstIp) {
        f[off + VER_IHL] = 0x45;
        f[off + TOS] = 0;
        Bytes.put16(f, off + TOTAL_LEN, totalLength);
        Bytes.put16(f, off + ID, id);
        Bytes.put16(f, off + FRAG, dontFragment ? FLAG_DF : 0);
        f[off + TTL] = (byte) ttl;
        f[off + PROTO] = (byte) protocol;
        Bytes.put16(f, off + CSUM, 0);
        Bytes.put32(f, off + SRC, srcIp);
        Bytes.put32(f, off + DST, dstIp);
        Bytes.put16(f, off + CSUM, Checksum.compute(f, off, HEADER_LEN));
    }

    public static int version(byte[] f, int off) {
        return (f[off] & 0xff) >>> 4;
    }

    /** Header length in bytes. */
    public static int headerLength(byte[] f, int off) {
        return (f[off] & 0x0f) * 4;
    }

    public static int totalLength(byte[] f, int off) {
        return Bytes.u16(f, off + TOTAL_LEN);
    }

    public static int id(byte[] f, int off) {
        return Bytes.u16(f, off + ID);
    }

    /** The flags and fragment offset word. */
    public static int fragWord(byte[] f, int off) {
        return Bytes.u16(f, off + FRAG);
    }

    public static int ttl(byte[] f, int off) {
        return f[off + TTL] & 0xff;
    }

    public static int protocol(byte[] f, int off) {
        return f[off + PROTO] & 0xff;
    }

    public static int src(byte[] f, int off) {
        return Bytes.u32(f, off + SRC);
    }

    public static int dst(byte[] f, int off) {
        return Bytes.u32(f, off + DST);
    }
}
