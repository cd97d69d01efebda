package dev.ofswitch.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Internet checksums (RFC 1071) over byte arrays: the IPv4 header check and the TCP/UDP/ICMP checks with their
 * pseudo-headers, computed exactly as OVS's {@code checksum_valid()} does in {@code lib/conntrack.c}. Stateless.
 */
final class Checksums {
    private Checksums() {
    }

    /** Big-endian 8-byte and 4-byte views of a byte array: one load per word instead of one per byte. */
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /**
     * Adds the 16-bit big-endian words of {@code f[off, off+len)} to {@code sum}; an odd last byte is padded. Eight
     * bytes are added per step as two 32-bit halves: one's-complement addition is associative over word sizes, the
     * carries pile up in the upper bits of the long (2^33 per step, so up to 2^30 steps before overflow) and
     * {@link #finish} folds them.
     */
    static long add(long sum, byte[] f, int off, int len) {
        int i = off;
        int end8 = off + (len & ~7);
        while (i < end8) {
            long v = (long) LONG_BE.get(f, i);
            sum += (v >>> 32) + (v & 0xffffffffL);
            i += 8;
        }
        int rest = off + len - i;
        if (rest >= 4) {
            sum += (int) INT_BE.get(f, i) & 0xffffffffL;
            i += 4;
            rest -= 4;
        }
        if (rest >= 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
            i += 2;
            rest -= 2;
        }
        if (rest == 1) {
            sum += (f[i] & 0xff) << 8;
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
