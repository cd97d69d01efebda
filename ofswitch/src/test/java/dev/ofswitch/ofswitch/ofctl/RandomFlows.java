package dev.ofswitch.ofswitch.ofctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, deterministic generator of random {@code ovs-ofctl add-flow} lines that ovs-ofctl 3.1 accepts with
 * {@code -O OpenFlow13} (and 1.4, 1.5) and that a switch accepts too: every field's prerequisites are in the match,
 * every action's are met by the match and the actions before it (as OVS's {@code ofpacts_check()} walks them), and
 * nothing needs state the switch may not have (no group, no meter, no {@code check_overlap}, timeouts long enough not
 * to expire during a test).
 *
 * <p>Coverage: the shorthand protocols; in_port, Ethernet (masked), VLAN, IPv4/IPv6 addresses (CIDR and arbitrary
 * masks), TOS/DSCP/ECN/TTL/fragments, transport ports (masked), TCP flags, ICMP/ICMPv6, ND, ARP, MPLS, tunnel,
 * pkt_mark, registers and xregs, metadata, every ct_* field; table/priority/cookie/timeouts/importance/send_flow_rem;
 * output (port, reserved ports, a register), controller in all its forms, resubmit, ct(...) with commit, force, zone
 * (immediate or from a register), table, alg, exec(set_field/load/move on ct_mark and ct_label) and nat(...),
 * ct_clear, set_field (masked too), load, move, every mod_* action, VLAN and MPLS push/pop, dec_ttl, note,
 * set_tunnel, queues, the action stack, write_actions, clear_actions, write_metadata, goto_table.
 *
 * <p>Use: {@code new RandomFlows(42).flows(2000)}; the same seed always gives the same lines. Values are written in
 * the several notations ovs-ofctl reads (decimal, hex, CIDR, dotted masks, symbolic ports and flags).
 */
public final class RandomFlows {
    private final Random r;

    /** A generator whose output depends only on {@code seed}. */
    public RandomFlows(long seed) {
        this.r = new Random(seed);
    }

