package dev.ofswitch.ofswitch.pipeline;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;

/**
 * Parses an Ethernet frame into the packet fields of a {@link FlowKey}, as OVS's {@code miniflow_extract()}
 * ({@code lib/flow.c}) does: Ethernet, one 802.1Q/802.1ad tag, MPLS (top label), IPv4 and IPv6 (extension headers,
 * fragments), ARP, TCP (ports and flags), UDP, SCTP, ICMPv4, ICMPv6 (with neighbour discovery target and link-layer
 * addresses). A header that fails OVS's sanity checks leaves the fields it would carry at zero; parsing never throws.
 *
 * <p>Only packet-derived words are written; metadata, registers, tunnel and ct fields are the pipeline's.
 * Stateless and allocation-free.
 */
public final class FlowExtractor {
    static final int ETH_TYPE_IP = 0x0800;
    static final int ETH_TYPE_ARP = 0x0806;
    static final int ETH_TYPE_RARP = 0x8035;
    static final int ETH_TYPE_IPV6 = 0x86dd;
    static final int ETH_TYPE_VLAN = 0x8100;
    static final int ETH_TYPE_VLAN_8021AD = 0x88a8;
    static final int ETH_TYPE_MPLS = 0x8847;
    static final int ETH_TYPE_MPLS_MCAST = 0x8848;
    /** OVS's {@code FLOW_DL_TYPE_NONE}: an 802.3 frame without SNAP. */
    static final int DL_TYPE_NONE = 0x05ff;
    /** The CFI bit OVS sets in vlan_tci when a tag is present ({@code VLAN_CFI}). */
    static final int VLAN_CFI = 0x1000;

    /** {@code FLOW_NW_FRAG_ANY}. */
    static final int FRAG_ANY = 1;
    /** {@code FLOW_NW_FRAG_LATER}. */
    static final int FRAG_LATER = 2;

    private FlowExtractor() {
    }

    /** Clears the packet-derived words of {@code key} (everything but metadata, registers, tunnel and ct fields). */
    static void clearPacketFields(long[] key) {
        // in_port, eth_type, vlan, nw_proto, tos
        key[FlowKey.W_L2_L3] = 0;
        key[FlowKey.W_ETH_DST_TTL_FRAG] = 0;
        // eth_src shares a word with ct_state / ct_nw_proto: keep those.
        key[FlowKey.W_CT_STATE_ETH_SRC] &= ~0xffff_ffff_ffffL;
        key[FlowKey.W_NW_ADDR] = 0;
        // tp ports, tcp_flags; keep ct_zone (bits 48..63)
        key[FlowKey.W_TP] &= 0xffff_0000_0000_0000L;
        // mpls (bits 32..55); keep ct_tp_src/dst
        key[FlowKey.W_CT_TP_MPLS] &= 0xffff_ffffL;
        // ipv6_label (bits 0..19); keep tun_src
        key[FlowKey.W_LABEL_TUN_SRC] &= ~0xfffffL;
        key[FlowKey.W_IPV6_SRC] = 0;
        key[FlowKey.W_IPV6_SRC + 1] = 0;
        key[FlowKey.W_IPV6_DST] = 0;
        key[FlowKey.W_IPV6_DST + 1] = 0;
        key[FlowKey.W_ND_TARGET] = 0;
        key[FlowKey.W_ND_TARGET + 1] = 0;
        key[FlowKey.W_SHA] = 0;
        key[FlowKey.W_THA] = 0;
    }

    /**
     * Fills {@code key}'s packet fields from {@code f[0, len)} and sets in_port ({@code inPortOfp11}, OpenFlow 1.1+
     * numbering). Returns the offset of the L3 header, or -1 if there is none.
     */
    public static int extract(byte[] f, int len, int inPortOfp11, long[] key) {
        clearPacketFields(key);
        FlowKey.set(key, MatchField.IN_PORT_OXM, inPortOfp11 & 0xffffffffL);
        if (len < 14) {
            return -1;
        }
        FlowKey.set(key, MatchField.ETH_DST, mac(f, 0));
        FlowKey.set(key, MatchField.ETH_SRC, mac(f, 6));
        int p = 12;
        int type = u16(f, p);
        p += 2;
        if ((type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD) && len - p >= 4) {
            int tci = u16(f, p);
            FlowKey.set(key, MatchField.VLAN_TCI, (tci | VLAN_CFI) & 0xffff);
            type = u16(f, p + 2);
            p += 4;
        }
        if (type < 0x600) {
            // 802.3: LLC/SNAP carries an Ethertype, anything else has none (OVS parse_ethertype()).
            if (len - p >= 8 && (f[p] & 0xff) == 0xaa && (f[p + 1] & 0xff) == 0xaa && (f[p + 2] & 0xff) == 0x03
                    && f[p + 3] == 0 && f[p + 4] == 0 && f[p + 5] == 0) {
                type = u16(f, p + 6);
                p += 8;
                if (type < 0x600) {
                    type = DL_TYPE_NONE;
                }
            } else {
                type = DL_TYPE_NONE;
            }
        }
        FlowKey.set(key, MatchField.ETH_TYPE, type);
        switch (type) {
            case ETH_TYPE_IP:
                return ipv4(f, p, len, key) ? p : -1;
            case ETH_TYPE_IPV6:
                return ipv6(f, p, len, key) ? p : -1;
            case ETH_TYPE_ARP:
            case ETH_TYPE_RARP:
                arp(f, p, len, key);
                return -1;
            case ETH_TYPE_MPLS:
            case ETH_TYPE_MPLS_MCAST:
                if (len - p >= 4) {
                    int lse = u32(f, p);
                    FlowKey.set(key, MatchField.MPLS_LABEL, (lse >>> 12) & 0xfffff);
                    FlowKey.set(key, MatchField.MPLS_TC, (lse >>> 9) & 7);
                    FlowKey.set(key, MatchField.MPLS_BOS, (lse >>> 8) & 1);
                }
                return -1;
            default:
                return -1;
        }
    }

