package dev.ofswitch.ofswitch.ofctl;

import java.util.List;

/**
 * A parsed action or instruction, as OVS's {@code struct ofpact} after {@code ofpacts_parse()}: typed, before it is
 * encoded for a wire version. The encoding of some depends on how they were written ({@code ofpact.raw} in OVS):
 * {@code load} stays NXAST_REG_LOAD up to OpenFlow 1.4 where an equal {@code set_field} is OFPAT_SET_FIELD,
 * {@code mod_vlan_vid} pushes a VLAN header in 1.1+ where {@code set_vlan_vid} does not. Those choices are fields
 * here.
 */
sealed interface Ofpact {

    /** OVS instruction types, in the order OpenFlow 1.1+ requires ({@code enum ovs_instruction_type}). */
    enum Inst {
        METER("meter"), APPLY_ACTIONS("apply_actions"), CLEAR_ACTIONS("clear_actions"),
        WRITE_ACTIONS("write_actions"), WRITE_METADATA("write_metadata"), GOTO_TABLE("goto_table");

        final String ovsName;

        Inst(String ovsName) {
            this.ovsName = ovsName;
        }
    }

    /** The instruction this ofpact belongs to. */
    default Inst inst() {
        return Inst.APPLY_ACTIONS;
    }

    /** OVS {@code ofpact_name()}, for messages. */
    String name();

    /** A field range {@code field[ofs..ofs+nBits-1]} ({@code struct mf_subfield}). */
    record Subfield(OvsField field, int ofs, int nBits) {
    }

    /** {@code output:PORT}, {@code CONTROLLER:LEN}, the reserved-port actions. */
    record Output(int port, int maxLen) implements Ofpact {
        public String name() {
            return "output";
        }
    }

    /** {@code controller(...)} that is not a plain output to CONTROLLER. */
    record Controller(int maxLen, int id, int reason, byte[] userdata, boolean pause, long meterId)
            implements Ofpact {
        public String name() {
            return "controller";
        }
    }

    /** {@code enqueue:PORT:QUEUE}. */
    record Enqueue(int port, long queue) implements Ofpact {
        public String name() {
            return "enqueue";
        }
    }

    /** {@code output:FIELD[..]}. */
    record OutputReg(Subfield src, int maxLen) implements Ofpact {
        public String name() {
            return "output_reg";
        }
    }

    /** {@code group:ID}. */
    record Group(long id) implements Ofpact {
        public String name() {
            return "group";
        }
    }

    /**
     * {@code set_field:V[/M]->F} ({@code regLoad} false) or {@code load:V->F[..]} ({@code regLoad} true): both are
     * OVS's OFPACT_SET_FIELD, the latter with raw NXAST_RAW_REG_LOAD. Value and mask are the field's full width.
     */
    record SetField(OvsField field, byte[] value, byte[] mask, boolean regLoad) implements Ofpact {
        public String name() {
            return "set_field";
        }
    }

    /** {@code mod_vlan_vid} ({@code pushIfNeeded}) or {@code set_vlan_vid}. */
    record SetVlanVid(int vid, boolean pushIfNeeded) implements Ofpact {
        public String name() {
            return "set_vlan_vid";
        }
    }

    /** {@code mod_vlan_pcp} ({@code pushIfNeeded}) or {@code set_vlan_pcp}. */
    record SetVlanPcp(int pcp, boolean pushIfNeeded) implements Ofpact {
        public String name() {
            return "set_vlan_pcp";
        }
    }

    /** {@code strip_vlan} / {@code pop_vlan}. */
    record StripVlan() implements Ofpact {
        public String name() {
            return "strip_vlan";
        }
    }

    /** {@code push_vlan:ETHERTYPE}. */
    record PushVlan(int ethertype) implements Ofpact {
        public String name() {
            return "push_vlan";
        }
    }

    /** {@code mod_dl_src} / {@code mod_dl_dst}. */
    record SetEth(boolean src, long mac) implements Ofpact {
        public String name() {
            return src ? "mod_dl_src" : "mod_dl_dst";
        }
    }

    /** {@code mod_nw_src} / {@code mod_nw_dst}. */
    record SetIpv4(boolean src, long ip) implements Ofpact {
        public String name() {
            return src ? "mod_nw_src" : "mod_nw_dst";
        }
    }

    /** {@code mod_nw_tos:TOS}. */
    record SetIpDscp(int tos) implements Ofpact {
        public String name() {
            return "mod_nw_tos";
        }
    }