    /** {@code n} flow lines. */
    public List<String> flows(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    /** What the match says, which decides the fields and actions that may follow. */
    private static final class Ctx {
        /** "", "ip", "ipv6", "arp", "rarp", "mpls". */
        String l3 = "";
        /** 0 or the IP protocol: 1, 6, 17, 58, 132, or another number. */
        int proto;
        boolean vlan;
        boolean ctValid;
        /** ct_state matches +inv: OVS refuses ct(commit) then. */
        boolean ctInv;
        /** ip_frag=later: the transport fields' prerequisites fail (OVS MFP_TCP etc. exclude later fragments). */
        boolean fragLater;
        int table = -1;
    }

    /** One flow line. */
    public String next() {
        Ctx c = new Ctx();
        List<String> parts = new ArrayList<>();
        if (p(0.6)) {
            c.table = r.nextInt(p(0.5) ? 4 : 250);
            parts.add("table=" + c.table);
        }
        if (p(0.7)) {
            parts.add("priority=" + (p(0.3) ? r.nextInt(10) : r.nextInt(65536)));
        }
        if (p(0.3)) {
            parts.add("cookie=0x" + Long.toHexString(r.nextLong() >>> r.nextInt(64)));
        }
        if (p(0.1)) {
            parts.add("idle_timeout=" + (3600 + r.nextInt(60000)));
        }
        if (p(0.1)) {
            parts.add("hard_timeout=" + (3600 + r.nextInt(60000)));
        }
        if (p(0.1)) {
            parts.add("importance=" + r.nextInt(65536));
        }
        if (p(0.1)) {
            parts.add("send_flow_rem");
        }
        match(c, parts);
        parts.add("actions=" + instructions(c));
        shuffleHead(parts);
        return String.join(",", parts);
    }

    /** Keywords before "actions=" may come in any order; ovs-ofctl reads them left to right. */
    private void shuffleHead(List<String> parts) {
        // Only swap items that do not depend on order: flow attributes among themselves. Match fields keep their
        // order because a later shorthand (ip, tcp) would override an earlier explicit field.
        int attrs = 0;
        while (attrs < parts.size() && isAttr(parts.get(attrs))) {
            attrs++;
        }
        for (int i = attrs - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String t = parts.get(i);
            parts.set(i, parts.get(j));
            parts.set(j, t);
        }
    }

    private static boolean isAttr(String s) {
        return s.startsWith("table=") || s.startsWith("priority=") || s.startsWith("cookie=")
                || s.startsWith("idle_timeout=") || s.startsWith("hard_timeout=") || s.startsWith("importance=")
                || s.equals("send_flow_rem");
    }

    // ----------------------------------------------------------------------------------------------------- match

    private void match(Ctx c, List<String> m) {
        if (p(0.3)) {
            m.add("in_port=" + (p(0.1) ? "LOCAL" : Integer.toString(1 + r.nextInt(p(0.5) ? 8 : 4000))));
        }
        if (p(0.15)) {
            m.add("dl_src=" + mac() + (p(0.4) ? "/" + macMask() : ""));
        }
        if (p(0.15)) {
            m.add((p(0.5) ? "dl_dst=" : "eth_dst=") + mac() + (p(0.4) ? "/" + macMask() : ""));
        }
        if (p(0.12)) {
            vlanMatch(c, m);
        }
        int kind = r.nextInt(20);
        switch (kind) {
            case 0: case 1: case 2: case 3:
                ip(c, m, pick("ip", "dl_type=0x0800"), false);
                break;
            case 4: case 5:
                c.l3 = "ip";
                c.proto = 6;
                m.add(pick("tcp", "tcp", "ip,nw_proto=6", "dl_type=0x0800,ip_proto=6"));
                ipFields(c, m, false);
                l4(c, m);
                break;
            case 6: case 7:
                c.l3 = "ip";
                c.proto = 17;
                m.add("udp");
                ipFields(c, m, false);
                l4(c, m);
                break;
            case 8:
                c.l3 = "ip";
                c.proto = 132;
                m.add("sctp");
                ipFields(c, m, false);
                l4(c, m);
                break;
            case 9:
                c.l3 = "ip";
                c.proto = 1;
                m.add("icmp");
                ipFields(c, m, false);
                l4(c, m);
                break;
            case 10: case 11:
                ip(c, m, "ipv6", true);
                break;
            case 12:
                c.l3 = "ipv6";
                c.proto = pickInt(6, 17, 132);
                m.add(c.proto == 6 ? "tcp6" : c.proto == 17 ? "udp6" : "sctp6");
                ipFields(c, m, true);
                l4(c, m);
                break;
            case 13:
                c.l3 = "ipv6";
                c.proto = 58;
                m.add("icmp6");
                ipFields(c, m, true);
                l4(c, m);
                break;
            case 14: case 15:
                c.l3 = p(0.8) ? "arp" : "rarp";
                m.add(c.l3);
                arp(m);
                break;
            case 16:
                c.l3 = "mpls";
                m.add(pick("mpls", "mplsm"));
                mpls(m);
                break;
            default:
                break;
        }
        if (p(0.2)) {
            m.add("metadata=" + hex64() + (p(0.5) ? "/" + hex64() : ""));
        }
        int regs = p(0.3) ? 1 + r.nextInt(3) : 0;
        boolean[] used = new boolean[16];
        for (int i = 0; i < regs; i++) {
            int n = r.nextInt(16);
            if (used[n] || used[n ^ 1] && p(0.5)) {
                continue;
            }
            if (p(0.15) && !used[n & ~1] && !used[n | 1]) {
                used[n & ~1] = used[n | 1] = true;
                m.add("xreg" + (n / 2) + "=" + hex64() + (p(0.5) ? "/" + hex64() : ""));
            } else {
                used[n] = true;
                m.add("reg" + n + "=" + u32() + (p(0.4) ? "/" + hex32() : ""));
            }
        }
        if (p(0.05)) {
            m.add("pkt_mark=" + u32() + (p(0.5) ? "/" + hex32() : ""));
        }
        if (p(0.06)) {
            m.add(pick("tun_id=", "tunnel_id=") + hex64() + (p(0.3) ? "/" + hex64() : ""));
        }
        if (p(0.04)) {
            m.add("tun_src=" + ipv4() + (p(0.5) ? "/" + (1 + r.nextInt(32)) : ""));
        }
        if (p(0.04)) {
            m.add("tun_dst=" + ipv4());
        }
        ct(c, m);
    }

    private void vlanMatch(Ctx c, List<String> m) {
        switch (r.nextInt(4)) {
            case 0:
                m.add("dl_vlan=" + r.nextInt(4096));
                c.vlan = true;
                if (p(0.4)) {
                    m.add("dl_vlan_pcp=" + r.nextInt(8));
                }
                break;
            case 1:
                m.add("vlan_tci=0x" + Integer.toHexString(0x1000 | r.nextInt(0x1000) | (r.nextInt(8) << 13)));
                c.vlan = true;
                break;
            case 2:
                m.add("vlan_tci=0x1000/0x1000");
                c.vlan = true;
                break;
            default:
                m.add("vlan_tci=0");
                break;
        }
    }

    private void ip(Ctx c, List<String> m, String word, boolean v6) {
        c.l3 = v6 ? "ipv6" : "ip";
        m.add(word);
        ipFields(c, m, v6);
        if (p(0.2)) {
            int proto = pickInt(6, 17, 132, v6 ? 58 : 1, 47, 89);
            m.add((p(0.5) ? "nw_proto=" : "ip_proto=") + proto);
            c.proto = proto;
            l4(c, m);
        }
    }

    private void ipFields(Ctx c, List<String> m, boolean v6) {
        if (v6) {
            if (p(0.4)) {
                m.add("ipv6_src=" + ipv6() + (p(0.5) ? "/" + (1 + r.nextInt(128)) : ""));
            }
            if (p(0.4)) {
                m.add("ipv6_dst=" + ipv6() + (p(0.3) ? "/" + (1 + r.nextInt(128)) : ""));
            }
            if (p(0.1)) {
                m.add("ipv6_label=0x" + Integer.toHexString(r.nextInt(1 << 20))
                        + (p(0.5) ? "/0x" + Integer.toHexString(r.nextInt(1 << 20)) : ""));
            }
        } else {
            if (p(0.5)) {
                m.add("nw_src=" + ipv4() + ipMask());
            }
            if (p(0.4)) {
                m.add((p(0.5) ? "nw_dst=" : "ip_dst=") + ipv4() + ipMask());
            }
        }
        if (p(0.08)) {
            m.add("nw_tos=" + 4 * r.nextInt(64));
        } else if (p(0.08)) {
            m.add("ip_dscp=" + r.nextInt(64));
        }
        if (p(0.08)) {
            m.add(pick("nw_ecn=", "ip_ecn=") + r.nextInt(4));
        }
        if (p(0.08)) {
            m.add("nw_ttl=" + r.nextInt(256));
        }
        if (p(0.08)) {
            String frag = pick("no", "yes", "first", "later", "not_later");
            c.fragLater = frag.equals("later");
            m.add(pick("ip_frag=", "nw_frag=") + frag);
        }
    }

    private String ipMask() {
        int k = r.nextInt(10);
        if (k < 5) {
            return "";
        }
        if (k < 9) {
            return "/" + r.nextInt(33);
        }
        return "/" + ipv4();
    }

    private void l4(Ctx c, List<String> m) {
        if (c.fragLater) {
            return;
        }
        switch (c.proto) {
            case 6:
            case 17:
            case 132: {
                String pre = c.proto == 6 ? "tcp_" : c.proto == 17 ? "udp_" : "sctp_";
                if (p(0.5)) {
                    m.add(pick("tp_src=", pre + "src=") + r.nextInt(65536) + (p(0.3) ? "/0x" + hex16() : ""));
                }
                if (p(0.5)) {
                    m.add(pick("tp_dst=", pre + "dst=") + r.nextInt(65536) + (p(0.3) ? "/0x" + hex16() : ""));
                }
                if (c.proto == 6 && p(0.2)) {
                    m.add("tcp_flags=" + tcpFlags());
                }
                break;
            }
            case 1:
                if (p(0.5)) {
                    m.add("icmp_type=" + r.nextInt(256));
                }
                if (p(0.4)) {
                    m.add("icmp_code=" + r.nextInt(256));
                }
                break;
            case 58:
                if (p(0.4)) {
                    int type = pickInt(135, 136);
                    m.add("icmpv6_type=" + type);
                    m.add("icmpv6_code=0");
                    if (p(0.6)) {
                        m.add("nd_target=" + ipv6());
                    }
                    if (p(0.5)) {
                        m.add((type == 135 ? "nd_sll=" : "nd_tll=") + mac());
                    }
                } else {
                    if (p(0.5)) {
                        m.add("icmpv6_type=" + r.nextInt(256));
                    }
                    if (p(0.4)) {
                        m.add("icmpv6_code=" + r.nextInt(256));
                    }
                }
                break;
            default:
                break;
        }
    }

    private String tcpFlags() {
        String[] names = {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"};
        if (p(0.3)) {
            int v = r.nextInt(0x1000);
            return "0x" + Integer.toHexString(v & 0xfff) + (p(0.6) ? "/0x" + Integer.toHexString(v | r.nextInt(0x1000))
                    : "");
        }
        StringBuilder sb = new StringBuilder();
        boolean[] used = new boolean[names.length];
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(names.length);
            if (!used[k]) {
                used[k] = true;
                sb.append(p(0.6) ? '+' : '-').append(names[k]);
            }
        }
        return sb.toString();
    }

    private void arp(List<String> m) {
        if (p(0.4)) {
            m.add("arp_op=" + (1 + r.nextInt(2)));
        }
        if (p(0.4)) {
            m.add(pick("arp_spa=", "nw_src=") + ipv4() + ipMask());
        }
        if (p(0.3)) {
            m.add(pick("arp_tpa=", "nw_dst=") + ipv4() + ipMask());
        }
        if (p(0.3)) {
            m.add("arp_sha=" + mac() + (p(0.3) ? "/" + macMask() : ""));
        }
        if (p(0.3)) {
            m.add("arp_tha=" + mac());
        }
    }

    private void mpls(List<String> m) {
        if (p(0.5)) {
            m.add("mpls_label=" + r.nextInt(1 << 20));
        }
        if (p(0.3)) {
            m.add("mpls_tc=" + r.nextInt(8));
        }
        if (p(0.3)) {
            m.add("mpls_bos=" + r.nextInt(2));
        }
    }

    private void ct(Ctx c, List<String> m) {
        if (p(0.3)) {
            String[] flags = {"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"};
            StringBuilder sb = new StringBuilder();
            boolean trk = false;
            boolean valid = false;
            boolean invClear = false;
            for (String f : flags) {
                if (!p(0.3)) {
                    continue;
                }
                boolean plus = p(0.6);
                sb.append(plus ? '+' : '-').append(f);
                if (plus && f.equals("inv")) {
                    c.ctInv = true;
                }
                if (plus && f.equals("trk")) {
                    trk = true;
                } else if (plus && !f.equals("inv")) {
                    valid = true;
                } else if (!plus && f.equals("inv")) {
                    invClear = true;
                }
            }
            if (sb.length() == 0) {
                sb.append("+trk");
                trk = true;
            }
            if (p(0.1)) {
                // The hexadecimal form, value/mask.
                int mask = r.nextInt(256);
                int value = r.nextInt(256) & mask;
                m.add("ct_state=0x" + Integer.toHexString(value) + "/0x" + Integer.toHexString(mask));
                c.ctInv = (value & 0x10) != 0;
                c.ctValid = (value & mask & 0xcf) != 0 || ((value & 0x20) != 0 && (mask & 0x10) != 0
                        && (value & 0x10) == 0);
            } else {
                m.add("ct_state=" + sb);
                c.ctValid = valid || (trk && invClear);
            }
        }
        if (p(0.1)) {
            m.add("ct_zone=" + r.nextInt(65536));
        }
        if (p(0.15)) {
            m.add("ct_mark=" + hex32() + (p(0.4) ? "/" + hex32() : ""));
        }
        if (p(0.1)) {
            m.add("ct_label=" + hex128() + (p(0.4) ? "/" + hex128() : ""));
        }
        if (c.ctValid && p(0.5)) {
            if (c.l3.equals("ip")) {
                if (p(0.5)) {
                    m.add("ct_nw_src=" + ipv4() + ipMask());
                }
                if (p(0.4)) {
                    m.add("ct_nw_dst=" + ipv4() + ipMask());
                }
            } else if (c.l3.equals("ipv6")) {
                if (p(0.5)) {
                    m.add("ct_ipv6_src=" + ipv6() + (p(0.5) ? "/" + (1 + r.nextInt(128)) : ""));
                }
                if (p(0.4)) {
                    m.add("ct_ipv6_dst=" + ipv6());
                }
            }
            if (p(0.4)) {
                m.add("ct_nw_proto=" + pickInt(6, 17, 1, 58, 132));
                if (p(0.5)) {
                    m.add("ct_tp_src=" + r.nextInt(65536) + (p(0.3) ? "/0x" + hex16() : ""));
                }
                if (p(0.5)) {
                    m.add("ct_tp_dst=" + r.nextInt(65536));
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- actions

    /** The state OVS's ofpacts_check() carries through the actions: VLAN present, IP protocol, MPLS. */
    private static final class Flow {
        String l3;
        int proto;
        boolean vlan;
        boolean fragLater;

        Flow(Ctx c) {
            l3 = c.l3;
            proto = c.proto;
            vlan = c.vlan;
            fragLater = c.fragLater;
        }

        boolean ip() {
            return l3.equals("ip") || l3.equals("ipv6");
        }

        boolean tp() {
            return ip() && !fragLater && (proto == 6 || proto == 17 || proto == 132);
        }
    }

    private String instructions(Ctx c) {
        if (p(0.06)) {
            return "drop";
        }
        Flow f = new Flow(c);
        List<String> out = new ArrayList<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            String a = action(c, f, true);
            if (a != null) {
                out.add(a);
            }
        }
        if (p(0.05)) {
            out.add("clear_actions");
        }
        if (p(0.1)) {
            List<String> w = new ArrayList<>();
            int k = 1 + r.nextInt(3);
            Flow wf = new Flow(c);
            wf.vlan = f.vlan;
            wf.l3 = f.l3;
            wf.proto = f.proto;
            for (int i = 0; i < k; i++) {
                String a = writeAction(wf);
                boolean dup = false;
                for (String old : w) {
                    dup |= setKind(old).equals(setKind(a));
                }
                if (!dup) {
                    w.add(a);
                }
            }
            if (!w.isEmpty()) {
                out.add("write_actions(" + String.join(",", w) + ")");
            }
        }
        if (p(0.08)) {
            out.add("write_metadata:" + hex64() + (p(0.5) ? "/" + hex64() : ""));
        }
        if (p(0.12) && c.table < 253) {
            int t = c.table < 0 ? 1 + r.nextInt(10) : c.table + 1 + r.nextInt(254 - c.table);
            out.add("goto_table:" + t);
        }
        if (out.isEmpty()) {
            out.add(output());
        }
        return String.join(",", out);
    }

    private String output() {
        switch (r.nextInt(12)) {
            case 0:
                return "normal";
            case 1:
                return "flood";
            case 2:
                return "all";
            case 3:
                return "local";
            case 4:
                return "in_port";
            case 5:
                return "output:" + pick("LOCAL", "NORMAL", "IN_PORT", "FLOOD", "in_port");
            case 6:
                return Integer.toString(1 + r.nextInt(100));
            default:
                return "output:" + (1 + r.nextInt(p(0.7) ? 8 : 60000));
        }
    }

    private String controller() {
        switch (r.nextInt(7)) {
            case 0:
                return "controller";
            case 1:
                return "CONTROLLER:" + r.nextInt(65536);
            case 2:
                return "controller:" + r.nextInt(2000);
            case 3:
                return "output:CONTROLLER";
            default: {
                List<String> args = new ArrayList<>();
                if (p(0.5)) {
                    args.add("reason=" + pick("action", "no_match", "invalid_ttl", "action_set", "group",
                            "packet_out"));
                }
                if (p(0.5)) {
                    args.add("max_len=" + r.nextInt(65536));
                }
                if (p(0.4)) {
                    args.add("id=" + r.nextInt(65536));
                }
                if (p(0.3)) {
                    StringBuilder ud = new StringBuilder();
                    int len = 1 + r.nextInt(10);
                    for (int i = 0; i < len; i++) {
                        ud.append(i == 0 ? "" : ".").append(String.format("%02x", r.nextInt(256)));
                    }
                    args.add("userdata=" + ud);
                }
                if (p(0.2)) {
                    args.add("pause");
                }
                if (p(0.1)) {
                    args.add("meter_id=" + r.nextInt(100));
                }
                return "controller(" + String.join(",", args) + ")";
            }
        }
    }

    /** An apply-actions action valid after the actions already chosen ({@code f} tracks their effect). */
    private String action(Ctx c, Flow f, boolean apply) {
        switch (r.nextInt(30)) {
            case 0: case 1: case 2: case 3:
                return output();
            case 4:
                return controller();
            case 5:
                return resubmit();
            case 6: case 7:
                return f.ip() ? ct(c, f) : output();
            case 8:
                return "ct_clear";
            case 9: case 10: case 11:
                return setField(f);
            case 12:
                return load(f);
            case 13:
                return move(f);
            case 14:
                return modAction(f);
            case 15:
                if (f.vlan && p(0.5)) {
                    f.vlan = false;
                    return pick("strip_vlan", "pop_vlan");
                }
                f.vlan = true;
                return "push_vlan:" + pick("0x8100", "0x88a8");
            case 16:
                if (f.ip()) {
                    // Not dec_ttl(ids): this switch does not implement NXAST_DEC_TTL_CNT_IDS.
                    return "dec_ttl";
                }
                return note();
            case 17:
                return note();
            case 18:
                return pick("set_tunnel:", "set_tunnel64:") + "0x" + Long.toHexString(r.nextLong() >>> 33);
            case 19:
                return "set_queue:" + r.nextInt(100);
            case 20:
                return "pop_queue";
            case 21:
                return "enqueue:" + (1 + r.nextInt(8)) + ":" + r.nextInt(100);
            case 22:
                return "push:" + regSub(32);
            case 23:
                return "pop:" + regSub(32);
            case 24:
                return "output:" + regSub(16);
            case 25:
                return mplsAction(f);
            case 26:
                return "exit";
            default:
                return output();
        }
    }

    /** Actions an action set may hold (OVS refuses resubmit, ct, stack and note in write_actions). */
    private String writeAction(Flow f) {
        switch (r.nextInt(8)) {
            case 0: case 1:
                return output();
            case 2:
                return setField(f);
            case 3:
                return f.ip() ? "dec_ttl" : "set_queue:" + r.nextInt(10);
            case 4:
                return "set_queue:" + r.nextInt(100);
            case 5:
                return f.vlan ? "pop_vlan" : "push_vlan:0x8100";
            default:
                return "controller:" + r.nextInt(1000);
        }
    }

    /** What an action occupies in an action set: outputs share one slot, set_field one per field. */
    private static String setKind(String action) {
        if (action.startsWith("set_field:")) {
            return action.substring(action.indexOf("->"));
        }
        String k = action.replaceAll("[:(].*", "");
        return k.matches("all|normal|flood|local|in_port|controller|output|CONTROLLER|[0-9]+") ? "output" : k;
    }

    private String resubmit() {
        switch (r.nextInt(4)) {
            case 0:
                return "resubmit:" + (1 + r.nextInt(8));
            case 1:
                return "resubmit(" + (1 + r.nextInt(8)) + ")";
            case 2:
                return "resubmit(" + (p(0.5) ? "in_port" : Integer.toString(1 + r.nextInt(8))) + "," + r.nextInt(254)
                        + ")";
            default:
                return "resubmit(," + r.nextInt(254) + ")";
        }
    }

    private String ct(Ctx c, Flow f) {
        List<String> args = new ArrayList<>();
        boolean commit = !c.ctInv && p(0.5);
        if (commit) {
            args.add("commit");
            if (p(0.2)) {
                args.add("force");
            }
        }
        if (p(0.5)) {
            args.add("zone=" + (p(0.8) ? Integer.toString(r.nextInt(65536)) : "NXM_NX_REG" + r.nextInt(16) + "[" + (p(0.5)
                    ? "0..15" : "16..31") + "]"));
        }
        if (p(0.5)) {
            args.add("table=" + r.nextInt(254));
        }
        if (p(0.1) && (f.proto == 6 || f.proto == 17)) {
            args.add("alg=" + (f.proto == 6 ? "ftp" : "tftp"));
        }
        if (commit && p(0.4)) {
            List<String> exec = new ArrayList<>();
            int k = 1 + r.nextInt(2);
            for (int i = 0; i < k; i++) {
                exec.add(ctExec());
            }
            args.add("exec(" + String.join(",", exec) + ")");
        }
        if (p(0.3)) {
            args.add(nat(f, commit));
        }
        shuffle(args);
        return args.isEmpty() ? "ct" : "ct(" + String.join(",", args) + ")";
    }

    private String ctExec() {
        switch (r.nextInt(6)) {
            case 0:
                return "set_field:" + hex32() + "->ct_mark";
            case 1:
                return "set_field:" + masked(32) + "->ct_mark";
            case 2:
                return "set_field:" + hex128() + "->ct_label";
            case 3:
                return "set_field:" + masked(p(0.5) ? 64 : 128) + "->ct_label";
            case 4: {
                int[] sub = subRange(128);
                return "load:0x" + Long.toHexString(r.nextLong() & mask(Math.min(64, sub[1])))
                        + "->NXM_NX_CT_LABEL[" + range(sub) + "]";
            }
            default: {
                int[] sub = subRange(32);
                if (p(0.5)) {
                    return "move:NXM_NX_REG" + r.nextInt(16) + "[0.." + (sub[1] - 1) + "]->NXM_NX_CT_MARK[" + range(sub)
                            + "]";
                }
                return "load:0x" + Long.toHexString(r.nextLong() & mask(sub[1])) + "->NXM_NX_CT_MARK[" + range(sub)
                        + "]";
            }
        }
    }

    private String nat(Flow f, boolean commit) {
        if (!commit || p(0.3)) {
            return "nat";
        }
        boolean v6 = f.l3.equals("ipv6");
        StringBuilder sb = new StringBuilder("nat(").append(p(0.5) ? "src" : "dst");
        if (p(0.8)) {
            sb.append('=');
            // A range must not run backwards: the second address is the first plus a small offset.
            int base = r.nextInt(0xff00);
            int hi = base + r.nextInt(0x100);
            String prefix = v6 ? "fd00:" + Integer.toHexString(r.nextInt(0x10000)) + "::" : "10." + r.nextInt(256) + ".";
            String a = v6 ? "[" + prefix + Integer.toHexString(base) + "]" : prefix + (base >> 8) + "." + (base & 0xff);
            sb.append(a);
            if (p(0.4)) {
                sb.append('-').append(v6 ? "[" + prefix + Integer.toHexString(hi) + "]"
                        : prefix + (hi >> 8) + "." + (hi & 0xff));
            }
            if (p(0.5)) {
                int lo = r.nextInt(65536);
                sb.append(':').append(lo);
                if (p(0.6)) {
                    sb.append('-').append(lo + r.nextInt(65536 - lo));
                }
            }
        }
        if (p(0.3)) {
            sb.append(',').append(pick("random", "hash"));
        }
        if (p(0.3)) {
            sb.append(",persistent");
        }
        return sb.append(')').toString();
    }

    /** Writable fields whose prerequisites {@code f} meets, with a value generator each. */
    private String setField(Flow f) {
        List<String> cands = new ArrayList<>();
        cands.add("eth_src");
        cands.add("eth_dst");
        cands.add("reg");
        cands.add("xreg");
        cands.add("metadata");
        cands.add("pkt_mark");
        cands.add("tun_id");
        cands.add("tun_src");
        if (f.vlan) {
            cands.add("vlan_vid");
            cands.add("vlan_pcp");
        }
        if (f.l3.equals("ip")) {
            cands.add("ip_src");
            cands.add("ip_dst");
        }
        if (f.ip()) {
            cands.add("ip_dscp");
            cands.add("nw_ecn");
            cands.add("nw_ttl");
        }
        if (f.l3.equals("ipv6")) {
            cands.add("ipv6_src");
            cands.add("ipv6_dst");
            cands.add("ipv6_label");
        }
        if (f.tp()) {
            cands.add("tp");
        }
        if (f.l3.equals("ip") && f.proto == 1 && !f.fragLater) {
            cands.add("icmp_type");
        }
        if (f.l3.equals("arp") || f.l3.equals("rarp")) {
            cands.add("arp_spa");
            cands.add("arp_sha");
            cands.add("arp_op");
        }
        if (f.l3.equals("mpls")) {
            cands.add("mpls_label");
            cands.add("mpls_tc");
        }
        String field = cands.get(r.nextInt(cands.size()));
        switch (field) {
            case "eth_src":
            case "eth_dst":
                return "set_field:" + (p(0.2) ? masked(48) : mac()) + "->" + field;
            case "reg": {
                return "set_field:" + (p(0.3) ? masked(32) : u32()) + "->reg" + r.nextInt(16);
            }
            case "xreg":
                return "set_field:" + (p(0.3) ? masked(64) : hex64()) + "->xreg" + r.nextInt(8);
            case "metadata":
                return "set_field:" + (p(0.3) ? masked(64) : hex64()) + "->metadata";
            case "pkt_mark":
                return "set_field:" + (p(0.3) ? masked(32) : hex32()) + "->pkt_mark";
            case "tun_id":
                return "set_field:" + hex64() + "->" + pick("tun_id", "tunnel_id");
            case "tun_src":
                return "set_field:" + ipv4() + "->tun_src";
            case "vlan_vid":
                return "set_field:" + (4096 + r.nextInt(4096)) + "->vlan_vid";
            case "vlan_pcp":
                return "set_field:" + r.nextInt(8) + "->vlan_pcp";
            case "ip_src":
            case "ip_dst":
                return "set_field:" + (p(0.2) ? maskedIpv4() : ipv4()) + "->" + pick(field, "nw_" + field.substring(3));
            case "ip_dscp":
                return "set_field:" + r.nextInt(64) + "->ip_dscp";
            case "nw_ecn":
                return "set_field:" + r.nextInt(4) + "->" + pick("nw_ecn", "ip_ecn");
            case "nw_ttl":
                return "set_field:" + r.nextInt(256) + "->nw_ttl";
            case "ipv6_src":
            case "ipv6_dst":
                return "set_field:" + ipv6() + "->" + field;
            case "ipv6_label":
                return "set_field:0x" + Integer.toHexString(r.nextInt(1 << 20)) + "->ipv6_label";
            case "tp": {
                String pre = f.proto == 6 ? "tcp_" : f.proto == 17 ? "udp_" : "sctp_";
                return "set_field:" + (p(0.2) ? masked(16) : Integer.toString(r.nextInt(65536))) + "->" + pre
                        + pick("src", "dst");
            }
            case "icmp_type":
                return "set_field:" + r.nextInt(256) + "->" + pick("icmp_type", "icmp_code");
            case "arp_spa":
                return "set_field:" + ipv4() + "->" + pick("arp_spa", "arp_tpa");
            case "arp_sha":
                return "set_field:" + mac() + "->" + pick("arp_sha", "arp_tha");
            case "arp_op":
                return "set_field:" + (1 + r.nextInt(2)) + "->arp_op";
            case "mpls_label":
                return "set_field:" + r.nextInt(1 << 20) + "->mpls_label";
            default:
                return "set_field:" + r.nextInt(8) + "->mpls_tc";
        }
    }

    private String load(Flow f) {
        String[] dsts = f.ip() ? new String[] {"NXM_NX_REG", "NXM_OF_ETH_SRC", "NXM_NX_PKT_MARK", "OXM_OF_METADATA",
            "NXM_NX_IP_TTL", "NXM_NX_TUN_ID"} : new String[] {"NXM_NX_REG", "NXM_OF_ETH_DST", "NXM_NX_PKT_MARK",
            "OXM_OF_METADATA", "NXM_NX_TUN_ID"};
        String d = dsts[r.nextInt(dsts.length)];
        int width = d.equals("NXM_NX_REG") || d.equals("NXM_NX_PKT_MARK") ? 32 : d.startsWith("NXM_OF_ETH") ? 48
                : d.equals("NXM_NX_IP_TTL") ? 8 : 64;
        String name = d.equals("NXM_NX_REG") ? d + r.nextInt(16) : d;
        if (p(0.3)) {
            return "load:0x" + Long.toHexString(r.nextLong() & mask(width)) + "->" + name + "[]";
        }
        int[] sub = subRange(width);
        return "load:" + (p(0.5) ? "0x" + Long.toHexString(r.nextLong() & mask(sub[1]))
                : Long.toString((r.nextLong() & mask(Math.min(sub[1], 62))))) + "->" + name + "[" + range(sub) + "]";
    }

    private String move(Flow f) {
        String src;
        int srcWidth;
        switch (r.nextInt(5)) {
            case 0:
                src = "NXM_OF_ETH_SRC";
                srcWidth = 48;
                break;
            case 1:
                src = "NXM_NX_CT_MARK";
                srcWidth = 32;
                break;
            case 2:
                src = f.l3.equals("ip") ? "NXM_OF_IP_SRC" : "NXM_NX_PKT_MARK";
                srcWidth = 32;
                break;
            case 3:
                src = "NXM_OF_IN_PORT";
                srcWidth = 16;
                break;
            default:
                src = "NXM_NX_REG" + r.nextInt(16);
                srcWidth = 32;
                break;
        }
        String dst = p(0.7) ? "NXM_NX_REG" + r.nextInt(16) : "OXM_OF_METADATA";
        int dstWidth = dst.startsWith("NXM_NX_REG") ? 32 : 64;
        int n = 1 + r.nextInt(Math.min(srcWidth, dstWidth));
        int so = r.nextInt(srcWidth - n + 1);
        int dof = r.nextInt(dstWidth - n + 1);
        return "move:" + src + "[" + so + ".." + (so + n - 1) + "]->" + dst + "[" + dof + ".." + (dof + n - 1) + "]";
    }

    private String modAction(Flow f) {
        List<String> cands = new ArrayList<>(List.of("mod_dl_src:" + mac(), "mod_dl_dst:" + mac(),
                "mod_vlan_vid:" + r.nextInt(4096), "mod_vlan_pcp:" + r.nextInt(8)));
        if (f.l3.equals("ip")) {
            cands.add("mod_nw_src:" + ipv4());
            cands.add("mod_nw_dst:" + ipv4());
        }
        if (f.ip()) {
            cands.add("mod_nw_tos:" + 4 * r.nextInt(64));
            cands.add("mod_nw_ecn:" + r.nextInt(4));
            cands.add("mod_nw_ttl:" + r.nextInt(256));
        }
        if (f.tp()) {
            cands.add("mod_tp_src:" + r.nextInt(65536));
            cands.add("mod_tp_dst:" + r.nextInt(65536));
        }
        String a = cands.get(r.nextInt(cands.size()));
        if (a.startsWith("mod_vlan")) {
            f.vlan = true;
        }
        return a;
    }

    private String mplsAction(Flow f) {
        if (f.l3.equals("mpls")) {
            switch (r.nextInt(5)) {
                case 0:
                    f.l3 = "ip";
                    f.proto = 0;
                    return "pop_mpls:0x0800";
                case 1:
                    return "set_mpls_label:" + r.nextInt(1 << 20);
                case 2:
                    return "set_mpls_tc:" + r.nextInt(8);
                case 3:
                    return "set_mpls_ttl:" + r.nextInt(256);
                default:
                    return "dec_mpls_ttl";
            }
        }
        f.l3 = "mpls";
        f.proto = 0;
        return "push_mpls:" + pick("0x8847", "0x8848");
    }

    private String note() {
        StringBuilder sb = new StringBuilder("note:");
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ".").append(String.format("%02x", r.nextInt(256)));
        }
        return sb.toString();
    }

    private String regSub(int n) {
        String reg = "NXM_NX_REG" + r.nextInt(16);
        if (n == 32 && p(0.5)) {
            return reg + "[]";
        }
        int ofs = r.nextInt(32 - n + 1);
        return reg + "[" + ofs + ".." + (ofs + n - 1) + "]";
    }

    // -------------------------------------------------------------------------------------------------- values

    /** A random [ofs, nBits] inside a field of {@code width} bits (at most 64 bits long). */
    private int[] subRange(int width) {
        int n = 1 + r.nextInt(Math.min(64, width));
        return new int[] {r.nextInt(width - n + 1), n};
    }

    private static String range(int[] sub) {
        return sub[1] == 1 && (sub[0] & 1) == 0 ? Integer.toString(sub[0]) : sub[0] + ".." + (sub[0] + sub[1] - 1);
    }

    private static long mask(int bits) {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }

    private boolean p(double probability) {
        return r.nextDouble() < probability;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }

    private int pickInt(int... options) {
        return options[r.nextInt(options.length)];
    }

    private void shuffle(List<String> l) {
        for (int i = l.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String t = l.get(i);
            l.set(i, l.get(j));
            l.set(j, t);
        }
    }

    private String mac() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append(i == 0 ? "" : ":").append(String.format("%02x", r.nextInt(256)));
        }
        return sb.toString();
    }

