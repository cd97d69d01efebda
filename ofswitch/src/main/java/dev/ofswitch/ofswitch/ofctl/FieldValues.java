package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads and writes field values in ovs-ofctl's notations, as OVS {@code mf_parse()} / {@code mf_format()}
 * ({@code lib/meta-flow.c}) with the helpers they use: {@code ip_parse_masked()} and {@code ipv6_parse_masked()}
 * ({@code lib/packets.c}), {@code parse_flags()} ({@code lib/util.c}), {@code ofputil_port_from_string()}
 * ({@code lib/ofp-port.c}). Values and masks are big-endian byte arrays of the field's width.
 */
final class FieldValues {
    private FieldValues() {
    }

    /** A parsed value and its mask (all ones when exact). */
    record Masked(byte[] value, byte[] mask) {
    }

    /** Port names and numbers, as ovs-ofctl learns them from the switch (OFPMP_PORT_DESC). */
    interface PortMap {
        /** The port number for {@code name}, or -1. */
        int number(String name);

        /** No names known. */
        PortMap NONE = name -> -1;

        /** A fixed map. */
        static PortMap of(Map<String, Integer> names) {
            return name -> names.getOrDefault(name, -1);
        }
    }

    // --------------------------------------------------------------------------------------------------- mf_parse

    /** OVS {@code mf_parse()}: {@code *} is a wildcard; otherwise by the field's notation; then the mask check. */
    static Masked parse(OvsField f, String s, PortMap ports) throws OfctlParseException {
        int n = f.nBytes();
        if (s.equals("*")) {
            return new Masked(new byte[n], new byte[n]);
        }
        Masked m;
        switch (f.str()) {
            case DECIMAL:
            case HEX:
                m = parseInteger(f, s);
                break;
            case CT_STATE: {
                long[] r = parseFlags(s, CT_STATE_NAMES, "ct_state", 0xff, true);
                m = new Masked(bytes(r[0], 4), bytes(r[1], 4));
                break;
            }
            case TCP_FLAGS: {
                long[] r = parseFlags(s, TCP_FLAG_NAMES, "TCP", 0x0fff, true);
                m = new Masked(bytes(r[0], 2), bytes(r[1], 2));
                break;
            }
            case ETHERNET:
                m = parseEthernet(s);
                break;
            case IPV4:
                m = parseIpv4Masked(s);
                break;
            case IPV6:
                m = parseIpv6Masked(s);
                break;
            case OFP_PORT: {
                int p = portFromString(s, ports);
                if (p < 0) {
                    throw new OfctlParseException(s + ": invalid or unknown port for " + f.name(), s);
                }
                m = new Masked(bytes(p, 2), ones(2));
                break;
            }
            case OFP_PORT_OXM: {
                int p = portFromString(s, ports);
                if (p < 0) {
                    throw new OfctlParseException(s + ": port value out of range for " + f.name(), s);
                }
                m = new Masked(bytes(MatchField.portToOfp11(p), 4), ones(4));
                break;
            }
            case FRAG:
                m = parseFrag(s);
                break;
            default:
                throw new AssertionError(f.str());
        }
        if (!f.maskable() && !isAllZeros(m.mask()) && !isAllOnes(m.mask())) {
            throw new OfctlParseException(s + ": invalid mask for field " + f.name(), s);
        }
        return m;
    }

    /** OVS {@code mf_parse_value()}: as {@link #parse} but a mask other than all ones is refused. */
    static byte[] parseValue(OvsField f, String s, PortMap ports) throws OfctlParseException {
        Masked m = parse(f, s, ports);
        if (!isAllOnes(m.mask())) {
            throw new OfctlParseException(s + ": wildcards not allowed here", s);
        }
        return m.value();
    }

