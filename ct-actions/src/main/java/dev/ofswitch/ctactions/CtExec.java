package dev.ofswitch.ctactions;

/**
 * One write inside {@code ct(commit,exec(...))}: OVS allows only {@code ct_mark} and {@code ct_label} there, written
 * with set_field / load (a constant, masked) or move (bits of another field, known per packet).
 */
public sealed interface CtExec {
    /** {@code set_field:V/M->ct_mark} or {@code load:V->NXM_NX_CT_MARK[a..b]}. */
    record Mark(int value, int mask) implements CtExec {
    }

    /** The 128-bit {@code ct_label} equivalent. */
    record Label(long valueHi, long valueLo, long maskHi, long maskLo) implements CtExec {
    }

    /**
     * {@code move:SRC[a..b]->NXM_NX_CT_MARK[c..d]} (or CT_LABEL): {@code source} identifies the source field for the
     * switch that reads it (this module does not know the switch's field registry).
     */
    record Copy(Object source, int srcOfs, boolean label, int dstOfs, int nBits) implements CtExec {
    }
}