    private String macMask() {
        return pick("ff:ff:ff:ff:ff:00", "ff:ff:ff:00:00:00", "01:00:00:00:00:00", "fe:ff:ff:ff:ff:ff", mac());
    }

    private String ipv4() {
        return (p(0.5) ? 10 : r.nextInt(256)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
    }

    private String ipv6() {
        switch (r.nextInt(4)) {
            case 0:
                return "::" + Integer.toHexString(1 + r.nextInt(0xffff));
            case 1:
                return "fe80::" + Integer.toHexString(r.nextInt(0x10000)) + ":" + Integer.toHexString(r.nextInt(0x10000));
            case 2:
                return "2001:db8:" + Integer.toHexString(r.nextInt(0x10000)) + "::" + Integer.toHexString(1
                        + r.nextInt(0xffff));
            default: {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 8; i++) {
                    sb.append(i == 0 ? "" : ":").append(Integer.toHexString(r.nextInt(0x10000)));
                }
                return sb.toString();
            }
        }
    }

    /**
     * A masked set_field argument "value/mask" of {@code bits} bits whose value has no bit outside the mask: OpenFlow
     * 1.5 carries the masked OXM as written and OVS refuses it otherwise (1.3 turns it into reg_load segments).
     */
    private String masked(int bits) {
        if (bits == 48) {
            long mask = r.nextLong() & mask(48);
            long value = r.nextLong() & mask;
            return macOf(value) + "/" + macOf(mask);
        }
        if (bits == 128) {
            long mhi = r.nextLong() >>> r.nextInt(63);
            long mlo = r.nextLong();
            long hi = r.nextLong() & mhi;
            long lo = r.nextLong() & mlo;
            return "0x" + Long.toHexString(hi) + String.format("%016x", lo) + "/0x" + Long.toHexString(mhi)
                    + String.format("%016x", mlo);
        }
        long mask = r.nextLong() & mask(bits) >>> r.nextInt(bits);
        long value = r.nextLong() & mask;
        return (p(0.5) || bits == 64 ? "0x" + Long.toHexString(value) : Long.toString(value)) + "/0x"
                + Long.toHexString(mask);
    }

    private String maskedIpv4() {
        long mask = r.nextLong() & 0xffffffffL;
        long value = r.nextLong() & mask;
        return dotted(value) + "/" + dotted(mask);
    }

    private static String dotted(long v) {
        return (v >>> 24 & 0xff) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
    }

    private static String macOf(long v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 5; i >= 0; i--) {
            sb.append(String.format("%02x", v >>> (8 * i) & 0xff)).append(i == 0 ? "" : ":");
        }
        return sb.toString();
    }

    private String hex16() {
        return Integer.toHexString(r.nextInt(0x10000));
    }

    private String hex32() {
        return "0x" + Long.toHexString(r.nextLong() >>> (32 + r.nextInt(32)));
    }

    private String u32() {
        return p(0.5) ? Long.toString(r.nextLong() >>> (32 + r.nextInt(32))) : hex32();
    }

    private String hex64() {
        return "0x" + Long.toHexString(r.nextLong() >>> r.nextInt(64));
    }

    private String hex128() {
        if (p(0.5)) {
            return hex64();
        }
        return "0x" + Long.toHexString(r.nextLong() >>> r.nextInt(63)) + String.format("%016x", r.nextLong());
    }
}
