package dev.ofswitch.conntrack.packet;

/**
 * Internet checksums exactly as OVS computes them ({@code lib/csum.c}): a full checksum, and the incremental updates
 * ({@code recalc_csum16/32/128}) OVS applies when it rewrites an address or a port, so that a rewritten packet's
 * checksum is byte-identical to what OVS would have sent (RFC 1624 leaves a choice between 0x0000 and 0xffff; OVS's
 * formula makes it). All values are host-order ints holding 16-bit quantities; all methods are pure.
 */
public final class Csum {
    private Csum() {
    }

    /** The one's-complement sum of {@code b[off, off+len)} as 16-bit big-endian words, not folded. */
    public static long partial(byte[] b, int off, int len) {
        long sum = 0;
        int i = off;
        int end = off + (len & ~1);
        while (i < end) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds and complements a partial sum ({@code csum_finish()}). */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of {@code b[off, off+len)} ({@code csum()}). */
    public static int of(byte[] b, int off, int len) {
        return finish(partial(b, off, len));
    }

    /**
     * {@code recalc_csum16()}: the new checksum after a 16-bit word changed from {@code oldU16} to {@code newU16}.
     *
     * <p>OVS folds the carry only once ({@code ~((sum >> 16) + sum)}), which is not byte-order independent in the
     * rare case where that fold carries again; OVS runs on little-endian hosts, where its operands are the
     * byte-swapped network values. This method computes exactly that, so that edge cases come out as OVS's do.
     */
    public static int recalc16(int oldCsum, int oldU16, int newU16) {
        int hc = ~swap(oldCsum) & 0xffff;
        int m = ~swap(oldU16) & 0xffff;
        int mp = swap(newU16);
        int sum = hc + m + mp;
        return swap(~((sum >>> 16) + sum) & 0xffff);
    }

    private static int swap(int v) {
        return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
    }

    /** {@code recalc_csum32()}: a 32-bit word changed. */
    public static int recalc32(int oldCsum, int oldU32, int newU32) {
        int c = recalc16(oldCsum, oldU32 >>> 16, newU32 >>> 16);
        return recalc16(c, oldU32 & 0xffff, newU32 & 0xffff);
    }

    /** {@code recalc_csum128()}: a 128-bit value (an IPv6 address) changed; arrays of 16 bytes at the offsets. */
    public static int recalc128(int oldCsum, byte[] oldAddr, int oldOff, byte[] newAddr, int newOff) {
        int c = oldCsum;
        for (int i = 0; i < 16; i += 2) {
            c = recalc16(c, u16(oldAddr, oldOff + i), u16(newAddr, newOff + i));
        }
        return c;
    }

    /** Reads a big-endian u16. */
    public static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    /** Writes a big-endian u16. */
    public static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    /** Reads a big-endian u32. */
    public static int u32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    /** Writes a big-endian u32. */
    public static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
