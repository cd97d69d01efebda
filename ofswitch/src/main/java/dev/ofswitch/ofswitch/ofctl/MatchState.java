package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;

/**
 * A match under construction, as OVS's {@code struct match}: {@link FlowKey} value and mask arrays changed field by
 * field with OVS's {@code mf_set()} / {@code mf_set_value()} / {@code mf_set_wild()} semantics (later keywords
 * override earlier ones; views such as {@code dl_vlan}, {@code nw_tos}, {@code icmp_type} write the bits OVS's
 * {@code match_set_*()} helpers write, masks included).
 *
 * <p>Two facts a {@link FlowKey} cannot hold are kept beside it: whether the {@code tcp_flags} mask has its 4 unused
 * upper bits set (OVS then sends an exact match rather than {@code /0x0fff}), and whether OVS's "default packet
 * type" (Ethernet) was set, which makes {@code nx_put_raw()} add an explicit {@code packet_type} entry when no field
 * it emits implies Ethernet.
 */
final class MatchState {
    final long[] values = FlowKey.newKey();
    final long[] masks = FlowKey.newKey();
    /** OVS {@code match->wc.masks.tcp_flags} is 0xffff (an exact match), not just the 12 flag bits. */
    boolean tcpFlagsFullMask;
    /** OVS {@code match_set_default_packet_type()} was called (by a shorthand, "eth", or a field with prereqs). */
    boolean defaultPacketType;

    private static final int VID_MASK = 0x0fff;
    private static final int CFI = 0x1000;
    private static final int PCP_MASK = 0xe000;

    /**
     * OVS {@code mf_set()}: exact, wildcard or masked, returning the protocols that can express the result
     * ({@link Protocols}).
     */
    int set(OvsField f, byte[] value, byte[] mask) {
        if (mask == null || FieldValues.isAllOnes(mask)) {
            setValue(f, value);
            return f.usableExact();
        }
        if (FieldValues.isAllZeros(mask)) {
            setWild(f);
            return Protocols.ANY;
        }
        if (!f.maskable()) {
            return Protocols.NONE;
        }
        MatchField mf = f.field();
        if (mf == MatchField.IPV6_LABEL && (FieldValues.toLong(mask) & 0xfffff) == 0xfffff) {
            setValue(f, value);
        } else if (mf == MatchField.TCP_FLAGS) {
            tcpFlagsFullMask = (FieldValues.toLong(mask) & 0xf000) == 0xf000;
            FlowKey.setMaskedBytes(values, masks, mf, value, mask, 0);
        } else if (mf == MatchField.VLAN_VID) {
            // match_set_vlan_vid_masked(): the VID+CFI bits take the mask, PCP bits keep theirs.
            FlowKey.setMaskedBytes(values, masks, mf, value, mask, 0);
        } else {
            FlowKey.setMaskedBytes(values, masks, mf, value, mask, 0);
        }
        boolean cidr = f.usableBitwise() == f.usableCidr() || isCidr(FieldValues.toLong(head4(mask)));
        return cidr ? f.usableCidr() : f.usableBitwise();
    }

    /** The first 4 bytes of a mask as OVS reads {@code mask->be32} (zero-padded if shorter). */
    private static byte[] head4(byte[] mask) {
        byte[] b = new byte[4];
        System.arraycopy(mask, 0, b, 0, Math.min(4, mask.length));
        return b;
    }

    /** OVS {@code ip_is_cidr()}: ones then zeros. */
    static boolean isCidr(long mask32) {
        long inverted = ~mask32 & 0xffffffffL;
        return (inverted & (inverted + 1)) == 0;
    }

    /** OVS {@code mf_set_value()}. */
    void setValue(OvsField f, byte[] value) {
        long v = f.nBytes() <= 8 ? FieldValues.toLong(value) : 0;
        if (f == OvsField.DL_VLAN) {
            setDlVlan((int) v);
            return;
        }
        if (f == OvsField.DL_VLAN_PCP) {
            setVlanPcp((int) v);
            return;
        }
        MatchField mf = f.field();
        switch (mf) {
            case VLAN_PCP:
                setVlanPcp((int) v);
                return;
            case VLAN_VID:
                FlowKey.setMasked(values, masks, mf, v, 0x1fff);
                return;
            case NW_TOS:
                FlowKey.setMasked(values, masks, MatchField.NW_TOS, v & 0xfc, 0xfc);
                return;
            case IP_DSCP:
                FlowKey.setMasked(values, masks, MatchField.NW_TOS, (v << 2) & 0xfc, 0xfc);
                return;
            case IP_ECN:
                FlowKey.setMasked(values, masks, MatchField.IP_ECN, v & 3, 3);
                return;
            case ARP_OP:
                FlowKey.setMasked(values, masks, MatchField.IP_PROTO, v & 0xff, 0xff);
                return;
            case ICMPV4_TYPE:
            case ICMPV6_TYPE:
                FlowKey.setMasked(values, masks, MatchField.TCP_SRC, v & 0xff, 0xffff);
                return;
            case ICMPV4_CODE:
            case ICMPV6_CODE:
                FlowKey.setMasked(values, masks, MatchField.TCP_DST, v & 0xff, 0xffff);
                return;
            case TCP_FLAGS:
                tcpFlagsFullMask = true;
                FlowKey.setMasked(values, masks, mf, v, 0xfff);
                return;
            case IP_FRAG:
                // match_set_nw_frag(): the value as given, mask FLOW_NW_FRAG_MASK.
                FlowKey.setMasked(values, masks, mf, v, 3);
                return;
            case CT_STATE:
                FlowKey.setMasked(values, masks, mf, v & 0xff, 0xff);
                return;
            case IN_PORT_OXM: {
                int p = MatchField.portFromOfp11(v);
                FlowKey.setMasked(values, masks, MatchField.IN_PORT, p < 0 ? 0xffff : p, 0xffff);
                return;
            }
            default:
                FlowKey.setMaskedBytes(values, masks, mf, value, null, 0);
        }
    }

