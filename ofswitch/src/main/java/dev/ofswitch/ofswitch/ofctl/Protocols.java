package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.OfVersion;

/**
 * OVS's {@code enum ofputil_protocol} bit set ({@code include/openvswitch/ofp-protocol.h}): which wire forms a flow
 * can be sent in. Parsing narrows the set of usable protocols; ovs-ofctl then picks one that the connection allows
 * ({@code open_vconn_for_flow_mod()} in {@code utilities/ovs-ofctl.c}).
 */
final class Protocols {
    /** OpenFlow 1.0 with the standard {@code ofp_match}. */
    static final int OF10_STD = 1 << 0;
    /** OpenFlow 1.0 standard match plus NXT_FLOW_MOD_TABLE_ID. */
    static final int OF10_STD_TID = 1 << 1;
    /** OpenFlow 1.0 with NXT_FLOW_MOD (NXM). */
    static final int OF10_NXM = 1 << 2;
    /** NXM plus NXT_FLOW_MOD_TABLE_ID. */
    static final int OF10_NXM_TID = 1 << 3;
    /** OpenFlow 1.1 standard match. */
    static final int OF11_STD = 1 << 4;
    /** OpenFlow 1.2 OXM. */
    static final int OF12_OXM = 1 << 5;
    /** OpenFlow 1.3 OXM. */
    static final int OF13_OXM = 1 << 6;
    /** OpenFlow 1.4 OXM. */
    static final int OF14_OXM = 1 << 7;
    /** OpenFlow 1.5 OXM. */
    static final int OF15_OXM = 1 << 8;

    static final int OF10_STD_ANY = OF10_STD | OF10_STD_TID;
    static final int OF10_NXM_ANY = OF10_NXM | OF10_NXM_TID;
    static final int OF10_ANY = OF10_STD_ANY | OF10_NXM_ANY;
    static final int ANY_OXM = OF12_OXM | OF13_OXM | OF14_OXM | OF15_OXM;
    static final int NXM_OXM_ANY = OF10_NXM_ANY | ANY_OXM;
    static final int OF11_UP = OF11_STD | ANY_OXM;
    static final int NXM_OF11_UP = OF10_NXM_ANY | OF11_UP;
    static final int OF12_UP = ANY_OXM;
    static final int OF13_UP = OF13_OXM | OF14_OXM | OF15_OXM;
    static final int TID = OF10_STD_TID | OF10_NXM_TID | OF11_STD | ANY_OXM;
    static final int ANY = OF10_ANY | OF11_UP;
    static final int NONE = 0;

    private Protocols() {
    }

    /** OVS {@code ofputil_protocol_to_string()} for one bit. */
    static String name(int bit) {
        switch (bit) {
            case OF10_STD: return "OpenFlow10-table_id";
            case OF10_STD_TID: return "OpenFlow10+table_id";
            case OF10_NXM: return "NXM-table_id";
            case OF10_NXM_TID: return "NXM+table_id";
            case OF11_STD: return "OpenFlow11";
            case OF12_OXM: return "OXM-OpenFlow12";
            case OF13_OXM: return "OXM-OpenFlow13";
            case OF14_OXM: return "OXM-OpenFlow14";
            default: return "OXM-OpenFlow15";
        }
    }

    /** OVS {@code ofputil_protocols_to_string()}: the abbreviations "any", "OpenFlow10", "NXM", "OXM" first. */
    static String toString(int protocols) {
        if (protocols == 0) {
            return "none";
        }
        int[] abbrevs = {ANY, OF10_STD_ANY, OF10_NXM_ANY, ANY_OXM};
        String[] names = {"any", "OpenFlow10", "NXM", "OXM"};
        StringBuilder sb = new StringBuilder();
        outer:
        while (protocols != 0) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            for (int i = 0; i < abbrevs.length; i++) {
                if ((protocols & abbrevs[i]) == abbrevs[i]) {
                    sb.append(names[i]);
                    protocols &= ~abbrevs[i];
                    continue outer;
                }
            }
            int bit = Integer.lowestOneBit(protocols);
            sb.append(name(bit));
            protocols &= ~bit;
        }
        return sb.toString();
    }

    /** The protocols ovs-ofctl allows for {@code -O version} ({@code ofputil_protocols_from_version_bitmap}). */
    static int allowedFor(int version) {
        switch (version) {
            case OfVersion.OF10: return OF10_ANY;
            case OfVersion.OF11: return OF11_STD;
            case OfVersion.OF12: return OF12_OXM;
            case OfVersion.OF13: return OF13_OXM;
            case OfVersion.OF14: return OF14_OXM;
            case OfVersion.OF15: return OF15_OXM;
            default: throw new IllegalArgumentException("OpenFlow version " + version);
        }
    }
}
