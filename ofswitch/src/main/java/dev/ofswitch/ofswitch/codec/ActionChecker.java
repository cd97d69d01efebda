package dev.ofswitch.ofswitch.codec;

import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_SET_ARGUMENT;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_MATCH_INCONSISTENT;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBIC_BAD_TABLE_ID;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import dev.ofswitch.ofswitch.flow.Prerequisite;
import java.util.List;

/**
 * Checks a flow's actions against its match, as OVS's {@code ofpacts_check_consistency()} ({@code lib/ofp-actions.c})
 * does when a FLOW_MOD (or PACKET_OUT) is decoded.
 *
 * <p>The checker walks the actions in OVS's flattened order (apply-actions, then write-actions on a copy of the
 * match, then goto-table) and keeps a working copy of the match that actions change as they would change the packet
 * (push/pop VLAN and MPLS, set_field of vlan_tci). Errors:
 * <ul>
 *   <li>set_field, load, move and output_reg on a field whose prerequisites the (working) match does not state, or
 *       set_field of vlan_vid without a VLAN: OFPBAC_MATCH_INCONSISTENT, in every version;</li>
 *   <li>set_field or load of ct_mark / ct_label outside {@code ct(exec(...))}: OFPBAC_BAD_SET_ARGUMENT ("cannot set
 *       CT fields outside of ct action");</li>
 *   <li>the OpenFlow 1.0-style rewrites (set_nw_src, set_tp_dst, set_vlan_vid, MPLS TTL, dec_ttl, ...) without the
 *       match they need: tolerated in OpenFlow 1.0, OFPBAC_MATCH_INCONSISTENT in 1.1+ (OVS's
 *       {@code inconsistent_match()} narrows the usable protocols to OpenFlow 1.0);</li>
 *   <li>goto_table to a table not after the flow's own: OFPBIC_BAD_TABLE_ID.</li>
 * </ul>
 */
public final class ActionChecker {
    private ActionChecker() {
    }

    /**
     * Checks {@code ins} against {@code match} for a flow in table {@code tableId} (255: unknown, as OpenFlow 1.0
     * without the table-id extension).
     */
    public static void check(Instructions ins, Match match, int tableId, int version) throws OpenFlowException {
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        match.toKey(v, m);
        for (Instruction i : ins.list()) {
            if (i instanceof Instruction.ApplyActions) {
                checkActions(((Instruction.ApplyActions) i).actions().actions(), v, m, version);
            }
        }
        for (Instruction i : ins.list()) {
            if (i instanceof Instruction.WriteActions) {
                checkActions(((Instruction.WriteActions) i).actions().actions(), v.clone(), m.clone(), version);
            }
        }
        int goTo = ins.gotoTable();
        if (goTo >= 0 && tableId != 255 && goTo <= tableId) {
            throw new OpenFlowException(OFPBIC_BAD_TABLE_ID, "goto_table " + goTo + " from table " + tableId);
        }
    }

    /** Checks a bare action list (PACKET_OUT, group buckets) against a match. */
    public static void checkActions(List<Action> actions, Match match, int version) throws OpenFlowException {
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        match.toKey(v, m);
        checkActions(actions, v, m, version);
    }

    /**
     * Checks a PACKET_OUT's actions against the packet itself, as OVS's {@code ofproto_packet_out_init()} does
     * ({@code match_wc_init()} of the extracted flow, then {@code ofpacts_check_consistency()}): {@code packetKey}
     * is the packet's flow key, taken as an exact match.
     */
    public static void checkPacketActions(List<Action> actions, long[] packetKey, int version)
            throws OpenFlowException {
        long[] m = FlowKey.newKey();
        java.util.Arrays.fill(m, -1L);
        checkActions(actions, packetKey.clone(), m, version);
    }

    private static void checkActions(List<Action> actions, long[] v, long[] m, int version)
            throws OpenFlowException {
        boolean strict = version != OfVersion.OF10;
        for (Action a : actions) {
            if (a instanceof Action.SetField) {
                checkSet(((Action.SetField) a).entry(), v, m);
            } else if (a instanceof Action.RegLoad2) {
                checkSet(((Action.RegLoad2) a).entry(), v, m);
            } else if (a instanceof Action.RegLoad) {
                MatchField f = ((Action.RegLoad) a).dst();
                checkCt(f);
                prereq(f, v, m);
            } else if (a instanceof Action.Move) {
                prereq(((Action.Move) a).src(), v, m);
                prereq(((Action.Move) a).dst(), v, m);
            } else if (a instanceof Action.StackPush) {
                prereq(((Action.StackPush) a).field(), v, m);
            } else if (a instanceof Action.StackPop) {
                prereq(((Action.StackPop) a).field(), v, m);
            } else if (a instanceof Action.OutputReg) {
                prereq(((Action.OutputReg) a).src(), v, m);
            } else if (a instanceof Action.SetLegacy) {
                if (strict) {
                    legacy((Action.SetLegacy) a, v, m);
                }
            } else if (a instanceof Action.SetNwTtl || a instanceof Action.DecTtl) {
                if (strict) {
                    need(Prerequisite.IP_ANY.isMet(v, m), a);
                }
            } else if (a instanceof Action.SetMplsTtl || a instanceof Action.DecMplsTtl) {
                if (strict) {
                    need(Prerequisite.MPLS.isMet(v, m), a);
                }
            } else if (a instanceof Action.PopMpls) {
                if (strict) {
                    need(Prerequisite.MPLS.isMet(v, m), a);
                }
                FlowKey.setMasked(v, m, MatchField.ETH_TYPE, ((Action.PopMpls) a).ethertype(), 0xffff);
            } else if (a instanceof Action.PushMpls) {
                FlowKey.setMasked(v, m, MatchField.ETH_TYPE, ((Action.PushMpls) a).ethertype(), 0xffff);
            } else if (a instanceof Action.PushVlan) {
                long tci = FlowKey.get(v, MatchField.VLAN_TCI) | 0x1000;
                FlowKey.setMasked(v, m, MatchField.VLAN_TCI, tci, FlowKey.get(m, MatchField.VLAN_TCI) | 0x1000);
            } else if (a instanceof Action.PopVlan) {
                FlowKey.setMasked(v, m, MatchField.VLAN_TCI, 0, 0xffff);
            } else if (a instanceof Action.Conntrack) {
                checkConntrack(((Action.Conntrack) a).ct(), v, m);
            } else if (a instanceof Action.Nat) {
                // OVS ofpacts_verify_nested(): "Cannot have NAT action outside of \"ct\" action".
                throw new OpenFlowException(OFPBAC_BAD_SET_ARGUMENT, "nat outside ct");
            }
        }
    }

