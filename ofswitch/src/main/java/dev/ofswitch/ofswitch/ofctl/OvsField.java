package dev.ofswitch.ofswitch.ofctl;

import static dev.ofswitch.ofswitch.ofctl.Protocols.ANY;
import static dev.ofswitch.ofswitch.ofctl.Protocols.NXM_OF11_UP;
import static dev.ofswitch.ofswitch.ofctl.Protocols.NXM_OXM_ANY;

import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A field as ovs-ofctl's text syntax sees it (OVS {@code struct mf_field}): its names, how its value is written
 * ({@code enum mf_string}), whether it takes masks, and which protocols can carry a match on it exactly, with a CIDR
 * mask or with an arbitrary mask ({@code usable_protocols_exact/cidr/bitwise}, generated in OVS from
 * {@code meta-flow.h}; checked here against ovs-ofctl 3.1's "usable protocols" output).
 *
 * <p>Most fields are the switch's {@link MatchField}s. Two are OVS views that only exist in text: {@code dl_vlan}
 * (the 12-bit VID of {@code vlan_tci}, setting CFI) and {@code dl_vlan_pcp} (PCP, setting CFI); they have no
 * {@link #field()}. Names ovs-ofctl knows but this switch does not store (tunnel metadata, NSH, dp_hash, ...) are in
 * {@link #UNSUPPORTED}.
 */
record OvsField(String name, MatchField field, Str str, int nBytes, int nBits, boolean maskable, boolean writable,
                int usableExact, int usableCidr, int usableBitwise, boolean prereqNone) {

    /** How the value is written ({@code enum mf_string}). */
    enum Str {
        /** Integer, printed in decimal. */
        DECIMAL,
        /** Integer, printed in hex. */
        HEX,
        /** {@code xx:xx:xx:xx:xx:xx}. */
        ETHERNET,
        /** Dotted quad. */
        IPV4,
        /** IPv6 text. */
        IPV6,
        /** A 16-bit OpenFlow port: number or name. */
        OFP_PORT,
        /** A 32-bit OpenFlow 1.1+ port. */
        OFP_PORT_OXM,
        /** {@code no}, {@code yes}, {@code first}, {@code later}, {@code not_later}. */
        FRAG,
        /** TCP flag names. */
        TCP_FLAGS,
        /** Conntrack state names. */
        CT_STATE
    }

    /** OVS {@code dl_vlan}: a view of {@code vlan_tci}. */
    static final OvsField DL_VLAN = new OvsField("dl_vlan", null, Str.DECIMAL, 2, 12, false, true, ANY, ANY, ANY,
            false);
    /** OVS {@code dl_vlan_pcp}: a view of {@code vlan_tci}. */
    static final OvsField DL_VLAN_PCP = new OvsField("dl_vlan_pcp", null, Str.DECIMAL, 1, 3, false, true, ANY, ANY,
            ANY, false);

    /** Field names OVS 3.1 knows (by name or NXM/OXM name) that this switch has no storage for. */
    static final Set<String> UNSUPPORTED = Set.of("dp_hash", "recirc_id", "packet_type", "tun_ipv6_src",
            "tun_ipv6_dst", "tun_flags", "tun_gbp_id", "tun_gbp_flags", "tun_erspan_idx", "tun_erspan_ver",
            "tun_erspan_dir", "tun_erspan_hwid", "tun_gtpu_flags", "tun_gtpu_msgtype", "tun_tos", "tun_ttl",
            "skb_priority", "actset_output", "mpls_ttl", "nsh_flags", "nsh_ttl", "nsh_mdtype", "nsh_np", "nsh_spi",
            "nsh_si", "nsh_c1", "nsh_c2", "nsh_c3", "nsh_c4", "nd_reserved", "nd_options_type");

    private static final Map<String, OvsField> BY_NAME = new HashMap<>();
    private static final Map<String, OvsField> BY_NXM_NAME = new HashMap<>();
    private static final Map<MatchField, OvsField> BY_FIELD = new HashMap<>();

    static {
        for (MatchField f : MatchField.values()) {
            if (!f.isSupported()) {
                continue;
            }
            OvsField o = of(f);
            BY_FIELD.put(f, o);
            BY_NAME.put(f.ovsName(), o);
            if (f.extraName() != null) {
                BY_NAME.put(f.extraName(), o);
            }
            if (f.nxmName() != null) {
                BY_NXM_NAME.put(f.nxmName(), o);
            }
            if (f.oxmName() != null) {
                BY_NXM_NAME.put(f.oxmName(), o);
            }
        }
        BY_NAME.put("dl_vlan", DL_VLAN);
        BY_NAME.put("dl_vlan_pcp", DL_VLAN_PCP);
        BY_NXM_NAME.put("ONFOXM_ET_TCP_FLAGS", BY_FIELD.get(MatchField.TCP_FLAGS));
    }

    /** OVS {@code mf_from_name()}: by name or extra name. */
    static OvsField byName(String name) {
        return BY_NAME.get(name);
    }

    /** OVS {@code nxm_field_by_name()}: by NXM or OXM name ({@code NXM_NX_REG0}, {@code OXM_OF_METADATA}). */
    static OvsField byNxmName(String name) {
        return BY_NXM_NAME.get(name);
    }

    /** The text view of a switch field. */
    static OvsField of(MatchField f) {
        OvsField o = BY_FIELD.get(f);
        if (o != null) {
            return o;
        }
        return create(f);
    }

    /** Whether {@code name} is an OVS field (or NXM/OXM name) this switch cannot store. */
    static boolean isUnsupported(String name) {
        String n = name.toLowerCase();
        return UNSUPPORTED.contains(n) || n.startsWith("tun_metadata") || n.startsWith("xxreg")
                || n.startsWith("nxm_nx_tun_metadata") || n.startsWith("nxm_nx_xxreg");
    }

    private static OvsField create(MatchField f) {
        Str str;
        switch (f) {
            case IN_PORT:
                str = Str.OFP_PORT;
                break;
            case IN_PORT_OXM:
                str = Str.OFP_PORT_OXM;
                break;
            case ETH_SRC: case ETH_DST: case ARP_SHA: case ARP_THA: case ND_SLL: case ND_TLL:
                str = Str.ETHERNET;
                break;
            case IPV4_SRC: case IPV4_DST: case ARP_SPA: case ARP_TPA: case TUN_SRC: case TUN_DST: case CT_NW_SRC:
            case CT_NW_DST:
                str = Str.IPV4;
                break;
            case IPV6_SRC: case IPV6_DST: case ND_TARGET: case CT_IPV6_SRC: case CT_IPV6_DST:
                str = Str.IPV6;
                break;
            case IP_FRAG:
                str = Str.FRAG;
                break;
            case TCP_FLAGS:
                str = Str.TCP_FLAGS;
                break;
            case CT_STATE:
                str = Str.CT_STATE;
                break;
            case VLAN_VID: case VLAN_PCP: case MPLS_LABEL: case MPLS_TC: case MPLS_BOS: case IP_PROTO: case NW_TOS:
            case IP_DSCP: case IP_ECN: case NW_TTL: case ARP_OP: case TCP_SRC: case TCP_DST: case UDP_SRC:
            case UDP_DST: case SCTP_SRC: case SCTP_DST: case ICMPV4_TYPE: case ICMPV4_CODE: case ICMPV6_TYPE:
            case ICMPV6_CODE: case CT_NW_PROTO: case CT_TP_SRC: case CT_TP_DST: case CONJ_ID:
                str = Str.DECIMAL;
                break;
            default:
                str = Str.HEX;
                break;
        }
        int exact;
        int cidr;
        int bitwise;
        switch (f) {
            case IN_PORT: case ETH_TYPE: case VLAN_PCP: case IP_PROTO: case NW_TOS: case IP_DSCP: case ARP_OP:
            case ICMPV4_TYPE: case ICMPV4_CODE:
                exact = ANY;
                cidr = ANY;
                bitwise = ANY;
                break;
            case ETH_SRC: case ETH_DST:
                exact = ANY;
                cidr = NXM_OF11_UP;
                bitwise = NXM_OF11_UP;
                break;
            case VLAN_TCI: case VLAN_VID: case TCP_SRC: case TCP_DST: case UDP_SRC: case UDP_DST:
                exact = ANY;
                cidr = NXM_OXM_ANY;
                bitwise = NXM_OXM_ANY;
                break;
            case IPV4_SRC: case IPV4_DST: case ARP_SPA: case ARP_TPA:
                exact = ANY;
                cidr = ANY;
                bitwise = NXM_OF11_UP;
                break;
            case IN_PORT_OXM: case METADATA: case MPLS_LABEL: case MPLS_TC: case IP_ECN: case SCTP_SRC: case SCTP_DST:
                exact = NXM_OF11_UP;
                cidr = f == MatchField.METADATA ? NXM_OF11_UP : NXM_OXM_ANY;
                bitwise = cidr;
                break;
            default:
                exact = NXM_OXM_ANY;
                cidr = NXM_OXM_ANY;
                bitwise = NXM_OXM_ANY;
                break;
        }
        boolean prereqNone;
        switch (f) {
            case IN_PORT: case IN_PORT_OXM: case METADATA: case TUN_ID: case TUN_SRC: case TUN_DST: case PKT_MARK:
            case CT_STATE: case CT_ZONE: case CT_MARK: case CT_LABEL: case CONJ_ID:
                prereqNone = true;
                break;
            default:
                prereqNone = f.name().startsWith("REG") || f.name().startsWith("XREG");
                break;
        }
        // OVS: in_port is writable by load/move, but set_field on in_port_oxm is refused at decode; both writable.
        return new OvsField(f.ovsName(), f, str, f.nBytes(), f.nBits(), f.isMaskable(), f.isWritable(), exact,
                cidr, bitwise, prereqNone);
    }

    /** Whether this is OVS's {@code MFS_HEXADECIMAL} (true) or another format. */
    boolean isHex() {
        return str == Str.HEX;
    }
}
