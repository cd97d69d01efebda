package dev.ofswitch.lab.host.wire;

/**
 * The UDP header (RFC 768); offsets are relative to it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The checksum covers the IPv4 pseudo-header, the header and the payload. Zero means "not computed"; a computed
 * zero is sent as {@code 0xffff}.
 */
public final class Udp {
    public static final int HEADER_LEN = 8;
    public static final int SRC_PORT = 0;
    public static final int DST_PORT = 2;
    public static final int LENGTH = 4;
    public static final int CSUM = 6;

    private Udp() {
    }

    public static int srcPort(byte[] f, int off) {
        return Bytes.u16(f, off + SRC_PORT);
    }

    public static int dstPort(byte[] f, int off) {
        return Bytes.u16(f, off + DST_PORT);
    }

    public static int length(byte[] f, int off) {
        return Bytes.u16(f, off + LENGTH);
    }

    public static int checksum(byte[] f, int off) {
        return Bytes.u16(f, off + CSUM);
    }
}
