package dev.ofswitch.ofswitch.pipeline;

import static dev.ofswitch.conntrack.packet.Csum.put16;
import static dev.ofswitch.conntrack.packet.Csum.put32;
import static dev.ofswitch.conntrack.packet.Csum.recalc16;
import static dev.ofswitch.conntrack.packet.Csum.recalc32;
import static dev.ofswitch.conntrack.packet.Csum.u16;
import static dev.ofswitch.conntrack.packet.Csum.u32;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.zip.CRC32C;

/**
 * Writes flow-key fields back into the frame, fixing checksums the way OVS's {@code lib/packets.c} does
 * ({@code packet_set_ipv4_addr()}, {@code packet_set_tcp_port()}, ... : incremental updates with
 * {@link dev.ofswitch.conntrack.packet.Csum}, a zero UDP checksum over IPv4 left alone, SCTP's CRC32c recomputed), and
 * pushes and pops VLAN tags and MPLS labels. Rewriting an address or a port forgets the packet's cached conntrack
 * connection, as OVS's {@code pkt_metadata_init_conn()} does.
 *
 * <p>Fields that are not in the packet (registers, metadata, tunnel, ct fields) live in the key only. Stateless.
 */
final class PacketEditor {
    private PacketEditor() {
    }

    /** The offset of the L3 header after Ethernet and one VLAN tag, and the Ethertype there, packed. */
    static long l3(byte[] f, int len) {
        if (len < 14) {
            return -1;
        }
        int p = 12;
        int type = u16(f, p);
        p += 2;
        if ((type == 0x8100 || type == 0x88a8) && len - p >= 4) {
            type = u16(f, p + 2);
            p += 4;
        }
        return ((long) type << 32) | p;
    }

    /** Writes narrow field {@code f}'s current key value into the frame. */
    static void write(PacketContext ctx, MatchField f) {
        byte[] b = ctx.frame;
        long[] k = ctx.key;
        switch (f) {
            case ETH_DST:
                putMac(b, 0, FlowKey.get(k, f));
                return;
            case ETH_SRC:
                putMac(b, 6, FlowKey.get(k, f));
                return;
            case VLAN_TCI:
            case VLAN_VID:
            case VLAN_PCP:
                setVlan(ctx);
                return;
            case IPV4_SRC:
            case IPV4_DST:
            case ARP_SPA:
            case ARP_TPA:
            case NW_TOS:
            case IP_DSCP:
            case IP_ECN:
            case NW_TTL:
            case IPV6_LABEL:
                l3Field(ctx, f);
                return;
            case TCP_SRC:
            case TCP_DST:
            case UDP_SRC:
            case UDP_DST:
            case SCTP_SRC:
            case SCTP_DST:
            case ICMPV4_TYPE:
            case ICMPV4_CODE:
            case ICMPV6_TYPE:
            case ICMPV6_CODE:
                l4Field(ctx, f);
                return;
            case ARP_OP:
            case ARP_SHA:
            case ARP_THA:
            case ND_SLL:
            case ND_TLL:
                arpOrNd(ctx, f);
                return;
            case MPLS_LABEL:
            case MPLS_TC:
            case MPLS_BOS:
                mplsField(ctx);
                return;
            default:
                return;     // metadata fields live in the key only
        }
    }

