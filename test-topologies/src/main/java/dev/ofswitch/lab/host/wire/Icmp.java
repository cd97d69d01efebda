package dev.ofswitch.lab.host.wire;

/**
 * ICMP (RFC 792); offsets are relative to the ICMP header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  echo: Identifier             |  echo: Sequence Number        |
 * |  errors: unused (0)                                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  echo: data ...    errors: the offending IP header + 8 bytes  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The checksum covers the whole ICMP message, without a pseudo-header.
 */
public final class Icmp {
    /** The fixed part of every ICMP message. */
    public static final int HEADER_LEN = 8;
    /** Bytes of the offending datagram's payload an error quotes after its IP header (RFC 792). */
    public static final int QUOTED_PAYLOAD = 8;

    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CSUM = 2;
    public static final int ECHO_ID = 4;
    public static final int ECHO_SEQ = 6;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DEST_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;

    private Icmp() {
    }

    public static int type(byte[] f, int off) {
        return f[off + TYPE] & 0xff;
    }

    public static int code(byte[] f, int off) {
        return f[off + CODE] & 0xff;
    }

    public static int echoId(byte[] f, int off) {
        return Bytes.u16(f, off + ECHO_ID);
    }

    public static int echoSeq(byte[] f, int off) {
        return Bytes.u16(f, off + ECHO_SEQ);
    }
}
