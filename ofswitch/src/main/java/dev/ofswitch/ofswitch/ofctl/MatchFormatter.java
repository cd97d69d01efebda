package dev.ofswitch.ofswitch.ofctl;

import static dev.ofswitch.ofswitch.flow.FlowKey.get;
import static dev.ofswitch.ofswitch.flow.FlowKey.getHigh;
import static dev.ofswitch.ofswitch.flow.FlowKey.getLow;

import dev.ofswitch.ofswitch.codec.Match;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import dev.ofswitch.ofswitch.flow.Prerequisite;
import java.util.Map;

/**
 * A match as ovs-ofctl prints it, following OVS 3.1's {@code match_format()} in {@code lib/match.c}.
 *
 * <h2>What</h2>
 * ovs-ofctl does not print the match's TLVs in wire order: it decodes them into a {@code struct match} (a flow and
 * its wildcards) and prints that in a fixed order. The {@link FlowKey} value/mask arrays are this switch's
 * {@code struct match}: fields that share storage in OVS share it there too, so an OXM {@code vlan_vid} reads back as
 * {@code vlan_tci}, {@code ip_dscp} as {@code nw_tos}, {@code xreg1} as {@code reg2}/{@code reg3}, an OpenFlow 1.1+
 * {@code in_port} as OVS's 16-bit port, and the printed names and forms are OVS's whatever the wire said.
 *
 * <h2>Order</h2>
 * priority (unless 32768), pkt_mark, conj_id, ct_state, ct_zone, ct_mark, ct_label, ct_nw_src, ct_ipv6_src, ct_nw_dst,
 * ct_ipv6_dst, ct_nw_proto with ct_tp_src/ct_tp_dst, the Ethertype shorthand (ip, tcp, udp, sctp, icmp, igmp, ipv6,
 * tcp6, udp6, sctp6, icmp6, arp, rarp, mpls, mplsm), reg0..reg15, tun_id/tun_src/tun_dst, metadata, in_port, VLAN,
 * dl_src, dl_dst, dl_type (when no shorthand), the L3 addresses, nw_proto/arp_op (when no shorthand), arp_sha/arp_tha,
 * nw_tos, nw_ecn, nw_ttl, mpls_label/tc/bos, nw_frag, the L4 fields, tcp_flags. Fields this switch does not match on
 * (recirc_id, dp_hash, skb_priority, actset_output, packet_type, tunnel options, mpls_ttl, NSH) never
 * appear.
 */
final class MatchFormatter {
    private static final int OFP_DEFAULT_PRIORITY = 32768;

    private MatchFormatter() {
    }

    /** Appends {@code m} (and {@code priority=N} unless it is the default) without a trailing comma. */
    static void format(StringBuilder s, Match m, int priority, Map<Integer, String> ports) {
        long[] f = FlowKey.newKey();
        long[] w = FlowKey.newKey();
        m.toKey(f, w);
        format(s, f, w, priority, ports);
    }

    /** As {@link #format(StringBuilder, Match, int, Map)} for a match held as value ({@code f}) and mask arrays. */
    static void format(StringBuilder s, long[] f, long[] w, int priority, Map<Integer, String> ports) {
        format(s, f, w, priority, ports, -1);
    }