    private static boolean ipv4(byte[] f, int p, int len, long[] key) {
        int size = len - p;
        if (size < 20) {
            return false;
        }
        int ihl = (f[p] & 0x0f) * 4;
        if (ihl < 20 || size < ihl) {
            return false;
        }
        int totLen = u16(f, p + 2);
        if (totLen > size || ihl > totLen) {
            return false;
        }
        FlowKey.set(key, MatchField.IPV4_SRC, u32(f, p + 12) & 0xffffffffL);
        FlowKey.set(key, MatchField.IPV4_DST, u32(f, p + 16) & 0xffffffffL);
        int tos = f[p + 1] & 0xff;
        FlowKey.set(key, MatchField.NW_TOS, tos & 0xfc);
        FlowKey.set(key, MatchField.IP_ECN, tos & 0x03);
        FlowKey.set(key, MatchField.NW_TTL, f[p + 8] & 0xff);
        int proto = f[p + 9] & 0xff;
        FlowKey.set(key, MatchField.IP_PROTO, proto);
        int fragOff = u16(f, p + 6);
        int frag = 0;
        if ((fragOff & 0x3fff) != 0) {
            frag = FRAG_ANY;
            if ((fragOff & 0x1fff) != 0) {
                frag |= FRAG_LATER;
            }
        }
        FlowKey.set(key, MatchField.IP_FRAG, frag);
        if ((frag & FRAG_LATER) == 0) {
            l4(f, p + ihl, p + totLen, proto, false, key);
        }
        return true;
    }

    private static boolean ipv6(byte[] f, int p, int len, long[] key) {
        int size = len - p;
        if (size < 40) {
            return false;
        }
        int plen = u16(f, p + 4);
        if (plen > size - 40) {
            return false;
        }
        int end = p + 40 + plen;
        int vtcFlow = u32(f, p);
        int tos = (vtcFlow >>> 20) & 0xff;
        FlowKey.set(key, MatchField.NW_TOS, tos & 0xfc);
        FlowKey.set(key, MatchField.IP_ECN, tos & 0x03);
        FlowKey.set(key, MatchField.IPV6_LABEL, vtcFlow & 0xfffff);
        FlowKey.set(key, MatchField.NW_TTL, f[p + 7] & 0xff);
        FlowKey.setWide(key, MatchField.IPV6_SRC, u64(f, p + 8), u64(f, p + 16));
        FlowKey.setWide(key, MatchField.IPV6_DST, u64(f, p + 24), u64(f, p + 32));
        int nxt = f[p + 6] & 0xff;
        int q = p + 40;
        int frag = 0;
        while (true) {
            if (nxt == 0 || nxt == 43 || nxt == 60) {
                if (end - q < 8) {
                    break;
                }
                int hlen = ((f[q + 1] & 0xff) + 1) * 8;
                if (end - q < hlen) {
                    break;
                }
                nxt = f[q] & 0xff;
                q += hlen;
            } else if (nxt == 51) {
                if (end - q < 8) {
                    break;
                }
                int hlen = ((f[q + 1] & 0xff) + 2) * 4;
                if (end - q < hlen) {
                    break;
                }
                nxt = f[q] & 0xff;
                q += hlen;
            } else if (nxt == 44) {
                if (end - q < 8) {
                    break;
                }
                frag = FRAG_ANY;
                int off = u16(f, q + 2) & 0xfff8;
                int next = f[q] & 0xff;
                q += 8;
                if (off != 0) {
                    frag |= FRAG_LATER;
                    nxt = next;
                    break;
                }
                nxt = next;
            } else {
                break;
            }
        }
        FlowKey.set(key, MatchField.IP_PROTO, nxt);
        FlowKey.set(key, MatchField.IP_FRAG, frag);
        if ((frag & FRAG_LATER) == 0) {
            l4(f, q, end, nxt, true, key);
        }
        return true;
    }

