package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.conntrack.Addresses;
import dev.ofswitch.ctactions.CtAction;
import dev.ofswitch.ctactions.NatSpec;
import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.codec.CtActionDecoder;
import dev.ofswitch.ofswitch.codec.Instruction;
import dev.ofswitch.ofswitch.codec.Instructions;
import dev.ofswitch.ofswitch.codec.MatchEntry;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.List;
import java.util.Map;

/**
 * Instructions and actions as ovs-ofctl prints them, following OVS 3.1's {@code ofpacts_format()} and the
 * {@code format_*()} function of each action in {@code lib/ofp-actions.c}.
 *
 * <h2>The wire form decides the words</h2>
 * ovs-ofctl prints what it decoded, and OVS keeps each action's raw wire type: {@code NXAST_REG_LOAD} prints as
 * {@code load:V->NXM_..[a..b]} (that is how ovs-ofctl sends a masked set_field in OpenFlow 1.0-1.4, hence
 * {@code load:0x1->NXM_NX_CT_MARK[4..7]} for {@code set_field:0x10/0xf0->ct_mark}), while OFPAT_SET_FIELD and
 * {@code NXAST_REG_LOAD2} print as {@code set_field:V[/M]->field}; OpenFlow 1.0's {@code OFPAT_SET_VLAN_VID} prints
 * as {@code mod_vlan_vid} and 1.1's as {@code set_vlan_vid}; {@code OFPAT10_STRIP_VLAN} as {@code strip_vlan} and
 * OFPAT_POP_VLAN as {@code pop_vlan}; an output to CONTROLLER as {@code CONTROLLER:max_len}.
 *
 * <h2>Instruction order</h2>
 * OVS turns instructions into one action list in a fixed order whatever the wire order was
 * ({@code ofpacts_pull_openflow_instructions()}): meter, the apply-actions, clear_actions,
 * write_actions(...), write_metadata, goto_table. An empty list prints as {@code drop}.
 */
final class ActionFormatter {
    /** {@code OFPR_ACTION}: the packet-in reason that {@code controller} without {@code reason=} uses. */
    private static final int OFPR_ACTION = 1;

    private ActionFormatter() {
    }

    /** Appends a flow's instructions (OpenFlow 1.0: its actions). */
    static void format(StringBuilder s, Instructions ins, Map<Integer, String> ports, Map<Integer, String> tables) {
        // OpenFlow 1.0's action list is one apply-actions (plus a trailing NXAST_WRITE_METADATA as write-metadata).
        StringBuilder b = new StringBuilder();
        for (int kind : new int[] {6, 4, 5, 3, 2, 1}) {
            for (Instruction i : ins.list()) {
                if (kindOf(i) == kind) {
                    instruction(b, i, ports, tables);
                }
            }
        }
        s.append(b.length() == 0 ? "drop" : b);
    }

    /** The OpenFlow instruction type, which is also the index of OVS's {@code OVSINST_*} order above. */
    private static int kindOf(Instruction i) {
        if (i instanceof Instruction.GotoTable) {
            return 1;
        } else if (i instanceof Instruction.WriteMetadata) {
            return 2;
        } else if (i instanceof Instruction.WriteActions) {
            return 3;
        } else if (i instanceof Instruction.ApplyActions) {
            return 4;
        } else if (i instanceof Instruction.ClearActions) {
            return 5;
        }
        return 6;
    }

    /** Appends one instruction to {@code b}, which holds only what this flow's instructions printed so far. */
    private static void instruction(StringBuilder b, Instruction i, Map<Integer, String> ports,
                                    Map<Integer, String> tables) {
        if (i instanceof Instruction.ApplyActions a) {
            if (!a.actions().actions().isEmpty()) {
                comma(b);
                actions(b, a.actions().actions(), a.actions().version(), ports, tables);
            }
            return;
        }
        comma(b);
        if (i instanceof Instruction.Meter m) {
            b.append("meter:").append(m.meterId());
        } else if (i instanceof Instruction.ClearActions) {
            b.append("clear_actions");
        } else if (i instanceof Instruction.WriteActions w) {
            b.append("write_actions(");
            int at = b.length();
            actions(b, w.actions().actions(), w.actions().version(), ports, tables);
            if (b.length() == at) {
                b.append("drop");
            }
            b.append(')');
        } else if (i instanceof Instruction.WriteMetadata w) {
            b.append("write_metadata:").append(Text.hex0x(w.metadata()));
            if (w.mask() != -1L) {
                b.append('/').append(Text.hex0x(w.mask()));
            }
        } else if (i instanceof Instruction.GotoTable g) {
            b.append("goto_table:");
            Text.putTable(b, g.tableId(), tables);
        }
    }

    private static void comma(StringBuilder b) {
        if (b.length() > 0) {
            b.append(',');
        }
    }

