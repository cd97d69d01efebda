package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.flow.MatchField;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ovs-ofctl's action and instruction syntax, as OVS 3.1's {@code ofpacts_parse__()} and the per-action
 * {@code parse_*()} functions in {@code lib/ofp-actions.c} (with {@code nxm_parse_reg_move()},
 * {@code nxm_parse_stack_action()} from {@code lib/nx-match.c}), followed by {@code ofpacts_verify()}: instruction
 * order, nesting rules of {@code ct(exec(...))} and {@code write_actions(...)}.
 *
 * <p>The parser narrows {@link #usable} the way OVS's {@code pp->usable_protocols} is narrowed (push_vlan needs
 * OpenFlow 1.1+, set_field of an NXM-only field needs NXM or OXM, ...). Actions that OVS parses but this switch does
 * not implement (learn, bundle, multipath, clone, sample, encap/decap, ...) are refused with a message
 * saying so, which ovs-ofctl would not print.
 */
final class ActionParser {
    /** {@code NX_CT_F_COMMIT}. */
    static final int CT_COMMIT = 1;
    /** {@code NX_CT_F_FORCE}. */
    static final int CT_FORCE = 2;
    /** NAT flags ({@code NX_NAT_F_*}). */
    static final int NAT_SRC = 1;
    static final int NAT_DST = 2;
    static final int NAT_PERSISTENT = 4;
    static final int NAT_PROTO_HASH = 8;
    static final int NAT_PROTO_RANDOM = 16;

    private static final List<String> UNSUPPORTED_ACTIONS = List.of("bundle", "bundle_load", "learn",
            "multipath", "fin_timeout", "sample", "clone", "check_pkt_larger", "encap", "decap",
            "dec_nsh_ttl", "delete_field", "debug_recirc", "debug_slow");

    private final FieldValues.PortMap ports;
    /** Protocols the parsed actions can be sent in ({@link Protocols}). */
    int usable = Protocols.ANY;

    ActionParser(FieldValues.PortMap ports) {
        this.ports = ports;
    }

    /** OVS {@code ofpacts_parse_instructions()}. */
    List<Ofpact> parseInstructions(String s) throws OfctlParseException {
        usable = Protocols.ANY;
        return parse(s, true, null);
    }

    /** OVS {@code ofpacts_parse_actions()}: actions only, as packet-out takes them (no instructions). */
    List<Ofpact> parseActions(String s) throws OfctlParseException {
        usable = Protocols.ANY;
        return parse(s, false, null);
    }