    /** Sets a 128-bit field in the key and, for IPv6 addresses and the ND target, in the frame. */
    static void writeWide(PacketContext ctx, MatchField f, long hi, long lo) {
        long oldHi = FlowKey.getHigh(ctx.key, f);
        long oldLo = FlowKey.getLow(ctx.key, f);
        FlowKey.setWide(ctx.key, f, hi, lo);
        if (f != MatchField.IPV6_SRC && f != MatchField.IPV6_DST && f != MatchField.ND_TARGET) {
            return;
        }
        long l3 = l3(ctx.frame, ctx.len);
        if (l3 < 0 || (l3 >>> 32) != 0x86dd) {
            return;
        }
        int p = (int) l3;
        if (ctx.len - p < 40) {
            return;
        }
        byte[] b = ctx.frame;
        int at;
        if (f == MatchField.ND_TARGET) {
            int l4 = ipv6L4(b, p, ctx.len);
            if (l4 < 0 || (b[p + 6] & 0xff) != 58 || ctx.len - l4 < 24) {
                return;
            }
            at = l4 + 8;
        } else {
            at = f == MatchField.IPV6_SRC ? p + 8 : p + 24;
        }
        // The L4 checksum covers the addresses (pseudo-header) and the ND target.
        int proto = b[p + 6] & 0xff;
        int l4 = ipv6L4(b, p, ctx.len);
        int csumAt = l4 < 0 ? -1 : proto == 6 ? l4 + 16 : proto == 17 ? l4 + 6 : proto == 58 ? l4 + 2 : -1;
        for (int i = 0; i < 8; i++) {
            int shift = 48 - 16 * (i & 3);
            int oldW = (int) ((i < 4 ? oldHi : oldLo) >>> shift) & 0xffff;
            int newW = (int) ((i < 4 ? hi : lo) >>> shift) & 0xffff;
            if (csumAt >= 0 && ctx.len >= csumAt + 2) {
                int c = u16(b, csumAt);
                if (!(proto == 17 && c == 0)) {
                    c = recalc16(c, oldW, newW);
                    if (proto == 17 && c == 0) {
                        c = 0xffff;
                    }
                    put16(b, csumAt, c);
                }
            }
            put16(b, at + 2 * i, newW);
        }
        ctx.ct.forgetConnection();
    }

    private static int ipv6L4(byte[] b, int p, int len) {
        int nxt = b[p + 6] & 0xff;
        int q = p + 40;
        while (nxt == 0 || nxt == 43 || nxt == 60 || nxt == 51) {
            if (len - q < 8) {
                return -1;
            }
            int hlen = nxt == 51 ? ((b[q + 1] & 0xff) + 2) * 4 : ((b[q + 1] & 0xff) + 1) * 8;
            nxt = b[q] & 0xff;
            q += hlen;
        }
        return q <= len ? q : -1;
    }

    private static void l3Field(PacketContext ctx, MatchField f) {
        long l3 = l3(ctx.frame, ctx.len);
        if (l3 < 0) {
            return;
        }
        int type = (int) (l3 >>> 32);
        int p = (int) l3;
        byte[] b = ctx.frame;
        long[] k = ctx.key;
        if (type == 0x0800 && ctx.len - p >= 20) {
            int ihl = (b[p] & 0x0f) * 4;
            switch (f) {
                case IPV4_SRC:
                case IPV4_DST: {
                    int at = f == MatchField.IPV4_SRC ? p + 12 : p + 16;
                    int oldA = u32(b, at);
                    int newA = (int) FlowKey.get(k, f);
                    if (oldA == newA) {
                        return;
                    }
                    int proto = b[p + 9] & 0xff;
                    boolean laterFrag = (u16(b, p + 6) & 0x1fff) != 0;
                    int l4 = p + ihl;
                    if (!laterFrag) {
                        if (proto == 6 && ctx.len - l4 >= 20) {
                            put16(b, l4 + 16, recalc32(u16(b, l4 + 16), oldA, newA));
                        } else if (proto == 17 && ctx.len - l4 >= 8) {
                            int c = u16(b, l4 + 6);
                            if (c != 0) {
                                c = recalc32(c, oldA, newA);
                                put16(b, l4 + 6, c == 0 ? 0xffff : c);
                            }
                        }
                    }
                    put16(b, p + 10, recalc32(u16(b, p + 10), oldA, newA));
                    put32(b, at, newA);
                    ctx.ct.forgetConnection();
                    return;
                }
                case NW_TOS:
                case IP_DSCP:
                case IP_ECN: {
                    int oldTos = b[p + 1] & 0xff;
                    int newTos = (int) ((FlowKey.get(k, MatchField.NW_TOS) & 0xfc)
                            | (FlowKey.get(k, MatchField.IP_ECN) & 0x03));
                    if (oldTos != newTos) {
                        int oldW = u16(b, p);
                        int newW = (oldW & 0xff00) | newTos;
                        put16(b, p + 10, recalc16(u16(b, p + 10), oldW, newW));
                        b[p + 1] = (byte) newTos;
                    }
                    return;
                }
                case NW_TTL: {
                    int oldW = u16(b, p + 8);
                    int newW = ((int) FlowKey.get(k, f) << 8) | (oldW & 0xff);
                    if (oldW != newW) {
                        put16(b, p + 10, recalc16(u16(b, p + 10), oldW, newW));
                        b[p + 8] = (byte) (newW >>> 8);
                    }
                    return;
                }
                default:
                    return;
            }
        } else if (type == 0x86dd && ctx.len - p >= 40) {
            int first = u32(b, p);
            switch (f) {
                case NW_TOS:
                case IP_DSCP:
                case IP_ECN: {
                    int tos = (int) ((FlowKey.get(k, MatchField.NW_TOS) & 0xfc)
                            | (FlowKey.get(k, MatchField.IP_ECN) & 0x03));
                    put32(b, p, (first & 0xf00fffff) | (tos << 20));
                    return;
                }
                case IPV6_LABEL:
                    put32(b, p, (first & 0xfff00000) | (int) (FlowKey.get(k, f) & 0xfffff));
                    return;
                case NW_TTL:
                    b[p + 7] = (byte) FlowKey.get(k, f);
                    return;
                default:
                    return;
            }
        } else if ((type == 0x0806 || type == 0x8035) && ctx.len - p >= 28) {
            if (f == MatchField.ARP_SPA) {
                put32(b, p + 14, (int) FlowKey.get(k, f));
            } else if (f == MatchField.ARP_TPA) {
                put32(b, p + 24, (int) FlowKey.get(k, f));
            }
        }
    }

