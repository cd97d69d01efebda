package dev.ofswitch.conntrack;

/**
 * Internet checksums (RFC 1071) over byte arrays: the IPv4 header check and the TCP/UDP/ICMP checks with their
 * pseudo-headers, computed exactly as OVS's {@code checksum_valid()} does in {@code lib/conntrack.c}. Stateless.
 */
final class Checksums {
    private Checksums() {
    }

    /** Adds the 16-bit big-endian words of {@code f[off, off+len)} to {@code sum}; an odd last byte is padded. */
    static long add(long sum, byte[] f, int off, int len) {
        int i = off;
        int end = off + (len & ~1);
        // Four bytes per step: the carries accumulate in the upper bits of the long and are folded at the end.
        int end4 = off + (len & ~3);
        while (i < end4) {
            sum += ((f[i] & 0xffL) << 24) | ((f[i + 1] & 0xff) << 16) | ((f[i + 2] & 0xff) << 8) | (f[i + 3] & 0xff);
            i += 4;
        }
        while (i < end) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
            i += 2;
        }
        if ((len & 1) != 0) {
            sum += (f[off + len - 1] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits and complements it: 0 means a received checksum verified. */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of {@code f[off, off+len)} alone (an IPv4 header, an ICMPv4 message). */
    static int of(byte[] f, int off, int len) {
        return finish(add(0, f, off, len));
    }

    /**
     * The IPv4 pseudo-header sum of OVS's {@code packet_csum_pseudoheader()}: source, destination, protocol and the
     * IP payload length taken from the header ({@code tot_len - ihl}), whatever the L4 length is.
     */
    static long pseudoV4(byte[] f, int l3) {
        int ihl = (f[l3] & 0x0f) * 4;
        int totLen = ((f[l3 + 2] & 0xff) << 8) | (f[l3 + 3] & 0xff);
        long sum = add(0, f, l3 + 12, 8);
        sum += f[l3 + 9] & 0xff;
        sum += (totLen - ihl) & 0xffff;
        return sum;
    }

    /** The IPv6 pseudo-header sum for {@code proto} and {@code l4Length} ({@code packet_csum_upperlayer6()}). */
    static long pseudoV6(byte[] f, int l3, int proto, int l4Length) {
        long sum = add(0, f, l3 + 8, 32);
        sum += (l4Length >>> 16) + (l4Length & 0xffff);
        sum += proto;
        return sum;
    }
}
