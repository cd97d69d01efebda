package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.Match;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import dev.ofswitch.ofswitch.pipeline.FlowExtractor;
import java.util.Map;

/**
 * ovs-ofctl's one-line description of a packet, as OVS 3.1 prints it after a packet-in ({@code ofp_packet_to_string()}
 * in {@code lib/ofp-print.c}) and for each frame of {@code ovs-ofctl parse-pcap} ({@code flow_format()} in
 * {@code lib/flow.c}), and the metadata match of a packet-in.
 *
 * <pre>
 * udp,vlan_tci=0x0000,dl_src=50:54:00:00:00:01,dl_dst=50:54:00:00:00:02,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,
 * nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1111,tp_dst=2222 udp_csum:217a                     (one line)
 * </pre>
 *
 * <h2>How</h2>
 * The frame is parsed by the switch's own {@link FlowExtractor} ({@code flow_extract()}); the fields shown are those
 * of OVS's {@code flow_wildcards_init_for_packet()}: Ethernet addresses and type and the first VLAN tag, then per
 * Ethertype the IPv4/IPv6 addresses (IPv6 flow label; for neighbour discovery the target and link-layer addresses),
 * ARP's addresses, opcode and hardware addresses, MPLS's top label, or nothing more for other types; for IP also
 * nw_frag, nw_tos, nw_ecn, nw_ttl, nw_proto and, unless a later fragment, the ports (ICMP type and code) and TCP
 * flags. Context fields (in_port, conntrack state) are zero for a bare frame and, as in {@code flow_format()}, not
 * shown. {@link #packetToString} adds the L4 checksum as {@code ofp_packet_to_string()} does ({@code tcp_csum},
 * {@code udp_csum}, {@code sctp_csum}, {@code icmp_csum}, {@code icmp6_csum}, when the header holds it). The text is
 * {@link MatchFormatter}'s, the same that prints dump-flows matches. Stateless.
 *
 * <p>Limit: the switch parses one VLAN tag; OVS parses two, so for a double-tagged (QinQ) frame the text differs
 * (OVS shows {@code dl_vlan1=...} and the headers behind the second tag).
 */
public final class PacketPrinter {
    private static final int OFP_DEFAULT_PRIORITY = 0x8000;

    private PacketPrinter() {
    }

    /** {@code flow_format()} of the frame's flow, as {@code ovs-ofctl parse-pcap} prints it (without in_port). */
    public static String flowSummary(byte[] frame, int len) {
        long[] f = FlowKey.newKey();
        long[] w = FlowKey.newKey();
        FlowExtractor.extract(frame, len, 0, f);
        FlowKey.set(f, MatchField.IN_PORT, 0);
        wildcardsForPacket(f, w);
        StringBuilder s = new StringBuilder();
        // OVS shows the QTag after a tagged outer one: vlan_tci1 (zero when there is no second tag).
        int innerTci = -1;
        if (len >= 18 && isVlanTpid(u16(frame, 12))) {
            innerTci = len >= 22 && isVlanTpid(u16(frame, 16)) ? u16(frame, 18) | 0x1000 : 0;
        }
        MatchFormatter.format(s, f, w, OFP_DEFAULT_PRIORITY, Map.of(), innerTci);
        long type = FlowKey.get(f, MatchField.ETH_TYPE);
        int mplsAt = innerTci >= 0 ? 18 : 14;
        if ((type == 0x8847 || type == 0x8848) && len >= mplsAt + 4) {
            // OVS keeps the top label's TTL (mpls_ttl, printed between mpls_tc and mpls_bos); the switch's key
            // does not, so it is read from the frame.
            int at = s.indexOf(",mpls_bos=");
            if (at >= 0) {
                s.insert(at, ",mpls_ttl=" + (frame[mplsAt + 3] & 0xff));
            }
        }
        return s.toString();
    }

    /** {@code ofp_packet_to_string()} without its newline: the flow summary and the L4 checksum. */
    public static String packetToString(byte[] frame, int len) {
        long[] f = FlowKey.newKey();
        int l3 = FlowExtractor.extract(frame, len, 0, f);
        StringBuilder s = new StringBuilder(flowSummary(frame, len));
        long type = FlowKey.get(f, MatchField.ETH_TYPE);
        // As OVS, the checksum is read wherever the L4 header would be, later fragments included.
        if (l3 < 0 || (type != 0x0800 && type != 0x86dd)) {
            return s.toString();
        }
        int l4 = type == 0x0800 ? l3 + ((frame[l3] & 0x0f) << 2) : ipv6L4(frame, l3, len);
        if (l4 < 0) {
            return s.toString();
        }
        int l4Size = len - l4;
        int proto = (int) FlowKey.get(f, MatchField.IP_PROTO);
        if (proto == 6 && l4Size >= 18) {
            s.append(" tcp_csum:").append(Integer.toHexString(u16(frame, l4 + 16)));
        } else if (proto == 17 && l4Size >= 8) {
            s.append(" udp_csum:").append(Integer.toHexString(u16(frame, l4 + 6)));
        } else if (proto == 132 && l4Size >= 12) {
            long c = ((long) u16(frame, l4 + 8) << 16) | u16(frame, l4 + 10);
            s.append(" sctp_csum:").append(Long.toHexString(c));
        } else if (proto == 1 && l4Size >= 4) {
            s.append(" icmp_csum:").append(Integer.toHexString(u16(frame, l4 + 2)));
        } else if (proto == 58 && l4Size >= 4) {
            s.append(" icmp6_csum:").append(Integer.toHexString(u16(frame, l4 + 2)));
        }
        return s.toString();
    }

