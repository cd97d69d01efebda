package dev.ofswitch.ofswitch.flow;

import static dev.ofswitch.ofswitch.flow.FlowKey.W_CT_IPV6_DST;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_CT_IPV6_SRC;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_CT_LABEL;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_CT_NW;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_CT_STATE_ETH_SRC;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_CT_TP_MPLS;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_ETH_DST_TTL_FRAG;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_IPV6_DST;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_IPV6_SRC;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_L2_L3;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_LABEL_TUN_SRC;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_MARKS;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_METADATA;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_ND_TARGET;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_NW_ADDR;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_SHA;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_THA;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_TP;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_TUN_DST;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_TUN_ID;
import static dev.ofswitch.ofswitch.flow.FlowKey.W_XREG0;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The match and set-field registry: one constant per OVS {@code mf_field} that the switch knows, with everything
 * OVS's {@code include/openvswitch/meta-flow.h} says about it and where it lives in a {@link FlowKey}.
 *
 * <h2>What each constant records</h2>
 * <table>
 *   <caption>Per-field facts</caption>
 *   <tr><th>accessor</th><th>meaning</th><th>OVS source</th></tr>
 *   <tr><td>{@link #ovsName()}, {@link #extraName()}</td><td>the names ovs-ofctl accepts and prints
 *       ({@code ip_src} / {@code nw_src})</td><td>{@code mf->name}, {@code mf->extra_name}</td></tr>
 *   <tr><td>{@link #nBytes()}</td><td>wire width of the value (the OXM/NXM payload without mask)</td>
 *       <td>{@code mf->n_bytes}</td></tr>
 *   <tr><td>{@link #nBits()}</td><td>meaningful bits, the bound for {@code load}/{@code move} subfields
 *       ({@code vlan_vid} 13, {@code ip_dscp} 6, {@code mpls_label} 20)</td><td>{@code mf->n_bits}</td></tr>
 *   <tr><td>{@link #isMaskable()}</td><td>arbitrary bitwise masks allowed (OVS MFM_FULLY) or none (MFM_NONE)</td>
 *       <td>{@code mf->maskable}</td></tr>
 *   <tr><td>{@link #prerequisite()}</td><td>what the match must already say</td><td>{@code mf->prereqs}</td></tr>
 *   <tr><td>{@link #isWritable()}</td><td>may be the destination of set_field, load, move</td>
 *       <td>{@code mf->writable}</td></tr>
 *   <tr><td>{@link #nxmHeader()}</td><td>32-bit NXM header (class 0x0000 NXM_OF or 0x0001 NXM_NX), unmasked</td>
 *       <td>"NXM:" line</td></tr>
 *   <tr><td>{@link #oxmHeader()}, {@link #oxmSince()}</td><td>OpenFlow basic (0x8000) or packet-register (0x8001)
 *       OXM header and the first version that defines it</td><td>"OXM:" line</td></tr>
 * </table>
 *
 * <h2>Headers</h2>
 * An NXM/OXM header is {@code class(16) | field(7) | hasmask(1) | length(8)}; the masked form has hasmask set and a
 * doubled length (see {@link #maskedHeader(int)}). Experimenter OXMs (class 0xffff) add a 32-bit experimenter id:
 * OVS encodes OpenFlow 1.3/1.4 {@code tcp_flags} as ONF's {@code ffff5406 4f4e4600} (masked {@code ffff5508}),
 * see {@link #ONF_TCP_FLAGS_HEADER}. Like OVS's {@code nxm_field_by_header()}, decoding accepts every known header in
 * every version (OVS takes an {@code xreg0} OXM in an OpenFlow 1.3 match); {@link #oxmSince()} only says what an
 * encoder for that version would use.
 *
 * <h2>Views that share storage</h2>
 * Fields that OVS keeps in one {@code struct flow} member share their bits in the {@link FlowKey}, so writing one
 * changes the other and a match on both is a duplicate (OVS {@code mf_is_all_wild()}):
 * {@code in_port} (16-bit OpenFlow 1.0 number) and {@code in_port_oxm} (32-bit, converted as OVS
 * {@code ofputil_port_from_ofp11()}); {@code vlan_tci} and {@code vlan_vid} (bits 0..12) / {@code vlan_pcp} (13..15);
 * {@code nw_tos} (the DSCP bits in place) and {@code ip_dscp} (shifted) / {@code ip_ecn}; {@code nw_proto} and
 * {@code arp_op}; {@code ip_src}/{@code arp_spa}; {@code ip_dst}/{@code arp_tpa}; the transport ports and ICMP
 * type/code; {@code arp_sha}/{@code nd_sll}; {@code arp_tha}/{@code nd_tll}; {@code reg(2N)}/{@code reg(2N+1)} and
 * {@code xregN} (= {@code reg(2N) << 32 | reg(2N+1)}).
 */
public enum MatchField {
    /** Ingress port, OpenFlow 1.0 16-bit numbering ({@code OFPP_LOCAL} = 0xfffe). NXM_OF_IN_PORT. */
    IN_PORT("in_port", null, "NXM_OF_IN_PORT", null, 2, 16, false, Prerequisite.NONE, true,
            nxm(0, 0, 2), 0, 0, Conv.NONE, FlowKey.W_L2_L3, 0, 16),
    /** Ingress port as the 32-bit OpenFlow 1.1+ number; the same storage as {@link #IN_PORT}. OXM_OF_IN_PORT. */
    IN_PORT_OXM("in_port_oxm", null, null, "OXM_OF_IN_PORT", 4, 32, false, Prerequisite.NONE, true,
            0, oxm(0x8000, 0, 4), 0x03, Conv.PORT32, W_L2_L3, 0, 16),
    /**
     * Physical ingress port, OXM_OF_IN_PHY_PORT. OVS does not implement it: a match on it is OFPBMC_BAD_FIELD. It is
     * registered only so that the codec can name it; it has no storage.
     */
    IN_PHY_PORT("in_phy_port", null, null, "OXM_OF_IN_PHY_PORT", 4, 32, false, Prerequisite.NONE, false,
            0, oxm(0x8000, 1, 4), 0x03, Conv.UNSUPPORTED, -1, 0, 0),
    /** Pipeline metadata, written by write_metadata. OXM_OF_METADATA. */
    METADATA("metadata", null, null, "OXM_OF_METADATA", 8, 64, true, Prerequisite.NONE, true,
            0, oxm(0x8000, 2, 8), 0x03, Conv.NONE, W_METADATA, 0, 64),
    /** Ethernet source. NXM_OF_ETH_SRC, OXM_OF_ETH_SRC. */
    ETH_SRC("eth_src", "dl_src", "NXM_OF_ETH_SRC", "OXM_OF_ETH_SRC", 6, 48, true, Prerequisite.NONE, true,
            nxm(0, 2, 6), oxm(0x8000, 4, 6), 0x03, Conv.NONE, W_CT_STATE_ETH_SRC, 0, 48),
    /** Ethernet destination. NXM_OF_ETH_DST, OXM_OF_ETH_DST. */
    ETH_DST("eth_dst", "dl_dst", "NXM_OF_ETH_DST", "OXM_OF_ETH_DST", 6, 48, true, Prerequisite.NONE, true,
            nxm(0, 1, 6), oxm(0x8000, 3, 6), 0x03, Conv.NONE, W_ETH_DST_TTL_FRAG, 0, 48),
    /** Ethertype (0x05ff when the frame has none). NXM_OF_ETH_TYPE, OXM_OF_ETH_TYPE. Read-only. */
    ETH_TYPE("eth_type", "dl_type", "NXM_OF_ETH_TYPE", "OXM_OF_ETH_TYPE", 2, 16, false, Prerequisite.NONE, false,
            nxm(0, 3, 2), oxm(0x8000, 5, 2), 0x03, Conv.NONE, W_L2_L3, 16, 16),
    /** 802.1Q TCI: PCP(3) | CFI(1) | VID(12); CFI set means a VLAN header is present. NXM_OF_VLAN_TCI. */
    VLAN_TCI("vlan_tci", null, "NXM_OF_VLAN_TCI", null, 2, 16, true, Prerequisite.NONE, true,
            nxm(0, 4, 2), 0, 0, Conv.NONE, W_L2_L3, 32, 16),
    /** OXM VLAN id: VID(12) plus OFPVID_PRESENT (0x1000) = the low 13 bits of {@link #VLAN_TCI}. OXM_OF_VLAN_VID. */
    VLAN_VID("vlan_vid", null, null, "OXM_OF_VLAN_VID", 2, 13, true, Prerequisite.NONE, true,
            0, oxm(0x8000, 6, 2), 0x03, Conv.NONE, W_L2_L3, 32, 13),
    /** OXM VLAN priority = the top 3 bits of {@link #VLAN_TCI}. OXM_OF_VLAN_PCP. */
    VLAN_PCP("vlan_pcp", null, null, "OXM_OF_VLAN_PCP", 1, 3, false, Prerequisite.VLAN_VID, true,
            0, oxm(0x8000, 7, 1), 0x03, Conv.NONE, W_L2_L3, 45, 3),
    /** The IP TOS byte with ECN bits clear (DSCP in place, low 2 bits must be 0). NXM_OF_IP_TOS. */
    NW_TOS("nw_tos", null, "NXM_OF_IP_TOS", null, 1, 8, false, Prerequisite.IP_ANY, true,
            nxm(0, 5, 1), 0, 0, Conv.DSCP_IN_TOS, W_L2_L3, 58, 6),
    /** DSCP shifted down to 6 bits; the same bits as {@link #NW_TOS}. OXM_OF_IP_DSCP. */
    IP_DSCP("ip_dscp", null, null, "OXM_OF_IP_DSCP", 1, 6, false, Prerequisite.IP_ANY, true,
            0, oxm(0x8000, 8, 1), 0x03, Conv.NONE, W_L2_L3, 58, 6),
    /** IP ECN, the low 2 bits of the TOS byte; OVS names it nw_ecn (aka ip_ecn). NXM_NX_IP_ECN, OXM_OF_IP_ECN. */
    IP_ECN("nw_ecn", "ip_ecn", "NXM_NX_IP_ECN", "OXM_OF_IP_ECN", 1, 2, false, Prerequisite.IP_ANY, true,
            nxm(1, 28, 1), oxm(0x8000, 9, 1), 0x03, Conv.NONE, W_L2_L3, 56, 2),
    /** IP protocol (ARP: the low byte of the opcode, see {@link #ARP_OP}). NXM_OF_IP_PROTO, OXM_OF_IP_PROTO. */
    IP_PROTO("nw_proto", "ip_proto", "NXM_OF_IP_PROTO", "OXM_OF_IP_PROTO", 1, 8, false, Prerequisite.IP_ANY, false,
            nxm(0, 6, 1), oxm(0x8000, 10, 1), 0x03, Conv.NONE, W_L2_L3, 48, 8),
    /** IP TTL / hop limit. NXM_NX_IP_TTL. */
    NW_TTL("nw_ttl", null, "NXM_NX_IP_TTL", null, 1, 8, false, Prerequisite.IP_ANY, true,
            nxm(1, 29, 1), 0, 0, Conv.NONE, W_ETH_DST_TTL_FRAG, 48, 8),
    /** Fragment bits: 1 = any fragment, 2 = later fragment. NXM_NX_IP_FRAG. Read-only. */
    IP_FRAG("ip_frag", "nw_frag", "NXM_NX_IP_FRAG", null, 1, 2, true, Prerequisite.IP_ANY, false,
            nxm(1, 26, 1), 0, 0, Conv.NONE, W_ETH_DST_TTL_FRAG, 56, 2),
    /** IPv4 source. NXM_OF_IP_SRC, OXM_OF_IPV4_SRC. */
    IPV4_SRC("ip_src", "nw_src", "NXM_OF_IP_SRC", "OXM_OF_IPV4_SRC", 4, 32, true, Prerequisite.IPV4, true,
            nxm(0, 7, 4), oxm(0x8000, 11, 4), 0x03, Conv.NONE, W_NW_ADDR, 32, 32),
    /** IPv4 destination. NXM_OF_IP_DST, OXM_OF_IPV4_DST. */
    IPV4_DST("ip_dst", "nw_dst", "NXM_OF_IP_DST", "OXM_OF_IPV4_DST", 4, 32, true, Prerequisite.IPV4, true,
            nxm(0, 8, 4), oxm(0x8000, 12, 4), 0x03, Conv.NONE, W_NW_ADDR, 0, 32),
    /** IPv6 source. NXM_NX_IPV6_SRC, OXM_OF_IPV6_SRC. */
    IPV6_SRC("ipv6_src", null, "NXM_NX_IPV6_SRC", "OXM_OF_IPV6_SRC", 16, 128, true, Prerequisite.IPV6, true,
            nxm(1, 19, 16), oxm(0x8000, 26, 16), 0x03, Conv.WIDE, W_IPV6_SRC, 0, 128),
    /** IPv6 destination. NXM_NX_IPV6_DST, OXM_OF_IPV6_DST. */
    IPV6_DST("ipv6_dst", null, "NXM_NX_IPV6_DST", "OXM_OF_IPV6_DST", 16, 128, true, Prerequisite.IPV6, true,
            nxm(1, 20, 16), oxm(0x8000, 27, 16), 0x03, Conv.WIDE, W_IPV6_DST, 0, 128),
    /** IPv6 flow label (20 bits). NXM_NX_IPV6_LABEL, OXM_OF_IPV6_FLABEL. */
    IPV6_LABEL("ipv6_label", null, "NXM_NX_IPV6_LABEL", "OXM_OF_IPV6_FLABEL", 4, 20, true, Prerequisite.IPV6, true,
            nxm(1, 27, 4), oxm(0x8000, 28, 4), 0x03, Conv.NONE, W_LABEL_TUN_SRC, 0, 20),
    /** TCP source port. NXM_OF_TCP_SRC, OXM_OF_TCP_SRC. */
    TCP_SRC("tcp_src", "tp_src", "NXM_OF_TCP_SRC", "OXM_OF_TCP_SRC", 2, 16, true, Prerequisite.TCP, true,
            nxm(0, 9, 2), oxm(0x8000, 13, 2), 0x03, Conv.NONE, W_TP, 0, 16),
    /** TCP destination port. NXM_OF_TCP_DST, OXM_OF_TCP_DST. */
    TCP_DST("tcp_dst", "tp_dst", "NXM_OF_TCP_DST", "OXM_OF_TCP_DST", 2, 16, true, Prerequisite.TCP, true,
            nxm(0, 10, 2), oxm(0x8000, 14, 2), 0x03, Conv.NONE, W_TP, 16, 16),
    /**
     * TCP flags (12 bits). NXM_NX_TCP_FLAGS; OXM_OF_TCP_FLAGS in OpenFlow 1.5; in 1.3/1.4 OVS uses ONF's experimenter
     * OXM ({@link #ONF_TCP_FLAGS_HEADER}). Read-only.
     */
    TCP_FLAGS("tcp_flags", null, "NXM_NX_TCP_FLAGS", "OXM_OF_TCP_FLAGS", 2, 12, true, Prerequisite.TCP, false,
            nxm(1, 34, 2), oxm(0x8000, 42, 2), 0x06, Conv.NONE, W_TP, 32, 12),
    /** UDP source port (shares the transport source bits). NXM_OF_UDP_SRC, OXM_OF_UDP_SRC. */
    UDP_SRC("udp_src", null, "NXM_OF_UDP_SRC", "OXM_OF_UDP_SRC", 2, 16, true, Prerequisite.UDP, true,
            nxm(0, 11, 2), oxm(0x8000, 15, 2), 0x03, Conv.NONE, W_TP, 0, 16),
    /** UDP destination port. NXM_OF_UDP_DST, OXM_OF_UDP_DST. */
    UDP_DST("udp_dst", null, "NXM_OF_UDP_DST", "OXM_OF_UDP_DST", 2, 16, true, Prerequisite.UDP, true,
            nxm(0, 12, 2), oxm(0x8000, 16, 2), 0x03, Conv.NONE, W_TP, 16, 16),
    /** SCTP source port. OXM_OF_SCTP_SRC (no NXM). */
    SCTP_SRC("sctp_src", null, null, "OXM_OF_SCTP_SRC", 2, 16, true, Prerequisite.SCTP, true,
            0, oxm(0x8000, 17, 2), 0x03, Conv.NONE, W_TP, 0, 16),
    /** SCTP destination port. OXM_OF_SCTP_DST. */
    SCTP_DST("sctp_dst", null, null, "OXM_OF_SCTP_DST", 2, 16, true, Prerequisite.SCTP, true,
            0, oxm(0x8000, 18, 2), 0x03, Conv.NONE, W_TP, 16, 16),
    /** ICMPv4 type (low byte of the transport source). NXM_OF_ICMP_TYPE, OXM_OF_ICMPV4_TYPE. */
    ICMPV4_TYPE("icmp_type", null, "NXM_OF_ICMP_TYPE", "OXM_OF_ICMPV4_TYPE", 1, 8, false, Prerequisite.ICMPV4, true,
            nxm(0, 13, 1), oxm(0x8000, 19, 1), 0x03, Conv.NONE, W_TP, 0, 8),
    /** ICMPv4 code (low byte of the transport destination). NXM_OF_ICMP_CODE, OXM_OF_ICMPV4_CODE. */
    ICMPV4_CODE("icmp_code", null, "NXM_OF_ICMP_CODE", "OXM_OF_ICMPV4_CODE", 1, 8, false, Prerequisite.ICMPV4, true,
            nxm(0, 14, 1), oxm(0x8000, 20, 1), 0x03, Conv.NONE, W_TP, 16, 8),
    /** ICMPv6 type. NXM_NX_ICMPV6_TYPE, OXM_OF_ICMPV6_TYPE. */
    ICMPV6_TYPE("icmpv6_type", null, "NXM_NX_ICMPV6_TYPE", "OXM_OF_ICMPV6_TYPE", 1, 8, false, Prerequisite.ICMPV6,
            true, nxm(1, 21, 1), oxm(0x8000, 29, 1), 0x03, Conv.NONE, W_TP, 0, 8),
    /** ICMPv6 code. NXM_NX_ICMPV6_CODE, OXM_OF_ICMPV6_CODE. */
    ICMPV6_CODE("icmpv6_code", null, "NXM_NX_ICMPV6_CODE", "OXM_OF_ICMPV6_CODE", 1, 8, false, Prerequisite.ICMPV6,
            true, nxm(1, 22, 1), oxm(0x8000, 30, 1), 0x03, Conv.NONE, W_TP, 16, 8),
    /** ARP opcode: 16 bits on the wire, only 0..255 are valid (OVS keeps it in nw_proto). NXM_OF_ARP_OP. */
    ARP_OP("arp_op", null, "NXM_OF_ARP_OP", "OXM_OF_ARP_OP", 2, 16, false, Prerequisite.ARP, true,
            nxm(0, 15, 2), oxm(0x8000, 21, 2), 0x03, Conv.NONE, W_L2_L3, 48, 8),
    /** ARP sender protocol address (shares {@link #IPV4_SRC}). NXM_OF_ARP_SPA, OXM_OF_ARP_SPA. */
    ARP_SPA("arp_spa", null, "NXM_OF_ARP_SPA", "OXM_OF_ARP_SPA", 4, 32, true, Prerequisite.ARP, true,
            nxm(0, 16, 4), oxm(0x8000, 22, 4), 0x03, Conv.NONE, W_NW_ADDR, 32, 32),
    /** ARP target protocol address (shares {@link #IPV4_DST}). NXM_OF_ARP_TPA, OXM_OF_ARP_TPA. */
    ARP_TPA("arp_tpa", null, "NXM_OF_ARP_TPA", "OXM_OF_ARP_TPA", 4, 32, true, Prerequisite.ARP, true,
            nxm(0, 17, 4), oxm(0x8000, 23, 4), 0x03, Conv.NONE, W_NW_ADDR, 0, 32),
    /** ARP sender hardware address (shares {@link #ND_SLL}). NXM_NX_ARP_SHA, OXM_OF_ARP_SHA. */
    ARP_SHA("arp_sha", null, "NXM_NX_ARP_SHA", "OXM_OF_ARP_SHA", 6, 48, true, Prerequisite.ARP, true,
            nxm(1, 17, 6), oxm(0x8000, 24, 6), 0x03, Conv.NONE, W_SHA, 0, 48),
    /** ARP target hardware address (shares {@link #ND_TLL}). NXM_NX_ARP_THA, OXM_OF_ARP_THA. */
    ARP_THA("arp_tha", null, "NXM_NX_ARP_THA", "OXM_OF_ARP_THA", 6, 48, true, Prerequisite.ARP, true,
            nxm(1, 18, 6), oxm(0x8000, 25, 6), 0x03, Conv.NONE, W_THA, 0, 48),
    /** IPv6 neighbour discovery target. NXM_NX_ND_TARGET, OXM_OF_IPV6_ND_TARGET. */
    ND_TARGET("nd_target", null, "NXM_NX_ND_TARGET", "OXM_OF_IPV6_ND_TARGET", 16, 128, true, Prerequisite.ND, true,
            nxm(1, 23, 16), oxm(0x8000, 31, 16), 0x03, Conv.WIDE, W_ND_TARGET, 0, 128),
    /** ND source link-layer address (shares {@link #ARP_SHA}). NXM_NX_ND_SLL, OXM_OF_IPV6_ND_SLL. */
    ND_SLL("nd_sll", null, "NXM_NX_ND_SLL", "OXM_OF_IPV6_ND_SLL", 6, 48, true, Prerequisite.ND_SOLICIT, true,
            nxm(1, 24, 6), oxm(0x8000, 32, 6), 0x03, Conv.NONE, W_SHA, 0, 48),
    /** ND target link-layer address (shares {@link #ARP_THA}). NXM_NX_ND_TLL, OXM_OF_IPV6_ND_TLL. */
    ND_TLL("nd_tll", null, "NXM_NX_ND_TLL", "OXM_OF_IPV6_ND_TLL", 6, 48, true, Prerequisite.ND_ADVERT, true,
            nxm(1, 25, 6), oxm(0x8000, 33, 6), 0x03, Conv.NONE, W_THA, 0, 48),
    /** Outermost MPLS label (20 bits). OXM_OF_MPLS_LABEL. */
    MPLS_LABEL("mpls_label", null, null, "OXM_OF_MPLS_LABEL", 4, 20, false, Prerequisite.MPLS, true,
            0, oxm(0x8000, 34, 4), 0x03, Conv.NONE, W_CT_TP_MPLS, 32, 20),
    /** Outermost MPLS traffic class (3 bits). OXM_OF_MPLS_TC. */
    MPLS_TC("mpls_tc", null, null, "OXM_OF_MPLS_TC", 1, 3, false, Prerequisite.MPLS, true,
            0, oxm(0x8000, 35, 1), 0x03, Conv.NONE, W_CT_TP_MPLS, 52, 3),
    /** Outermost MPLS bottom-of-stack bit. OXM_OF_MPLS_BOS (OpenFlow 1.3+). Read-only. */
    MPLS_BOS("mpls_bos", null, null, "OXM_OF_MPLS_BOS", 1, 1, false, Prerequisite.MPLS, false,
            0, oxm(0x8000, 36, 1), 0x04, Conv.NONE, W_CT_TP_MPLS, 55, 1),
    /** Tunnel id (VNI, GRE key). NXM_NX_TUN_ID, OXM_OF_TUNNEL_ID (OpenFlow 1.3+). */
    TUN_ID("tun_id", "tunnel_id", "NXM_NX_TUN_ID", "OXM_OF_TUNNEL_ID", 8, 64, true, Prerequisite.NONE, true,
            nxm(1, 16, 8), oxm(0x8000, 38, 8), 0x04, Conv.NONE, W_TUN_ID, 0, 64),
    /** Tunnel outer IPv4 source. NXM_NX_TUN_IPV4_SRC. */
    TUN_SRC("tun_src", null, "NXM_NX_TUN_IPV4_SRC", null, 4, 32, true, Prerequisite.NONE, true,
            nxm(1, 31, 4), 0, 0, Conv.NONE, W_LABEL_TUN_SRC, 32, 32),
    /** Tunnel outer IPv4 destination. NXM_NX_TUN_IPV4_DST. */
    TUN_DST("tun_dst", null, "NXM_NX_TUN_IPV4_DST", null, 4, 32, true, Prerequisite.NONE, true,
            nxm(1, 32, 4), 0, 0, Conv.NONE, W_TUN_DST, 0, 32),
    /** Packet mark (skb mark). NXM_NX_PKT_MARK. */
    PKT_MARK("pkt_mark", null, "NXM_NX_PKT_MARK", null, 4, 32, true, Prerequisite.NONE, true,
            nxm(1, 33, 4), 0, 0, Conv.NONE, W_MARKS, 32, 32),
    /** Register 0. NXM_NX_REG0. */
    REG0(0), /** Register 1. */ REG1(1), /** Register 2. */ REG2(2), /** Register 3. */ REG3(3),
    /** Register 4. */ REG4(4), /** Register 5. */ REG5(5), /** Register 6. */ REG6(6), /** Register 7. */ REG7(7),
    /** Register 8. */ REG8(8), /** Register 9. */ REG9(9), /** Register 10. */ REG10(10),
    /** Register 11. */ REG11(11), /** Register 12. */ REG12(12), /** Register 13. */ REG13(13),
    /** Register 14. */ REG14(14), /** Register 15. */ REG15(15),
    /** Extended register 0 = reg0:reg1. OXM_OF_PKT_REG0 (class 0x8001, OpenFlow 1.5). */
    XREG0(0, true), /** xreg1 = reg2:reg3. */ XREG1(1, true), /** xreg2 = reg4:reg5. */ XREG2(2, true),
    /** xreg3 = reg6:reg7. */ XREG3(3, true), /** xreg4 = reg8:reg9. */ XREG4(4, true),
    /** xreg5 = reg10:reg11. */ XREG5(5, true), /** xreg6 = reg12:reg13. */ XREG6(6, true),
    /** xreg7 = reg14:reg15. */ XREG7(7, true),
    /** Conntrack state bits ({@link Prerequisite.CtBits}); 32 bits on the wire, 8 used. NXM_NX_CT_STATE. */
    CT_STATE("ct_state", null, "NXM_NX_CT_STATE", null, 4, 32, true, Prerequisite.NONE, false,
            nxm(1, 105, 4), 0, 0, Conv.NONE, W_CT_STATE_ETH_SRC, 48, 8),
    /** Conntrack zone. NXM_NX_CT_ZONE. Never maskable. */
    CT_ZONE("ct_zone", null, "NXM_NX_CT_ZONE", null, 2, 16, false, Prerequisite.NONE, false,
            nxm(1, 106, 2), 0, 0, Conv.NONE, W_TP, 48, 16),
    /** Conntrack mark. NXM_NX_CT_MARK. */
    CT_MARK("ct_mark", null, "NXM_NX_CT_MARK", null, 4, 32, true, Prerequisite.NONE, true,
            nxm(1, 107, 4), 0, 0, Conv.NONE, W_MARKS, 0, 32),
    /** Conntrack label, 128 bits. NXM_NX_CT_LABEL. */
    CT_LABEL("ct_label", null, "NXM_NX_CT_LABEL", null, 16, 128, true, Prerequisite.NONE, true,
            nxm(1, 108, 16), 0, 0, Conv.WIDE, W_CT_LABEL, 0, 128),
    /** Protocol of the connection's original direction. NXM_NX_CT_NW_PROTO. */
    CT_NW_PROTO("ct_nw_proto", null, "NXM_NX_CT_NW_PROTO", null, 1, 8, false, Prerequisite.CT_VALID, false,
            nxm(1, 119, 1), 0, 0, Conv.NONE, W_CT_STATE_ETH_SRC, 56, 8),
    /** Original-direction IPv4 source. NXM_NX_CT_NW_SRC. */
    CT_NW_SRC("ct_nw_src", null, "NXM_NX_CT_NW_SRC", null, 4, 32, true, Prerequisite.CT_VALID, false,
            nxm(1, 120, 4), 0, 0, Conv.NONE, W_CT_NW, 32, 32),
    /** Original-direction IPv4 destination. NXM_NX_CT_NW_DST. */
    CT_NW_DST("ct_nw_dst", null, "NXM_NX_CT_NW_DST", null, 4, 32, true, Prerequisite.CT_VALID, false,
            nxm(1, 121, 4), 0, 0, Conv.NONE, W_CT_NW, 0, 32),
    /** Original-direction IPv6 source. NXM_NX_CT_IPV6_SRC. */
    CT_IPV6_SRC("ct_ipv6_src", null, "NXM_NX_CT_IPV6_SRC", null, 16, 128, true, Prerequisite.CT_VALID, false,
            nxm(1, 122, 16), 0, 0, Conv.WIDE, W_CT_IPV6_SRC, 0, 128),
    /** Original-direction IPv6 destination. NXM_NX_CT_IPV6_DST. */
    CT_IPV6_DST("ct_ipv6_dst", null, "NXM_NX_CT_IPV6_DST", null, 16, 128, true, Prerequisite.CT_VALID, false,
            nxm(1, 123, 16), 0, 0, Conv.WIDE, W_CT_IPV6_DST, 0, 128),
    /** Original-direction transport source (ICMP: type). NXM_NX_CT_TP_SRC. */
    CT_TP_SRC("ct_tp_src", null, "NXM_NX_CT_TP_SRC", null, 2, 16, true, Prerequisite.CT_VALID, false,
            nxm(1, 124, 2), 0, 0, Conv.NONE, W_CT_TP_MPLS, 0, 16),
    /** Original-direction transport destination (ICMP: code). NXM_NX_CT_TP_DST. */
    CT_TP_DST("ct_tp_dst", null, "NXM_NX_CT_TP_DST", null, 2, 16, true, Prerequisite.CT_VALID, false,
            nxm(1, 125, 2), 0, 0, Conv.NONE, W_CT_TP_MPLS, 16, 16),
    /**
     * Conjunction id (OVS {@code conj_id}). NXM_NX_CONJ_ID. Never maskable, read-only, always 0 in a packet: only a
     * table's conjunctive lookup sets it, for the one nested lookup of the {@code conj_id=ID} flow after conjunction
     * ID completed (OVS {@code classifier_lookup__()}).
     */
    CONJ_ID("conj_id", null, "NXM_NX_CONJ_ID", null, 4, 32, false, Prerequisite.NONE, false,
            nxm(1, 37, 4), 0, 0, Conv.NONE, W_TUN_DST, FlowKey.CONJ_ID_SHIFT, 32);

    /** ONF's experimenter OXM for tcp_flags (OpenFlow 1.3/1.4): class 0xffff, field 42, length 6, exp 0x4f4e4600. */
    public static final long ONF_TCP_FLAGS_HEADER = 0xffff5406_4f4e4600L;
    /** The masked form of {@link #ONF_TCP_FLAGS_HEADER}: {@code ffff5508 4f4e4600}. */
    public static final long ONF_TCP_FLAGS_MASKED_HEADER = 0xffff5508_4f4e4600L;
    /** The 32-bit header of the NXM_NX_COOKIE pseudo-field that NXT_FLOW_MOD / NXST_FLOW matches may carry. */
    public static final int NXM_NX_COOKIE = nxm(1, 30, 8);

    /** How a field's wire value maps onto its storage bits. */
    enum Conv {
        /** Stored as is. */
        NONE,
        /** OpenFlow 1.1+ 32-bit port number, stored as OVS's 16-bit number. */
        PORT32,
        /** The value is the TOS byte with ECN clear; storage holds the 6 DSCP bits. */
        DSCP_IN_TOS,
        /** 128 bits in two consecutive words (high word first). */
        WIDE,
        /** No storage: OVS does not implement the field. */
        UNSUPPORTED
    }

    private final String ovsName;
    private final String extraName;
    private final String nxmName;
    private final String oxmName;
    private final int nBytes;
    private final int nBits;
    private final boolean maskable;
    private final Prerequisite prerequisite;
    private final boolean writable;
    private final int nxmHeader;
    private final int oxmHeader;
    private final int oxmSince;
    final Conv conv;
    /** First storage word, or -1. */
    final int word;
    /** Bit offset of the storage in {@link #word} (0 = least significant). */
    final int shift;
    /** Number of storage bits (≤ 64, or 128 for WIDE). */
    final int storageBits;
    /** {@code storageBits} ones shifted to {@link #shift}: the field's bits within its word. */
    final long wordMask;

    MatchField(String ovsName, String extraName, String nxmName, String oxmName, int nBytes, int nBits,
               boolean maskable, Prerequisite prerequisite, boolean writable, int nxmHeader, int oxmHeader,
               int oxmSince, Conv conv, int word, int shift, int storageBits) {
        this.ovsName = ovsName;
        this.extraName = extraName;
        this.nxmName = nxmName;
        this.oxmName = oxmName;
        this.nBytes = nBytes;
        this.nBits = nBits;
        this.maskable = maskable;
        this.prerequisite = prerequisite;
        this.writable = writable;
        this.nxmHeader = nxmHeader;
        this.oxmHeader = oxmHeader;
        this.oxmSince = oxmSince;
        this.conv = conv;
        this.word = word;
        this.shift = shift;
        this.storageBits = storageBits;
        this.wordMask = storageBits >= 64 ? -1L : ((1L << storageBits) - 1) << shift;
    }

    /** Register {@code n}: 32 bits in half of xreg n/2 (even registers in the high half, as OVS's xreg). */
    MatchField(int n) {
        this("reg" + n, null, "NXM_NX_REG" + n, null, 4, 32, true, Prerequisite.NONE, true,
                nxm(1, n, 4), 0, 0, Conv.NONE, W_XREG0 + n / 2, (n & 1) == 0 ? 32 : 0, 32);
    }

    /** Extended register {@code n}: 64 bits, class 0x8001 field n. */
    MatchField(int n, boolean xreg) {
        this("xreg" + n, null, null, "OXM_OF_PKT_REG" + n, 8, 64, true, Prerequisite.NONE, true,
                0, oxm(0x8001, n, 8), 0x06, Conv.NONE, W_XREG0 + n, 0, 64);
    }

    private static int nxm(int nxmClass, int field, int length) {
        return (nxmClass << 16) | (field << 9) | length;
    }

    private static int oxm(int oxmClass, int field, int length) {
        return (oxmClass << 16) | (field << 9) | length;
    }

    /** The name as ovs-ofctl prints it in matches and set_field ({@code mf->name}). */
    public String ovsName() {
        return ovsName;
    }

    /** The alternative name ovs-ofctl accepts ({@code mf->extra_name}), or null. */
    public String extraName() {
        return extraName;
    }

    /** The NXM name used in subfield syntax ({@code NXM_NX_REG0[0..15]}), or null if the field has no NXM. */
    public String nxmName() {
        return nxmName;
    }

    /** The OXM name ({@code OXM_OF_IN_PORT}), or null. */
    public String oxmName() {
        return oxmName;
    }

    /** Wire width of the value in bytes ({@code mf->n_bytes}). */
    public int nBytes() {
        return nBytes;
    }

    /** Meaningful width in bits ({@code mf->n_bits}). */
    public int nBits() {
        return nBits;
    }

    /** Whether arbitrary bitwise masks are allowed in matches. */
    public boolean isMaskable() {
        return maskable;
    }

    /** The match prerequisite. */
    public Prerequisite prerequisite() {
        return prerequisite;
    }

    /** Whether set_field, load and move may write the field. */
    public boolean isWritable() {
        return writable;
    }

    /** Whether OVS implements the field (false only for {@link #IN_PHY_PORT}). */
    public boolean isSupported() {
        return conv != Conv.UNSUPPORTED;
    }

    /** Whether the value is wider than 64 bits (value and mask are then handled as bytes or two words). */
    public boolean isWide() {
        return conv == Conv.WIDE;
    }

    /** The unmasked 32-bit NXM header, or 0 if the field has no NXM encoding. */
    public int nxmHeader() {
        return nxmHeader;
    }

    /** The unmasked 32-bit OXM header (class 0x8000 or 0x8001), or 0 if none. */
    public int oxmHeader() {
        return oxmHeader;
    }

    /** The first wire version whose OXM this is (0x03 = OpenFlow 1.2 ... 0x06 = 1.5), or 0. */
    public int oxmSince() {
        return oxmSince;
    }

    /**
     * The header OVS's encoder uses for this field in wire version {@code version}, unmasked, as a 64-bit value whose
     * high 32 bits are the header (and low 32 bits the experimenter id for experimenter OXMs, else 0) — as OVS's
     * {@code mf_oxm_header()} / {@code nxm_header_from_mff()}: the OXM if the version has it, else the NXM.
     */
    public long preferredHeader(int version) {
        if (this == TCP_FLAGS && (version == 0x04 || version == 0x05)) {
            return ONF_TCP_FLAGS_HEADER;
        }
        if (version >= 0x02 && oxmHeader != 0 && version >= oxmSince) {
            return (oxmHeader & 0xffffffffL) << 32;
        }
        if (nxmHeader != 0) {
            return (nxmHeader & 0xffffffffL) << 32;
        }
        return (oxmHeader & 0xffffffffL) << 32;
    }

    /** The masked form of an unmasked 32-bit header: hasmask set, length doubled. */
    public static int maskedHeader(int header) {
        return (header & 0xffffff00) | 0x100 | ((header & 0xff) * 2);
    }

    /**
     * Whether {@code value} (wire representation, ≤ 64 bits) is valid for a match or set_field, as OVS's
     * {@code mf_is_value_valid()}: no bits beyond {@link #nBits()}, {@code nw_tos} without ECN bits, {@code arp_op}
     * and {@code ct_state} within what OVS stores, an OpenFlow 1.1+ port inside the mappable ranges.
     */
    public boolean isValueValid(long value) {
        switch (this) {
            case IN_PORT_OXM:
                return portFromOfp11(value) >= 0;
            case NW_TOS:
                return (value & ~0xfcL) == 0;
            case ARP_OP:
                return (value & ~0xffL) == 0;
            case CT_STATE:
                return (value & ~(long) Prerequisite.CtBits.SUPPORTED) == 0;
            default:
                return nBits >= 64 || (value >>> nBits) == 0;
        }
    }

    /**
     * Converts an OpenFlow 1.1+ 32-bit port to OVS's 16-bit number, as {@code ofputil_port_from_ofp11()}:
     * 0..0xfeff map to themselves, 0xffffff00..0xffffffff to 0xff00..0xffff; anything else is -1 (invalid).
     */
    public static int portFromOfp11(long port32) {
        long p = port32 & 0xffffffffL;
        if (p < 0xff00L) {
            return (int) p;
        }
        if (p >= 0xffffff00L) {
            return (int) (p - 0xffff0000L);
        }
        return -1;
    }

    /** Converts OVS's 16-bit port number to OpenFlow 1.1+ 32 bits, as {@code ofputil_port_to_ofp11()}. */
    public static long portToOfp11(int port16) {
        return port16 < 0xff00 ? port16 : port16 + 0xffff0000L;
    }

    private static final Map<Integer, MatchField> BY_HEADER;
    private static final Map<String, MatchField> BY_NAME;
    private static final Map<Integer, MatchField> BY_CLASS_FIELD;

    static {
        Map<Integer, MatchField> h = new HashMap<>();
        Map<String, MatchField> n = new HashMap<>();
        Map<Integer, MatchField> cf = new HashMap<>();
        for (MatchField f : values()) {
            if (f.nxmHeader != 0) {
                put(cf, f.nxmHeader & 0xfffffe00, f);
                put(h, f.nxmHeader, f);
                if (f.maskable) {
                    put(h, maskedHeader(f.nxmHeader), f);
                }
            }
            if (f.oxmHeader != 0) {
                put(cf, f.oxmHeader & 0xfffffe00, f);
                put(h, f.oxmHeader, f);
                if (f.maskable) {
                    put(h, maskedHeader(f.oxmHeader), f);
                }
            }
            n.put(f.ovsName, f);
            if (f.extraName != null) {
                n.put(f.extraName, f);
            }
            if (f.nxmName != null) {
                n.put(f.nxmName, f);
            }
            if (f.oxmName != null) {
                n.put(f.oxmName, f);
            }
        }
        BY_HEADER = Collections.unmodifiableMap(h);
        BY_NAME = Collections.unmodifiableMap(n);
        BY_CLASS_FIELD = Collections.unmodifiableMap(cf);
    }

    private static void put(Map<Integer, MatchField> map, int header, MatchField f) {
        MatchField old = map.put(header, f);
        if (old != null) {
            throw new ExceptionInInitializerError("header collision " + Integer.toHexString(header) + ": " + old
                    + ", " + f);
        }
    }

    /**
     * The field whose NXM/OXM header is {@code header} (32 bits, masked or not), or null. Like OVS's
     * {@code nxm_field_by_header()}, a non-maskable field's masked header is unknown, and so is a header with the
     * wrong length. Experimenter OXMs use {@link #byExperimenterHeader(long)}.
     */
    public static MatchField byHeader(int header) {
        return BY_HEADER.get(header);
    }

    /** The field for a 64-bit experimenter OXM header ({@code header32 << 32 | experimenter}), or null. */
    public static MatchField byExperimenterHeader(long header64) {
        if (header64 == ONF_TCP_FLAGS_HEADER || header64 == ONF_TCP_FLAGS_MASKED_HEADER) {
            return TCP_FLAGS;
        }
        return null;
    }

    /**
     * The field whose header has the class and field number of {@code header} (hasmask and length ignored), or null.
     * OVS's {@code nxm_field_by_header()} looks fields up this way and then compares the length, so that a masked
     * header of a non-maskable field is found (and its mask then checked) while a wrong length is an unknown field.
     */
    public static MatchField byClassAndField(int header) {
        return BY_CLASS_FIELD.get(header & 0xfffffe00);
    }

    /** The field named {@code name} (OVS name, extra name, NXM or OXM name), or null. */
    public static MatchField byName(String name) {
        return BY_NAME.get(name);
    }

    /** The register field {@code reg<n>}, 0 ≤ n < 16. */
    public static MatchField reg(int n) {
        return values()[REG0.ordinal() + n];
    }

    /** The extended register {@code xreg<n>}, 0 ≤ n < 8. */
    public static MatchField xreg(int n) {
        return values()[XREG0.ordinal() + n];
    }
}