    /** Appends {@code actions} (wire version {@code version}) separated by commas; nothing for an empty list. */
    static void actions(StringBuilder s, List<Action> actions, int version, Map<Integer, String> ports,
                        Map<Integer, String> tables) {
        boolean first = true;
        for (Action a : actions) {
            if (!first) {
                s.append(',');
            }
            first = false;
            action(s, a, version, ports, tables);
        }
    }

    private static void action(StringBuilder s, Action a, int version, Map<Integer, String> ports,
                               Map<Integer, String> tables) {
        boolean of10 = version == OfVersion.OF10;
        if (a instanceof Action.Output o) {
            if (o.port() < Action.OFPP_MAX) {
                s.append("output:");
            }
            Text.putPort(s, o.port(), ports);
            if (o.port() == Action.OFPP_CONTROLLER) {
                s.append(':').append(o.maxLen());
            }
        } else if (a instanceof Action.Group g) {
            s.append("group:").append(g.groupId());
        } else if (a instanceof Action.SetQueue q) {
            s.append("set_queue:").append(q.queueId());
        } else if (a instanceof Action.Enqueue q) {
            s.append("enqueue:");
            Text.putPort(s, q.port(), ports);
            s.append(':').append(q.queueId());
        } else if (a instanceof Action.SetField f) {
            setField(s, f.entry(), ports);
        } else if (a instanceof Action.RegLoad2 r) {
            setField(s, r.entry(), ports);
        } else if (a instanceof Action.RegLoad r) {
            s.append("load:").append(Text.hex0x(r.value())).append("->");
            Text.putSubfield(s, r.dst(), r.ofs(), r.nBits());
        } else if (a instanceof Action.Move m) {
            s.append("move:");
            Text.putSubfield(s, m.src(), m.srcOfs(), m.nBits());
            s.append("->");
            Text.putSubfield(s, m.dst(), m.dstOfs(), m.nBits());
        } else if (a instanceof Action.StackPush p) {
            s.append("push:");
            Text.putSubfield(s, p.field(), p.ofs(), p.nBits());
        } else if (a instanceof Action.StackPop p) {
            s.append("pop:");
            Text.putSubfield(s, p.field(), p.ofs(), p.nBits());
        } else if (a instanceof Action.PushVlan p) {
            s.append("push_vlan:").append(Text.hex0x(p.ethertype()));
        } else if (a instanceof Action.PopVlan) {
            s.append(of10 ? "strip_vlan" : "pop_vlan");
        } else if (a instanceof Action.PushMpls p) {
            s.append("push_mpls:0x").append(String.format("%04x", p.ethertype()));
        } else if (a instanceof Action.PopMpls p) {
            s.append("pop_mpls:0x").append(String.format("%04x", p.ethertype()));
        } else if (a instanceof Action.DecTtl d) {
            // As OVS format_DEC_TTL(): the ids in parentheses for NXAST_DEC_TTL_CNT_IDS only.
            s.append("dec_ttl");
            if (d.cntIds()) {
                s.append('(');
                for (int i = 0; i < d.controllerIds().size(); i++) {
                    s.append(i > 0 ? "," : "").append(d.controllerIds().get(i));
                }
                s.append(')');
            }
        } else if (a instanceof Action.SetNwTtl t) {
            s.append("mod_nw_ttl:").append(t.ttl());
        } else if (a instanceof Action.SetMplsTtl t) {
            s.append("set_mpls_ttl(").append(t.ttl()).append(')');
        } else if (a instanceof Action.DecMplsTtl) {
            s.append("dec_mpls_ttl");
        } else if (a instanceof Action.SetLegacy l) {
            legacy(s, l, of10);
        } else if (a instanceof Action.Resubmit r) {
            resubmit(s, r, ports, tables);
        } else if (a instanceof Action.Note n) {
            s.append("note:");
            Text.putHexArg(s, n.data());
        } else if (a instanceof Action.SetTunnel t) {
            s.append("set_tunnel").append(t.wide() || (t.tunId() >>> 32) != 0 ? "64" : "").append(':')
                    .append(Text.hex0x(t.tunId()));
        } else if (a instanceof Action.PopQueue) {
            s.append("pop_queue");
        } else if (a instanceof Action.Exit) {
            s.append("exit");
        } else if (a instanceof Action.Conjunction c) {
            s.append("conjunction(").append(c.id()).append(',').append(c.clause() + 1).append('/')
                    .append(c.nClauses()).append(')');
        } else if (a instanceof Action.OutputReg o) {
            s.append("output:");
            Text.putSubfield(s, o.src(), o.ofs(), o.nBits());
        } else if (a instanceof Action.Controller c) {
            controller(s, c);
        } else if (a instanceof Action.Conntrack c) {
            conntrack(s, c.ct(), version, ports, tables);
        } else if (a instanceof Action.CtClear) {
            s.append("ct_clear");
        } else if (a instanceof Action.Nat n) {
            nat(s, n.nat());
        } else if (a instanceof Action.Meter m) {
            s.append("meter:").append(m.meterId());
        } else {
            throw new IllegalArgumentException("no text form for " + a);
        }
    }