    /**
     * As above, with OVS's second VLAN header ({@code vlans[1]}, printed {@code vlan_tci1=}) exact at
     * {@code innerTci}, or absent if it is negative. The switch keeps one tag; a packet's summary shows the second.
     */
    static void format(StringBuilder s, long[] f, long[] w, int priority, Map<Integer, String> ports, int innerTci) {
        int start = s.length();
        if (priority != OFP_DEFAULT_PRIORITY) {
            s.append("priority=").append(priority).append(',');
        }
        uint32Masked(s, "pkt_mark", f, w, MatchField.PKT_MARK);
        if (!FlowKey.isWild(w, MatchField.CONJ_ID)) {
            s.append("conj_id=").append(get(f, MatchField.CONJ_ID)).append(',');
        }
        long ctStateMask = get(w, MatchField.CT_STATE);
        if (ctStateMask != 0) {
            int state = (int) get(f, MatchField.CT_STATE);
            if (ctStateMask == 0xff) {
                s.append("ct_state=");
                Text.putFlags(s, Text::ctStateBit, state, '|');
            } else {
                Text.putFlagsMasked(s, "ct_state", Text::ctStateBit, state, (int) ctStateMask, 0xff);
            }
            s.append(',');
        }
        long zoneMask = get(w, MatchField.CT_ZONE);
        if (zoneMask != 0) {
            long zone = get(f, MatchField.CT_ZONE);
            s.append("ct_zone=").append(zoneMask == 0xffff ? Long.toString(zone)
                    : "0x" + Long.toHexString(zone) + "/0x" + Long.toHexString(zoneMask)).append(',');
        }
        uint32Masked(s, "ct_mark", f, w, MatchField.CT_MARK);
        if (!FlowKey.isWild(w, MatchField.CT_LABEL)) {
            s.append("ct_label=");
            Text.putHex(s, bytes(f, MatchField.CT_LABEL));
            if (!FlowKey.isExact(w, MatchField.CT_LABEL)) {
                s.append('/');
                Text.putHex(s, bytes(w, MatchField.CT_LABEL));
            }
            s.append(',');
        }
        ipNetmask(s, "ct_nw_src", f, w, MatchField.CT_NW_SRC);
        ipv6Netmask(s, "ct_ipv6_src", f, w, MatchField.CT_IPV6_SRC);
        ipNetmask(s, "ct_nw_dst", f, w, MatchField.CT_NW_DST);
        ipv6Netmask(s, "ct_ipv6_dst", f, w, MatchField.CT_IPV6_DST);
        if (get(w, MatchField.CT_NW_PROTO) != 0) {
            s.append("ct_nw_proto=").append(get(f, MatchField.CT_NW_PROTO)).append(',');
            be16Masked(s, "ct_tp_src", f, w, MatchField.CT_TP_SRC);
            be16Masked(s, "ct_tp_dst", f, w, MatchField.CT_TP_DST);
        }

        long dlType = get(f, MatchField.ETH_TYPE);
        boolean dlTypeMatched = get(w, MatchField.ETH_TYPE) != 0;
        long nwProto = get(f, MatchField.IP_PROTO);
        boolean nwProtoMatched = get(w, MatchField.IP_PROTO) != 0;
        boolean skipType = false;
        boolean skipProto = false;
        if (dlTypeMatched) {
            String word = shorthand(dlType, nwProtoMatched ? nwProto : -1);
            if (word != null) {
                skipType = true;
                // Only an IP shorthand names the protocol; arp_op stays (it lives in nw_proto too).
                skipProto = nwProtoMatched && (dlType == Prerequisite.ETH_TYPE_IP
                        || dlType == Prerequisite.ETH_TYPE_IPV6) && !word.equals("ip") && !word.equals("ipv6");
                s.append(word).append(',');
            }
        }
        for (int i = 0; i < 16; i++) {
            uint32Masked(s, "reg" + i, f, w, MatchField.reg(i));
        }
        be64Masked(s, "tun_id", f, w, MatchField.TUN_ID);
        ipNetmask(s, "tun_src", f, w, MatchField.TUN_SRC);
        ipNetmask(s, "tun_dst", f, w, MatchField.TUN_DST);
        be64Masked(s, "metadata", f, w, MatchField.METADATA);
        if (get(w, MatchField.IN_PORT) != 0) {
            s.append("in_port=");
            Text.putPort(s, (int) get(f, MatchField.IN_PORT), ports);
            s.append(',');
        }
        vlan(s, (int) get(f, MatchField.VLAN_TCI), (int) get(w, MatchField.VLAN_TCI));
        if (innerTci >= 0) {
            s.append("vlan_tci1=0x").append(String.format("%04x", innerTci)).append(',');
        }
        ethMasked(s, "dl_src", f, w, MatchField.ETH_SRC);
        ethMasked(s, "dl_dst", f, w, MatchField.ETH_DST);
        if (!skipType && dlTypeMatched) {
            s.append("dl_type=0x").append(String.format("%04x", dlType)).append(',');
        }
        boolean arp = dlType == Prerequisite.ETH_TYPE_ARP || dlType == Prerequisite.ETH_TYPE_RARP;
        if (dlType == Prerequisite.ETH_TYPE_IPV6) {
            ipv6Netmask(s, "ipv6_src", f, w, MatchField.IPV6_SRC);
            ipv6Netmask(s, "ipv6_dst", f, w, MatchField.IPV6_DST);
            long labelMask = get(w, MatchField.IPV6_LABEL);
            if (labelMask != 0) {
                s.append("ipv6_label=0x").append(String.format("%05x", get(f, MatchField.IPV6_LABEL)));
                if (labelMask != 0xfffff) {
                    s.append("/0x").append(String.format("%05x", labelMask));
                }
                s.append(',');
            }
        } else if (arp) {
            ipNetmask(s, "arp_spa", f, w, MatchField.ARP_SPA);
            ipNetmask(s, "arp_tpa", f, w, MatchField.ARP_TPA);
        } else {
            ipNetmask(s, "nw_src", f, w, MatchField.IPV4_SRC);
            ipNetmask(s, "nw_dst", f, w, MatchField.IPV4_DST);
        }
        if (!skipProto && nwProtoMatched) {
            s.append(arp ? "arp_op=" : "nw_proto=").append(nwProto).append(',');
        }
        if (arp) {
            ethMasked(s, "arp_sha", f, w, MatchField.ARP_SHA);
            ethMasked(s, "arp_tha", f, w, MatchField.ARP_THA);
        }
        if (get(w, MatchField.NW_TOS) != 0) {
            s.append("nw_tos=").append(get(f, MatchField.NW_TOS)).append(',');
        }
        if (get(w, MatchField.IP_ECN) != 0) {
            s.append("nw_ecn=").append(get(f, MatchField.IP_ECN)).append(',');
        }
        if (get(w, MatchField.NW_TTL) != 0) {
            s.append("nw_ttl=").append(get(f, MatchField.NW_TTL)).append(',');
        }
        if (get(w, MatchField.MPLS_LABEL) != 0) {
            s.append("mpls_label=").append(get(f, MatchField.MPLS_LABEL)).append(',');
        }
        if (get(w, MatchField.MPLS_TC) != 0) {
            s.append("mpls_tc=").append(get(f, MatchField.MPLS_TC)).append(',');
        }
        if (get(w, MatchField.MPLS_BOS) != 0) {
            s.append("mpls_bos=").append(get(f, MatchField.MPLS_BOS)).append(',');
        }
        frag(s, (int) get(f, MatchField.IP_FRAG), (int) get(w, MatchField.IP_FRAG));
        if (dlType == Prerequisite.ETH_TYPE_IP && nwProto == 1) {
            exact8(s, "icmp_type", f, w, MatchField.ICMPV4_TYPE);
            exact8(s, "icmp_code", f, w, MatchField.ICMPV4_CODE);
        } else if (dlType == Prerequisite.ETH_TYPE_IPV6 && nwProto == 58) {
            exact8(s, "icmp_type", f, w, MatchField.ICMPV6_TYPE);
            exact8(s, "icmp_code", f, w, MatchField.ICMPV6_CODE);
            ipv6Netmask(s, "nd_target", f, w, MatchField.ND_TARGET);
            ethMasked(s, "nd_sll", f, w, MatchField.ND_SLL);
            ethMasked(s, "nd_tll", f, w, MatchField.ND_TLL);
        } else if (!(dlType == Prerequisite.ETH_TYPE_IP && nwProto == 2)) {
            // IGMP (2) would print igmp_type/igmp_code, fields this switch cannot match.
            be16Masked(s, "tp_src", f, w, MatchField.TCP_SRC);
            be16Masked(s, "tp_dst", f, w, MatchField.TCP_DST);
        }
        boolean ipAny = dlType == Prerequisite.ETH_TYPE_IP || dlType == Prerequisite.ETH_TYPE_IPV6;
        long flagsMask = get(w, MatchField.TCP_FLAGS);
        if (ipAny && nwProto == 6 && flagsMask != 0) {
            Text.putFlagsMasked(s, "tcp_flags", Text::tcpFlagBit, (int) get(f, MatchField.TCP_FLAGS),
                    (int) flagsMask & 0x0fff, 0x0fff);
        }
        if (s.length() > start && s.charAt(s.length() - 1) == ',') {
            s.setLength(s.length() - 1);
        }
    }