    /** {@code mod_nw_ecn:ECN}. */
    record SetIpEcn(int ecn) implements Ofpact {
        public String name() {
            return "mod_nw_ecn";
        }
    }

    /** {@code mod_nw_ttl:TTL}. */
    record SetIpTtl(int ttl) implements Ofpact {
        public String name() {
            return "mod_nw_ttl";
        }
    }

    /** {@code mod_tp_src} / {@code mod_tp_dst}. */
    record SetL4Port(boolean src, int port) implements Ofpact {
        public String name() {
            return src ? "mod_tp_src" : "mod_tp_dst";
        }
    }

    /** {@code move:SRC[..]->DST[..]}. */
    record RegMove(Subfield src, Subfield dst) implements Ofpact {
        public String name() {
            return "move";
        }
    }

    /** {@code push:F[..]} / {@code pop:F[..]}. */
    record Stack(boolean push, Subfield field) implements Ofpact {
        public String name() {
            return push ? "push" : "pop";
        }
    }

    /** {@code dec_ttl} or {@code dec_ttl(IDS)} ({@code cntIds}). */
    record DecTtl(int[] ids, boolean cntIds) implements Ofpact {
        public String name() {
            return "dec_ttl";
        }
    }

    /** {@code set_mpls_label}, {@code set_mpls_tc}, {@code set_mpls_ttl}, {@code dec_mpls_ttl}. */
    record Mpls(String name, int value) implements Ofpact {
    }

    /** {@code push_mpls} / {@code pop_mpls}. */
    record PushPopMpls(boolean push, int ethertype) implements Ofpact {
        public String name() {
            return push ? "push_mpls" : "pop_mpls";
        }
    }

    /** {@code set_tunnel} / {@code set_tunnel64}. */
    record SetTunnel(long id, boolean wide) implements Ofpact {
        public String name() {
            return "set_tunnel";
        }
    }

    /** {@code set_queue:ID}. */
    record SetQueue(long id) implements Ofpact {
        public String name() {
            return "set_queue";
        }
    }

    /** {@code pop_queue}, {@code exit}, {@code ct_clear}. */
    record Simple(String name) implements Ofpact {
    }

    /** {@code resubmit}. */
    record Resubmit(int inPort, int table, boolean ct) implements Ofpact {
        public String name() {
            return "resubmit";
        }
    }

    /** {@code conjunction(id,k/n)}, {@code clause} 0-based as on the wire. */
    record Conjunction(long id, int clause, int nClauses) implements Ofpact {
        public String name() {
            return "conjunction";
        }
    }

    /** {@code note:HEX}. */
    record Note(byte[] data) implements Ofpact {
        public String name() {
            return "note";
        }
    }

    /** {@code ct(...)}: its nested actions are {@code nat} and the {@code exec(...)} actions, in text order. */
    record Ct(int flags, int zoneImm, Subfield zoneSrc, int recircTable, int alg, List<Ofpact> actions)
            implements Ofpact {
        public String name() {
            return "ct";
        }
    }

    /** {@code nat(...)}: {@code af} 0 (no range), 4 or 6. */
    record Nat(int flags, int af, byte[] min, byte[] max, int protoMin, int protoMax) implements Ofpact {
        public String name() {
            return "nat";
        }
    }

    /** An action OVS parses that this switch does not implement (learn, bundle, ...). */
    record Unsupported(String name) implements Ofpact {
    }

    /** {@code meter:ID} (an instruction). */
    record Meter(long id) implements Ofpact {
        public Inst inst() {
            return Inst.METER;
        }

        public String name() {
            return "meter";
        }
    }

    /** {@code clear_actions}. */
    record ClearActions() implements Ofpact {
        public Inst inst() {
            return Inst.CLEAR_ACTIONS;
        }

        public String name() {
            return "clear_actions";
        }
    }

    /** {@code write_actions(...)}. */
    record WriteActions(List<Ofpact> actions) implements Ofpact {
        public Inst inst() {
            return Inst.WRITE_ACTIONS;
        }

        public String name() {
            return "write_actions";
        }
    }

    /** {@code write_metadata:V[/M]}. */
    record WriteMetadata(long value, long mask) implements Ofpact {
        public Inst inst() {
            return Inst.WRITE_METADATA;
        }

        public String name() {
            return "write_metadata";
        }
    }

    /** {@code goto_table:N}. */
    record GotoTable(int table) implements Ofpact {
        public Inst inst() {
            return Inst.GOTO_TABLE;
        }

        public String name() {
            return "goto_table";
        }
    }
}