    /** OVS {@code mf_from_integer_string()}. */
    private static Masked parseInteger(OvsField f, String s) throws OfctlParseException {
        CParse.IntString v = CParse.parseIntString(s, 0, f.nBytes());
        char t = CParse.at(s, v.tail());
        if (v.error() || (t != '\0' && t != '/')) {
            throw integerError(f, s, v.erange(), "value");
        }
        if (t == '/') {
            CParse.IntString m = CParse.parseIntString(s, v.tail() + 1, f.nBytes());
            if (m.error() || CParse.at(s, m.tail()) != '\0') {
                throw integerError(f, s, m.erange(), "mask");
            }
            return new Masked(v.value(), m.value());
        }
        return new Masked(v.value(), ones(f.nBytes()));
    }

    private static OfctlParseException integerError(OvsField f, String s, boolean erange, String what) {
        if (erange) {
            return new OfctlParseException(s + ": " + what + " too large for " + f.nBytes() + "-byte field "
                    + f.name(), s);
        }
        return new OfctlParseException(s + ": bad syntax for " + f.name() + " " + what, s);
    }

    private static final String[] FRAG_NAMES = {"no", "first", "later", "no", "yes", "not_later", "later"};
    private static final int[] FRAG_MASKS = {3, 3, 3, 1, 1, 2, 2};
    private static final int[] FRAG_VALUES = {0, 1, 3, 0, 1, 0, 2};

    /** OVS {@code mf_from_frag_string()}: the upper mask bits are forced on. */
    private static Masked parseFrag(String s) throws OfctlParseException {
        for (int i = 0; i < FRAG_NAMES.length; i++) {
            if (FRAG_NAMES[i].equalsIgnoreCase(s)) {
                return new Masked(new byte[] {(byte) FRAG_VALUES[i]}, new byte[] {(byte) (FRAG_MASKS[i] | 0xfc)});
            }
        }
        throw new OfctlParseException(s + ": unknown fragment type (valid types are \"no\", \"yes\", \"first\", "
                + "\"later\", \"not_later\"", s);
    }

    // ------------------------------------------------------------------------------------------------ flags

    /** {@code ct_state_to_string()}: bit i is {@code CT_STATE_NAMES[i]}. */
    static final String[] CT_STATE_NAMES = {"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"};
    /** {@code packet_tcp_flag_to_string()}. */
    static final String[] TCP_FLAG_NAMES = {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns", "[200]",
        "[400]", "[800]"};

    /**
     * OVS {@code parse_flags()} with a mask: {@code 0xVALUE/0xMASK}, {@code +a-b...}, or bare names separated by
     * '|' (and numbers). Returns {value, mask}.
     */
    static long[] parseFlags(String s, String[] names, String field, long allowed, boolean withMask)
            throws OfctlParseException {
        // "%i/%i%n": two 32-bit integers in any base (ovs_scan()).
        CParse.Num a = CParse.scanI32(s, 0);
        if (withMask && a != null && CParse.at(s, a.end()) == '/') {
            CParse.Num b = CParse.scanI32(s, a.end() + 1);
            if (b != null) {
                long flags = a.value() & 0xffffffffL;
                long mask = b.value() & 0xffffffffL;
                if ((flags & ~allowed) != 0 || (mask & ~allowed) != 0) {
                    throw new OfctlParseException(s + ": unknown " + field + " flag(s)", s);
                }
                return new long[] {flags, mask};
            }
        }
        if (withMask && (CParse.at(s, 0) == '+' || CParse.at(s, 0) == '-')) {
            long flags = 0;
            long mask = 0;
            int i = 0;
            while (i < s.length()) {
                boolean set;
                char c = s.charAt(i);
                if (c == '+') {
                    set = true;
                } else if (c == '-') {
                    set = false;
                } else {
                    String rest = s.substring(i);
                    throw new OfctlParseException(rest + ": " + field + " must be preceded by '+' (for SET) or '-' "
                            + "(NOT SET)", rest);
                }
                i++;
                int found = -1;
                for (int bit = 0; bit < 32; bit++) {
                    String name = bit < names.length ? names[bit] : null;
                    if (name == null) {
                        continue;
                    }
                    char after = CParse.at(s, i + name.length());
                    if (!s.startsWith(name, i) || (after != '+' && after != '-' && after != '\0')) {
                        continue;
                    }
                    if ((mask & (1L << bit)) != 0) {
                        String rest = s.substring(i);
                        throw new OfctlParseException(rest + ": Each " + field + " flag can be specified only once",
                                rest);
                    }
                    if (((1L << bit) & allowed) == 0) {
                        String rest = s.substring(i);
                        throw new OfctlParseException(rest + ": unknown " + field + " flag(s)", rest);
                    }
                    if (set) {
                        flags |= 1L << bit;
                    }
                    mask |= 1L << bit;
                    found = bit;
                    break;
                }
                if (found < 0) {
                    String rest = s.substring(i);
                    throw new OfctlParseException(rest + ": unknown " + field + " flag(s)", rest);
                }
                i += names[found].length();
            }
            return new long[] {flags, mask};
        }
        long result = 0;
        int n = 0;
        while (n < s.length()) {
            CParse.Num num = CParse.scanI64(s, n);
            if (num != null) {
                long flags = num.value();
                if ((flags & ~allowed) != 0) {
                    throw new OfctlParseException(s + ": unknown " + field + " flag(s)", s);
                }
                n = num.end() + (CParse.at(s, num.end()) == '|' ? 1 : 0);
                result |= flags;
                continue;
            }
            int found = -1;
            for (int bit = 0; bit < names.length; bit++) {
                String name = names[bit];
                char after = CParse.at(s, n + name.length());
                if (s.startsWith(name, n) && (after == '|' || after == '\0')) {
                    found = bit;
                    break;
                }
            }
            if (found < 0 || ((1L << found) & allowed) == 0) {
                // OVS reports the whole value here: its unmasked loop indexes 's' without advancing it.
                throw new OfctlParseException(s + ": unknown " + field + " flag(s)", s);
            }
            result |= 1L << found;
            n += names[found].length() + (CParse.at(s, n + names[found].length()) == '|' ? 1 : 0);
        }
        return new long[] {result, 0xffffffffL};
    }

