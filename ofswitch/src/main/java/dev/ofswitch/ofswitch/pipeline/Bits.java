package dev.ofswitch.ofswitch.pipeline;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;

/**
 * Bit ranges of fields (NXM subfields, {@code FIELD[ofs..ofs+n-1]}) read from and written to a flow key, for fields of
 * any width (128-bit ones as two words, bit 0 the least significant of the low word). Stateless.
 */
final class Bits {
    private Bits() {
    }

    /** Reads {@code nBits} (≤ 64) starting at bit {@code ofs} of {@code f}. */
    static long readBits(long[] key, MatchField f, int ofs, int nBits) {
        long mask = nBits >= 64 ? -1L : (1L << nBits) - 1;
        if (!f.isWide()) {
            return (FlowKey.get(key, f) >>> ofs) & mask;
        }
        long hi = FlowKey.getHigh(key, f);
        long lo = FlowKey.getLow(key, f);
        long v;
        if (ofs >= 64) {
            v = hi >>> (ofs - 64);
        } else if (ofs == 0) {
            v = lo;
        } else {
            v = (lo >>> ofs) | (hi << (64 - ofs));
        }
        return v & mask;
    }

    /** Writes {@code value} into {@code nBits} (≤ 64) at {@code ofs} of {@code f}, and the packet if it is a header. */
    static void writeBits(PacketContext ctx, MatchField f, int ofs, int nBits, long value) {
        long mask = nBits >= 64 ? -1L : (1L << nBits) - 1;
        value &= mask;
        if (!f.isWide()) {
            long old = FlowKey.get(ctx.key, f);
            FlowKey.set(ctx.key, f, (old & ~(mask << ofs)) | (value << ofs));
            PacketEditor.write(ctx, f);
            return;
        }
        long hi = FlowKey.getHigh(ctx.key, f);
        long lo = FlowKey.getLow(ctx.key, f);
        if (ofs >= 64) {
            int s = ofs - 64;
            hi = (hi & ~(mask << s)) | (value << s);
        } else {
            lo = (lo & ~(mask << ofs)) | (value << ofs);
            if (ofs + nBits > 64) {
                int spill = ofs + nBits - 64;
                long hiMask = (1L << spill) - 1;
                hi = (hi & ~hiMask) | ((value >>> (64 - ofs)) & hiMask);
            }
        }
        PacketEditor.writeWide(ctx, f, hi, lo);
    }
}