    private static void l4Field(PacketContext ctx, MatchField f) {
        long l3 = l3(ctx.frame, ctx.len);
        if (l3 < 0) {
            return;
        }
        int type = (int) (l3 >>> 32);
        int p = (int) l3;
        byte[] b = ctx.frame;
        int l4;
        int proto;
        if (type == 0x0800 && ctx.len - p >= 20) {
            if ((u16(b, p + 6) & 0x1fff) != 0) {
                return;     // a later fragment has no L4 header
            }
            l4 = p + (b[p] & 0x0f) * 4;
            proto = b[p + 9] & 0xff;
        } else if (type == 0x86dd && ctx.len - p >= 40) {
            l4 = ipv6L4(b, p, ctx.len);
            proto = lastNext(b, p);
        } else {
            return;
        }
        if (l4 < 0) {
            return;
        }
        long v = FlowKey.get(ctx.key, f);
        switch (f) {
            case TCP_SRC:
            case TCP_DST:
                if (proto == 6 && ctx.len - l4 >= 20) {
                    int at = f == MatchField.TCP_SRC ? l4 : l4 + 2;
                    int old = u16(b, at);
                    put16(b, l4 + 16, recalc16(u16(b, l4 + 16), old, (int) v));
                    put16(b, at, (int) v);
                    ctx.ct.forgetConnection();
                }
                return;
            case UDP_SRC:
            case UDP_DST:
                if ((proto == 17 || proto == 136) && ctx.len - l4 >= 8) {
                    int at = f == MatchField.UDP_SRC ? l4 : l4 + 2;
                    int old = u16(b, at);
                    int c = u16(b, l4 + 6);
                    if (c != 0) {
                        c = recalc16(c, old, (int) v);
                        put16(b, l4 + 6, c == 0 ? 0xffff : c);
                    }
                    put16(b, at, (int) v);
                    ctx.ct.forgetConnection();
                }
                return;
            case SCTP_SRC:
            case SCTP_DST:
                if (proto == 132 && ctx.len - l4 >= 12) {
                    put16(b, f == MatchField.SCTP_SRC ? l4 : l4 + 2, (int) v);
                    sctpCrc(b, l4, ctx.len);
                    ctx.ct.forgetConnection();
                }
                return;
            case ICMPV4_TYPE:
            case ICMPV4_CODE:
            case ICMPV6_TYPE:
            case ICMPV6_CODE:
                if ((proto == 1 || proto == 58) && ctx.len - l4 >= 4) {
                    int old = u16(b, l4);
                    int nw = f == MatchField.ICMPV4_TYPE || f == MatchField.ICMPV6_TYPE
                            ? ((int) v << 8) | (old & 0xff) : (old & 0xff00) | (int) v;
                    put16(b, l4 + 2, recalc16(u16(b, l4 + 2), old, nw));
                    put16(b, l4, nw);
                }
                return;
            default:
                return;
        }
    }

    private static int lastNext(byte[] b, int p) {
        int nxt = b[p + 6] & 0xff;
        int q = p + 40;
        while (nxt == 0 || nxt == 43 || nxt == 60 || nxt == 51) {
            int hlen = nxt == 51 ? ((b[q + 1] & 0xff) + 2) * 4 : ((b[q + 1] & 0xff) + 1) * 8;
            nxt = b[q] & 0xff;
            q += hlen;
        }
        return nxt;
    }

