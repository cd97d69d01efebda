package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.List;

/**
 * One flow in ovs-ofctl's text syntax, parsed as OVS 3.1's {@code parse_ofp_str__()} ({@code lib/ofp-flow.c}):
 * the match keywords (shorthand protocols, fields, subfields), the flow-mod keywords allowed for the command
 * (table, priority, cookie, timeouts, importance, flags, out_port/out_group), then the actions after the first
 * "action" in the text, checked against the match by {@link ActionCheck} ({@code ofpacts_check()}).
 *
 * <p>The result keeps what OVS's {@code struct ofputil_flow_mod} keeps, and the set of protocols that can carry it.
 */
final class FlowParser {
    /** OVS's -1 command: a flow-stats request (only out_port/out_group besides the match). */
    static final int COMMAND_STATS = -1;
    /** OVS's -2 command: a line of an add-flows file that may start with add/modify/delete. */
    static final int COMMAND_FROM_LINE = -2;

    private FlowParser() {
    }

    /** A parsed flow (OVS {@code struct ofputil_flow_mod}) and its usable protocols. */
    record Parsed(int command, MatchState match, long cookie, long cookieMask, long newCookie, int tableId,
                  int idleTimeout, int hardTimeout, int priority, int importance, int flags, int outPort,
                  long outGroup, List<Ofpact> ofpacts, int usable) {
    }

    private static final int F_OUT_PORT = 1;
    private static final int F_ACTIONS = 2;
    private static final int F_IMPORTANCE = 4;
    private static final int F_TIMEOUT = 8;
    private static final int F_PRIORITY = 16;
    private static final int F_FLAGS = 32;

    /** OVS {@code ofputil_flow_mod_flags}: send_flow_rem, check_overlap, reset_counts, no_*_counts. */
    static final int FF_SEND_FLOW_REM = 1 << 0;
    static final int FF_CHECK_OVERLAP = 1 << 1;
    static final int FF_RESET_COUNTS = 1 << 2;
    static final int FF_NO_PKT_COUNTS = 1 << 3;
    static final int FF_NO_BYT_COUNTS = 1 << 4;

    private static final String[][] PROTOCOLS = {
        {"ip", "0800", "0"}, {"ipv4", "0800", "0"}, {"ip4", "0800", "0"}, {"arp", "0806", "0"},
        {"icmp", "0800", "1"}, {"tcp", "0800", "6"}, {"udp", "0800", "17"}, {"sctp", "0800", "132"},
        {"ipv6", "86dd", "0"}, {"ip6", "86dd", "0"}, {"icmp6", "86dd", "58"}, {"tcp6", "86dd", "6"},
        {"udp6", "86dd", "17"}, {"sctp6", "86dd", "132"}, {"rarp", "8035", "0"}, {"mpls", "8847", "0"},
        {"mplsm", "8848", "0"}};