    /** A packet-in's metadata match as ovs-ofctl prints it between {@code total_len=} and {@code (via ...)}. */
    public static String metadata(Match m) {
        StringBuilder s = new StringBuilder();
        MatchFormatter.format(s, m, OFP_DEFAULT_PRIORITY, Map.of());
        return s.toString();
    }

    /** OVS {@code flow_wildcards_init_for_packet()} for the fields this switch extracts. */
    private static void wildcardsForPacket(long[] f, long[] w) {
        exact(w, MatchField.ETH_SRC);
        exact(w, MatchField.ETH_DST);
        exact(w, MatchField.ETH_TYPE);
        exact(w, MatchField.VLAN_TCI);
        long type = FlowKey.get(f, MatchField.ETH_TYPE);
        if (type == 0x0800) {
            exact(w, MatchField.IPV4_SRC);
            exact(w, MatchField.IPV4_DST);
        } else if (type == 0x86dd) {
            FlowKey.setWide(w, MatchField.IPV6_SRC, -1L, -1L);
            FlowKey.setWide(w, MatchField.IPV6_DST, -1L, -1L);
            exact(w, MatchField.IPV6_LABEL);
            long icmpType = FlowKey.get(f, MatchField.TCP_SRC);
            if (FlowKey.get(f, MatchField.IP_PROTO) == 58 && (icmpType == 135 || icmpType == 136)
                    && FlowKey.get(f, MatchField.TCP_DST) == 0) {
                exact(w, MatchField.ND_SLL);
                exact(w, MatchField.ND_TLL);
                FlowKey.setWide(w, MatchField.ND_TARGET, -1L, -1L);
            }
        } else if (type == 0x0806 || type == 0x8035) {
            exact(w, MatchField.ARP_SPA);
            exact(w, MatchField.ARP_TPA);
            exact(w, MatchField.ARP_OP);
            exact(w, MatchField.ARP_SHA);
            exact(w, MatchField.ARP_THA);
            return;
        } else if (type == 0x8847 || type == 0x8848) {
            exact(w, MatchField.MPLS_LABEL);
            exact(w, MatchField.MPLS_TC);
            exact(w, MatchField.MPLS_BOS);
            return;
        } else {
            return;
        }
        exact(w, MatchField.IP_FRAG);
        exact(w, MatchField.NW_TOS);
        exact(w, MatchField.IP_ECN);
        exact(w, MatchField.NW_TTL);
        exact(w, MatchField.IP_PROTO);
        long proto = FlowKey.get(f, MatchField.IP_PROTO);
        if ((FlowKey.get(f, MatchField.IP_FRAG) & 2) == 0
                && (proto == 1 || proto == 58 || proto == 6 || proto == 17 || proto == 132 || proto == 2)) {
            exact(w, MatchField.TCP_SRC);
            exact(w, MatchField.TCP_DST);
            if (proto == 6) {
                exact(w, MatchField.TCP_FLAGS);
            }
        }
    }

    private static void exact(long[] w, MatchField f) {
        FlowKey.set(w, f, FlowKey.allOnes(f));
    }

    /** The L4 offset of an IPv6 packet after its extension headers (hop-by-hop, routing, fragment, destination). */
    private static int ipv6L4(byte[] b, int l3, int len) {
        if (len - l3 < 40) {
            return -1;
        }
        int next = b[l3 + 6] & 0xff;
        int p = l3 + 40;
        while (next == 0 || next == 43 || next == 60 || next == 44 || next == 51) {
            if (len - p < 8) {
                return -1;
            }
            int hlen = next == 44 ? 8 : next == 51 ? ((b[p + 1] & 0xff) + 2) * 4 : ((b[p + 1] & 0xff) + 1) * 8;
            next = b[p] & 0xff;
            p += hlen;
        }
        return p <= len ? p : -1;
    }

    private static boolean isVlanTpid(int tpid) {
        return tpid == 0x8100 || tpid == 0x88a8;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
