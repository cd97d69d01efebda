package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import dev.ofswitch.ofswitch.flow.Prerequisite;
import java.util.List;

/**
 * OVS 3.1's {@code ofpacts_check()} ({@code lib/ofp-actions.c}) as ovs-ofctl runs it after parsing: walks the
 * actions with a copy of the match that the actions change (push/pop VLAN and MPLS, set_field of vlan_tci), and
 * either fails with an OpenFlow error name or removes from the usable protocols those that need the match and the
 * actions to agree (everything but OpenFlow 1.0, whose switches silently ignore inconsistent actions).
 */
final class ActionCheck {
    private ActionCheck() {
    }

    /** OVS {@code FLOW_MAX_VLAN_HEADERS}. */
    private static final int MAX_VLANS = 2;
    private static final int CFI = 0x1000;
    private static final long OFPM13_MAX = 0xffff0000L;

    /** What the check walks: the match's values (changed by the actions) and masks. */
    private static final class Flow {
        final long[] values;
        final long[] masks;
        final int[] vlans = new int[MAX_VLANS];
        final int tableId;
        int usable;

        Flow(MatchState m, int tableId, int usable) {
            this.values = m.values.clone();
            this.masks = m.masks;
            this.vlans[0] = (int) FlowKey.get(values, MatchField.VLAN_TCI);
            this.tableId = tableId;
            this.usable = usable;
        }

        int dlType() {
            return (int) FlowKey.get(values, MatchField.ETH_TYPE);
        }

        boolean isIpAny() {
            int t = dlType();
            return t == Prerequisite.ETH_TYPE_IP || t == Prerequisite.ETH_TYPE_IPV6;
        }

        void inconsistent() {
            usable &= Protocols.OF10_ANY;
        }

        void syncVlan() {
            FlowKey.set(values, MatchField.VLAN_TCI, vlans[0] & 0xffff);
        }
    }

    /**
     * Checks {@code ofpacts} against {@code match}; {@code usable[0]} is narrowed in place.
     *
     * @return null if the actions are consistent enough, else the OpenFlow error name OVS reports
     */
    static String check(List<Ofpact> ofpacts, MatchState match, int tableId, int[] usable) {
        Flow f = new Flow(match, tableId, usable[0]);
        String err = check(ofpacts, f);
        usable[0] = f.usable;
        return err;
    }

    private static String check(List<Ofpact> ofpacts, Flow f) {
        // OVS saves dl_type, nw_proto and the VLANs and restores them after the walk.
        long[] saved = f.values.clone();
        int[] savedVlans = f.vlans.clone();
        try {
            for (Ofpact a : ofpacts) {
                String e = checkOne(a, f);
                if (e != null) {
                    return e;
                }
            }
            return null;
        } finally {
            System.arraycopy(saved, 0, f.values, 0, saved.length);
            System.arraycopy(savedVlans, 0, f.vlans, 0, savedVlans.length);
        }
    }