    /** Parses {@code text} for {@code command} (an OFPFC_* value, or {@link #COMMAND_FROM_LINE}). */
    static Parsed parse(String text, int command, FieldValues.PortMap ports) throws OfctlParseException {
        String string = text;
        int usable = Protocols.ANY;
        if (command == COMMAND_FROM_LINE) {
            int i = 0;
            while (i < string.length() && " \t\r\n".indexOf(string.charAt(i)) >= 0) {
                i++;
            }
            int len = 0;
            while (i + len < string.length() && ", \t\r\n".indexOf(string.charAt(i + len)) < 0) {
                len++;
            }
            String word = string.substring(i, i + len);
            // OVS compares with strncmp(string, "add", len): any prefix of the command name selects it.
            if ("add".startsWith(word)) {
                command = FlowMod.OFPFC_ADD;
            } else if ("delete".startsWith(word)) {
                command = FlowMod.OFPFC_DELETE;
            } else if ("delete_strict".startsWith(word)) {
                command = FlowMod.OFPFC_DELETE_STRICT;
            } else if ("modify".startsWith(word)) {
                command = FlowMod.OFPFC_MODIFY;
            } else if ("modify_strict".startsWith(word)) {
                command = FlowMod.OFPFC_MODIFY_STRICT;
            } else {
                len = 0;
                command = FlowMod.OFPFC_ADD;
            }
            string = string.substring(i + len);
        }
        int fields;
        switch (command) {
            case COMMAND_STATS:
            case FlowMod.OFPFC_DELETE:
                fields = F_OUT_PORT;
                break;
            case FlowMod.OFPFC_ADD:
                fields = F_ACTIONS | F_TIMEOUT | F_PRIORITY | F_FLAGS | F_IMPORTANCE;
                break;
            case FlowMod.OFPFC_DELETE_STRICT:
                fields = F_OUT_PORT | F_PRIORITY;
                break;
            case FlowMod.OFPFC_MODIFY:
            case FlowMod.OFPFC_MODIFY_STRICT:
                fields = F_ACTIONS | F_TIMEOUT | F_PRIORITY | F_FLAGS;
                break;
            default:
                throw new IllegalArgumentException("command " + command);
        }
        MatchState match = new MatchState();
        int priority = 0x8000;
        int tableId = 0xff;
        int outPort = 0xffff;
        long outGroup = 0xffffffffL;
        long cookie = 0;
        long cookieMask = 0;
        boolean modify = command == FlowMod.OFPFC_MODIFY || command == FlowMod.OFPFC_MODIFY_STRICT;
        // OVS: "For modify, by default, don't update the cookie" (new_cookie = all ones).
        long newCookie = modify ? -1L : 0;
        int idle = 0;
        int hard = 0;
        int importance = 0;
        int flags = 0;
        String actStr = null;
        if ((fields & F_ACTIONS) != 0) {
            // OVS ofp_extract_actions(): cut at the first "action", the actions start after the next '='.
            int at = string.indexOf("action");
            int eq = at < 0 ? -1 : string.indexOf('=', at + 1);
            if (eq < 0) {
                throw new OfctlParseException("must specify an action", text);
            }
            actStr = string.substring(eq + 1);
            string = string.substring(0, at);
        }
        KeyValues kv = new KeyValues(string);
        while (kv.next()) {
            String name = kv.key();
            String value = kv.value();
            String[] proto = protocol(name);
            OvsField mf;
            if (proto != null) {
                match.setValue(OvsField.of(MatchField.ETH_TYPE),
                        FieldValues.bytes(Integer.parseInt(proto[1], 16), 2));
                int nwProto = Integer.parseInt(proto[2]);
                if (nwProto != 0) {
                    match.setValue(OvsField.of(MatchField.IP_PROTO),
                            new byte[] {(byte) nwProto});
                }
                match.defaultPacketType = true;
            } else if (name.equals("eth")) {
                match.defaultPacketType = true;
            } else if ((fields & F_FLAGS) != 0 && name.equals("send_flow_rem")) {
                flags |= FF_SEND_FLOW_REM;
            } else if ((fields & F_FLAGS) != 0 && name.equals("check_overlap")) {
                flags |= FF_CHECK_OVERLAP;
            } else if ((fields & F_FLAGS) != 0 && name.equals("reset_counts")) {
                flags |= FF_RESET_COUNTS;
                usable &= Protocols.OF12_UP;
            } else if ((fields & F_FLAGS) != 0 && name.equals("no_packet_counts")) {
                flags |= FF_NO_PKT_COUNTS;
                usable &= Protocols.OF13_UP;
            } else if ((fields & F_FLAGS) != 0 && name.equals("no_byte_counts")) {
                flags |= FF_NO_BYT_COUNTS;
                usable &= Protocols.OF13_UP;
            } else if (name.equals("no_readonly_table") || name.equals("allow_hidden_fields")) {
                // Ignored, as OVS does.
            } else if ((mf = OvsField.byName(name)) != null) {
                usable &= parseField(match, mf, value, ports);
            } else if (OvsField.isUnsupported(name)) {
                throw Subfields.unsupportedField(name);
            } else if (name.indexOf('[') >= 0) {
                usable &= parseSubfield(match, name, value);
            } else {
                if (value.isEmpty()) {
                    throw new OfctlParseException("field " + name + " missing value", name);
                }
                switch (name) {
                    case "table": {
                        int t = FieldValues.tableFromString(value);
                        if (t < 0) {
                            throw new OfctlParseException("unknown table \"" + value + "\"", value);
                        }
                        tableId = t;
                        // A flow stats request carries its table id in every protocol (ovs-ofctl 3.1 dumps one
                        // table over NXM without NXT_FLOW_MOD_TABLE_ID).
                        if (tableId != 0xff && command != COMMAND_STATS) {
                            usable &= Protocols.TID;
                        }
                        break;
                    }
                    case "out_port":
                        allow(fields, F_OUT_PORT, name);
                        outPort = FieldValues.portFromString(value, ports);
                        if (outPort < 0) {
                            throw new OfctlParseException(value + " is not a valid OpenFlow port", value);
                        }
                        break;
                    case "out_group":
                        allow(fields, F_OUT_PORT, name);
                        usable &= Protocols.OF11_UP;
                        outGroup = groupFromString(value);
                        break;
                    case "priority":
                        allow(fields, F_PRIORITY, name);
                        priority = CParse.strToU16(value, name);
                        break;
                    case "idle_timeout":
                        allow(fields, F_TIMEOUT, name);
                        idle = CParse.strToU16(value, name);
                        break;
                    case "hard_timeout":
                        allow(fields, F_TIMEOUT, name);
                        hard = CParse.strToU16(value, name);
                        break;
                    case "importance":
                        allow(fields, F_IMPORTANCE, name);
                        importance = CParse.strToU16(value, name);
                        break;
                    case "cookie": {
                        int slash = value.indexOf('/');
                        if (slash >= 0) {
                            if (command == FlowMod.OFPFC_ADD) {
                                throw new OfctlParseException("flow additions cannot use a cookie mask", value);
                            }
                            cookie = CParse.strToU64(value.substring(0, slash));
                            cookieMask = CParse.strToU64(value.substring(slash + 1));
                            if (cookieMask != 0) {
                                usable &= Protocols.NXM_OF11_UP;
                            }
                        } else {
                            if (command != FlowMod.OFPFC_ADD && command != FlowMod.OFPFC_MODIFY
                                    && command != FlowMod.OFPFC_MODIFY_STRICT) {
                                throw new OfctlParseException("cannot set cookie (to match on a cookie, "
                                        + "specify a mask, e.g. cookie=" + value + "/-1)", value);
                            }
                            newCookie = CParse.strToU64(value);
                        }
                        break;
                    }
                    case "duration": case "n_packets": case "n_bytes": case "idle_age": case "hard_age":
                        // Ignored, so that dump-flows output can be fed back.
                        break;
                    default:
                        throw unknownKeyword(name);
                }
            }
        }
        if (match.dlType() == 0x86dd && isIpv6L4Masked(match)) {
            usable &= Protocols.NXM_OXM_ANY;
        }
        if (cookieMask == 0 && newCookie == -1L && modify) {
            // A modify without a cookie mask adds the flow if it is missing: with cookie 0 unless one was given.
            newCookie = 0;
        }
        List<Ofpact> ofpacts = List.of();
        if ((fields & F_ACTIONS) != 0) {
            ActionParser ap = new ActionParser(ports);
            ofpacts = ap.parseInstructions(actStr);
            usable &= ap.usable;
            int[] checked = {usable};
            String err = ActionCheck.check(ofpacts, match, tableId, checked);
            usable = checked[0];
            if (err == null && usable == 0) {
                err = "OFPBAC_MATCH_INCONSISTENT";
            }
            if (err != null) {
                throw new OfctlParseException("actions are invalid with specified match (" + err + ")", actStr);
            }
        }
        return new Parsed(command, match, cookie, cookieMask, newCookie, tableId, idle, hard,
                priority, importance, flags, outPort, outGroup, ofpacts, usable);
    }

