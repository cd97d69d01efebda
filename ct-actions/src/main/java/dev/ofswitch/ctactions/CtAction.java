package dev.ofswitch.ctactions;

import dev.ofswitch.conntrack.CtParams;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded {@code ct(...)} action ({@code NXAST_CT}).
 *
 * <h2>Semantics (OVS 3.1, each pinned by an oracle case)</h2>
 * <ul>
 * <li>The packet goes through the connection tracker in {@code zone} (immediate, or 16 bits of a field such as
 * {@code NXM_NX_REG0[0..15]}): its ct_state, zone, mark, label and original tuple are set.
 * <li>{@code commit} creates the connection if the packet may start one; {@code force} (only with commit) first
 * deletes a connection this packet matches in the reply direction; {@code exec(...)} writes ct_mark / ct_label
 * (masked) in the same step as the commit.
 * <li>Without {@code table=}, the rest of the current action list sees the packet untracked, every ct field
 * cleared ({@code flow_clear_conntrack()} in OVS's translation). With {@code table=N}, a copy of the packet
 * continues in table N with the new state, registers and metadata preserved (recirculation); the rest of the current
 * action list still runs on the original, untracked in its view (fork semantics).
 * <li>A later ct() of the same packet in the same zone reuses the cached connection (no tracker update).
 * </ul>
 *
 * @param flags         {@code NX_CT_F_COMMIT} (1), {@code NX_CT_F_FORCE} (2); other bits are kept and ignored, as
 *                      OVS does
 * @param zoneImm       the immediate zone (when {@code zoneSrcHeader} is 0)
 * @param zoneSrcHeader NXM header of the field the zone comes from, or 0
 * @param zoneOfs       first bit of the zone in that field
 * @param zoneNBits     always 16 when a field is used
 * @param zoneSource    the switch's handle for the source field, or null
 * @param recircTable   table to continue in, or {@link CtWire#RECIRC_NONE}
 * @param alg           ALG port: 21 (ftp), 69 (tftp), 0 for none
 * @param execs         the exec(...) writes, in order
 * @param nat           the nat(...) inside, or null
 * @param raw           the action's bytes as received (nested actions included)
 */
public record CtAction(int flags, int zoneImm, int zoneSrcHeader, int zoneOfs, int zoneNBits, Object zoneSource,
                       int recircTable, int alg, List<CtExec> execs, NatSpec nat, byte[] raw) {

    public CtAction {
        execs = List.copyOf(execs);
        raw = raw.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public boolean commit() {
        return (flags & CtWire.F_COMMIT) != 0;
    }

    public boolean force() {
        return (flags & CtWire.F_FORCE) != 0;
    }

    /** Whether the packet continues in {@link #recircTable()}. */
    public boolean recirculates() {
        return recircTable != CtWire.RECIRC_NONE;
    }

    /** The ALG helper name this action names ({@code ftp}, {@code tftp}), or null. */
    public String helper() {
        return alg == 21 ? "ftp" : alg == 69 ? "tftp" : null;
    }

    /** Whether the exec writes depend on the packet (a move from another field). */
    public boolean hasDynamicExec() {
        for (CtExec e : execs) {
            if (e instanceof CtExec.Copy) {
                return true;
            }
        }
        return false;
    }

    /**
     * The engine parameters of this action: commit, force, helper, and the mark/label writes when they are
     * constants. With a {@link CtExec.Copy} the writes depend on the packet: see {@link #params(CopySource)}.
     */
    public CtParams staticParams() {
        return params(null);
    }

    /** Reads {@code nBits} at {@code ofs} of a move's source field for the current packet. */
    @FunctionalInterface
    public interface CopySource {
        long read(Object source, int ofs, int nBits);
    }

    /** The engine parameters, reading move sources with {@code reader} (may be null when there is no move). */
    public CtParams params(CopySource reader) {
        CtParams.Builder b = CtParams.builder().commit(commit()).force(force()).helper(helper());
        if (nat != null) {
            b.nat(nat.toRequest());
        }
        for (CtExec e : execs) {
            if (e instanceof CtExec.Mark m) {
                b.mark(m.value(), m.mask());
            } else if (e instanceof CtExec.Label l) {
                b.label(l.valueHi(), l.valueLo(), l.maskHi(), l.maskLo());
            } else if (e instanceof CtExec.Copy c && reader != null) {
                int done = 0;
                while (done < c.nBits()) {
                    int chunk = Math.min(64, c.nBits() - done);
                    long v = reader.read(c.source(), c.srcOfs() + done, chunk);
                    int dst = c.dstOfs() + done;
                    long mask = chunk == 64 ? -1L : (1L << chunk) - 1;
                    if (!c.label()) {
                        b.mark((int) (v << dst), (int) (mask << dst));
                    } else if (dst >= 64) {
                        b.label(v << (dst - 64), 0, mask << (dst - 64), 0);
                    } else {
                        long lo = v << dst;
                        long loMask = mask << dst;
                        long hi = dst == 0 ? 0 : v >>> (64 - dst);
                        long hiMask = dst == 0 ? 0 : mask >>> (64 - dst);
                        b.label(hi, lo, hiMask, loMask);
                    }
                    done += chunk;
                }
            }
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CtAction c && Arrays.equals(c.raw, raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "CtAction{flags=" + flags + ", zone=" + (zoneSrcHeader == 0 ? String.valueOf(zoneImm)
                : Integer.toHexString(zoneSrcHeader) + "[" + zoneOfs + "]") + ", table=" + recircTable + ", alg=" + alg
                + ", execs=" + execs + ", nat=" + nat + "}";
    }
}