    private static void sctpCrc(byte[] b, int l4, int end) {
        put32(b, l4 + 8, 0);
        CRC32C crc = new CRC32C();
        crc.update(b, l4, end - l4);
        int c = (int) crc.getValue();
        // The SCTP checksum is stored little-endian (RFC 4960 appendix B as implemented everywhere).
        b[l4 + 8] = (byte) c;
        b[l4 + 9] = (byte) (c >>> 8);
        b[l4 + 10] = (byte) (c >>> 16);
        b[l4 + 11] = (byte) (c >>> 24);
    }

    private static void arpOrNd(PacketContext ctx, MatchField f) {
        long l3 = l3(ctx.frame, ctx.len);
        if (l3 < 0) {
            return;
        }
        int type = (int) (l3 >>> 32);
        int p = (int) l3;
        byte[] b = ctx.frame;
        long v = FlowKey.get(ctx.key, f);
        if ((type == 0x0806 || type == 0x8035) && ctx.len - p >= 28) {
            if (f == MatchField.ARP_OP) {
                put16(b, p + 6, (int) v);
            } else if (f == MatchField.ARP_SHA) {
                putMac(b, p + 8, v);
            } else if (f == MatchField.ARP_THA) {
                putMac(b, p + 18, v);
            }
            return;
        }
        if (type == 0x86dd && (f == MatchField.ND_SLL || f == MatchField.ND_TLL)) {
            int l4 = ipv6L4(b, p, ctx.len);
            if (l4 < 0 || lastNext(b, p) != 58 || ctx.len - l4 < 24) {
                return;
            }
            int want = f == MatchField.ND_SLL ? 1 : 2;
            for (int q = l4 + 24; ctx.len - q >= 8; ) {
                int optLen = (b[q + 1] & 0xff) * 8;
                if (optLen == 0) {
                    return;
                }
                if ((b[q] & 0xff) == want && optLen == 8) {
                    long old = ((long) u16(b, q + 2) << 32) | (u32(b, q + 4) & 0xffffffffL);
                    int c = u16(b, l4 + 2);
                    for (int i = 0; i < 3; i++) {
                        int s = 32 - 16 * i;
                        c = recalc16(c, (int) (old >>> s) & 0xffff, (int) (v >>> s) & 0xffff);
                    }
                    put16(b, l4 + 2, c);
                    putMac(b, q + 2, v);
                    return;
                }
                q += optLen;
            }
        }
    }

    private static void mplsField(PacketContext ctx) {
        long l3 = l3(ctx.frame, ctx.len);
        int type = (int) (l3 >>> 32);
        if (l3 < 0 || (type != 0x8847 && type != 0x8848) || ctx.len - (int) l3 < 4) {
            return;
        }
        int p = (int) l3;
        int lse = u32(ctx.frame, p);
        long[] k = ctx.key;
        int label = (int) FlowKey.get(k, MatchField.MPLS_LABEL);
        int tc = (int) FlowKey.get(k, MatchField.MPLS_TC);
        int bos = (int) FlowKey.get(k, MatchField.MPLS_BOS);
        put32(ctx.frame, p, (label << 12) | (tc << 9) | (bos << 8) | (lse & 0xff));
    }

    /** Rewrites the VLAN tag from the key's vlan_tci: adds one if the CFI/present bit is set and there is none. */
    private static void setVlan(PacketContext ctx) {
        int tci = (int) FlowKey.get(ctx.key, MatchField.VLAN_TCI);
        byte[] b = ctx.frame;
        if (ctx.len < 14) {
            return;
        }
        int type = u16(b, 12);
        boolean tagged = type == 0x8100 || type == 0x88a8;
        if (tagged) {
            put16(b, 14, tci & ~FlowExtractor.VLAN_CFI);
        } else if ((tci & FlowExtractor.VLAN_CFI) != 0) {
            insertTag(ctx, 0x8100, tci & ~FlowExtractor.VLAN_CFI);
        }
    }

    /** push_vlan: a new outermost tag with the TCI of the existing one, or 0 (OVS: VID 0, PCP 0). */
    static void pushVlan(PacketContext ctx, int tpid) {
        if (ctx.len < 14) {
            return;
        }
        int type = u16(ctx.frame, 12);
        int tci = (type == 0x8100 || type == 0x88a8) ? u16(ctx.frame, 14) : 0;
        insertTag(ctx, tpid, tci);
        FlowKey.set(ctx.key, MatchField.VLAN_TCI, tci | FlowExtractor.VLAN_CFI);
    }