    // ------------------------------------------------------------------------------------------------ addresses

    /** OVS {@code mf_from_ethernet_string()}: {@code MAC} or {@code MAC/MAC}, the whole string. */
    static Masked parseEthernet(String s) throws OfctlParseException {
        int[] pos = {0};
        byte[] mac = scanMac(s, pos);
        if (mac != null && pos[0] == s.length()) {
            return new Masked(mac, ones(6));
        }
        pos[0] = 0;
        mac = scanMac(s, pos);
        if (mac != null && CParse.at(s, pos[0]) == '/') {
            pos[0]++;
            byte[] mask = scanMac(s, pos);
            if (mask != null && pos[0] == s.length()) {
                return new Masked(mac, mask);
            }
        }
        throw new OfctlParseException(s + ": invalid Ethernet address", s);
    }

    /** {@code ETH_ADDR_SCAN_FMT}: six {@code %hhx} separated by ':' ({@code ovs_scan()} reads them with strtoull). */
    static byte[] scanMac(String s, int[] pos) {
        byte[] mac = new byte[6];
        int i = pos[0];
        for (int k = 0; k < 6; k++) {
            if (k > 0) {
                if (CParse.at(s, i) != ':') {
                    return null;
                }
                i++;
            }
            CParse.Num n = CParse.scanUnsigned(s, i, 16, 8);
            if (n == null) {
                return null;
            }
            mac[k] = (byte) n.value();
            i = n.end();
        }
        pos[0] = i;
        return mac;
    }

    /** OVS {@code str_to_mac()}: {@code invalid mac address X} unless the string starts with a MAC. */
    static byte[] strToMac(String s) throws OfctlParseException {
        byte[] mac = scanMac(s, new int[] {0});
        if (mac == null) {
            throw new OfctlParseException("invalid mac address " + s, s);
        }
        return mac;
    }

    /** {@code IP_SCAN_FMT}: four {@code %hhu} separated by '.'; null if it does not scan. */
    static long[] scanIpv4(String s, int from) {
        long ip = 0;
        int i = from;
        for (int k = 0; k < 4; k++) {
            if (k > 0) {
                if (CParse.at(s, i) != '.') {
                    return null;
                }
                i++;
            }
            CParse.Num n = CParse.scanUnsigned(s, i, 10, 8);
            if (n == null) {
                return null;
            }
            ip = (ip << 8) | n.value();
            i = n.end();
        }
        return new long[] {ip, i};
    }

