package dev.ofswitch.lab.host.wire;

/**
 * The TCP header (RFC 793 §3.1) and the options the hosts use; offsets are relative to the TCP header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (0..40 bytes)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The checksum covers the IPv4 pseudo-header, the header and the data. The window of a segment with SYN is never
 * scaled (RFC 7323 §2.2); every other window is shifted left by the scale its sender announced, if both SYNs carried
 * the option.
 */
public final class Tcp {
    /** Header length without options. */
    public static final int HEADER_LEN = 20;
    /** The largest header: data offset 15. */
    public static final int MAX_HEADER_LEN = 60;

    public static final int SRC_PORT = 0;
    public static final int DST_PORT = 2;
    public static final int SEQ = 4;
    public static final int ACK = 8;
    public static final int DATA_OFFSET = 12;
    public static final int FLAGS = 13;
    public static final int WINDOW = 14;
    public static final int CSUM = 16;
    public static final int URGENT = 18;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK_FLAG = 0x10;
    public static final int URG = 0x20;

    /** Option kinds (IANA "TCP Option Kind Numbers"). */
    public static final int OPT_EOL = 0;
    public static final int OPT_NOP = 1;
    public static final int OPT_MSS = 2;
    public static final int OPT_WSCALE = 3;
    public static final int OPT_SACK_PERMITTED = 4;
    public static final int OPT_SACK = 5;
    public static final int OPT_TIMESTAMP = 8;

    /** The largest window shift (RFC 7323 §2.3). */
    public static final int MAX_WSCALE = 14;
    /** The MSS assumed when a SYN carries none (RFC 1122 §4.2.2.6, RFC 9293 §3.7.1). */
    public static final int DEFAULT_MSS = 536;

    private Tcp() {
    }

    public static int srcPort(byte[] f, int off) {
        return Bytes.u16(f, off + SRC_PORT);
    }

    public static int dstPort(byte[] f, int off) {
        return Bytes.u16(f, off + DST_PORT);
    }

    public static int seq(byte[] f, int off) {
        return Bytes.u32(f, off + SEQ);
    }

    public static int ack(byte[] f, int off) {
        return Bytes.u32(f, off + ACK);
    }

    /** Header length in bytes, options included. */
    public static int headerLength(byte[] f, int off) {
        return ((f[off + DATA_OFFSET] & 0xff) >>> 4) * 4;
    }

    /** The six classic flag bits (FIN .. URG). */
    public static int flags(byte[] f, int off) {
        return f[off + FLAGS] & 0x3f;
    }

    /** The raw window field. */
    public static int window(byte[] f, int off) {
        return Bytes.u16(f, off + WINDOW);
    }

    /**
     * The options of a header, parsed. Malformed option lists stop the parse where they break; what was read before
     * stays.
     */
    public static final class Options {
        /** The MSS option's value, or -1 if absent. */
        public int mss = -1;
        /** The window-scale option's shift (clamped to {@link #MAX_WSCALE}), or -1 if absent. */
        public int wscale = -1;
        /** Whether SACK-permitted was present. */
        public boolean sackPermitted;

        /** Parses the options of the header at {@code off}; {@code headerLength} must be in bounds. */
        public static Options parse(byte[] f, int off, int headerLength) {
            Options o = new Options();
            int i = off + HEADER_LEN;
            int end = off + headerLength;
            while (i < end) {
                int kind = f[i] & 0xff;
                if (kind == OPT_EOL) {
                    break;
                }
                if (kind == OPT_NOP) {
                    i++;
                    continue;
                }
                if (i + 1 >= end) {
                    break;
                }
                int len = f[i + 1] & 0xff;
                if (len < 2 || i + len > end) {
                    break;
                }
                if (kind == OPT_MSS && len == 4) {
                    o.mss = Bytes.u16(f, i + 2);
                } else if (kind == OPT_WSCALE && len == 3) {
                    o.wscale = Math.min(f[i + 2] & 0xff, MAX_WSCALE);
                } else if (kind == OPT_SACK_PERMITTED && len == 2) {
                    o.sackPermitted = true;
                }
                i += len;
            }
            return o;
        }
    }

    /** Formats flags as tcpdump does: {@code S}, {@code S.}, {@code P.}, {@code F.}, {@code R}, {@code .}. */
    public static String formatFlags(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & SYN) != 0) {
            sb.append('S');
        }
        if ((flags & FIN) != 0) {
            sb.append('F');
        }
        if ((flags & PSH) != 0) {
            sb.append('P');
        }
        if ((flags & RST) != 0) {
            sb.append('R');
        }
        if ((flags & URG) != 0) {
            sb.append('U');
        }
        if ((flags & ACK_FLAG) != 0) {
            sb.append('.');
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
