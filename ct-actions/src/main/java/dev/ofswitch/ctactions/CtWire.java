package dev.ofswitch.ctactions;

/**
 * Wire formats of the conntrack actions and OVS's rules for accepting them ({@code decode_NXAST_RAW_CT()},
 * {@code decode_ct_zone()}, {@code ofpacts_verify_nested()} in OVS {@code lib/ofp-actions.c}). Nested actions are
 * decoded by the switch's general action decoder; this class checks what OVS checks around them.
 *
 * <pre>
 * nx_action_conntrack (24 bytes, then nested actions, all counted in len):
 *   type=0xffff(2) len(2) vendor=0x00002320(4) subtype=35(2)
 *   flags(2)          NX_CT_F_COMMIT 0x1, NX_CT_F_FORCE 0x2
 *   zone_src(4)       NXM header of the zone's source field, or 0 for an immediate zone
 *   zone(2)           zone_ofs_nbits (ofs << 6 | (n_bits - 1)) or the immediate zone
 *   recirc_table(1)   0xff: none
 *   pad(3)
 *   alg(2)            21 ftp, 69 tftp, 0 none
 * nx_action_ct_clear (16 bytes): type len vendor subtype=43 pad(6)
 * </pre>
 */
public final class CtWire {
    /** {@code NX_CT_F_COMMIT}. */
    public static final int F_COMMIT = 0x1;
    /** {@code NX_CT_F_FORCE}. */
    public static final int F_FORCE = 0x2;
    /** {@code NX_CT_RECIRC_NONE}. */
    public static final int RECIRC_NONE = 0xff;
    /** Length of {@code nx_action_conntrack} without nested actions. */
    public static final int CT_LEN = 24;
    /** Length of {@code nx_action_ct_clear}. */
    public static final int CT_CLEAR_LEN = 16;

    private CtWire() {
    }

    /** The fixed part of an {@code NXAST_CT}. */
    public record Header(int flags, int zoneSrc, int zoneField, int recircTable, int alg) {
        /** For a zone from a field: first bit. */
        public int zoneOfs() {
            return zoneField >>> 6;
        }

        /** For a zone from a field: number of bits. */
        public int zoneNBits() {
            return (zoneField & 0x3f) + 1;
        }
    }

    /**
     * Decodes the fixed part of a whole {@code NXAST_CT} action (from its type field). Checks: at least 24 bytes
     * (OFPBAC_BAD_LEN), {@code force} only with {@code commit} (OFPBAC_BAD_ARGUMENT).
     */
    public static Header decodeHeader(byte[] a) throws CtWireException {
        if (a.length < CT_LEN) {
            throw new CtWireException("OFPBAC_BAD_LEN", "ct action of " + a.length + " bytes");
        }
        int flags = NatSpec.u16(a, 10);
        if ((flags & F_FORCE) != 0 && (flags & F_COMMIT) == 0) {
            throw new CtWireException("OFPBAC_BAD_ARGUMENT", "ct: force without commit");
        }
        return new Header(flags, NatSpec.u32(a, 12), NatSpec.u16(a, 16), a[18] & 0xff, NatSpec.u16(a, 22));
    }

    /**
     * Checks a zone taken from a field: {@code fieldBits} is the field's width. The slice must fit the field and be
     * exactly 16 bits (OFPBAC_BAD_SET_LEN, as OVS's {@code mf_check_src()} and {@code decode_ct_zone()}).
     */
    public static void checkZoneSlice(Header h, int fieldBits) throws CtWireException {
        if (h.zoneOfs() + h.zoneNBits() > fieldBits) {
            throw new CtWireException("OFPBAC_BAD_SET_LEN", "ct: zone bits " + h.zoneOfs() + ".."
                    + (h.zoneOfs() + h.zoneNBits() - 1) + " beyond a " + fieldBits + "-bit field");
        }
        if (h.zoneNBits() != 16) {
            throw new CtWireException("OFPBAC_BAD_SET_LEN", "ct: zone n_bits " + h.zoneNBits()
                    + " not within valid range [16..16]");
        }
    }

    /**
     * OVS's rule for exec(): without {@code commit}, the only nested action allowed is a bare {@code nat}
     * (OFPBAC_BAD_ARGUMENT, "CT action requires commit flag if actions other than NAT without arguments are
     * specified").
     */
    public static void checkCommitForNested(int flags, java.util.List<CtExec> execs, NatSpec nat)
            throws CtWireException {
        if ((flags & F_COMMIT) != 0) {
            return;
        }
        if (!execs.isEmpty() || (nat != null && !nat.isBare())) {
            throw new CtWireException("OFPBAC_BAD_ARGUMENT", "ct: actions other than a bare nat need commit");
        }
    }

    /** Checks an {@code NXAST_CT_CLEAR}: exactly 16 bytes (OFPBAC_BAD_LEN). */
    public static void checkCtClear(byte[] a) throws CtWireException {
        if (a.length != CT_CLEAR_LEN) {
            throw new CtWireException("OFPBAC_BAD_LEN", "ct_clear action of " + a.length + " bytes");
        }
    }
}
