package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.conntrack.Addresses;
import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.Map;

/**
 * The small formatters ovs-ofctl's printers share, each named after the OVS function it follows: C's {@code %#x},
 * {@code ds_put_hex()}, {@code format_hex_arg()}, {@code eth_format_masked()}, {@code ip_format_masked()},
 * {@code ipv6_format_masked()}, {@code format_flags()}, {@code ofputil_format_port()},
 * {@code ofputil_format_table()}, {@code mf_format()} and {@code mf_format_subfield()}. Stateless.
 */
final class Text {
    private Text() {
    }

    /** C's {@code %#x}: {@code 0x} and lowercase hex, except that 0 is just {@code 0}. */
    static String hex0x(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    /** As OVS {@code ds_put_hex()}: {@code 0x} and the bytes without leading zero bytes (the first without padding). */
    static void putHex(StringBuilder s, byte[] b) {
        boolean printed = false;
        for (byte x : b) {
            int v = x & 0xff;
            if (v != 0 || printed) {
                if (!printed) {
                    s.append("0x").append(Integer.toHexString(v));
                } else {
                    s.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xf, 16));
                }
                printed = true;
            }
        }
        if (!printed) {
            s.append('0');
        }
    }

    /** As OVS {@code format_hex_arg()}: two hex digits per byte, separated by dots. */
    static void putHexArg(StringBuilder s, byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (i > 0) {
                s.append('.');
            }
            s.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
        }
    }

    /** {@code ETH_ADDR_FMT}. */
    static void putEth(StringBuilder s, long mac) {
        for (int i = 5; i >= 0; i--) {
            int v = (int) (mac >>> (8 * i)) & 0xff;
            s.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xf, 16));
            if (i > 0) {
                s.append(':');
            }
        }
    }

    /** As OVS {@code eth_format_masked()}: the address, then {@code /mask} unless the mask is exact. */
    static void putEthMasked(StringBuilder s, long mac, long mask) {
        putEth(s, mac);
        if (mask != 0xffffffffffffL) {
            s.append('/');
            putEth(s, mask);
        }
    }

    /** As OVS {@code ip_format_masked()}: {@code /N} for a CIDR mask, {@code /a.b.c.d} otherwise, nothing if exact. */
    static void putIpMasked(StringBuilder s, long ip, long mask) {
        s.append(Addresses.ipv4(ip));
        if (mask != 0xffffffffL) {
            int ones = Long.bitCount(mask);
            if (mask == ((0xffffffffL << (32 - ones)) & 0xffffffffL)) {
                s.append('/').append(ones);
            } else {
                s.append('/').append(Addresses.ipv4(mask));
            }
        }
    }

    /** As OVS {@code ipv6_format_masked()}: the address, then {@code /N} or {@code /mask} unless exact. */
    static void putIpv6Masked(StringBuilder s, long hi, long lo, long maskHi, long maskLo) {
        s.append(Addresses.ipv6(hi, lo));
        if (maskHi != -1L || maskLo != -1L) {
            int ones = Long.bitCount(maskHi) + Long.bitCount(maskLo);
            if (isCidr(maskHi, maskLo, ones)) {
                s.append('/').append(ones);
            } else {
                s.append('/').append(Addresses.ipv6(maskHi, maskLo));
            }
        }
    }

    private static boolean isCidr(long hi, long lo, int ones) {
        long wantHi = ones >= 64 ? -1L : ones == 0 ? 0 : -1L << (64 - ones);
        long wantLo = ones <= 64 ? 0 : ones == 128 ? -1L : -1L << (128 - ones);
        return hi == wantHi && lo == wantLo;
    }

    /** OVS {@code ct_state_to_string()}: the name of one ct_state bit, or null. */
    static String ctStateBit(int bit) {
        int i = Integer.numberOfTrailingZeros(bit);
        return i < FieldValues.CT_STATE_NAMES.length ? FieldValues.CT_STATE_NAMES[i] : null;
    }

    /** OVS {@code packet_tcp_flag_to_string()}: the name of one TCP flag bit, or null. */
    static String tcpFlagBit(int bit) {
        int i = Integer.numberOfTrailingZeros(bit);
        return i < FieldValues.TCP_FLAG_NAMES.length ? FieldValues.TCP_FLAG_NAMES[i] : null;
    }

    /** Names of single bits; null for an unknown bit. */
    interface BitNames {
        String name(int bit);
    }

    /** As OVS {@code format_flags()}: names joined by {@code del}, unknown bits as one hex number at the end. */
    static void putFlags(StringBuilder s, BitNames names, int flags, char del) {
        if (flags == 0) {
            s.append('0');
            return;
        }
        int bad = 0;
        int start = s.length();
        while (flags != 0) {
            int bit = Integer.lowestOneBit(flags);
            String n = names.name(bit);
            if (n != null) {
                s.append(n).append(del);
            } else {
                bad |= bit;
            }
            flags &= ~bit;
        }
        if (bad != 0) {
            s.append("0x").append(Integer.toHexString(bad)).append(del);
        }
        if (s.length() > start) {
            s.setLength(s.length() - 1);
        }
    }

    /**
     * As OVS {@code format_flags_masked()}: {@code name=} (if given), then all flags if the mask is {@code maxMask},
     * else {@code +name}/{@code -name} for each masked bit from bit 0.
     */
    static void putFlagsMasked(StringBuilder s, String name, BitNames names, int flags, int mask, int maxMask) {
        if (name != null) {
            s.append(name).append('=');
        }
        if (mask == maxMask) {
            putFlags(s, names, flags, '|');
            return;
        }
        if (mask == 0) {
            s.append("0/0");
            return;
        }
        while (mask != 0) {
            int bit = Integer.lowestOneBit(mask);
            String n = names.name(bit);
            s.append((flags & bit) != 0 ? '+' : '-').append(n != null ? n : "[Unknown]");
            mask &= ~bit;
        }
    }

    /** ovs-ofctl's names for the OpenFlow reserved ports, as OVS {@code OFPUTIL_NAMED_PORTS}. */
    static String reservedPortName(int port16) {
        switch (port16) {
            case 0xfff7:
                return "UNSET";
            case Action.OFPP_IN_PORT:
                return "IN_PORT";
            case Action.OFPP_TABLE:
                return "TABLE";
            case Action.OFPP_NORMAL:
                return "NORMAL";
            case Action.OFPP_FLOOD:
                return "FLOOD";
            case Action.OFPP_ALL:
                return "ALL";
            case Action.OFPP_CONTROLLER:
                return "CONTROLLER";
            case Action.OFPP_LOCAL:
                return "LOCAL";
            case Action.OFPP_NONE:
                return "ANY";
            default:
                return null;
        }
    }

    /**
     * As OVS {@code ofputil_format_port()}: a reserved port by its name ({@code LOCAL}, even where the map names the
     * local port, as ovs-ofctl --names prints it), else the port's name if the map has one, else its number.
     */
    static void putPort(StringBuilder s, int port16, Map<Integer, String> names) {
        String reserved = reservedPortName(port16);
        String name = reserved == null ? names.get(port16) : null;
        if (name != null) {
            putName(s, name);
        } else {
            s.append(reserved != null ? reserved : Integer.toString(port16));
        }
    }

    /** As OVS {@code ofputil_format_table()}: the table's name if the map has one, else its number. */
    static void putTable(StringBuilder s, int table, Map<Integer, String> names) {
        String name = names.get(table);
        if (name != null) {
            putName(s, name);
        } else {
            s.append(table);
        }
    }

    /**
     * A port or table name as OVS's {@code put_port_name()} writes it: bare when made only of letters, digits,
     * {@code - _ .} and not readable as a port number or reserved name, else as a JSON string.
     */
    private static void putName(StringBuilder s, String name) {
        boolean quote = name.isEmpty() || reservedByName(name) || name.chars().allMatch(Character::isDigit);
        for (int i = 0; i < name.length() && !quote; i++) {
            char c = name.charAt(i);
            quote = !(c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'));
        }
        if (!quote) {
            s.append(name);
            return;
        }
        s.append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        s.append('"');
    }

    private static boolean reservedByName(String name) {
        for (int p = 0xfff7; p <= 0xffff; p++) {
            if (name.equalsIgnoreCase(reservedPortName(p))) {
                return true;
            }
        }
        return false;
    }

    /**
     * As OVS {@code mf_format()}: a field's value (its {@link MatchField#nBytes()} wire bytes) under an optional mask;
     * an all-zero mask is {@code ANY}, an all-ones mask is no mask.
     */
    static void putField(StringBuilder s, MatchField f, byte[] value, byte[] mask, Map<Integer, String> ports) {
        if (mask != null) {
            if (allBytes(mask, 0)) {
                s.append("ANY");
                return;
            }
            if (allBytes(mask, 0xff)) {
                mask = null;
            }
        }
        OvsField.Str k = OvsField.of(f).str();
        long v = f.isWide() ? 0 : FlowKey.readValue(value, 0, value.length);
        long m = mask == null || f.isWide() ? -1L : FlowKey.readValue(mask, 0, mask.length);
        switch (k) {
            case OFP_PORT_OXM:
            case OFP_PORT:
                if (mask == null) {
                    putPort(s, k == OvsField.Str.OFP_PORT ? (int) v : MatchField.portFromOfp11(v), ports);
                    return;
                }
                putInteger(s, f, value, mask);
                return;
            case DECIMAL:
            case HEX:
                putInteger(s, f, value, mask);
                return;
            case ETHERNET:
                putEthMasked(s, v, mask == null ? 0xffffffffffffL : m);
                return;
            case IPV4:
                putIpMasked(s, v, mask == null ? 0xffffffffL : m);
                return;
            case IPV6:
                putIpv6Masked(s, FlowKey.readValue(value, 0, 8), FlowKey.readValue(value, 8, 8),
                        mask == null ? -1L : FlowKey.readValue(mask, 0, 8),
                        mask == null ? -1L : FlowKey.readValue(mask, 8, 8));
                return;
            case FRAG:
                putFrag(s, (int) v, mask == null ? 0xff : (int) m);
                return;
            case TCP_FLAGS:
                putFlagsMasked(s, null, Text::tcpFlagBit, (int) v, (int) (mask == null ? 0xffff : m) & 0x0fff,
                        0x0fff);
                return;
            default:
                putFlagsMasked(s, null, Text::ctStateBit, (int) v, (int) (mask == null ? 0xffffffffL : m),
                        0xffff);
        }
    }

    /** As OVS {@code mf_format_integer_string()}: {@code ds_put_hex()} or decimal, then {@code /}hex mask. */
    private static void putInteger(StringBuilder s, MatchField f, byte[] value, byte[] mask) {
        if (OvsField.of(f).isHex()) {
            putHex(s, value);
        } else {
            s.append(Long.toUnsignedString(FlowKey.readValue(value, 0, value.length)));
        }
        if (mask != null) {
            s.append('/');
            putHex(s, mask);
        }
    }

    /** As OVS {@code mf_format_frag_string()}. */
    private static void putFrag(StringBuilder s, int value, int mask) {
        value &= 3;
        mask &= 3;
        String[] names = {"no", "first", "later", "later"};
        if (mask == 3) {
            s.append(names[value]);
        } else if (mask == 1) {
            s.append(value == 0 ? "no" : "yes");
        } else if (mask == 2) {
            s.append(value == 0 ? "not_later" : "later");
        } else {
            s.append("0/0");
        }
    }

    private static boolean allBytes(byte[] b, int v) {
        for (byte x : b) {
            if ((x & 0xff) != v) {
                return false;
            }
        }
        return true;
    }

    /**
     * As OVS {@code mf_format_subfield()}: the field's first NXM/OXM name, then {@code []} for the whole field,
     * {@code [N]} for one bit, or {@code [A..B]}.
     */
    static void putSubfield(StringBuilder s, MatchField f, int ofs, int nBits) {
        s.append(f.nxmName() != null ? f.nxmName() : f.oxmName());
        if (ofs == 0 && nBits == f.nBits()) {
            s.append("[]");
        } else if (nBits == 1) {
            s.append('[').append(ofs).append(']');
        } else {
            s.append('[').append(ofs).append("..").append(ofs + nBits - 1).append(']');
        }
    }
}
