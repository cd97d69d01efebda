package dev.ofswitch.ofswitch.flow;

/**
 * What a match must already say before a field may be matched, as OVS's {@code enum mf_prereqs}
 * ({@code include/openvswitch/meta-flow.h}) and {@code mf_are_prereqs_ok__()} ({@code lib/meta-flow.c}).
 *
 * <p>{@link #isMet} evaluates the prerequisite on a match held as a {@link FlowKey} value array (already masked: a
 * wildcarded bit is 0) and its mask array, the way OVS evaluates it on {@code match->flow} and
 * {@code match->wc.masks}. Because the value is masked, "eth_type is 0x0800" is only true if eth_type is matched.
 */
public enum Prerequisite {
    /** No prerequisite. */
    NONE,
    /** {@code eth_type} is ARP (0x0806) or RARP (0x8035). */
    ARP,
    /** {@code eth_type} is IPv4 (0x0800). */
    IPV4,
    /** {@code eth_type} is IPv6 (0x86dd). */
    IPV6,
    /** IPv4 or IPv6. */
    IP_ANY,
    /** {@code eth_type} is MPLS unicast (0x8847) or multicast (0x8848). */
    MPLS,
    /** The packet has an 802.1Q header: {@code vlan_tci} has the CFI/present bit (0x1000) set. */
    VLAN_VID,
    /** IP and {@code ip_proto} = 6. */
    TCP,
    /** IP and {@code ip_proto} = 17. */
    UDP,
    /** IP and {@code ip_proto} = 132. */
    SCTP,
    /** IPv4 and {@code ip_proto} = 1. */
    ICMPV4,
    /** IPv6 and {@code ip_proto} = 58. */
    ICMPV6,
    /** ICMPv6 neighbour solicitation or advertisement (type 135 or 136, code 0). */
    ND,
    /** ICMPv6 neighbour solicitation (type 135, code 0). */
    ND_SOLICIT,
    /** ICMPv6 neighbour advertisement (type 136, code 0). */
    ND_ADVERT,
    /**
     * A valid conntrack entry: as OVS {@code is_ct_valid()}, the match requires one of +new, +est, +rel, +rpl,
     * +snat, +dnat, or both +trk and an explicit -inv.
     */
    CT_VALID;

    /** IPv4 ethertype. */
    public static final int ETH_TYPE_IP = 0x0800;
    /** ARP ethertype. */
    public static final int ETH_TYPE_ARP = 0x0806;
    /** RARP ethertype. */
    public static final int ETH_TYPE_RARP = 0x8035;
    /** IPv6 ethertype. */
    public static final int ETH_TYPE_IPV6 = 0x86dd;
    /** MPLS unicast ethertype. */
    public static final int ETH_TYPE_MPLS = 0x8847;
    /** MPLS multicast ethertype. */
    public static final int ETH_TYPE_MPLS_MCAST = 0x8848;