    /** OVS {@code mf_set_wild()}. */
    void setWild(OvsField f) {
        if (f == OvsField.DL_VLAN) {
            anyVid();
            return;
        }
        if (f == OvsField.DL_VLAN_PCP) {
            anyPcp();
            return;
        }
        MatchField mf = f.field();
        switch (mf) {
            case VLAN_VID:
                anyVid();
                return;
            case VLAN_PCP:
                anyPcp();
                return;
            case ICMPV4_TYPE:
            case ICMPV6_TYPE:
                FlowKey.setMasked(values, masks, MatchField.TCP_SRC, 0, 0);
                return;
            case ICMPV4_CODE:
            case ICMPV6_CODE:
                FlowKey.setMasked(values, masks, MatchField.TCP_DST, 0, 0);
                return;
            case ARP_OP:
                FlowKey.setMasked(values, masks, MatchField.IP_PROTO, 0, 0);
                return;
            case TCP_FLAGS:
                tcpFlagsFullMask = false;
                FlowKey.setMasked(values, masks, mf, 0, 0);
                return;
            default:
                FlowKey.setMaskedBytes(values, masks, mf, new byte[mf.nBytes()], new byte[mf.nBytes()], 0);
        }
    }

    /** OVS {@code mf_get()}: the field's current value and mask, as wire bytes. */
    FieldValues.Masked get(OvsField f) {
        if (f == OvsField.DL_VLAN) {
            return new FieldValues.Masked(FieldValues.bytes(tci(values) & VID_MASK, 2),
                    FieldValues.bytes(tci(masks) & VID_MASK, 2));
        }
        if (f == OvsField.DL_VLAN_PCP) {
            return new FieldValues.Masked(FieldValues.bytes(tci(values) >>> 13, 1),
                    FieldValues.bytes(tci(masks) >>> 13, 1));
        }
        MatchField mf = f.field();
        byte[] v = new byte[mf.nBytes()];
        byte[] m = new byte[mf.nBytes()];
        FlowKey.getBytes(values, mf, v, 0);
        FlowKey.getBytes(masks, mf, m, 0);
        if (mf == MatchField.TCP_FLAGS && tcpFlagsFullMask) {
            m[0] |= (byte) 0xf0;
        }
        return new FieldValues.Masked(v, m);
    }

    private static int tci(long[] key) {
        return (int) FlowKey.get(key, MatchField.VLAN_TCI);
    }

    private void setTci(int value, int mask) {
        FlowKey.setMasked(values, masks, MatchField.VLAN_TCI, value, mask);
    }

    /** OVS {@code match_set_dl_vlan()}: 0xffff means "no VLAN" (tci 0, exact); else VID and CFI. */
    private void setDlVlan(int vid) {
        if (vid == 0xffff) {
            setTci(0, 0xffff);
            return;
        }
        int v = (tci(values) & ~VID_MASK) | CFI | (vid & VID_MASK);
        int m = tci(masks) | VID_MASK | CFI;
        setTci(v, m);
    }

    /** OVS {@code match_set_dl_vlan_pcp()}: PCP and CFI. */
    private void setVlanPcp(int pcp) {
        int v = (tci(values) & ~PCP_MASK) | ((pcp & 7) << 13) | CFI;
        int m = tci(masks) | CFI | PCP_MASK;
        setTci(v, m);
    }

    /** OVS {@code match_set_any_vid()}. */
    private void anyVid() {
        if ((tci(masks) & PCP_MASK) != 0) {
            setTci(tci(values) & ~VID_MASK, tci(masks) & ~VID_MASK);
        } else {
            setTci(0, 0);
        }
    }

    /** OVS {@code match_set_any_pcp()}. */
    private void anyPcp() {
        if ((tci(masks) & VID_MASK) != 0) {
            setTci(tci(values) & ~PCP_MASK, tci(masks) & ~PCP_MASK);
        } else {
            setTci(0, 0);
        }
    }

    /** Ethernet type of the match (0 if wild), as OVS {@code get_dl_type()}. */
    int dlType() {
        return (int) FlowKey.get(values, MatchField.ETH_TYPE);
    }

    /** The masked IP protocol byte (OVS {@code flow->nw_proto}). */
    int nwProto() {
        return (int) FlowKey.get(values, MatchField.IP_PROTO);
    }
}
