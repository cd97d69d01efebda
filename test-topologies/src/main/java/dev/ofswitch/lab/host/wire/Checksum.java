package dev.ofswitch.lab.host.wire;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the data taken as
 * big-endian 16-bit words, an odd trailing byte padded with a zero byte.
 *
 * <p>Sums are accumulated in a {@code long} and folded once at the end, so callers can add a pseudo-header and
 * several pieces before {@link #finish(long)}.
 *
 * <pre>{@code
 * long sum = Checksum.addIpv4PseudoHeader(0, src, dst, Ipv4.PROTO_TCP, tcpLength);
 * sum = Checksum.add(sum, frame, l4Offset, tcpLength);   // with the checksum field zeroed
 * int csum = Checksum.finish(sum);
 * }</pre>
 */
public final class Checksum {
    private Checksum() {
    }

    /** Adds the bytes {@code b[off, off + len)} as big-endian 16-bit words to {@code sum}. */
    public static long add(long sum, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /**
     * Adds the IPv4 pseudo-header of RFC 793 §3.1 / RFC 768: source, destination, zero, protocol and the L4 length.
     */
    public static long addIpv4PseudoHeader(long sum, int srcIp, int dstIp, int protocol, int l4Length) {
        return sum + (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + protocol + l4Length;
    }

    /** Folds the carries and returns the one's complement: the value to store in a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of {@code b[off, off + len)}; 0 when computed over data that includes a correct checksum. */
    public static int compute(byte[] b, int off, int len) {
        return finish(add(0, b, off, len));
    }
}