    /**
     * OVS {@code ofpacts_parse__()}: items until the end; "drop" alone; then {@code ofpacts_verify()}.
     *
     * @param outer null, "write_actions" or "ct" for nested lists
     */
    private List<Ofpact> parse(String s, boolean allowInstructions, String outer) throws OfctlParseException {
        List<Ofpact> out = new ArrayList<>();
        boolean drop = false;
        KeyValues kv = new KeyValues(s);
        while (kv.next()) {
            String key = kv.key();
            String value = kv.value();
            String k = key.toLowerCase(Locale.ROOT);
            if (UNSUPPORTED_ACTIONS.contains(k)) {
                throw new OfctlParseException(key + ": action not supported by this switch", key);
            }
            switch (k) {
                case "output": out.add(parseOutput(value)); break;
                case "group": out.add(new Ofpact.Group(CParse.strToU32(value))); break;
                case "controller": out.add(parseController(value)); break;
                case "enqueue": out.add(parseEnqueue(value)); break;
                case "output_reg": out.add(parseOutput(value)); break;
                case "set_field": out.add(parseSetField(value)); break;
                case "set_vlan_vid": out.add(parseSetVlanVid(value, false)); break;
                case "mod_vlan_vid": out.add(parseSetVlanVid(value, true)); break;
                case "set_vlan_pcp": out.add(parseSetVlanPcp(value, false)); break;
                case "mod_vlan_pcp": out.add(parseSetVlanPcp(value, true)); break;
                case "strip_vlan": case "pop_vlan": out.add(new Ofpact.StripVlan()); break;
                case "push_vlan": out.add(parsePushVlan(value)); break;
                case "mod_dl_src": out.add(new Ofpact.SetEth(true, FieldValues.toLong(FieldValues.strToMac(value))));
                    break;
                case "mod_dl_dst": out.add(new Ofpact.SetEth(false, FieldValues.toLong(FieldValues.strToMac(value))));
                    break;
                case "mod_nw_src": out.add(new Ofpact.SetIpv4(true, FieldValues.strToIp(value))); break;
                case "mod_nw_dst": out.add(new Ofpact.SetIpv4(false, FieldValues.strToIp(value))); break;
                case "mod_nw_tos": out.add(parseTos(value)); break;
                case "mod_nw_ecn": out.add(parseEcn(value)); break;
                case "mod_nw_ttl": case "set_nw_ttl":
                    out.add(new Ofpact.SetIpTtl(CParse.strToU8(value, "TTL")));
                    break;
                case "mod_tp_src": out.add(new Ofpact.SetL4Port(true, CParse.strToU16(value, "source port"))); break;
                case "mod_tp_dst":
                    out.add(new Ofpact.SetL4Port(false, CParse.strToU16(value, "destination port")));
                    break;
                case "move": out.add(parseMove(value)); break;
                case "push": case "pop": out.add(parseStack(k.equals("push"), value)); break;
                case "dec_ttl": out.add(parseDecTtl(value)); break;
                case "set_mpls_label":
                    requireArg(value, "set_mpls_label: expected label.");
                    out.add(new Ofpact.Mpls("set_mpls_label", CParse.atoi(value)));
                    break;
                case "set_mpls_tc":
                    requireArg(value, "set_mpls_tc: expected tc.");
                    out.add(new Ofpact.Mpls("set_mpls_tc", CParse.atoi(value) & 0xff));
                    break;
                case "set_mpls_ttl":
                    requireArg(value, "set_mpls_ttl: expected ttl.");
                    out.add(new Ofpact.Mpls("set_mpls_ttl", CParse.atoi(value) & 0xff));
                    break;
                case "dec_mpls_ttl": out.add(new Ofpact.Mpls("dec_mpls_ttl", 0)); break;
                case "push_mpls":
                    out.add(new Ofpact.PushPopMpls(true, CParse.strToU16(value, "push_mpls")));
                    break;
                case "pop_mpls":
                    out.add(new Ofpact.PushPopMpls(false, CParse.strToU16(value, "pop_mpls")));
                    break;
                case "set_tunnel": out.add(new Ofpact.SetTunnel(CParse.strToU64(value), false)); break;
                case "set_tunnel64": out.add(new Ofpact.SetTunnel(CParse.strToU64(value), true)); break;
                case "set_queue": out.add(new Ofpact.SetQueue(CParse.strToU32(value))); break;
                case "pop_queue": out.add(new Ofpact.Simple("pop_queue")); break;
                case "resubmit": out.add(parseResubmit(value)); break;
                case "note": out.add(parseNote(value)); break;
                case "conjunction": out.add(parseConjunction(value)); break;
                case "exit": out.add(new Ofpact.Simple("exit")); break;
                case "ct": out.add(parseCt(value)); break;
                case "ct_clear": out.add(new Ofpact.Simple("ct_clear")); break;
                case "nat": out.add(parseNat(value)); break;
                case "output_trunc": throw new OfctlParseException("unknown action " + value, value);
                case "unroll_xlate":
                    throw new OfctlParseException("UNROLL is an internal action that shouldn't be used via OpenFlow",
                            key);
                case "meter":
                    usable &= Protocols.OF13_UP;
                    out.add(new Ofpact.Meter(CParse.strToU32(value)));
                    break;
                case "clear_actions": out.add(new Ofpact.ClearActions()); break;
                case "write_actions": out.add(new Ofpact.WriteActions(parse(value, false, "write_actions"))); break;
                case "write_metadata": out.add(parseWriteMetadata(value)); break;
                case "goto_table": {
                    int t = FieldValues.tableFromString(value);
                    if (t < 0) {
                        throw new OfctlParseException("unknown table \"" + value + "\"", value);
                    }
                    out.add(new Ofpact.GotoTable(t));
                    break;
                }
                case "load": out.add(parseLoad(value)); break;
                case "drop": drop = true; break;
                case "apply_actions": throw new OfctlParseException("apply_actions is the default instruction", key);
                default: {
                    int port = FieldValues.portFromString(key, ports);
                    if (port < 0) {
                        throw new OfctlParseException("unknown action " + key, key);
                    }
                    out.add(new Ofpact.Output(port, port == Action.OFPP_CONTROLLER ? 0xffff : 0));
                }
            }
        }
        if (drop && !out.isEmpty()) {
            throw new OfctlParseException("\"drop\" must not be accompanied by any other action or instruction",
                    "drop");
        }
        verify(out, allowInstructions, outer);
        return out;
    }