    /** OVS {@code ip_parse_masked()}: {@code IP/IP}, {@code IP/PREFIX} or {@code IP}, nothing after. */
    static Masked parseIpv4Masked(String s) throws OfctlParseException {
        long ip;
        long mask;
        int end;
        long[] a = scanIpv4(s, 0);
        long[] m = a != null && CParse.at(s, (int) a[1]) == '/' ? scanIpv4(s, (int) a[1] + 1) : null;
        if (m != null) {
            ip = a[0];
            mask = m[0];
            end = (int) m[1];
        } else {
            CParse.Num prefix = a != null && CParse.at(s, (int) a[1]) == '/' ? CParse.scanInt(s, (int) a[1] + 1)
                    : null;
            if (prefix != null) {
                if (prefix.value() < 0 || prefix.value() > 32) {
                    throw new OfctlParseException(s + ": IPv4 network prefix bits not between 0 and 32, inclusive",
                            s);
                }
                ip = a[0];
                mask = prefix.value() == 0 ? 0 : (0xffffffffL << (32 - prefix.value())) & 0xffffffffL;
                end = prefix.end();
            } else if (a != null) {
                ip = a[0];
                mask = 0xffffffffL;
                end = (int) a[1];
            } else {
                throw new OfctlParseException(s + ": invalid IP address", s);
            }
        }
        if (end != s.length()) {
            throw new OfctlParseException(s + ": invalid IP address", s);
        }
        return new Masked(bytes(ip, 4), bytes(mask, 4));
    }

    /** OVS {@code str_to_ip()} ({@code lookup_ip()}, i.e. {@code inet_pton()}): {@code X: could not convert...}. */
    static long strToIp(String s) throws OfctlParseException {
        long ip = inetPton4(s);
        if (ip < 0) {
            throw new OfctlParseException(s + ": could not convert to IP address", s);
        }
        return ip;
    }