    /** As OVS {@code format_SET_FIELD()} for a set_field / reg_load2: {@code set_field:VALUE[/MASK]->name}. */
    private static void setField(StringBuilder s, MatchEntry e, Map<Integer, String> ports) {
        s.append("set_field:");
        Text.putField(s, e.field(), e.valueBytes(), e.maskBytes(), ports);
        s.append("->").append(e.field().ovsName());
    }

    /** The pre-set_field rewrites ({@code format_SET_VLAN_VID()}, {@code format_SET_ETH_SRC()}, ...). */
    private static void legacy(StringBuilder s, Action.SetLegacy l, boolean of10) {
        long v = l.value();
        switch (l.field()) {
            case VLAN_VID:
                // OpenFlow 1.0's form pushes a tag if there is none (OVS push_vlan_if_needed).
                s.append(of10 ? "mod_vlan_vid:" : "set_vlan_vid:").append(v);
                break;
            case VLAN_PCP:
                s.append(of10 ? "mod_vlan_pcp:" : "set_vlan_pcp:").append(v);
                break;
            case ETH_SRC:
            case ETH_DST:
                s.append(l.field() == MatchField.ETH_SRC ? "mod_dl_src:" : "mod_dl_dst:");
                Text.putEth(s, v);
                break;
            case IPV4_SRC:
            case IPV4_DST:
                s.append(l.field() == MatchField.IPV4_SRC ? "mod_nw_src:" : "mod_nw_dst:")
                        .append(Addresses.ipv4(v));
                break;
            case NW_TOS:
                s.append("mod_nw_tos:").append(v);
                break;
            case IP_ECN:
                s.append("mod_nw_ecn:").append(v);
                break;
            case TCP_SRC:
                s.append("mod_tp_src:").append(v);
                break;
            case TCP_DST:
                s.append("mod_tp_dst:").append(v);
                break;
            case MPLS_LABEL:
                s.append("set_mpls_label(").append(v).append(')');
                break;
            case MPLS_TC:
                s.append("set_mpls_tc(").append(v).append(')');
                break;
            default:
                throw new IllegalArgumentException("no text form for " + l);
        }
    }

    /** As OVS {@code format_RESUBMIT()}: {@code resubmit:PORT} or {@code resubmit([PORT],[TABLE][,ct])}. */
    private static void resubmit(StringBuilder s, Action.Resubmit r, Map<Integer, String> ports,
                                 Map<Integer, String> tables) {
        if (r.inPort() != Action.OFPP_IN_PORT && r.table() == 255) {
            s.append("resubmit:");
            Text.putPort(s, r.inPort(), ports);
            return;
        }
        s.append("resubmit(");
        if (r.inPort() != Action.OFPP_IN_PORT) {
            Text.putPort(s, r.inPort(), ports);
        }
        s.append(',');
        if (r.table() != 255) {
            Text.putTable(s, r.table(), tables);
        }
        if (r.withCtOrig()) {
            s.append(",ct");
        }
        s.append(')');
    }

    /**
     * As OVS {@code format_CONTROLLER()}: {@code CONTROLLER:max_len} when only max_len differs from the defaults,
     * else {@code controller(reason=..,max_len=..,id=..,userdata=..,pause,meter_id=..)} listing what is not default.
     */
    private static void controller(StringBuilder s, Action.Controller c) {
        byte[] userdata = c.userdata();
        boolean hasUserdata = userdata != null && userdata.length > 0;
        if (c.reason() == OFPR_ACTION && c.controllerId() == 0 && !hasUserdata && !c.pause() && c.meterId() < 0) {
            s.append("CONTROLLER:").append(c.maxLen());
            return;
        }
        s.append("controller(");
        int start = s.length();
        if (c.reason() != OFPR_ACTION) {
            s.append("reason=").append(reason(c.reason())).append(',');
        }
        if (c.maxLen() != 0xffff) {
            s.append("max_len=").append(c.maxLen()).append(',');
        }
        if (c.controllerId() != 0) {
            s.append("id=").append(c.controllerId()).append(',');
        }
        if (hasUserdata) {
            s.append("userdata=");
            Text.putHexArg(s, userdata);
            s.append(',');
        }
        if (c.pause()) {
            s.append("pause,");
        }
        if (c.meterId() >= 0) {
            s.append("meter_id=").append(c.meterId()).append(',');
        }
        if (s.length() > start) {
            s.setLength(s.length() - 1);
        }
        s.append(')');
    }