    /** The shorthand for an Ethertype and (if matched, else -1) IP protocol, or null if there is none. */
    private static String shorthand(long dlType, long proto) {
        if (dlType == Prerequisite.ETH_TYPE_IP) {
            switch ((int) proto) {
                case 1:
                    return "icmp";
                case 2:
                    return "igmp";
                case 6:
                    return "tcp";
                case 17:
                    return "udp";
                case 132:
                    return "sctp";
                default:
                    return "ip";
            }
        }
        if (dlType == Prerequisite.ETH_TYPE_IPV6) {
            switch ((int) proto) {
                case 58:
                    return "icmp6";
                case 6:
                    return "tcp6";
                case 17:
                    return "udp6";
                case 132:
                    return "sctp6";
                default:
                    return "ipv6";
            }
        }
        if (dlType == Prerequisite.ETH_TYPE_ARP) {
            return "arp";
        }
        if (dlType == Prerequisite.ETH_TYPE_RARP) {
            return "rarp";
        }
        if (dlType == Prerequisite.ETH_TYPE_MPLS) {
            return "mpls";
        }
        if (dlType == Prerequisite.ETH_TYPE_MPLS_MCAST) {
            return "mplsm";
        }
        return null;
    }

    /** As {@code match_format()}'s VLAN part for the outer tag: dl_vlan/dl_vlan_pcp when they say it all. */
    private static void vlan(StringBuilder s, int tci, int mask) {
        if (mask == 0) {
            return;
        }
        int vidMask = mask & 0x0fff;
        int pcpMask = mask & 0xe000;
        boolean cfi = (mask & 0x1000) != 0;
        if (cfi && (tci & 0x1000) != 0 && (vidMask == 0 || vidMask == 0x0fff)
                && (pcpMask == 0 || pcpMask == 0xe000) && (vidMask != 0 || pcpMask != 0)) {
            if (vidMask != 0) {
                s.append("dl_vlan=").append(tci & 0x0fff).append(',');
            }
            if (pcpMask != 0) {
                s.append("dl_vlan_pcp=").append(tci >>> 13).append(',');
            }
        } else if (mask == 0xffff) {
            s.append("vlan_tci=0x").append(String.format("%04x", tci)).append(',');
        } else {
            s.append("vlan_tci=0x").append(String.format("%04x", tci)).append("/0x")
                    .append(String.format("%04x", mask)).append(',');
        }
    }