    private static void l4(byte[] f, int p, int end, int proto, boolean v6, long[] key) {
        int size = end - p;
        switch (proto) {
            case 6:
                if (size >= 20) {
                    int dataOff = ((f[p + 12] & 0xff) >>> 4) * 4;
                    if (dataOff >= 20 && dataOff <= size) {
                        FlowKey.set(key, MatchField.TCP_SRC, u16(f, p));
                        FlowKey.set(key, MatchField.TCP_DST, u16(f, p + 2));
                        FlowKey.set(key, MatchField.TCP_FLAGS, u16(f, p + 12) & 0x0fff);
                    }
                }
                return;
            case 17:
            case 136:   // UDP-Lite uses UDP's port layout
                if (size >= 8) {
                    FlowKey.set(key, MatchField.UDP_SRC, u16(f, p));
                    FlowKey.set(key, MatchField.UDP_DST, u16(f, p + 2));
                }
                return;
            case 132:
                if (size >= 12) {
                    FlowKey.set(key, MatchField.SCTP_SRC, u16(f, p));
                    FlowKey.set(key, MatchField.SCTP_DST, u16(f, p + 2));
                }
                return;
            case 1:
                if (!v6 && size >= 8) {
                    FlowKey.set(key, MatchField.ICMPV4_TYPE, f[p] & 0xff);
                    FlowKey.set(key, MatchField.ICMPV4_CODE, f[p + 1] & 0xff);
                }
                return;
            case 58:
                if (v6 && size >= 8) {
                    int type = f[p] & 0xff;
                    int code = f[p + 1] & 0xff;
                    FlowKey.set(key, MatchField.ICMPV6_TYPE, type);
                    FlowKey.set(key, MatchField.ICMPV6_CODE, code);
                    if ((type == 135 || type == 136) && code == 0 && size >= 24) {
                        nd(f, p, end, type, key);
                    }
                }
                return;
            default:
                return;
        }
    }

    /** Neighbour discovery: target address, then source/target link-layer address options. */
    private static void nd(byte[] f, int p, int end, int type, long[] key) {
        FlowKey.setWide(key, MatchField.ND_TARGET, u64(f, p + 8), u64(f, p + 16));
        int q = p + 24;
        while (end - q >= 8) {
            int optType = f[q] & 0xff;
            int optLen = (f[q + 1] & 0xff) * 8;
            if (optLen == 0 || end - q < optLen) {
                // OVS treats a malformed option as "no ND fields" beyond the target.
                FlowKey.set(key, MatchField.ND_SLL, 0);
                FlowKey.set(key, MatchField.ND_TLL, 0);
                return;
            }
            if (optType == 1 && optLen == 8 && type == 135) {
                FlowKey.set(key, MatchField.ND_SLL, mac(f, q + 2));
            } else if (optType == 2 && optLen == 8 && type == 136) {
                FlowKey.set(key, MatchField.ND_TLL, mac(f, q + 2));
            }
            q += optLen;
        }
    }

    private static void arp(byte[] f, int p, int len, long[] key) {
        if (len - p < 28) {
            return;
        }
        int htype = u16(f, p);
        int ptype = u16(f, p + 2);
        if (htype != 1 || ptype != ETH_TYPE_IP || (f[p + 4] & 0xff) != 6 || (f[p + 5] & 0xff) != 4) {
            return;
        }
        int op = u16(f, p + 6);
        if (op <= 0xff) {
            FlowKey.set(key, MatchField.ARP_OP, op);
        }
        FlowKey.set(key, MatchField.ARP_SHA, mac(f, p + 8));
        FlowKey.set(key, MatchField.ARP_SPA, u32(f, p + 14) & 0xffffffffL);
        FlowKey.set(key, MatchField.ARP_THA, mac(f, p + 18));
        FlowKey.set(key, MatchField.ARP_TPA, u32(f, p + 24) & 0xffffffffL);
    }

    static long mac(byte[] f, int i) {
        return ((long) u16(f, i) << 32) | (u32(f, i + 2) & 0xffffffffL);
    }

    static int u16(byte[] f, int i) {
        return ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
    }

    static int u32(byte[] f, int i) {
        return ((f[i] & 0xff) << 24) | ((f[i + 1] & 0xff) << 16) | ((f[i + 2] & 0xff) << 8) | (f[i + 3] & 0xff);
    }

    static long u64(byte[] f, int i) {
        return ((long) u32(f, i) << 32) | (u32(f, i + 4) & 0xffffffffL);
    }
}