    private static void insertTag(PacketContext ctx, int tpid, int tci) {
        ctx.ensureCapacity(ctx.len + 4);
        byte[] b = ctx.frame;
        System.arraycopy(b, 12, b, 16, ctx.len - 12);
        put16(b, 12, tpid);
        put16(b, 14, tci);
        ctx.len += 4;
        ctx.l3 = ctx.l3 >= 0 ? ctx.l3 + 4 : ctx.l3;
    }

    /** pop_vlan / strip_vlan: removes the outermost tag, if any. */
    static void popVlan(PacketContext ctx) {
        byte[] b = ctx.frame;
        if (ctx.len < 18) {
            return;
        }
        int type = u16(b, 12);
        if (type != 0x8100 && type != 0x88a8) {
            return;
        }
        System.arraycopy(b, 16, b, 12, ctx.len - 16);
        ctx.len -= 4;
        ctx.l3 = ctx.l3 >= 0 ? ctx.l3 - 4 : ctx.l3;
        FlowKey.set(ctx.key, MatchField.VLAN_TCI, 0);
    }

    /** push_mpls: a label stack entry after L2 with label 0, TC 0, BOS if it is the first, TTL from IP (OVS). */
    static void pushMpls(PacketContext ctx, int ethertype) {
        long l3 = l3(ctx.frame, ctx.len);
        if (l3 < 0) {
            return;
        }
        int type = (int) (l3 >>> 32);
        int p = (int) l3;
        byte[] b = ctx.frame;
        int ttl = 64;
        boolean bos = type != 0x8847 && type != 0x8848;
        if (type == 0x0800 && ctx.len - p >= 20) {
            ttl = b[p + 8] & 0xff;
        } else if (type == 0x86dd && ctx.len - p >= 40) {
            ttl = b[p + 7] & 0xff;
        } else if (!bos && ctx.len - p >= 4) {
            ttl = b[p + 3] & 0xff;
        }
        ctx.ensureCapacity(ctx.len + 4);
        b = ctx.frame;
        System.arraycopy(b, p, b, p + 4, ctx.len - p);
        put32(b, p, (bos ? 1 << 8 : 0) | ttl);
        put16(b, p - 2, ethertype);
        ctx.len += 4;
        FlowKey.set(ctx.key, MatchField.ETH_TYPE, ethertype);
        FlowKey.set(ctx.key, MatchField.MPLS_LABEL, 0);
        FlowKey.set(ctx.key, MatchField.MPLS_TC, 0);
        FlowKey.set(ctx.key, MatchField.MPLS_BOS, bos ? 1 : 0);
    }

    /** pop_mpls: removes the top label; the Ethertype becomes {@code ethertype}. */
    static void popMpls(PacketContext ctx, int ethertype) {
        long l3 = l3(ctx.frame, ctx.len);
        int type = (int) (l3 >>> 32);
        if (l3 < 0 || (type != 0x8847 && type != 0x8848) || ctx.len - (int) l3 < 4) {
            return;
        }
        int p = (int) l3;
        byte[] b = ctx.frame;
        System.arraycopy(b, p + 4, b, p, ctx.len - p - 4);
        put16(b, p - 2, ethertype);
        ctx.len -= 4;
        FlowExtractor.extract(b, ctx.len, (int) FlowKey.get(ctx.key, MatchField.IN_PORT_OXM), ctx.key);
    }

    /** set_mpls_ttl / dec_mpls_ttl on the top label. */
    static void mplsTtl(PacketContext ctx, int ttl, boolean decrement) {
        long l3 = l3(ctx.frame, ctx.len);
        int type = (int) (l3 >>> 32);
        if (l3 < 0 || (type != 0x8847 && type != 0x8848) || ctx.len - (int) l3 < 4) {
            return;
        }
        int at = (int) l3 + 3;
        int cur = ctx.frame[at] & 0xff;
        ctx.frame[at] = (byte) (decrement ? Math.max(0, cur - 1) : ttl);
    }

    static void putMac(byte[] b, int at, long mac) {
        put16(b, at, (int) (mac >>> 32));
        put32(b, at + 2, (int) mac);
    }
}