    private static void frag(StringBuilder s, int value, int mask) {
        switch (mask) {
            case 3:
                s.append("nw_frag=").append((value & 1) != 0 ? ((value & 2) != 0 ? "later" : "first")
                        : ((value & 2) != 0 ? "<error>" : "no")).append(',');
                break;
            case 1:
                s.append("nw_frag=").append((value & 1) != 0 ? "yes" : "no").append(',');
                break;
            case 2:
                s.append("nw_frag=").append((value & 2) != 0 ? "later" : "not_later").append(',');
                break;
            default:
                break;
        }
    }

    private static byte[] bytes(long[] key, MatchField f) {
        byte[] b = new byte[f.nBytes()];
        FlowKey.getBytes(key, f, b, 0);
        return b;
    }

    /** As OVS {@code format_uint32_masked()}: {@code %#x}, then {@code /%#x} unless exact. */
    private static void uint32Masked(StringBuilder s, String name, long[] f, long[] w, MatchField field) {
        long mask = get(w, field);
        if (mask != 0) {
            s.append(name).append('=').append(Text.hex0x(get(f, field)));
            if (mask != 0xffffffffL) {
                s.append('/').append(Text.hex0x(mask));
            }
            s.append(',');
        }
    }

    /** As OVS {@code format_be64_masked()}. */
    private static void be64Masked(StringBuilder s, String name, long[] f, long[] w, MatchField field) {
        long mask = get(w, field);
        if (mask != 0) {
            s.append(name).append('=').append(Text.hex0x(get(f, field)));
            if (mask != -1L) {
                s.append('/').append(Text.hex0x(mask));
            }
            s.append(',');
        }
    }

    /** As OVS {@code format_be16_masked()}: decimal if exact, else {@code 0x%x/0x%x}. */
    private static void be16Masked(StringBuilder s, String name, long[] f, long[] w, MatchField field) {
        long mask = get(w, field);
        if (mask != 0) {
            long v = get(f, field);
            s.append(name).append('=');
            if (mask == 0xffff) {
                s.append(v);
            } else {
                s.append("0x").append(Long.toHexString(v)).append("/0x").append(Long.toHexString(mask));
            }
            s.append(',');
        }
    }

    /**
     * ICMP type and code: OVS keeps them in the 16-bit tp_src/tp_dst with a full mask, so they print in decimal
     * (they are not maskable).
     */
    private static void exact8(StringBuilder s, String name, long[] f, long[] w, MatchField field) {
        if (get(w, field) != 0) {
            s.append(name).append('=').append(get(f, field)).append(',');
        }
    }

    private static void ipNetmask(StringBuilder s, String name, long[] f, long[] w, MatchField field) {
        long mask = get(w, field);
        if (mask != 0) {
            s.append(name).append('=');
            Text.putIpMasked(s, get(f, field), mask);
            s.append(',');
        }
    }

    private static void ipv6Netmask(StringBuilder s, String name, long[] f, long[] w, MatchField field) {
        if (!FlowKey.isWild(w, field)) {
            s.append(name).append('=');
            Text.putIpv6Masked(s, getHigh(f, field), getLow(f, field), getHigh(w, field), getLow(w, field));
            s.append(',');
        }
    }

    private static void ethMasked(StringBuilder s, String name, long[] f, long[] w, MatchField field) {
        long mask = get(w, field);
        if (mask != 0) {
            s.append(name).append('=');
            Text.putEthMasked(s, get(f, field), mask);
            s.append(',');
        }
    }
}