    /**
     * Whether this prerequisite holds for the match {@code value}/{@code mask} (two {@link FlowKey} arrays).
     *
     * @param value the match's values, masked (wildcarded bits are 0)
     * @param mask  the match's masks
     */
    public boolean isMet(long[] value, long[] mask) {
        switch (this) {
            case NONE:
                return true;
            case ARP: {
                long t = FlowKey.get(value, MatchField.ETH_TYPE);
                return t == ETH_TYPE_ARP || t == ETH_TYPE_RARP;
            }
            case IPV4:
                return FlowKey.get(value, MatchField.ETH_TYPE) == ETH_TYPE_IP;
            case IPV6:
                return FlowKey.get(value, MatchField.ETH_TYPE) == ETH_TYPE_IPV6;
            case IP_ANY:
                return isIp(value);
            case MPLS: {
                long t = FlowKey.get(value, MatchField.ETH_TYPE);
                return t == ETH_TYPE_MPLS || t == ETH_TYPE_MPLS_MCAST;
            }
            case VLAN_VID:
                return (FlowKey.get(value, MatchField.VLAN_TCI) & 0x1000) != 0;
            case TCP:
                return isIp(value) && FlowKey.get(value, MatchField.IP_PROTO) == 6 && !isLaterFragment(value);
            case UDP:
                return isIp(value) && FlowKey.get(value, MatchField.IP_PROTO) == 17 && !isLaterFragment(value);
            case SCTP:
                return isIp(value) && FlowKey.get(value, MatchField.IP_PROTO) == 132 && !isLaterFragment(value);
            case ICMPV4:
                return FlowKey.get(value, MatchField.ETH_TYPE) == ETH_TYPE_IP
                        && FlowKey.get(value, MatchField.IP_PROTO) == 1;
            case ICMPV6:
                return isIcmpv6(value);
            case ND:
                return isNd(value, 135) || isNd(value, 136);
            case ND_SOLICIT:
                return isNd(value, 135);
            case ND_ADVERT:
                return isNd(value, 136);
            case CT_VALID: {
                long state = FlowKey.get(value, MatchField.CT_STATE);
                long stateMask = FlowKey.get(mask, MatchField.CT_STATE);
                // As OVS lib/meta-flow.c is_ct_valid() for a match (mask given, no wildcards to fold).
                return (state & (CtBits.NEW | CtBits.EST | CtBits.REL | CtBits.RPL | CtBits.SNAT | CtBits.DNAT)) != 0
                        || ((state & CtBits.TRK) != 0 && (stateMask & CtBits.INV) != 0 && (state & CtBits.INV) == 0);
            }
            default:
                throw new AssertionError(this);
        }
    }

    private static boolean isIp(long[] value) {
        long t = FlowKey.get(value, MatchField.ETH_TYPE);
        return t == ETH_TYPE_IP || t == ETH_TYPE_IPV6;
    }

    /**
     * As OVS {@code mf_are_prereqs_ok__()} for MFP_TCP/UDP/SCTP: a later fragment has no transport header, so a match
     * that says {@code ip_frag=later} cannot match ports ("matching !FRAG_LATER is not enforced", only the value is
     * looked at).
     */
    private static boolean isLaterFragment(long[] value) {
        return (FlowKey.get(value, MatchField.IP_FRAG) & 2) != 0;
    }

    private static boolean isIcmpv6(long[] value) {
        return FlowKey.get(value, MatchField.ETH_TYPE) == ETH_TYPE_IPV6
                && FlowKey.get(value, MatchField.IP_PROTO) == 58;
    }

    private static boolean isNd(long[] value, int type) {
        // As OVS is_nd(): ICMPv6, type 135/136 and code 0 (tp_src/tp_dst hold type/code).
        return isIcmpv6(value)
                && FlowKey.get(value, MatchField.ICMPV6_TYPE) == type
                && FlowKey.get(value, MatchField.ICMPV6_CODE) == 0;
    }

    /** The ct_state bits, as OVS {@code CS_*} in {@code lib/packets.h}. */
    public static final class CtBits {
        /** {@code new}, bit 0. */
        public static final int NEW = 0x01;
        /** {@code est}, bit 1. */
        public static final int EST = 0x02;
        /** {@code rel}, bit 2. */
        public static final int REL = 0x04;
        /** {@code rpl}, bit 3. */
        public static final int RPL = 0x08;
        /** {@code inv}, bit 4. */
        public static final int INV = 0x10;
        /** {@code trk}, bit 5. */
        public static final int TRK = 0x20;
        /** {@code snat}, bit 6. */
        public static final int SNAT = 0x40;
        /** {@code dnat}, bit 7. */
        public static final int DNAT = 0x80;
        /** Every bit OVS supports, {@code CS_SUPPORTED_MASK}. */
        public static final int SUPPORTED = 0xff;

        private CtBits() {
        }
    }
}