    /** glibc {@code inet_pton(AF_INET)}: exactly four decimal octets without leading zeros; -1 if invalid. */
    static long inetPton4(String s) {
        long ip = 0;
        int octets = 0;
        int i = 0;
        while (true) {
            int start = i;
            int v = 0;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                if (i > start && s.charAt(start) == '0') {
                    return -1;
                }
                v = v * 10 + (s.charAt(i) - '0');
                if (v > 255) {
                    return -1;
                }
                i++;
            }
            if (i == start) {
                return -1;
            }
            ip = (ip << 8) | v;
            octets++;
            if (i == s.length()) {
                break;
            }
            if (s.charAt(i) != '.' || octets == 4) {
                return -1;
            }
            i++;
        }
        return octets == 4 ? ip : -1;
    }

    private static final String IPV6_CHARS = "0123456789abcdefABCDEF:.";

    /** {@code %46[0123456789abcdefABCDEF:.]}: the length of the run at {@code from} (at most 46). */
    static int scanIpv6Chars(String s, int from) {
        int n = 0;
        while (n < 46 && from + n < s.length() && IPV6_CHARS.indexOf(s.charAt(from + n)) >= 0) {
            n++;
        }
        return n;
    }

    /** OVS {@code ipv6_parse_masked()}: {@code ADDR}, {@code ADDR/PREFIX} or {@code ADDR/MASK}, nothing after. */
    static Masked parseIpv6Masked(String s) throws OfctlParseException {
        int i = 0;
        while (CParse.isSpace(CParse.at(s, i))) {
            i++;
        }
        int n = scanIpv6Chars(s, i);
        byte[] ip = n > 0 ? inetPton6(s.substring(i, i + n)) : null;
        if (ip == null) {
            throw new OfctlParseException(s + ": invalid IPv6 address", s);
        }
        i += n;
        byte[] mask;
        CParse.Num prefix = CParse.at(s, i) == '/' ? CParse.scanInt(s, i + 1) : null;
        if (prefix != null) {
            if (prefix.value() < 0 || prefix.value() > 128) {
                throw new OfctlParseException(s + ": IPv6 network prefix bits not between 0 and 128, inclusive", s);
            }
            mask = prefixMask((int) prefix.value(), 16);
            i = prefix.end();
        } else if (CParse.at(s, i) == '/' && scanIpv6Chars(s, i + 1) > 0) {
            int m = scanIpv6Chars(s, i + 1);
            mask = inetPton6(s.substring(i + 1, i + 1 + m));
            if (mask == null) {
                throw new OfctlParseException(s + ": Invalid IPv6 mask", s);
            }
            i += 1 + m;
        } else {
            mask = ones(16);
        }
        if (i != s.length()) {
            throw new OfctlParseException(s + ": invalid IPv6 address", s);
        }
        return new Masked(ip, mask);
    }

    /** glibc {@code inet_pton(AF_INET6)}; null if invalid. */
    static byte[] inetPton6(String src) {
        byte[] out = new byte[16];
        int tp = 0;
        int colonp = -1;
        int i = 0;
        if (src.startsWith(":")) {
            if (!src.startsWith("::")) {
                return null;
            }
            i = 1;
        }
        int curtok = i;
        boolean sawXdigit = false;
        int val = 0;
        int digits = 0;
        while (i < src.length()) {
            char ch = src.charAt(i++);
            int h = CParse.hexit(ch);
            if (h >= 0) {
                if (++digits > 4) {
                    return null;
                }
                val = (val << 4) | h;
                sawXdigit = true;
                continue;
            }
            if (ch == ':') {
                curtok = i;
                if (!sawXdigit) {
                    if (colonp >= 0) {
                        return null;
                    }
                    colonp = tp;
                    continue;
                } else if (i == src.length()) {
                    return null;
                }
                if (tp + 2 > 16) {
                    return null;
                }
                out[tp++] = (byte) (val >> 8);
                out[tp++] = (byte) val;
                sawXdigit = false;
                digits = 0;
                val = 0;
                continue;
            }
            if (ch == '.' && tp + 4 <= 16) {
                long v4 = inetPton4(src.substring(curtok));
                if (v4 < 0) {
                    return null;
                }
                out[tp++] = (byte) (v4 >> 24);
                out[tp++] = (byte) (v4 >> 16);
                out[tp++] = (byte) (v4 >> 8);
                out[tp++] = (byte) v4;
                sawXdigit = false;
                break;
            }
            return null;
        }
        if (sawXdigit) {
            if (tp + 2 > 16) {
                return null;
            }
            out[tp++] = (byte) (val >> 8);
            out[tp++] = (byte) val;
        }
        if (colonp >= 0) {
            if (tp == 16) {
                return null;
            }
            int n = tp - colonp;
            for (int k = 1; k <= n; k++) {
                out[16 - k] = out[colonp + n - k];
                out[colonp + n - k] = 0;
            }
            tp = 16;
        }
        return tp == 16 ? out : null;
    }

    // ------------------------------------------------------------------------------------------------ ports

    /**
     * OVS {@code ofputil_port_from_string()}: a decimal number (OpenFlow 1.1+ reserved numbers 0xffffff00.. are
     * mapped down; 0x10000..0xfffffeff refused), a reserved name (IN_PORT, TABLE, NORMAL, FLOOD, ALL, CONTROLLER,
     * LOCAL, ANY, NONE; any case), or a port name. Returns the 16-bit port, or -1.
     */
    static int portFromString(String s, PortMap ports) {
        if (s.startsWith("-")) {
            return -1;
        }
        Long n = CParse.strToUint(s, 10);
        if (n != null) {
            long p = n;
            if (p < Action.OFPP_MAX) {
                return (int) p;
            } else if (p <= 0xffff) {
                return (int) p;
            } else if (p < 0xffffff00L) {
                return -1;
            }
            return (int) (p - 0xffff0000L);
        }
        String[] names = {"IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "LOCAL", "ANY", "NONE"};
        int[] numbers = {Action.OFPP_IN_PORT, Action.OFPP_TABLE, Action.OFPP_NORMAL, Action.OFPP_FLOOD,
            Action.OFPP_ALL, Action.OFPP_CONTROLLER, Action.OFPP_LOCAL, Action.OFPP_NONE, Action.OFPP_NONE};
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(s)) {
                return numbers[i];
            }
        }
        String name = s;
        if (s.startsWith("\"")) {
            if (s.length() < 2 || !s.endsWith("\"")) {
                return -1;
            }
            name = s.substring(1, s.length() - 1);
        }
        int p = ports.number(name);
        return p >= 0 && p != Action.OFPP_NONE ? p : -1;
    }

    /** OVS {@code ofputil_table_from_string()} without table names: 0..255, else -1. */
    static int tableFromString(String s) {
        if (s.startsWith("-")) {
            return -1;
        }
        Long n = CParse.strToUint(s, 10);
        return n != null && n <= 255 ? (int) (long) n : -1;
    }

    // ------------------------------------------------------------------------------------------------ mf_format

    /** OVS {@code mf_format()} of an exact value, as used in error messages. */
    static String format(OvsField f, byte[] value) {
        switch (f.str()) {
            case ETHERNET:
                return String.format("%02x:%02x:%02x:%02x:%02x:%02x", value[0] & 0xff, value[1] & 0xff,
                        value[2] & 0xff, value[3] & 0xff, value[4] & 0xff, value[5] & 0xff);
            case IPV4:
                return (value[0] & 0xff) + "." + (value[1] & 0xff) + "." + (value[2] & 0xff) + "." + (value[3] & 0xff);
            case HEX:
                return hex(value);
            default:
                if (f.nBytes() > 8) {
                    return hex(value);
                }
                // OVS prints the integer with "%lld".
                return Long.toString(toLong(value));
        }
    }

    /** OVS {@code ds_put_hex()}: "0x" and the value without leading zeros ("0x0" for zero). */
    static String hex(byte[] value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value) {
            sb.append(String.format("%02x", b & 0xff));
        }
        String h = sb.toString().replaceFirst("^0+", "");
        return "0x" + (h.isEmpty() ? "0" : h);
    }

    // ------------------------------------------------------------------------------------------------ bytes

    static byte[] bytes(long v, int n) {
        byte[] b = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    static long toLong(byte[] b) {
        long v = 0;
        for (int i = Math.max(0, b.length - 8); i < b.length; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    static byte[] ones(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xff);
        return b;
    }

    static boolean isAllOnes(byte[] b) {
        for (byte x : b) {
            if (x != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    static boolean isAllZeros(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code n}-byte mask with the top {@code prefix} bits set. */
    static byte[] prefixMask(int prefix, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < prefix; i++) {
            b[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        return b;
    }

    /** OVS {@code bitwise_one()}: sets bits {@code [ofs, ofs+nBits)} (bit 0 = least significant). */
    static void bitwiseOne(byte[] b, int ofs, int nBits) {
        for (int i = ofs; i < ofs + nBits; i++) {
            b[b.length - 1 - i / 8] |= (byte) (1 << (i % 8));
        }
    }

    /** OVS {@code bitwise_copy()}: {@code nBits} of {@code src} at {@code srcOfs} to {@code dst} at {@code dstOfs}. */
    static void bitwiseCopy(byte[] src, int srcOfs, byte[] dst, int dstOfs, int nBits) {
        for (int i = 0; i < nBits; i++) {
            int s = srcOfs + i;
            int d = dstOfs + i;
            boolean bit = (src[src.length - 1 - s / 8] & (1 << (s % 8))) != 0;
            int at = dst.length - 1 - d / 8;
            if (bit) {
                dst[at] |= (byte) (1 << (d % 8));
            } else {
                dst[at] &= (byte) ~(1 << (d % 8));
            }
        }
    }

    /** OVS {@code bitwise_is_all_zeros()} over bits {@code [ofs, ofs+nBits)}. */
    static boolean bitwiseIsAllZeros(byte[] b, int ofs, int nBits) {
        for (int i = ofs; i < ofs + nBits; i++) {
            if ((b[b.length - 1 - i / 8] & (1 << (i % 8))) != 0) {
                return false;
            }
        }
        return true;
    }
}