    /**
     * OVS {@code check_CT()}: the match must say IPv4 or IPv6, a commit cannot match +inv, an FTP ALG needs TCP and a
     * TFTP ALG UDP (all OFPBAC_MATCH_INCONSISTENT), and the zone's source field must be usable here.
     */
    private static void checkConntrack(dev.ofswitch.ctactions.CtAction ct, long[] v, long[] m)
            throws OpenFlowException {
        if (!Prerequisite.IP_ANY.isMet(v, m)) {
            throw new OpenFlowException(OFPBAC_MATCH_INCONSISTENT, "ct() needs an ip or ipv6 match");
        }
        if (ct.commit() && (FlowKey.get(v, MatchField.CT_STATE) & FlowKey.get(m, MatchField.CT_STATE) & 0x10) != 0) {
            throw new OpenFlowException(OFPBAC_MATCH_INCONSISTENT, "ct(commit) on +inv");
        }
        long proto = FlowKey.isExact(m, MatchField.IP_PROTO) ? FlowKey.get(v, MatchField.IP_PROTO) : -1;
        if ((ct.alg() == 21 && proto != 6) || (ct.alg() == 69 && proto != 17)) {
            throw new OpenFlowException(OFPBAC_MATCH_INCONSISTENT, "ct(alg) needs the matching transport");
        }
        if (ct.zoneSource() instanceof MatchField f) {
            prereq(f, v, m);
        }
        if (ct.nat() != null) {
            // OVS check_NAT(): the flow's dl_type must be IP, and the range's family must be that IP version.
            long dlType = FlowKey.get(v, MatchField.ETH_TYPE) & FlowKey.get(m, MatchField.ETH_TYPE);
            int family = ct.nat().family();
            if ((dlType != 0x0800 && dlType != 0x86dd) || (family == 4 && dlType != 0x0800)
                    || (family == 6 && dlType != 0x86dd)) {
                throw new OpenFlowException(OFPBAC_MATCH_INCONSISTENT, "nat range of another IP version");
            }
        }
    }

    private static void checkSet(MatchEntry e, long[] v, long[] m) throws OpenFlowException {
        MatchField f = e.field();
        checkCt(f);
        prereq(f, v, m);
        if (f == MatchField.VLAN_VID && (FlowKey.get(v, MatchField.VLAN_TCI) & 0x1000) == 0) {
            throw new OpenFlowException(OFPBAC_MATCH_INCONSISTENT, "set_field vlan_vid without a VLAN");
        }
        if (f == MatchField.VLAN_TCI) {
            FlowKey.setMasked(v, m, MatchField.VLAN_TCI, e.value(), 0xffff);
        }
    }

    private static void checkCt(MatchField f) throws OpenFlowException {
        if (f == MatchField.CT_MARK || f == MatchField.CT_LABEL) {
            throw new OpenFlowException(OFPBAC_BAD_SET_ARGUMENT, "cannot set CT fields outside of ct action");
        }
    }

    private static void prereq(MatchField f, long[] v, long[] m) throws OpenFlowException {
        if (!f.prerequisite().isMet(v, m)) {
            throw new OpenFlowException(OFPBAC_MATCH_INCONSISTENT, f.ovsName() + " lacks correct prerequisites");
        }
    }

    private static void need(boolean ok, Action a) throws OpenFlowException {
        if (!ok) {
            throw new OpenFlowException(OFPBAC_MATCH_INCONSISTENT, a + " inconsistent with the match");
        }
    }

    private static void legacy(Action.SetLegacy a, long[] v, long[] m) throws OpenFlowException {
        switch (a.field()) {
            case IPV4_SRC:
            case IPV4_DST:
                need(Prerequisite.IPV4.isMet(v, m), a);
                break;
            case NW_TOS:
            case IP_ECN:
                need(Prerequisite.IP_ANY.isMet(v, m), a);
                break;
            case TCP_SRC:
            case TCP_DST: {
                long proto = FlowKey.get(v, MatchField.IP_PROTO);
                need(Prerequisite.IP_ANY.isMet(v, m) && (proto == 6 || proto == 17 || proto == 132)
                        && (FlowKey.get(v, MatchField.IP_FRAG) & 2) == 0, a);
                break;
            }
            case VLAN_VID:
            case VLAN_PCP:
                need((FlowKey.get(v, MatchField.VLAN_TCI) & 0x1000) != 0, a);
                break;
            case MPLS_LABEL:
            case MPLS_TC:
                need(Prerequisite.MPLS.isMet(v, m), a);
                break;
            default:
                break;
        }
    }
}