    private static String checkOne(Ofpact a, Flow f) {
        int dlType = f.dlType();
        if (a instanceof Ofpact.Output o) {
            return checkOutputPort(o.port());
        } else if (a instanceof Ofpact.Enqueue e) {
            int p = e.port();
            return p >= Action.OFPP_MAX && p != Action.OFPP_IN_PORT && p != Action.OFPP_LOCAL
                    ? "OFPBAC_BAD_OUT_PORT" : null;
        } else if (a instanceof Ofpact.OutputReg r) {
            return checkSrc(r.src(), f);
        } else if (a instanceof Ofpact.SetVlanVid v) {
            if ((f.vlans[0] & CFI) == 0 && !v.pushIfNeeded()) {
                f.inconsistent();
            }
            f.vlans[0] |= CFI;
            f.syncVlan();
        } else if (a instanceof Ofpact.SetVlanPcp v) {
            if ((f.vlans[0] & CFI) == 0 && !v.pushIfNeeded()) {
                f.inconsistent();
            }
            f.vlans[0] |= CFI;
            f.syncVlan();
        } else if (a instanceof Ofpact.StripVlan) {
            if ((f.vlans[0] & CFI) == 0) {
                f.inconsistent();
            }
            f.vlans[0] = f.vlans[1];
            f.vlans[1] = 0;
            f.syncVlan();
        } else if (a instanceof Ofpact.PushVlan) {
            if ((f.vlans[MAX_VLANS - 1] & CFI) != 0) {
                return "OFPBAC_BAD_TAG";
            }
            f.vlans[1] = f.vlans[0];
            f.vlans[0] = CFI;
            f.syncVlan();
        } else if (a instanceof Ofpact.SetIpv4) {
            if (dlType != Prerequisite.ETH_TYPE_IP) {
                f.inconsistent();
            }
        } else if (a instanceof Ofpact.SetIpDscp || a instanceof Ofpact.SetIpEcn || a instanceof Ofpact.SetIpTtl
                || a instanceof Ofpact.DecTtl) {
            if (!f.isIpAny()) {
                f.inconsistent();
            }
        } else if (a instanceof Ofpact.SetL4Port) {
            long proto = FlowKey.get(f.values, MatchField.IP_PROTO);
            boolean later = (FlowKey.get(f.values, MatchField.IP_FRAG) & 2) != 0;
            if (!f.isIpAny() || later || (proto != 6 && proto != 17 && proto != 132)) {
                f.inconsistent();
            }
        } else if (a instanceof Ofpact.RegMove m) {
            String e = checkSrc(m.src(), f);
            return e != null ? e : checkDst(m.dst(), f);
        } else if (a instanceof Ofpact.SetField s) {
            MatchField mf = s.field().field();
            boolean prereqs = s.field() == OvsField.DL_VLAN || s.field() == OvsField.DL_VLAN_PCP
                    || mf.prerequisite().isMet(f.values, f.masks);
            if (!prereqs || (mf == MatchField.VLAN_VID && (f.vlans[0] & CFI) == 0)) {
                return "OFPBAC_MATCH_INCONSISTENT";
            }
            if (mf == MatchField.VLAN_TCI) {
                f.vlans[0] = (int) FieldValues.toLong(s.value());
                f.syncVlan();
            }
        } else if (a instanceof Ofpact.Stack st) {
            return st.push() ? checkSrc(st.field(), f) : checkDst(st.field(), f);
        } else if (a instanceof Ofpact.Mpls) {
            if (!isMpls(dlType)) {
                f.inconsistent();
            }
        } else if (a instanceof Ofpact.Resubmit r) {
            if (r.ct() && !Prerequisite.CT_VALID.isMet(f.values, f.masks)) {
                return "OFPBAC_MATCH_INCONSISTENT";
            }
        } else if (a instanceof Ofpact.PushPopMpls p) {
            if (p.push()) {
                FlowKey.set(f.values, MatchField.ETH_TYPE, p.ethertype());
                FlowKey.set(f.values, MatchField.IP_PROTO, 0);
            } else {
                if (!isMpls(dlType)) {
                    f.inconsistent();
                }
                FlowKey.set(f.values, MatchField.ETH_TYPE, p.ethertype());
            }
        } else if (a instanceof Ofpact.Ct ct) {
            long state = FlowKey.get(f.values, MatchField.CT_STATE);
            long proto = FlowKey.get(f.values, MatchField.IP_PROTO);
            if (!(dlType == Prerequisite.ETH_TYPE_IP || dlType == Prerequisite.ETH_TYPE_IPV6)
                    || ((state & Prerequisite.CtBits.INV) != 0 && (ct.flags() & ActionParser.CT_COMMIT) != 0)
                    || (ct.alg() == 21 && proto != 6) || (ct.alg() == 69 && proto != 17)) {
                return "OFPBAC_MATCH_INCONSISTENT";
            }
            if (ct.zoneSrc() != null) {
                // As OVS: with a zone from a field, only the field is checked, not the nested actions.
                return checkSrc(ct.zoneSrc(), f);
            }
            return check(ct.actions(), f);
        } else if (a instanceof Ofpact.Nat n) {
            if (!(dlType == Prerequisite.ETH_TYPE_IP || dlType == Prerequisite.ETH_TYPE_IPV6)
                    || (n.af() == 4 && dlType != Prerequisite.ETH_TYPE_IP)
                    || (n.af() == 6 && dlType != Prerequisite.ETH_TYPE_IPV6)) {
                return "OFPBAC_MATCH_INCONSISTENT";
            }
        } else if (a instanceof Ofpact.WriteActions w) {
            // An action set's consistency cannot be checked: the narrowing is not kept, errors are.
            int saved = f.usable;
            String e = check(w.actions(), f);
            f.usable = saved;
            return e;
        } else if (a instanceof Ofpact.Meter m) {
            return m.id() == 0 || m.id() > OFPM13_MAX ? "OFPMMFC_INVALID_METER" : null;
        } else if (a instanceof Ofpact.GotoTable g) {
            return f.tableId != 255 && g.table() <= f.tableId ? "OFPBIC_BAD_TABLE_ID" : null;
        }
        return null;
    }

    private static boolean isMpls(int dlType) {
        return dlType == Prerequisite.ETH_TYPE_MPLS || dlType == Prerequisite.ETH_TYPE_MPLS_MCAST;
    }

    /** OVS {@code ofpact_check_output_port()} with max_ports = OFPP_MAX. */
    static String checkOutputPort(int port) {
        switch (port) {
            case Action.OFPP_IN_PORT: case Action.OFPP_TABLE: case Action.OFPP_NORMAL: case Action.OFPP_FLOOD:
            case Action.OFPP_ALL: case Action.OFPP_CONTROLLER: case Action.OFPP_LOCAL:
                return null;
            default:
                return port < Action.OFPP_MAX ? null : "OFPBAC_BAD_OUT_PORT";
        }
    }

    /** OVS {@code mf_check_src()}: the range was checked by the parser; the field's prerequisites must hold. */
    private static String checkSrc(Ofpact.Subfield sf, Flow f) {
        OvsField of = sf.field();
        if (of.field() != null && !of.field().prerequisite().isMet(f.values, f.masks)) {
            return "OFPBAC_MATCH_INCONSISTENT";
        }
        return null;
    }

    /** OVS {@code mf_check_dst()}: as a source, and writable. */
    private static String checkDst(Ofpact.Subfield sf, Flow f) {
        String e = checkSrc(sf, f);
        if (e == null && !sf.field().writable()) {
            return "OFPBAC_BAD_SET_ARGUMENT";
        }
        return e;
    }
}