    private static void requireArg(String value, String message) throws OfctlParseException {
        if (value.isEmpty()) {
            throw new OfctlParseException(message, value);
        }
    }

    /**
     * OVS {@code ofpacts_verify()} and {@code ofpacts_verify_nested()}: ct_mark/ct_label only inside ct(), nat only
     * inside ct(), ct() nests only writes of ct fields (and nat); instructions in order, each at most once, and only
     * where allowed.
     */
    private static void verify(List<Ofpact> list, boolean allowInstructions, String outer)
            throws OfctlParseException {
        for (Ofpact a : list) {
            if (a instanceof Ofpact.Conjunction) {
                for (Ofpact o : list) {
                    if (!(o instanceof Ofpact.Conjunction) && !(o instanceof Ofpact.Note)) {
                        throw new OfctlParseException("\"conjunction\" actions may be used along with \"note\" but "
                                + "not any other kind of action (such as the \"" + o.name() + "\" action used here)",
                                o.name());
                    }
                }
                break;
            }
        }
        Ofpact.Inst inst = Ofpact.Inst.METER;
        boolean first = true;
        for (Ofpact a : list) {
            OvsField dst = destination(a);
            boolean ctField = dst != null && (dst.field() == MatchField.CT_MARK || dst.field() == MatchField.CT_LABEL);
            if (ctField && !"ct".equals(outer)) {
                throw new OfctlParseException("cannot set CT fields outside of ct action", a.name());
            }
            if (a instanceof Ofpact.Nat) {
                if (!"ct".equals(outer)) {
                    throw new OfctlParseException("Cannot have NAT action outside of \"ct\" action", "nat");
                }
            } else if ("ct".equals(outer)) {
                if (dst == null) {
                    throw new OfctlParseException("ct action doesn't support nested action " + a.name(), a.name());
                } else if (!ctField) {
                    throw new OfctlParseException("ct action doesn't support nested modification of "
                            + dst.name(), dst.name());
                }
            }
            Ofpact.Inst next = a.inst();
            if (!first && (inst == Ofpact.Inst.APPLY_ACTIONS ? next.ordinal() < inst.ordinal()
                    : next.ordinal() <= inst.ordinal())) {
                if (next == inst) {
                    throw new OfctlParseException("duplicate " + inst.ovsName + " instruction not allowed, for "
                            + "OpenFlow 1.1+ compatibility", next.ovsName);
                }
                throw new OfctlParseException("invalid instruction ordering: " + next.ovsName + " must appear before "
                        + inst.ovsName + ", for OpenFlow 1.1+ compatibility", next.ovsName);
            }
            if (!allowInstructions && next != Ofpact.Inst.APPLY_ACTIONS) {
                throw new OfctlParseException(next.ovsName + " instruction not allowed here", next.ovsName);
            }
            inst = next;
            first = false;
        }
    }