    /** As OVS {@code ofputil_packet_in_reason_to_string()}. */
    private static String reason(int r) {
        switch (r) {
            case 0:
                return "no_match";
            case 1:
                return "action";
            case 2:
                return "invalid_ttl";
            case 3:
                return "action_set";
            case 4:
                return "group";
            case 5:
                return "packet_out";
            default:
                return Integer.toString(r);
        }
    }

    /**
     * As OVS {@code format_CT()}: {@code ct(commit,force,table=N,zone=Z,nat(...),exec(...),alg=A)} with only what is
     * set. A nat(...) that is the first nested action prints outside exec(...); the nested actions are decoded again
     * from the action's bytes so that each keeps its own wire form (load or set_field).
     */
    private static void conntrack(StringBuilder s, CtAction ct, int version, Map<Integer, String> ports,
                                  Map<Integer, String> tables) {
        s.append("ct(");
        int start = s.length();
        if (ct.commit()) {
            s.append("commit,");
        }
        if (ct.force()) {
            s.append("force,");
        }
        if (ct.recirculates()) {
            s.append("table=");
            Text.putTable(s, ct.recircTable(), tables);
            s.append(',');
        }
        if (ct.zoneSrcHeader() != 0) {
            s.append("zone=");
            Text.putSubfield(s, (MatchField) ct.zoneSource(), ct.zoneOfs(), ct.zoneNBits());
            s.append(',');
        } else if (ct.zoneImm() != 0) {
            s.append("zone=").append(ct.zoneImm()).append(',');
        }
        List<Action> nested = CtActionDecoder.nestedActions(ct, version);
        int from = 0;
        if (!nested.isEmpty() && nested.get(0) instanceof Action.Nat n) {
            nat(s, n.nat());
            s.append(',');
            from = 1;
        }
        if (from < nested.size()) {
            s.append("exec(");
            actions(s, nested.subList(from, nested.size()), version, ports, tables);
            s.append("),");
        }
        switch (ct.alg()) {
            case 0:
                break;
            case 21:
                s.append("alg=ftp,");
                break;
            case 69:
                s.append("alg=tftp,");
                break;
            default:
                s.append("alg=").append(ct.alg()).append(',');
                break;
        }
        if (s.length() > start && s.charAt(s.length() - 1) == ',') {
            s.setLength(s.length() - 1);
        }
        s.append(')');
    }

    /**
     * As OVS {@code format_NAT()}: {@code nat}, {@code nat(src)}/{@code nat(dst)}, or with a range
     * {@code nat(src|dst=ADDR[-ADDR][:PORT[-PORT]][,persistent][,hash][,random])}.
     */
    private static void nat(StringBuilder s, NatSpec n) {
        s.append("nat");
        if (!n.isSrc() && !n.isDst()) {
            return;
        }
        s.append('(').append(n.isSrc() ? "src" : "dst");
        if (n.family() != 0) {
            s.append('=');
            if (n.family() == 4) {
                s.append(Addresses.ipv4(n.addrMinLo()));
                if (n.addrMaxLo() != 0 && n.addrMaxLo() != n.addrMinLo()) {
                    s.append('-').append(Addresses.ipv4(n.addrMaxLo()));
                }
            } else {
                boolean bracket = n.portMin() != 0;
                ipv6(s, n.addrMinHi(), n.addrMinLo(), bracket);
                if ((n.addrMaxHi() != 0 || n.addrMaxLo() != 0)
                        && (n.addrMaxHi() != n.addrMinHi() || n.addrMaxLo() != n.addrMinLo())) {
                    s.append('-');
                    ipv6(s, n.addrMaxHi(), n.addrMaxLo(), bracket);
                }
            }
            if (n.portMin() != 0) {
                s.append(':').append(n.portMin());
                if (n.portMax() != 0 && n.portMax() != n.portMin()) {
                    s.append('-').append(n.portMax());
                }
            }
            // The flags print only with a range, as in OVS.
            s.append(',');
            if ((n.flags() & NatSpec.F_PERSISTENT) != 0) {
                s.append("persistent,");
            }
            if ((n.flags() & NatSpec.F_PROTO_HASH) != 0) {
                s.append("hash,");
            }
            if ((n.flags() & NatSpec.F_PROTO_RANDOM) != 0) {
                s.append("random,");
            }
            s.setLength(s.length() - 1);
        }
        s.append(')');
    }

    private static void ipv6(StringBuilder s, long hi, long lo, boolean bracket) {
        if (bracket) {
            s.append('[').append(Addresses.ipv6(hi, lo)).append(']');
        } else {
            s.append(Addresses.ipv6(hi, lo));
        }
    }
}
