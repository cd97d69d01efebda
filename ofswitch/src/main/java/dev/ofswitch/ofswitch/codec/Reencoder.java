package dev.ofswitch.ofswitch.codec;

import dev.ofswitch.ofswitch.codec.Action.ActionList;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a flow's (or a bucket's) actions and instructions for the version of the connection that asks for them, as
 * OVS 3.1's {@code ofpacts_put_openflow_actions()} / {@code ofpacts_put_openflow_instructions()} do.
 *
 * <p>When the bytes as received are already in the asking version's form they are echoed (SWITCH-CONTRACT §3.3).
 * The forms are: OpenFlow 1.0; OpenFlow 1.1-1.4 (1.3 and 1.4 share every encoding this codec models); OpenFlow 1.5
 * (no {@code NXAST_REG_LOAD}/{@code REG_LOAD2}/{@code REG_MOVE}, masked set_field, meter as an action). Otherwise every
 * action is re-encoded the way OVS's per-action {@code encode_*()} chooses for the version:
 *
 * <table>
 *   <caption>Action encodings per version</caption>
 *   <tr><th>action</th><th>OpenFlow 1.0</th><th>1.3 / 1.4</th><th>1.5</th></tr>
 *   <tr><td>set_field (OFPAT_SET_FIELD)</td><td>the legacy action for the field ({@code set_field_to_legacy_openflow():
 *       vlan_vid/pcp/tci, eth, ipv4, nw_tos/ip_dscp, tp ports; ip_ecn as reg_load}), else NXAST_REG_LOAD per
 *       contiguous mask segment</td><td>OFPAT_SET_FIELD if it sets the whole field, else NXAST_REG_LOAD
 *       segments</td><td>OFPAT_SET_FIELD, masked if needed</td></tr>
 *   <tr><td>load (NXAST_REG_LOAD / REG_LOAD2)</td><td colspan="2">as it came: REG_LOAD segments (REG_LOAD2 stays
 *       REG_LOAD2)</td><td>OFPAT_SET_FIELD</td></tr>
 *   <tr><td>move (NXAST_REG_MOVE / OFPAT_COPY_FIELD)</td><td colspan="2">NXAST_REG_MOVE (a 1.5 copy_field
 *       over 1.3: ONF's copy_field extension)</td><td>OFPAT_COPY_FIELD</td></tr>
 *   <tr><td>legacy mod_* (set_vlan, dl, nw, tos, tp, mpls label/tc)</td><td>OFPAT10_* (mod_nw_ecn as
 *       reg_load)</td><td colspan="2">OFPAT_SET_FIELD; an OpenFlow 1.0 mod_vlan_vid/pcp on a flow without a VLAN
 *       gets push_vlan:0x8100 first; mod_tp_* only when the match names tcp/udp/sctp, else the deprecated
 *       OFPAT_SET_TP_*</td></tr>
 *   <tr><td>set_tunnel</td><td>NXAST_SET_TUNNEL(64)</td><td colspan="2">set_field tun_id</td></tr>
 *   <tr><td>mod_nw_ttl</td><td>reg_load nw_ttl</td><td colspan="2">OFPAT_SET_NW_TTL</td></tr>
 *   <tr><td>enqueue</td><td>OFPAT10_ENQUEUE</td><td colspan="2">set_queue, output (max_len 65535), pop_queue</td></tr>
 *   <tr><td>push_vlan</td><td>nothing (OpenFlow 1.0's mod_vlan_vid pushes by itself)</td>
 *       <td colspan="2">OFPAT_PUSH_VLAN</td></tr>
 *   <tr><td>dec_ttl, group, set_queue, push/pop_mpls, mpls ttl</td><td>the Nicira form</td>
 *       <td colspan="2">the standard form</td></tr>
 * </table>
 *
 * Instructions are re-encoded in OVS's canonical order (meter, apply-actions, clear-actions, write-actions,
 * write-metadata, goto-table). Over OpenFlow 1.0: apply-actions are the action list, write-metadata becomes
 * NXAST_WRITE_METADATA, goto_table NXAST_RESUBMIT_TABLE(in_port, table), and meter, clear-actions and write-actions
 * are dropped, as OVS drops them. (ovs-ofctl 3.1 then refuses OVS's own reply for a flow that has write_metadata and
 * goto_table: "apply_actions must appear before write_metadata".) Over OpenFlow 1.5 a meter instruction becomes the
 * first action of apply-actions; over 1.3/1.4 a 1.5 meter action becomes a meter instruction.
 *
 * <p>Conntrack actions ({@link Action.Opaque}) are echoed as received: their nested actions are not re-encoded.
 */
public final class Reencoder {
    /** {@code NXAST_WRITE_METADATA}. */
    static final int NXAST_WRITE_METADATA = 22;
    /** {@code NXAST_RESUBMIT_TABLE}. */
    static final int NXAST_RESUBMIT_TABLE = 14;

    private Reencoder() {
    }

    /** Which encoding family a wire version belongs to: 1.0, 1.1-1.4, or 1.5. */
    static int family(int version) {
        if (version == OfVersion.OF10) {
            return 10;
        }
        return version >= OfVersion.OF15 ? 15 : 11;
    }

    /** Whether bytes encoded for {@code from} may be echoed to a {@code to} connection ({@code from} 0: unknown). */
    static boolean sameForm(int from, int to) {
        return from == 0 || family(from) == family(to);
    }

    /**
     * What OVS's {@code ofpacts_check()} remembers about the flow while walking its actions, which decides some
     * encodings: whether a VLAN header is present (mod_vlan_vid pushes one when converted to 1.1+) and the IP protocol
     * (mod_tp_src becomes set_field tcp_src, udp_src or sctp_src).
     */
    static final class FlowState {
        boolean vlan;
        int nwProto;

        /** The state a flow with match {@code m} starts with (a group bucket: {@code m} null). */
        static FlowState of(Match m) {
            if (m == null) {
                return new FlowState();
            }
            long[] v = FlowKey.newKey();
            long[] k = FlowKey.newKey();
            m.toKey(v, k);
            return of(v);
        }

        /** The state a flow whose match values are {@code values} ({@link FlowKey} array) starts with. */
        static FlowState of(long[] values) {
            FlowState s = new FlowState();
            s.vlan = (FlowKey.get(values, MatchField.VLAN_TCI) & 0x1000) != 0;
            s.nwProto = (int) FlowKey.get(values, MatchField.IP_PROTO);
            return s;
        }

        FlowState copy() {
            FlowState s = new FlowState();
            s.vlan = vlan;
            s.nwProto = nwProto;
            return s;
        }
    }

    // -------------------------------------------------------------------------------------------------- actions

    /**
     * Writes an action list for a {@code version} connection: the bytes as received if they are in that version's
     * form, else re-encoded. {@code match} is the flow's, null for a group bucket (OVS checks buckets against a
     * catch-all match).
     */
    public static void writeActions(ByteBuf out, ActionList al, int version, Match match) {
        writeActions(out, al, version, FlowState.of(match));
    }

    /** {@link #writeActions(ByteBuf, ActionList, int, Match)} with an explicit flow state. */
    static void writeActions(ByteBuf out, ActionList al, int version, FlowState state) {
        if (sameForm(al.version(), version)) {
            out.writeBytes(al.raw());
            return;
        }
        for (Action a : al.actions()) {
            encode(out, a, al.version(), version, state);
        }
    }

    /** Encodes one action for {@code to}, as OVS's {@code encode_<ACTION>()}; {@code from} is its source version. */
    static void encode(ByteBuf out, Action a, int from, int to, FlowState st) {
        boolean of10 = to == OfVersion.OF10;
        if (a instanceof Action.Enqueue e && !of10) {
            simple(out, 21, (int) e.queueId());
            ActionCodec.encode(out, List.of(new Action.Output(e.port(), 0xffff)), to);
            nx(out, 5).finish();
        } else if (a instanceof Action.SetField sf) {
            MatchEntry e = sf.entry();
            byte[] mask = e.maskBytes() != null ? e.maskBytes() : ones(e.field().nBytes());
            setField(out, e.field(), e.valueBytes(), mask, Kind.SET_FIELD, to, st);
        } else if (a instanceof Action.RegLoad r) {
            int n = r.dst().nBytes();
            byte[] value = new byte[n];
            byte[] mask = new byte[n];
            putBits(value, r.ofs(), r.nBits(), r.value());
            putBits(mask, r.ofs(), r.nBits(), -1L);
            setField(out, r.dst(), value, mask, Kind.REG_LOAD, to, st);
        } else if (a instanceof Action.RegLoad2 r) {
            MatchEntry e = r.entry();
            byte[] mask = e.maskBytes() != null ? e.maskBytes() : ones(e.field().nBytes());
            setField(out, e.field(), e.valueBytes(), mask, Kind.REG_LOAD2, to, st);
        } else if (a instanceof Action.Move m) {
            move(out, m, to);
        } else if (a instanceof Action.PushVlan p) {
            st.vlan = true;
            if (!of10) {
                simple(out, 17, p.ethertype() << 16);
            }
        } else if (a instanceof Action.PopVlan) {
            st.vlan = false;
            ActionCodec.encode(out, List.of(a), to);
        } else if (a instanceof Action.PushMpls) {
            st.nwProto = 0;
            ActionCodec.encode(out, List.of(a), to);
        } else if (a instanceof Action.SetNwTtl t && of10) {
            regLoad(out, MatchField.NW_TTL, 0, 8, t.ttl());
        } else if (a instanceof Action.SetLegacy l) {
            legacy(out, l, from, to, st);
        } else if (a instanceof Action.SetTunnel t) {
            if (of10) {
                boolean wide = t.wide() || (t.tunId() & 0xffffffff00000000L) != 0;
                ActionCodec.encode(out, List.of(new Action.SetTunnel(t.tunId(), wide)), to);
            } else {
                setFieldAction(out, MatchField.TUN_ID, MatchEntry.toBytes(t.tunId(), 8), null, to);
            }
        } else if (a instanceof Action.OutputReg r) {
            outputReg(out, r);
        } else if (a instanceof Action.Meter m) {
            if (to >= OfVersion.OF15) {
                simple(out, 29, (int) m.meterId());
            }
            // Before 1.5 a meter is an instruction; InstructionsWriter places it. In an action list it has no form.
        } else {
            // Output, group, set_queue, 1.0 enqueue, pop_vlan, mpls, dec_ttl, set_nw_ttl (1.1+), resubmit, note,
            // pop_queue, exit, controller: ActionCodec already picks the version's form. Opaque: echoed.
            ActionCodec.encode(out, List.of(a), to);
        }
    }

    /** How a set-field-like action came in (OVS's {@code ofpact.raw}): it decides the form kept in 1.0-1.4. */
    enum Kind { SET_FIELD, REG_LOAD, REG_LOAD2 }

    /** OVS {@code encode_SET_FIELD()} plus the flow-state bookkeeping of {@code check_SET_FIELD()}. */
    private static void setField(ByteBuf out, MatchField f, byte[] value, byte[] mask, Kind kind, int to,
                                 FlowState st) {
        boolean flowHasVlan = st.vlan;
        if (f == MatchField.VLAN_TCI) {
            st.vlan = (value[0] & 0x10) != 0;
        }
        if (to >= OfVersion.OF15) {
            setFieldAction(out, f, value, mask, to);
        } else if (kind != Kind.SET_FIELD) {
            toNxast(out, f, value, mask, kind);
        } else if (to < OfVersion.OF12) {
            toLegacy(out, f, value, mask, to, flowHasVlan);
        } else if (isAllOnes(mask)) {
            setFieldAction(out, f, value, null, to);
        } else {
            toNxast(out, f, value, mask, kind);
        }
    }

    /** OVS {@code set_field_to_set_field()} / {@code put_set_field()}: OFPAT_SET_FIELD with the version's header. */
    private static void setFieldAction(ByteBuf out, MatchField f, byte[] value, byte[] mask, int to) {
        int s = out.writerIndex();
        out.writeShort(25).writeShort(0);
        entry(out, f, to, value, mask);
        finish(out, s);
    }

    /** OVS {@code nx_put_entry()}: the header for {@code version}, masked only if the mask is not all ones. */
    private static void entry(ByteBuf out, MatchField f, int version, byte[] value, byte[] mask) {
        boolean masked = mask != null && !isAllOnes(mask);
        long h = f.preferredHeader(version);
        int h32 = (int) (h >>> 32);
        boolean exp = (h32 >>> 16) == 0xffff;
        int len = (exp ? 4 : 0) + value.length * (masked ? 2 : 1);
        out.writeInt((h32 & 0xfffffe00) | (masked ? 0x100 : 0) | len);
        if (exp) {
            out.writeInt((int) h);
        }
        out.writeBytes(value);
        if (masked) {
            out.writeBytes(mask);
        }
    }

    /** OVS {@code set_field_to_nxast()}: NXAST_REG_LOAD2 if it came that way, else one REG_LOAD per segment. */
    private static void toNxast(ByteBuf out, MatchField f, byte[] value, byte[] mask, Kind kind) {
        if (kind == Kind.REG_LOAD2 || (f.preferredHeader(0) >>> 48) == 0xffff) {
            Nx nx = nx(out, 33);
            entry(out, f, 0, value, mask);
            nx.finish();
            return;
        }
        for (Action.RegLoad r : regLoadSegments(f, value, mask)) {
            regLoad(out, f, r.ofs(), r.nBits(), r.value());
        }
    }

    /**
     * OVS {@code next_load_segment()}: the NXAST_REG_LOADs that write {@code value} under {@code mask} into
     * {@code f}, one per run of 1-bits in the mask, at most 64 bits each.
     */
    public static List<Action.RegLoad> regLoadSegments(MatchField f, byte[] value, byte[] mask) {
        List<Action.RegLoad> out = new ArrayList<>();
        int nBits = f.nBits();
        int start = 0;
        while (start < nBits) {
            int ofs = scan(mask, true, start, nBits);
            if (ofs >= nBits) {
                break;
            }
            int end = scan(mask, false, ofs + 1, Math.min(ofs + 64, nBits));
            out.add(new Action.RegLoad(f, ofs, end - ofs, getBits(value, ofs, end - ofs),
                    (int) (f.preferredHeader(0) >>> 32)));
            start = end;
        }
        return out;
    }

    /** OVS {@code put_reg_load()}: the destination is the field's version-0 (NXM if it has one) header. */
    private static void regLoad(ByteBuf out, MatchField f, int ofs, int nBits, long value) {
        Nx nx = nx(out, 7);
        out.writeShort((ofs << 6) | (nBits - 1)).writeInt((int) (f.preferredHeader(0) >>> 32)).writeLong(value);
        nx.finish();
    }

    /** OVS {@code set_field_to_legacy_openflow()} (OpenFlow 1.0); the mask is ignored there, as OVS does. */
    private static void toLegacy(ByteBuf out, MatchField f, byte[] value, byte[] mask, int to, boolean flowHasVlan) {
        long v = f.isWide() ? 0 : FlowKey.readValue(value, 0, value.length);
        switch (f) {
            case VLAN_TCI:
                if ((v & 0x1000) != 0) {
                    simple(out, 1, (int) (v & 0xfff) << 16);
                    simple(out, 2, (int) (v >>> 13) << 24);
                } else {
                    simple(out, 3, 0);
                }
                return;
            case VLAN_VID:
                simple(out, 1, (int) (v & 0xfff) << 16);
                return;
            case VLAN_PCP:
                simple(out, 2, (int) v << 24);
                return;
            case ETH_SRC:
            case ETH_DST:
                out.writeShort(f == MatchField.ETH_SRC ? 4 : 5).writeShort(16).writeBytes(value).writeZero(6);
                return;
            case IPV4_SRC:
            case IPV4_DST:
                simple(out, f == MatchField.IPV4_SRC ? 6 : 7, (int) v);
                return;
            case NW_TOS:
                simple(out, 8, (int) v << 24);
                return;
            case IP_DSCP:
                simple(out, 8, (int) (v << 2) << 24);
                return;
            case IP_ECN:
                regLoad(out, MatchField.IP_ECN, 0, 2, v);
                return;
            case TCP_SRC:
            case UDP_SRC:
                simple(out, 9, (int) v << 16);
                return;
            case TCP_DST:
            case UDP_DST:
                simple(out, 10, (int) v << 16);
                return;
            default:
                toNxast(out, f, value, mask, Kind.SET_FIELD);
        }
    }

    /** The pre-set_field rewrites (OVS {@code encode_SET_VLAN_VID()}, {@code encode_SET_IPV4_addr()}, ...). */
    private static void legacy(ByteBuf out, Action.SetLegacy l, int from, int to, FlowState st) {
        MatchField f = l.field();
        long v = l.value();
        boolean of10 = to == OfVersion.OF10;
        switch (f) {
            case VLAN_VID:
            case VLAN_PCP: {
                boolean pushIfNeeded = from == OfVersion.OF10;
                boolean flowHasVlan = st.vlan;
                st.vlan = true;
                if (!of10 && pushIfNeeded && !flowHasVlan) {
                    simple(out, 17, 0x8100 << 16);
                }
                if (of10) {
                    simple(out, f == MatchField.VLAN_VID ? 1 : 2,
                            f == MatchField.VLAN_VID ? (int) v << 16 : (int) v << 24);
                } else if (f == MatchField.VLAN_VID) {
                    setFieldAction(out, f, MatchEntry.toBytes(v | 0x1000, 2), null, to);
                } else {
                    setFieldAction(out, f, MatchEntry.toBytes(v, 1), null, to);
                }
                return;
            }
            case ETH_SRC:
            case ETH_DST:
                if (of10) {
                    out.writeShort(f == MatchField.ETH_SRC ? 4 : 5).writeShort(16).writeBytes(MatchEntry.toBytes(v, 6))
                            .writeZero(6);
                } else {
                    setFieldAction(out, f, MatchEntry.toBytes(v, 6), null, to);
                }
                return;
            case IPV4_SRC:
            case IPV4_DST:
                if (of10) {
                    simple(out, f == MatchField.IPV4_SRC ? 6 : 7, (int) v);
                } else {
                    setFieldAction(out, f, MatchEntry.toBytes(v, 4), null, to);
                }
                return;
            case NW_TOS:
                if (of10) {
                    simple(out, 8, (int) v << 24);
                } else {
                    setFieldAction(out, MatchField.IP_DSCP, MatchEntry.toBytes(v >>> 2, 1), null, to);
                }
                return;
            case IP_ECN:
                if (of10) {
                    regLoad(out, MatchField.IP_ECN, 0, 2, v);
                } else {
                    setFieldAction(out, f, MatchEntry.toBytes(v, 1), null, to);
                }
                return;
            case TCP_SRC:
            case TCP_DST: {
                boolean src = f == MatchField.TCP_SRC;
                MatchField target = switch (st.nwProto) {
                    case 6 -> src ? MatchField.TCP_SRC : MatchField.TCP_DST;
                    case 17 -> src ? MatchField.UDP_SRC : MatchField.UDP_DST;
                    case 132 -> src ? MatchField.SCTP_SRC : MatchField.SCTP_DST;
                    default -> null;
                };
                if (of10 || target == null) {
                    simple(out, src ? 9 : 10, (int) v << 16);
                } else {
                    setFieldAction(out, target, MatchEntry.toBytes(v, 2), null, to);
                }
                return;
            }
            case MPLS_LABEL:
                if (of10) {
                    Nx nx = nx(out, 30);
                    out.writeShort(0).writeInt((int) v);
                    nx.finish();
                } else {
                    setFieldAction(out, f, MatchEntry.toBytes(v, 4), null, to);
                }
                return;
            case MPLS_TC:
                if (of10) {
                    Nx nx = nx(out, 31);
                    out.writeByte((int) v);
                    nx.finish();
                } else {
                    setFieldAction(out, f, MatchEntry.toBytes(v, 1), null, to);
                }
                return;
            default:
                throw new IllegalArgumentException("cannot encode " + l);
        }
    }

    /**
     * OVS {@code encode_REG_MOVE()}: OFPAT_COPY_FIELD in 1.5 (1.5 headers); a 1.5 copy_field sent to OpenFlow 1.3 (not
     * 1.4) becomes ONF's copy_field extension (experimenter 0x4f4e4600, type 3200, 1.3 headers), since OVS decodes
     * both into the same raw form; anything else NXAST_REG_MOVE with version-0 headers.
     */
    private static void move(ByteBuf out, Action.Move m, int to) {
        int s = out.writerIndex();
        int hv;
        if (to >= OfVersion.OF15) {
            out.writeShort(28).writeShort(0).writeShort(m.nBits()).writeShort(m.srcOfs()).writeShort(m.dstOfs())
                    .writeShort(0);
            hv = to;
        } else if (to == OfVersion.OF13 && m.copyField()) {
            out.writeShort(ActionCodec.OFPAT_VENDOR).writeShort(0).writeInt(ErrorCode.ONF_VENDOR_ID).writeShort(3200)
                    .writeShort(0).writeShort(m.nBits()).writeShort(m.srcOfs()).writeShort(m.dstOfs()).writeShort(0);
            hv = to;
        } else {
            nx(out, 6);
            out.writeShort(m.nBits()).writeShort(m.srcOfs()).writeShort(m.dstOfs());
            hv = 0;
        }
        header(out, m.src().preferredHeader(hv));
        header(out, m.dst().preferredHeader(hv));
        finish(out, s);
    }

    /** OVS {@code encode_OUTPUT_REG()}: the source under its version-0 header. */
    private static void outputReg(ByteBuf out, Action.OutputReg r) {
        long h = r.src().preferredHeader(0);
        boolean v2 = r.v2() || (h >>> 48) == 0xffff;
        Nx nx = nx(out, v2 ? 32 : 15);
        out.writeShort((r.ofs() << 6) | (r.nBits() - 1));
        if (v2) {
            out.writeShort(r.maxLen());
            header(out, h);
        } else {
            out.writeInt((int) (h >>> 32)).writeShort(r.maxLen());
        }
        nx.finish();
    }

    // ---------------------------------------------------------------------------------------------- instructions

    /**
     * Writes a flow's instructions for a {@code version} connection (OpenFlow 1.0: its action list): the bytes as
     * received if they are in that version's form, else re-encoded in OVS's canonical instruction order.
     *
     * @param match the flow's match, which some conversions read (VLAN presence, IP protocol)
     */
    public static void writeInstructions(ByteBuf out, Instructions ins, int version, Match match) {
        if (sameForm(ins.version(), version) && ins.isActionsOnly() == (version == OfVersion.OF10)) {
            out.writeBytes(ins.raw());
            return;
        }
        writeInstructions(out, ins, ins.version(), version, FlowState.of(match));
    }

    /**
     * Writes instructions that were parsed from ovs-ofctl text rather than decoded, for a {@code version} message:
     * always encoded, as OVS encodes freshly parsed ofpacts, which have no wire form yet. The OpenFlow 1.0-style VLAN
     * rewrites among them ({@link Action.SetLegacy} of vlan_vid/vlan_pcp, i.e. {@code mod_vlan_vid}) push a VLAN
     * header in 1.1+ when the flow has none, as OVS's {@code push_vlan_if_needed}.
     *
     * @param matchValues the flow's match values ({@link FlowKey} array): VLAN presence and IP protocol decide some
     *                    encodings
     */
    public static void writeParsedInstructions(ByteBuf out, Instructions ins, int version, long[] matchValues) {
        writeInstructions(out, ins, OfVersion.OF10, version, FlowState.of(matchValues));
    }

    /** Writes parsed actions (the nested actions of a {@code ct()}) for {@code version}, as above. */
    public static void writeParsedActions(ByteBuf out, List<Action> actions, int version) {
        FlowState st = new FlowState();
        for (Action a : actions) {
            encode(out, a, OfVersion.OF10, version, st);
        }
    }

    private static void writeInstructions(ByteBuf out, Instructions ins, int from, int version, FlowState st) {
        Instruction.Meter meter = null;
        Instruction.ApplyActions apply = null;
        Instruction.ClearActions clear = null;
        Instruction.WriteActions write = null;
        Instruction.WriteMetadata metadata = null;
        Instruction.GotoTable gotoTable = null;
        for (Instruction i : ins.list()) {
            if (i instanceof Instruction.Meter m) {
                meter = m;
            } else if (i instanceof Instruction.ApplyActions a) {
                apply = a;
            } else if (i instanceof Instruction.ClearActions c) {
                clear = c;
            } else if (i instanceof Instruction.WriteActions w) {
                write = w;
            } else if (i instanceof Instruction.WriteMetadata w) {
                metadata = w;
            } else if (i instanceof Instruction.GotoTable g) {
                gotoTable = g;
            }
        }
        // OVS's ofpacts in order: a meter instruction, then the apply-actions (1.5 meter actions among them).
        List<Action> applied = new ArrayList<>();
        if (meter != null) {
            applied.add(new Action.Meter(meter.meterId()));
        }
        if (apply != null) {
            applied.addAll(apply.actions().actions());
        }
        if (version == OfVersion.OF10) {
            for (Action a : applied) {
                encode(out, a, from, version, st);
            }
            if (metadata != null) {
                Nx nx = nx(out, NXAST_WRITE_METADATA);
                out.writeZero(6).writeLong(metadata.metadata()).writeLong(metadata.mask());
                nx.finish();
            }
            if (gotoTable != null) {
                Nx nx = nx(out, NXAST_RESUBMIT_TABLE);
                out.writeShort(Action.OFPP_IN_PORT).writeByte(gotoTable.tableId());
                nx.finish();
            }
            return;
        }
        int s = -1;
        for (Action a : applied) {
            if (a instanceof Action.Meter m && version < OfVersion.OF15) {
                s = closeApply(out, s);
                out.writeShort(6).writeShort(8).writeInt((int) m.meterId());
                continue;
            }
            if (s < 0) {
                s = out.writerIndex();
                out.writeShort(4).writeShort(0).writeZero(4);
            }
            encode(out, a, from, version, st);
        }
        closeApply(out, s);
        if (clear != null) {
            out.writeShort(5).writeShort(8).writeZero(4);
        }
        if (write != null) {
            int w = out.writerIndex();
            out.writeShort(3).writeShort(0).writeZero(4);
            FlowState nested = st.copy();
            for (Action a : write.actions().actions()) {
                encode(out, a, from, version, nested);
            }
            out.setShort(w + 2, out.writerIndex() - w);
        }
        if (metadata != null) {
            out.writeShort(2).writeShort(24).writeZero(4).writeLong(metadata.metadata()).writeLong(metadata.mask());
        }
        if (gotoTable != null) {
            out.writeShort(1).writeShort(8).writeByte(gotoTable.tableId()).writeZero(3);
        }
    }

    private static int closeApply(ByteBuf out, int s) {
        if (s >= 0) {
            out.setShort(s + 2, out.writerIndex() - s);
        }
        return -1;
    }

    // ----------------------------------------------------------------------------------------------- helpers

    /** A Nicira action under construction: {@code ext_action_header} written, body to follow. */
    private record Nx(ByteBuf out, int start) {
        void finish() {
            Reencoder.finish(out, start);
        }
    }

    /** Writes the 10 bytes of a Nicira action header (type, len, vendor, subtype); the body follows at offset 10. */
    private static Nx nx(ByteBuf out, int subtype) {
        int s = out.writerIndex();
        out.writeShort(ActionCodec.OFPAT_VENDOR).writeShort(0).writeInt(ErrorCode.NX_VENDOR_ID).writeShort(subtype);
        return new Nx(out, s);
    }

    private static void finish(ByteBuf out, int start) {
        OfHeader.pad8(out, start);
        out.setShort(start + 2, out.writerIndex() - start);
    }

    /** An 8-byte standard action whose 4 argument bytes are {@code arg} (left-aligned by the caller). */
    private static void simple(ByteBuf out, int type, int arg) {
        out.writeShort(type).writeShort(8).writeInt(arg);
    }

    private static void header(ByteBuf out, long header64) {
        int h = (int) (header64 >>> 32);
        out.writeInt(h);
        if ((h >>> 16) == 0xffff) {
            out.writeInt((int) header64);
        }
    }

    private static byte[] ones(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 0xff);
        return b;
    }

    private static boolean isAllOnes(byte[] b) {
        for (byte x : b) {
            if (x != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    /** Bit {@code i} (0 = least significant) of a big-endian byte array. */
    private static boolean bit(byte[] b, int i) {
        return (b[b.length - 1 - i / 8] & (1 << (i % 8))) != 0;
    }

    /** OVS {@code bitwise_scan()}: the first bit in [start, end) equal to {@code target}, else {@code end}. */
    private static int scan(byte[] b, boolean target, int start, int end) {
        for (int i = start; i < end; i++) {
            if (bit(b, i) == target) {
                return i;
            }
        }
        return end;
    }

    /** OVS {@code bitwise_get()}: {@code n} ≤ 64 bits at {@code ofs}. */
    private static long getBits(byte[] b, int ofs, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 1) | (bit(b, ofs + i) ? 1 : 0);
        }
        return v;
    }

    /** OVS {@code bitwise_put()}: the low {@code n} bits of {@code v} at {@code ofs}. */
    static void putBits(byte[] b, int ofs, int n, long v) {
        for (int i = 0; i < n; i++) {
            int at = b.length - 1 - (ofs + i) / 8;
            int m = 1 << ((ofs + i) % 8);
            if (((v >>> i) & 1) != 0) {
                b[at] |= (byte) m;
            } else {
                b[at] &= (byte) ~m;
            }
        }
    }
}