    /** OVS parses a keyword only for the commands whose fields include it; elsewhere it is unknown. */
    private static void allow(int fields, int field, String name) throws OfctlParseException {
        if ((fields & field) == 0) {
            throw unknownKeyword(name);
        }
    }

    private static OfctlParseException unknownKeyword(String name) {
        return new OfctlParseException("unknown keyword " + name, name);
    }

    private static String[] protocol(String name) {
        for (String[] p : PROTOCOLS) {
            if (p[0].equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** OVS: with dl_type IPv6, a match on nw_proto, nw_tos or the transport ports needs NXM or OXM. */
    private static boolean isIpv6L4Masked(MatchState m) {
        return !FlowKey.isWild(m.masks, MatchField.IP_PROTO)
                || !FlowKey.isWild(m.masks, MatchField.NW_TOS)
                || !FlowKey.isWild(m.masks, MatchField.IP_ECN)
                || !FlowKey.isWild(m.masks, MatchField.TCP_SRC)
                || !FlowKey.isWild(m.masks, MatchField.TCP_DST);
    }

    /** OVS {@code ofp_parse_field()}: an empty value means "0/0" (matching the field's existence). */
    private static int parseField(MatchState match, OvsField mf, String value, FieldValues.PortMap ports)
            throws OfctlParseException {
        String s = value.isEmpty() ? "0/0" : value;
        FieldValues.Masked m = FieldValues.parse(mf, s, ports);
        int usable = match.set(mf, m.value(), m.mask());
        if (!mf.prereqNone()) {
            match.defaultPacketType = true;
        }
        return usable;
    }

    /** OVS {@code parse_subfield()}: {@code FIELD[..]=VALUE} writes those bits of the match exactly. */
    private static int parseSubfield(MatchState match, String name, String value) throws OfctlParseException {
        Ofpact.Subfield sf = Subfields.parse(name);
        OvsField f = sf.field();
        CParse.IntString v = CParse.parseIntString(value, 0, f.nBytes());
        if (v.error() || v.tail() != value.length()) {
            throw new OfctlParseException(name + ": cannot parse integer value: " + value, value);
        }
        if (!FieldValues.bitwiseIsAllZeros(v.value(), sf.nBits(), f.nBytes() * 8 - sf.nBits())) {
            throw new OfctlParseException(name + ": value " + FieldValues.format(f, v.value()) + " does not fit into "
                    + sf.nBits() + " bits", value);
        }
        FieldValues.Masked cur = match.get(f);
        byte[] nv = cur.value().clone();
        byte[] nm = cur.mask().clone();
        FieldValues.bitwiseCopy(v.value(), 0, nv, sf.ofs(), sf.nBits());
        FieldValues.bitwiseOne(nm, sf.ofs(), sf.nBits());
        int usable = match.set(f, nv, nm);
        if (!f.prereqNone()) {
            match.defaultPacketType = true;
        }
        return usable;
    }

    /** OVS {@code ofputil_group_from_string()}: a number up to 0xffffff00, or all/any. */
    private static long groupFromString(String s) throws OfctlParseException {
        if (s.equalsIgnoreCase("any")) {
            return 0xffffffffL;
        }
        if (s.equalsIgnoreCase("all")) {
            return 0xfffffffcL;
        }
        Long n = CParse.strToUint(s, 10);
        if (n == null || n > 0xffffff00L) {
            throw new OfctlParseException(s + " is not a valid OpenFlow group", s);
        }
        return n;
    }
}