    /** OVS {@code ofpact_get_mf_dst()}: the field a set_field/load or move writes, else null. */
    static OvsField destination(Ofpact a) {
        if (a instanceof Ofpact.SetField s) {
            return s.field();
        }
        if (a instanceof Ofpact.RegMove m) {
            return m.dst().field();
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ outputs

    /** OVS {@code parse_OUTPUT()}: a port, else a subfield, else "output to unknown port". */
    private Ofpact parseOutput(String arg) throws OfctlParseException {
        if (arg.contains("port") && arg.contains("max_len")) {
            throw new OfctlParseException("output(port=...,max_len=...): action not supported by this switch", arg);
        }
        int port = FieldValues.portFromString(arg, ports);
        if (port >= 0) {
            return new Ofpact.Output(port, port == Action.OFPP_CONTROLLER ? 0xffff : 0);
        }
        try {
            return new Ofpact.OutputReg(Subfields.parse(arg), 0xffff);
        } catch (OfctlParseException e) {
            throw new OfctlParseException(arg + ": output to unknown port", arg);
        }
    }

    private static final String[] REASONS = {"no_match", "action", "invalid_ttl", "action_set", "group",
        "packet_out"};

    /** OVS {@code parse_CONTROLLER()}. */
    private Ofpact parseController(String arg) throws OfctlParseException {
        int reason = 1;
        int id = 0;
        int maxLen = 0xffff;
        String userdata = null;
        boolean pause = false;
        long meterId = -1;
        if (arg.isEmpty()) {
            // Defaults.
        } else if (arg.chars().allMatch(c -> c >= '0' && c <= '9')) {
            maxLen = CParse.strToU16(arg, "max_len");
        } else {
            KeyValues kv = new KeyValues(arg);
            while (kv.next()) {
                String name = kv.key();
                String value = kv.value();
                switch (name) {
                    case "reason": {
                        int r = -1;
                        for (int i = 0; i < REASONS.length; i++) {
                            if (REASONS[i].equals(value)) {
                                r = i;
                            }
                        }
                        if (r < 0) {
                            throw new OfctlParseException("unknown reason \"" + value + "\"", value);
                        }
                        reason = r;
                        break;
                    }
                    case "max_len":
                        maxLen = CParse.strToU16(value, "max_len");
                        break;
                    case "id":
                        id = CParse.strToU16(value, "id");
                        break;
                    case "userdata":
                        userdata = value;
                        break;
                    case "pause":
                        pause = true;
                        break;
                    case "meter_id":
                        meterId = CParse.strToU32(value);
                        break;
                    default:
                        throw new OfctlParseException("unknown key \"" + name + "\" parsing controller action", name);
                }
            }
        }
        if (reason == 1 && id == 0 && userdata == null && !pause && meterId < 0) {
            return new Ofpact.Output(Action.OFPP_CONTROLLER, maxLen);
        }
        byte[] ud = null;
        if (userdata != null) {
            ud = putHex(userdata);
            if (ud == null) {
                throw new OfctlParseException("bad hex digit in `controller' action `userdata'", userdata);
            }
        }
        return new Ofpact.Controller(maxLen, id, reason, ud, pause, meterId);
    }

    /** OVS {@code ofpbuf_put_hex()}: pairs of hex digits, blanks and '.' allowed between pairs; null on bad input. */
    static byte[] putHex(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            while (i < s.length() && (CParse.isSpace(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (i >= s.length()) {
                return out.toByteArray();
            }
            int hi = CParse.hexit(s.charAt(i));
            int lo = CParse.hexit(CParse.at(s, i + 1));
            if (hi < 0 || lo < 0) {
                return null;
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
    }

    /**
     * OVS {@code parse_ENQUEUE()}: {@code strtok_r(arg, ":q,")} gives the port (leading delimiters skipped), and the
     * rest after the one delimiter that ended it is the queue ({@code strtok_r(NULL, "")}).
     */
    private Ofpact parseEnqueue(String arg) throws OfctlParseException {
        String delims = ":q,";
        int i = 0;
        while (i < arg.length() && delims.indexOf(arg.charAt(i)) >= 0) {
            i++;
        }
        int j = i;
        while (j < arg.length() && delims.indexOf(arg.charAt(j)) < 0) {
            j++;
        }
        String port = i < arg.length() ? arg.substring(i, j) : null;
        String queue = port != null && j + 1 < arg.length() ? arg.substring(j + 1) : null;
        if (port == null || queue == null) {
            throw new OfctlParseException("\"enqueue\" syntax is \"enqueue:PORT:QUEUE\" or \"enqueue(PORT,QUEUE)\"",
                    arg);
        }
        int p = FieldValues.portFromString(port, ports);
        if (p < 0) {
            throw new OfctlParseException(port + ": enqueue to unknown port", port);
        }
        return new Ofpact.Enqueue(p, CParse.strToU32(queue));
    }

    // ------------------------------------------------------------------------------------------------ set_field

    /** OVS {@code set_field_split_str()}. */
    private static String[] splitArrow(String arg) throws OfctlParseException {
        int at = arg.indexOf("->");
        if (at < 0) {
            throw new OfctlParseException(arg + ": missing `->'", arg);
        }
        if (arg.length() - at <= 2) {
            throw new OfctlParseException(arg + ": missing field name following `->'", arg);
        }
        return new String[] {arg.substring(0, at), arg.substring(at + 2)};
    }

    /** OVS {@code set_field_parse__()}. */
    private Ofpact parseSetField(String arg) throws OfctlParseException {
        String[] kv = splitArrow(arg);
        String key = kv[1];
        OvsField f = OvsField.byName(key);
        if (f == null) {
            if (OvsField.isUnsupported(key)) {
                throw Subfields.unsupportedField(key);
            }
            throw new OfctlParseException(key + " is not a valid OXM field name", key);
        }
        if (!f.writable()) {
            throw new OfctlParseException(key + " is read-only", key);
        }
        FieldValues.Masked m = FieldValues.parse(f, kv[0], ports);
        if (!isValueValid(f, m.value())) {
            throw new OfctlParseException(kv[0] + " is not a valid value for field " + key, kv[0]);
        }
        usable &= f.usableExact();
        return new Ofpact.SetField(f, m.value(), m.mask(), false);
    }

    /** OVS {@code mf_is_value_valid()} for the fields this switch knows. */
    static boolean isValueValid(OvsField f, byte[] value) {
        long v = f.nBytes() <= 8 ? FieldValues.toLong(value) : 0;
        if (f == OvsField.DL_VLAN) {
            return (v & 0xf000) == 0;
        }
        if (f == OvsField.DL_VLAN_PCP) {
            return (v & ~7) == 0;
        }
        MatchField mf = f.field();
        switch (mf) {
            case VLAN_VID:
                return (v & 0xe000) == 0;
            case IN_PORT_OXM:
                return MatchField.portFromOfp11(v) >= 0;
            case ETH_TYPE: case VLAN_TCI: case IP_PROTO: case NW_TTL: case IN_PORT:
                return true;
            default:
                return mf.isWide() || mf.isValueValid(v);
        }
    }

    /** OVS {@code parse_reg_load()}: {@code VALUE->DST[..]}. */
    private Ofpact parseLoad(String arg) throws OfctlParseException {
        String[] kv = splitArrow(arg);
        Ofpact.Subfield dst = Subfields.parse(kv[1]);
        OvsField f = dst.field();
        CParse.IntString v = CParse.parseIntString(kv[0], 0, f.nBytes());
        if (v.error()) {
            throw new OfctlParseException(arg + ": cannot parse integer value", kv[0]);
        }
        byte[] value = v.value();
        if (!FieldValues.bitwiseIsAllZeros(value, dst.nBits(), f.nBytes() * 8 - dst.nBits())) {
            throw new OfctlParseException(arg + ": value " + FieldValues.format(f, value) + " does not fit into "
                    + dst.nBits() + " bits", kv[0]);
        }
        byte[] sv = new byte[f.nBytes()];
        byte[] sm = new byte[f.nBytes()];
        FieldValues.bitwiseCopy(value, 0, sv, dst.ofs(), dst.nBits());
        FieldValues.bitwiseOne(sm, dst.ofs(), dst.nBits());
        return new Ofpact.SetField(f, sv, sm, true);
    }

    // ------------------------------------------------------------------------------------------------ vlan, l3

    private Ofpact parseSetVlanVid(String arg, boolean push) throws OfctlParseException {
        int vid = CParse.strToU16(arg, "VLAN VID");
        if ((vid & ~0xfff) != 0) {
            throw new OfctlParseException(arg + ": not a valid VLAN VID", arg);
        }
        return new Ofpact.SetVlanVid(vid, push);
    }

    private Ofpact parseSetVlanPcp(String arg, boolean push) throws OfctlParseException {
        int pcp = CParse.strToU8(arg, "VLAN PCP");
        if ((pcp & ~7) != 0) {
            throw new OfctlParseException(arg + ": not a valid VLAN PCP", arg);
        }
        return new Ofpact.SetVlanPcp(pcp, push);
    }

    private Ofpact parsePushVlan(String arg) throws OfctlParseException {
        usable &= Protocols.OF11_UP;
        int eth = CParse.strToU16(arg, "ethertype");
        if (eth != 0x8100 && eth != 0x88a8) {
            throw new OfctlParseException(arg + ": not a valid VLAN ethertype", arg);
        }
        return new Ofpact.PushVlan(eth);
    }

    private static Ofpact parseTos(String arg) throws OfctlParseException {
        int tos = CParse.strToU8(arg, "TOS");
        if ((tos & ~0xfc) != 0) {
            throw new OfctlParseException(arg + ": not a valid TOS", arg);
        }
        return new Ofpact.SetIpDscp(tos);
    }

    private static Ofpact parseEcn(String arg) throws OfctlParseException {
        int ecn = CParse.strToU8(arg, "ECN");
        if ((ecn & ~3) != 0) {
            throw new OfctlParseException(arg + ": not a valid ECN", arg);
        }
        return new Ofpact.SetIpEcn(ecn);
    }

    // ------------------------------------------------------------------------------------------------ fields

    /** OVS {@code nxm_parse_reg_move()}. */
    private static Ofpact parseMove(String arg) throws OfctlParseException {
        Subfields.Parsed src = Subfields.parsePrefix(arg);
        if (!arg.startsWith("->", src.end())) {
            throw new OfctlParseException(arg + ": missing `->' following source", arg);
        }
        Ofpact.Subfield dst = Subfields.parse(arg.substring(src.end() + 2));
        if (src.subfield().nBits() != dst.nBits()) {
            throw new OfctlParseException(arg + ": source field is " + src.subfield().nBits() + " bits wide but "
                    + "destination is " + dst.nBits() + " bits wide", arg);
        }
        return new Ofpact.RegMove(src.subfield(), dst);
    }

    /** OVS {@code nxm_parse_stack_action()}. */
    private static Ofpact parseStack(boolean push, String arg) throws OfctlParseException {
        Subfields.Parsed p = Subfields.parsePrefix(arg);
        if (p.end() < arg.length()) {
            String rest = arg.substring(p.end());
            throw new OfctlParseException(rest + ": trailing garbage following push or pop", rest);
        }
        return new Ofpact.Stack(push, p.subfield());
    }

    /** OVS {@code parse_DEC_TTL()}: no argument, or controller ids separated by commas/blanks ({@code atoi}). */
    private static Ofpact parseDecTtl(String arg) throws OfctlParseException {
        if (arg.isEmpty()) {
            return new Ofpact.DecTtl(new int[] {0}, false);
        }
        List<Integer> ids = new ArrayList<>();
        for (String tok : arg.split("[, ]+")) {
            if (!tok.isEmpty()) {
                ids.add(CParse.atoi(tok) & 0xffff);
            }
        }
        if (ids.isEmpty()) {
            throw new OfctlParseException("dec_ttl_cnt_ids: expected at least one controller id.", arg);
        }
        return new Ofpact.DecTtl(ids.stream().mapToInt(Integer::intValue).toArray(), true);
    }

    /** OVS {@code parse_RESUBMIT()}: {@code PORT}, {@code [PORT],[TABLE][,ct]}. */
    private Ofpact parseResubmit(String arg) throws OfctlParseException {
        String[] parts = arg.split(",", -1);
        String inPortS = parts.length > 0 ? parts[0] : null;
        int inPort = Action.OFPP_IN_PORT;
        if (inPortS != null && !inPortS.isEmpty()) {
            inPort = FieldValues.portFromString(inPortS, ports);
            if (inPort < 0) {
                throw new OfctlParseException(inPortS + ": resubmit to unknown port", inPortS);
            }
        }
        int table = 255;
        String tableS = parts.length > 1 ? parts[1] : null;
        if (tableS != null && !tableS.isEmpty()) {
            table = FieldValues.tableFromString(tableS);
            if (table < 0) {
                throw new OfctlParseException(tableS + ": resubmit to unknown table", tableS);
            }
        }
        boolean ct = false;
        if (parts.length > 2) {
            // strsep() leaves the rest, commas included, in the third piece.
            String ctS = arg.substring(arg.indexOf(',', arg.indexOf(',') + 1) + 1);
            if (!ctS.isEmpty()) {
                if (!ctS.equals("ct")) {
                    throw new OfctlParseException(ctS + ": unknown parameter", ctS);
                }
                ct = true;
            }
        }
        if (inPort == Action.OFPP_IN_PORT && table == 255) {
            throw new OfctlParseException("at least one \"in_port\" or \"table\" must be specified on resubmit", arg);
        }
        return new Ofpact.Resubmit(inPort, table, ct);
    }

    /** OVS {@code parse_NOTE()}: hex byte pairs, '.' between them optional. */
    /**
     * OVS {@code parse_CONJUNCTION()}: {@code ovs_scan(arg, "%i , %hhu / %hhu %n")} over the whole argument, then
     * 2 ≤ n ≤ 64 and 1 ≤ k ≤ n. The clause is kept 0-based, as on the wire.
     */
    private static Ofpact parseConjunction(String arg) throws OfctlParseException {
        String syntax = "\"conjunction\" syntax is \"conjunction(id,i/n)\"";
        CParse.Num id = CParse.scan(arg, skipBlanks(arg, 0), 0, 32);
        int p = id == null ? -1 : literal(arg, id.end(), ',');
        CParse.Num k = p < 0 ? null : CParse.scanUnsigned(arg, skipBlanks(arg, p), 10, 8);
        p = k == null ? -1 : literal(arg, k.end(), '/');
        CParse.Num n = p < 0 ? null : CParse.scanUnsigned(arg, skipBlanks(arg, p), 10, 8);
        if (n == null || skipBlanks(arg, n.end()) != arg.length()) {
            throw new OfctlParseException(syntax, arg);
        }
        if (n.value() < 2) {
            throw new OfctlParseException("conjunction must have at least 2 clauses", arg);
        } else if (n.value() > 64) {
            throw new OfctlParseException("conjunction must have at most 64 clauses", arg);
        } else if (k.value() < 1) {
            throw new OfctlParseException("clause index must be positive", arg);
        } else if (k.value() > n.value()) {
            throw new OfctlParseException("clause index must be less than or equal to number of clauses", arg);
        }
        return new Ofpact.Conjunction(id.value(), (int) k.value() - 1, (int) n.value());
    }

    private static int skipBlanks(String s, int i) {
        while (CParse.isSpace(CParse.at(s, i))) {
            i++;
        }
        return i;
    }

    /** An {@code ovs_scan()} format's blanks then {@code c}: the index after {@code c}, or -1. */
    private static int literal(String s, int i, char c) {
        i = skipBlanks(s, i);
        return CParse.at(s, i) == c ? i + 1 : -1;
    }

    private static Ofpact parseNote(String arg) throws OfctlParseException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < arg.length()) {
            if (arg.charAt(i) == '.') {
                i++;
            }
            if (i >= arg.length()) {
                break;
            }
            int hi = CParse.hexit(arg.charAt(i));
            int lo = CParse.hexit(CParse.at(arg, i + 1));
            if (hi < 0 || lo < 0) {
                throw new OfctlParseException("bad hex digit in `note' argument", arg);
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return new Ofpact.Note(out.toByteArray());
    }

    /** OVS {@code parse_WRITE_METADATA()}. */
    private Ofpact parseWriteMetadata(String arg) throws OfctlParseException {
        usable &= Protocols.NXM_OF11_UP;
        int slash = arg.indexOf('/');
        long mask = -1L;
        String value = arg;
        if (slash >= 0) {
            value = arg.substring(0, slash);
            mask = CParse.strToU64(arg.substring(slash + 1));
        }
        return new Ofpact.WriteMetadata(CParse.strToU64(value), mask);
    }

    // ------------------------------------------------------------------------------------------------ conntrack

    /** OVS {@code parse_CT()}. */
    private Ofpact parseCt(String arg) throws OfctlParseException {
        int flags = 0;
        int recirc = 0xff;
        int zoneImm = 0;
        Ofpact.Subfield zoneSrc = null;
        int alg = 0;
        List<Ofpact> actions = new ArrayList<>();
        KeyValues kv = new KeyValues(arg);
        while (kv.next()) {
            String key = kv.key();
            String value = kv.value();
            switch (key) {
                case "commit":
                    flags |= CT_COMMIT;
                    break;
                case "force":
                    flags |= CT_FORCE;
                    break;
                case "table": {
                    int t = FieldValues.tableFromString(value);
                    if (t < 0) {
                        throw new OfctlParseException("unknown table " + value, value);
                    } else if (t == 0xff) {
                        throw new OfctlParseException("invalid table 0xff", value);
                    }
                    recirc = t;
                    break;
                }
                case "zone": {
                    try {
                        zoneImm = CParse.strToU16(value, "zone");
                    } catch (OfctlParseException e) {
                        zoneSrc = Subfields.parse(value);
                    }
                    break;
                }
                case "alg":
                    if (value.equals("ftp")) {
                        alg = 21;
                    } else if (value.equals("tftp")) {
                        alg = 69;
                    } else {
                        throw new OfctlParseException("invalid conntrack helper \"" + value + "\"", value);
                    }
                    break;
                case "nat":
                    actions.add(parseNat(value));
                    break;
                case "exec": {
                    int saved = usable;
                    usable = Protocols.ANY;
                    actions.addAll(parse(value, false, "ct"));
                    usable &= saved;
                    break;
                }
                default:
                    throw new OfctlParseException("invalid argument to \"ct\" action: `" + key + "'", key);
            }
        }
        if ((flags & CT_FORCE) != 0 && (flags & CT_COMMIT) == 0) {
            throw new OfctlParseException("\"force\" flag requires \"commit\" flag.", "force");
        }
        return new Ofpact.Ct(flags, zoneImm, zoneSrc, recirc, alg, actions);
    }

    /** OVS {@code parse_NAT()}. */
    private static Ofpact parseNat(String arg) throws OfctlParseException {
        int flags = 0;
        Ofpact.Nat range = new Ofpact.Nat(0, 0, null, null, 0, 0);
        KeyValues kv = new KeyValues(arg);
        while (kv.next()) {
            String key = kv.key();
            String value = kv.value();
            switch (key) {
                case "src":
                    flags |= NAT_SRC;
                    range = parseNatRange(value);
                    break;
                case "dst":
                    flags |= NAT_DST;
                    range = parseNatRange(value);
                    break;
                case "persistent":
                    flags |= NAT_PERSISTENT;
                    break;
                case "hash":
                    flags |= NAT_PROTO_HASH;
                    break;
                case "random":
                    flags |= NAT_PROTO_RANDOM;
                    break;
                default:
                    throw new OfctlParseException("invalid key \"" + key + "\" in \"nat\" argument", key);
            }
        }
        if ((flags & NAT_SRC) != 0 && (flags & NAT_DST) != 0) {
            throw new OfctlParseException("May only specify one of \"src\" or \"dst\".", arg);
        }
        if ((flags & (NAT_SRC | NAT_DST)) == 0) {
            if (flags != 0) {
                throw new OfctlParseException("Flags allowed only with \"src\" or \"dst\".", arg);
            }
            if (range.af() != 0) {
                throw new OfctlParseException("Range allowed only with \"src\" or \"dst\".", arg);
            }
        }
        if ((flags & NAT_PROTO_HASH) != 0 && (flags & NAT_PROTO_RANDOM) != 0) {
            throw new OfctlParseException("Both \"hash\" and \"random\" are not allowed.", arg);
        }
        return new Ofpact.Nat(flags, range.af(), range.min(), range.max(), range.protoMin(), range.protoMax());
    }

    /**
     * OVS {@code str_to_nat_range()}: {@code IP[-IP][:PORT[-PORT]]}, IPv6 bare or in brackets. As in OVS, an IPv6
     * scan that reads characters but does not convert still moves the position, and trailing text is "garbage".
     */
    private static Ofpact.Nat parseNatRange(String s) throws OfctlParseException {
        int af = 0;
        byte[] min = null;
        byte[] max = null;
        int n = 0;
        int pmin = 0;
        int pmax = 0;
        OfctlParseException bad = new OfctlParseException("invalid nat range \"" + s + "\"", s);
        long[] a = FieldValues.scanIpv4(s, 0);
        if (a != null) {
            af = 4;
            min = FieldValues.bytes(a[0], 4);
            n = (int) a[1];
            if (CParse.at(s, n) == '-') {
                long[] b = FieldValues.scanIpv4(s, n + 1);
                if (b == null || b[0] < a[0]) {
                    throw bad;
                }
                max = FieldValues.bytes(b[0], 4);
                n = (int) b[1];
            }
        } else {
            int[] end = {0};
            String text = scanNatIpv6(s, 0, end);
            byte[] v6 = text == null ? null : FieldValues.inetPton6(text);
            if (text != null) {
                n = end[0];
            }
            if (v6 != null) {
                af = 6;
                min = v6;
                if (CParse.at(s, n) == '-') {
                    String t2 = scanNatIpv6(s, n + 1, end);
                    byte[] v6b = t2 == null ? null : FieldValues.inetPton6(t2);
                    if (v6b == null || compareUnsigned(v6b, v6) < 0) {
                        throw bad;
                    }
                    max = v6b;
                    n = end[0];
                }
            }
        }
        if (af != 0 && CParse.at(s, n) == ':') {
            CParse.Num p = CParse.scanUnsigned(s, n + 1, 10, 16);
            if (p == null) {
                throw bad;
            }
            pmin = (int) p.value();
            n = p.end();
            if (CParse.at(s, n) == '-') {
                CParse.Num q = CParse.scanUnsigned(s, n + 1, 10, 16);
                if (q == null || q.value() < pmin) {
                    throw bad;
                }
                pmax = (int) q.value();
                n = q.end();
            }
        }
        if (n != s.length()) {
            throw new OfctlParseException("garbage (" + s.substring(n) + ") after nat range \"" + s + "\" (pos: " + n
                    + ")", s.substring(n));
        }
        return new Ofpact.Nat(0, af, min, max, pmin, pmax);
    }

    /** {@code IPV6_SCAN_FMT}, else {@code "[" IPV6_SCAN_FMT "]"}: the scanned text, or null if neither scans. */
    private static String scanNatIpv6(String s, int from, int[] end) {
        int n = FieldValues.scanIpv6Chars(s, from);
        if (n > 0) {
            end[0] = from + n;
            return s.substring(from, from + n);
        }
        if (CParse.at(s, from) == '[') {
            int m = FieldValues.scanIpv6Chars(s, from + 1);
            if (m > 0 && CParse.at(s, from + 1 + m) == ']') {
                end[0] = from + m + 2;
                return s.substring(from + 1, from + 1 + m);
            }
        }
        return null;
    }

    private static int compareUnsigned(byte[] a, byte[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
