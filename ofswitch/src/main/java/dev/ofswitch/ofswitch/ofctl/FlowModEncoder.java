package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.ExperimenterActions;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.FlowModCodec;
import dev.ofswitch.ofswitch.codec.Instruction;
import dev.ofswitch.ofswitch.codec.Instructions;
import dev.ofswitch.ofswitch.codec.MatchCodec;
import dev.ofswitch.ofswitch.codec.MatchEntry;
import dev.ofswitch.ofswitch.codec.NiciraMessages;
import dev.ofswitch.ofswitch.codec.OfHeader;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.codec.Reencoder;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a parsed flow as the message ovs-ofctl sends for a protocol, as OVS 3.1's {@code ofputil_encode_flow_mod()}
 * ({@code lib/ofp-flow.c}):
 *
 * <table>
 *   <caption>Message per protocol</caption>
 *   <tr><th>protocol</th><th>message</th><th>match</th><th>actions</th></tr>
 *   <tr><td>OpenFlow10(+table_id)</td><td>OFPT_FLOW_MOD 1.0 (table id in the command's high byte with
 *       +table_id)</td><td>{@code ofp10_match}</td><td>1.0 actions</td></tr>
 *   <tr><td>NXM(+table_id)</td><td>NXT_FLOW_MOD</td><td>NXM, cookie mask as NXM_NX_COOKIE</td>
 *       <td>1.0 actions</td></tr>
 *   <tr><td>OXM-OpenFlow13/14/15</td><td>OFPT_FLOW_MOD 1.1+</td><td>OXM</td><td>instructions</td></tr>
 * </table>
 *
 * The match is written by {@link MatchCodec#putRaw} (OVS {@code nx_put_raw()}), plus the {@code packet_type} entry
 * that OVS inserts when the match asks for Ethernet but no field it sends implies it. Actions are converted to the
 * codec's {@link Action} model and written by {@link Reencoder#writeParsedInstructions}, which makes OVS's per-version
 * choices (set_field or reg_load, legacy rewrites in 1.0, copy_field in 1.5, ...). ct() and nat() are written here:
 * their wire form is OVS's {@code encode_CT()} and {@code encode_NAT()}.
 */
final class FlowModEncoder {
    private FlowModEncoder() {
    }

    /** The OXM header of OVS's {@code packet_type} field (class 0x8000, field 44, 4 bytes). */
    static final int OXM_PACKET_TYPE = 0x80005804;

    /** The wire version of a protocol bit. */
    static int version(int protocol) {
        if ((protocol & Protocols.OF10_ANY) != 0) {
            return OfVersion.OF10;
        }
        switch (protocol) {
            case Protocols.OF13_OXM: return OfVersion.OF13;
            case Protocols.OF14_OXM: return OfVersion.OF14;
            case Protocols.OF15_OXM: return OfVersion.OF15;
            default: throw new IllegalArgumentException("protocol " + Protocols.name(protocol));
        }
    }

    /** The FLOW_MOD for {@code p} in {@code protocol} (one {@link Protocols} bit), with transaction id {@code xid}. */
    static byte[] encode(FlowParser.Parsed p, int protocol, int xid) {
        int version = version(protocol);
        boolean tid = (protocol & (Protocols.OF10_STD_TID | Protocols.OF10_NXM_TID)) != 0;
        int command = tid ? (p.command() & 0xff) | (p.tableId() << 8) : p.command();
        int flags = encodeFlags(p.flags(), version);
        ByteBuf out = Unpooled.buffer();
        if ((protocol & Protocols.OF10_STD_ANY) != 0) {
            int start = OfHeader.write(out, version, FlowModCodec.OFPT_FLOW_MOD, xid);
            MatchCodec.encodeOf10(out, p.match().values, p.match().masks);
            out.writeLong(p.newCookie()).writeShort(command).writeShort(p.idleTimeout()).writeShort(p.hardTimeout())
                    .writeShort(p.priority()).writeInt(-1).writeShort(p.outPort()).writeShort(flags);
            writeInstructions(out, p, version);
            OfHeader.patchLength(out, start);
        } else if ((protocol & Protocols.OF10_NXM_ANY) != 0) {
            int start = OfHeader.writeNicira(out, version, xid, FlowModCodec.NXT_FLOW_MOD);
            out.writeLong(p.newCookie()).writeShort(command).writeShort(p.idleTimeout()).writeShort(p.hardTimeout())
                    .writeShort(p.priority()).writeInt(-1).writeShort(p.outPort()).writeShort(flags);
            int matchLenAt = out.writerIndex();
            out.writeShort(0).writeZero(6);
            int mstart = out.writerIndex();
            int matchLen = putMatch(out, p.match(), 0, p.cookie(), p.cookieMask());
            OfHeader.pad8(out, mstart);
            out.setShort(matchLenAt, matchLen);
            writeInstructions(out, p, version);
            OfHeader.patchLength(out, start);
        } else {
            int start = OfHeader.write(out, version, FlowModCodec.OFPT_FLOW_MOD, xid);
            boolean delete = p.command() == FlowMod.OFPFC_DELETE || p.command() == FlowMod.OFPFC_DELETE_STRICT;
            long cookie = p.command() == FlowMod.OFPFC_ADD ? p.newCookie() : p.cookie() & p.cookieMask();
            out.writeLong(cookie).writeLong(p.cookieMask());
            out.writeByte(p.tableId() != 0xff || delete ? p.tableId() : 0).writeByte(p.command());
            out.writeShort(p.idleTimeout()).writeShort(p.hardTimeout()).writeShort(p.priority()).writeInt(-1);
            out.writeInt((int) MatchField.portToOfp11(p.outPort())).writeInt((int) p.outGroup());
            out.writeShort(flags);
            out.writeShort(version >= OfVersion.OF14 && p.command() == FlowMod.OFPFC_ADD ? p.importance() : 0);
            int mstart = out.writerIndex();
            out.writeShort(MatchCodec.OFPMT_OXM).writeShort(0);
            int len = putMatch(out, p.match(), version, 0, 0);
            out.setShort(mstart + 2, len + 4);
            OfHeader.pad8(out, mstart);
            writeInstructions(out, p, version);
            OfHeader.patchLength(out, start);
        }
        return ByteBufUtil.getBytes(out);
    }

    /** OVS {@code ofputil_encode_flow_mod_flags()}: each flag exists from some version on. */
    private static int encodeFlags(int flags, int version) {
        int raw = flags & (FlowParser.FF_SEND_FLOW_REM | FlowParser.FF_CHECK_OVERLAP);
        if (version >= OfVersion.OF12 && (flags & FlowParser.FF_RESET_COUNTS) != 0) {
            raw |= FlowMod.OFPFF12_RESET_COUNTS;
        }
        if (version >= OfVersion.OF13) {
            if ((flags & FlowParser.FF_NO_PKT_COUNTS) != 0) {
                raw |= FlowMod.OFPFF13_NO_PKT_COUNTS;
            }
            if ((flags & FlowParser.FF_NO_BYT_COUNTS) != 0) {
                raw |= FlowMod.OFPFF13_NO_BYT_COUNTS;
            }
        }
        return raw;
    }

    /**
     * OVS {@code nx_put_raw()}: the fields, then (NXM) the cookie, and in front a {@code packet_type} entry if the
     * match asks for Ethernet while no field sent has a prerequisite.
     */
    static int putMatch(ByteBuf out, MatchState m, int oxm, long cookie, long cookieMask) {
        int start = out.writerIndex();
        MatchCodec.putRaw(out, m.values, m.masks, oxm, m.tcpFlagsFullMask);
        boolean impliedEthernet = impliesEthernet(out, start, out.writerIndex());
        if (cookieMask != 0) {
            boolean masked = cookieMask != -1L;
            out.writeInt(masked ? MatchField.maskedHeader(MatchField.NXM_NX_COOKIE) : MatchField.NXM_NX_COOKIE);
            out.writeLong(cookie & cookieMask);
            if (masked) {
                out.writeLong(cookieMask);
            }
        }
        if (m.defaultPacketType && !impliedEthernet) {
            ByteBuf rest = out.copy(start, out.writerIndex() - start);
            out.writerIndex(start);
            out.writeInt(OXM_PACKET_TYPE).writeInt(0);
            out.writeBytes(rest);
        }
        return out.writerIndex() - start;
    }

    /** Whether any TLV in {@code [from, to)} is a field whose OVS prerequisites are not MFP_NONE. */
    private static boolean impliesEthernet(ByteBuf b, int from, int to) {
        int i = from;
        while (i < to) {
            int h = b.getInt(i);
            MatchField f = (h >>> 16) == 0xffff ? MatchField.TCP_FLAGS : MatchField.byHeader(h);
            if (f != null && f.isSupported() && !OvsField.of(f).prereqNone()) {
                return true;
            }
            i += 4 + (h & 0xff);
        }
        return false;
    }

    // ----------------------------------------------------------------------------------------------- actions

    private static void writeInstructions(ByteBuf out, FlowParser.Parsed p, int version) {
        List<Instruction> list = new ArrayList<>();
        List<Action> apply = new ArrayList<>();
        for (Ofpact a : p.ofpacts()) {
            if (a.inst() == Ofpact.Inst.APPLY_ACTIONS) {
                apply.addAll(toActions(a, version));
            }
        }
        for (Ofpact a : p.ofpacts()) {
            if (a instanceof Ofpact.Meter m) {
                list.add(new Instruction.Meter(m.id()));
            }
        }
        if (!apply.isEmpty()) {
            list.add(new Instruction.ApplyActions(Action.ActionList.of(apply, version)));
        }
        for (Ofpact a : p.ofpacts()) {
            if (a instanceof Ofpact.ClearActions) {
                list.add(new Instruction.ClearActions());
            } else if (a instanceof Ofpact.WriteActions w) {
                List<Action> nested = new ArrayList<>();
                for (Ofpact n : w.actions()) {
                    nested.addAll(toActions(n, version));
                }
                // OVS deletes a write-actions instruction that would carry no action.
                if (!nested.isEmpty()) {
                    list.add(new Instruction.WriteActions(Action.ActionList.of(nested, version)));
                }
            } else if (a instanceof Ofpact.WriteMetadata w) {
                list.add(new Instruction.WriteMetadata(w.value(), w.mask()));
            } else if (a instanceof Ofpact.GotoTable g) {
                list.add(new Instruction.GotoTable(g.table()));
            }
        }
        Reencoder.writeParsedInstructions(out, Instructions.of(version, list), version, p.match().values);
    }

    /** The codec actions OVS's encoder would start from for one parsed action. */
    static List<Action> toActions(Ofpact a, int version) {
        if (a instanceof Ofpact.Output o) {
            return List.of(new Action.Output(o.port(), o.maxLen()));
        } else if (a instanceof Ofpact.Controller c) {
            boolean v2 = c.userdata() != null || c.pause() || c.meterId() >= 0;
            return List.of(new Action.Controller(c.maxLen(), c.id(), c.reason(), c.userdata(), c.pause(), c.meterId(),
                    v2));
        } else if (a instanceof Ofpact.Enqueue e) {
            return List.of(new Action.Enqueue(e.port(), e.queue()));
        } else if (a instanceof Ofpact.OutputReg r) {
            MatchField f = r.src().field().field();
            return List.of(new Action.OutputReg(f, r.src().ofs(), r.src().nBits(), r.maxLen(),
                    f.preferredHeader(0), false));
        } else if (a instanceof Ofpact.Group g) {
            return List.of(new Action.Group(g.id()));
        } else if (a instanceof Ofpact.SetField s) {
            return setField(s, version);
        } else if (a instanceof Ofpact.SetVlanVid v) {
            return List.of(v.pushIfNeeded() ? new Action.SetLegacy(MatchField.VLAN_VID, v.vid(), 1)
                    : new Action.SetField(entry(MatchField.VLAN_VID, FieldValues.bytes(v.vid() | 0x1000, 2), null,
                    version)));
        } else if (a instanceof Ofpact.SetVlanPcp v) {
            return List.of(v.pushIfNeeded() ? new Action.SetLegacy(MatchField.VLAN_PCP, v.pcp(), 2)
                    : new Action.SetField(entry(MatchField.VLAN_PCP, new byte[] {(byte) v.pcp()}, null, version)));
        } else if (a instanceof Ofpact.StripVlan) {
            return List.of(new Action.PopVlan());
        } else if (a instanceof Ofpact.PushVlan v) {
            return List.of(new Action.PushVlan(v.ethertype()));
        } else if (a instanceof Ofpact.SetEth e) {
            return List.of(new Action.SetLegacy(e.src() ? MatchField.ETH_SRC : MatchField.ETH_DST, e.mac(),
                    e.src() ? 4 : 5));
        } else if (a instanceof Ofpact.SetIpv4 ip) {
            return List.of(new Action.SetLegacy(ip.src() ? MatchField.IPV4_SRC : MatchField.IPV4_DST, ip.ip(),
                    ip.src() ? 6 : 7));
        } else if (a instanceof Ofpact.SetIpDscp d) {
            return List.of(new Action.SetLegacy(MatchField.NW_TOS, d.tos(), 8));
        } else if (a instanceof Ofpact.SetIpEcn e) {
            return List.of(new Action.SetLegacy(MatchField.IP_ECN, e.ecn(), 8));
        } else if (a instanceof Ofpact.SetIpTtl t) {
            return List.of(new Action.SetNwTtl(t.ttl()));
        } else if (a instanceof Ofpact.SetL4Port l) {
            return List.of(new Action.SetLegacy(l.src() ? MatchField.TCP_SRC : MatchField.TCP_DST, l.port(),
                    l.src() ? 9 : 10));
        } else if (a instanceof Ofpact.RegMove m) {
            MatchField src = m.src().field().field();
            MatchField dst = m.dst().field().field();
            return List.of(new Action.Move(src, m.src().ofs(), dst, m.dst().ofs(), m.src().nBits(),
                    src.preferredHeader(0), dst.preferredHeader(0), false));
        } else if (a instanceof Ofpact.Stack st) {
            MatchField f = st.field().field().field();
            return List.of(st.push() ? new Action.StackPush(f, st.field().ofs(), st.field().nBits(),
                    f.preferredHeader(0)) : new Action.StackPop(f, st.field().ofs(), st.field().nBits(),
                    f.preferredHeader(0)));
        } else if (a instanceof Ofpact.DecTtl d) {
            return List.of(new Action.DecTtl(java.util.Arrays.stream(d.ids()).boxed().toList(), d.cntIds()));
        } else if (a instanceof Ofpact.Mpls m) {
            switch (m.name()) {
                case "set_mpls_label":
                    return List.of(new Action.SetLegacy(MatchField.MPLS_LABEL, m.value() & 0xffffffffL, 13));
                case "set_mpls_tc":
                    return List.of(new Action.SetLegacy(MatchField.MPLS_TC, m.value(), 14));
                case "set_mpls_ttl":
                    return List.of(new Action.SetMplsTtl(m.value()));
                default:
                    return List.of(new Action.DecMplsTtl());
            }
        } else if (a instanceof Ofpact.PushPopMpls m) {
            return List.of(m.push() ? new Action.PushMpls(m.ethertype()) : new Action.PopMpls(m.ethertype()));
        } else if (a instanceof Ofpact.SetTunnel t) {
            return List.of(new Action.SetTunnel(t.id(), t.wide()));
        } else if (a instanceof Ofpact.SetQueue q) {
            return List.of(new Action.SetQueue(q.id()));
        } else if (a instanceof Ofpact.Simple s) {
            switch (s.name()) {
                case "pop_queue":
                    return List.of(new Action.PopQueue());
                case "exit":
                    return List.of(new Action.Exit());
                default:
                    return List.of(new Action.CtClear());
            }
        } else if (a instanceof Ofpact.Resubmit r) {
            return List.of(new Action.Resubmit(r.inPort(), r.table(), r.ct(), r.ct() ? 44 : 14));
        } else if (a instanceof Ofpact.Note n) {
            return List.of(new Action.Note(n.data()));
        } else if (a instanceof Ofpact.Conjunction c) {
            return List.of(new Action.Conjunction(c.id(), c.clause(), c.nClauses()));
        } else if (a instanceof Ofpact.Ct ct) {
            return List.of(opaque(ExperimenterActions.NXAST_CT, ct(ct, version)));
        } else if (a instanceof Ofpact.Nat n) {
            return List.of(opaque(ExperimenterActions.NXAST_NAT, nat(n)));
        }
        throw new IllegalArgumentException("cannot encode " + a);
    }

    private static Action opaque(int subtype, byte[] raw) {
        return new Action.Opaque(ErrorCode.NX_VENDOR_ID, subtype, raw);
    }

    /** A set_field entry with the header {@code version} would use (the header is only for the raw bytes). */
    private static MatchEntry entry(MatchField f, byte[] value, byte[] mask, int version) {
        long h = f.preferredHeader(version);
        if (mask != null) {
            int h32 = MatchField.maskedHeader((int) (h >>> 32));
            if ((h32 >>> 16) == 0xffff) {
                h32 = (h32 & 0xffffff00) | (4 + 2 * f.nBytes());
            }
            h = ((long) h32 << 32) | (h & 0xffffffffL);
        }
        return new MatchEntry(f, h, value, mask);
    }

    /**
     * OVS OFPACT_SET_FIELD: {@code set_field} as OFPAT_SET_FIELD (masked: Reencoder turns it into reg_load segments
     * before 1.5); {@code load} as NXAST_REG_LOAD segments up to 1.4 ({@code next_load_segment()}: each run of mask
     * bits, at most 64 at a time) and as one set_field in 1.5.
     */
    private static List<Action> setField(Ofpact.SetField s, int version) {
        MatchField f = s.field().field();
        boolean exact = FieldValues.isAllOnes(s.mask());
        if (!s.regLoad() || version >= OfVersion.OF15) {
            return List.of(new Action.SetField(entry(f, s.value(), exact ? null : s.mask(), version)));
        }
        return List.copyOf(Reencoder.regLoadSegments(f, s.value(), s.mask()));
    }

    /**
     * OVS {@code encode_CT()}: {@code nx_action_conntrack} (24 bytes) then the nested actions for the same version.
     * <pre>
     * ffff LEN 00002320 0023 | flags(2) | zone_src(4) | zone ofs_nbits or immediate(2) | recirc_table(1) | pad(3) |
     * alg(2) | nested actions...
     * </pre>
     */
    private static byte[] ct(Ofpact.Ct ct, int version) {
        ByteBuf out = Unpooled.buffer();
        out.writeShort(0xffff).writeShort(0).writeInt(ErrorCode.NX_VENDOR_ID).writeShort(ExperimenterActions.NXAST_CT);
        out.writeShort(ct.flags());
        if (ct.zoneSrc() != null) {
            Ofpact.Subfield z = ct.zoneSrc();
            out.writeInt((int) (z.field().field().preferredHeader(0) >>> 32));
            out.writeShort((z.ofs() << 6) | (z.nBits() - 1));
        } else {
            out.writeInt(0).writeShort(ct.zoneImm());
        }
        out.writeByte(ct.recircTable()).writeZero(3).writeShort(ct.alg());
        List<Action> nested = new ArrayList<>();
        for (Ofpact n : ct.actions()) {
            nested.addAll(toActions(n, version));
        }
        Reencoder.writeParsedActions(out, nested, version);
        out.setShort(2, out.writerIndex());
        return ByteBufUtil.getBytes(out);
    }

    /**
     * OVS {@code encode_NAT()}: {@code nx_action_nat} (16 bytes: pad(2), flags(2), range_present(2)) then the present
     * range fields (IPv4 or IPv6 min/max, proto min/max; a zero value is absent), padded to 8.
     */
    private static byte[] nat(Ofpact.Nat n) {
        ByteBuf out = Unpooled.buffer();
        out.writeShort(0xffff).writeShort(0).writeInt(ErrorCode.NX_VENDOR_ID).writeShort(ExperimenterActions.NXAST_NAT);
        out.writeZero(2).writeShort(n.flags());
        int presentAt = out.writerIndex();
        out.writeShort(0);
        int present = 0;
        if (n.af() != 0) {
            if (n.min() != null && !FieldValues.isAllZeros(n.min())) {
                out.writeBytes(n.min());
                present |= n.af() == 4 ? 1 : 4;
            }
            if (n.max() != null && !FieldValues.isAllZeros(n.max())) {
                out.writeBytes(n.max());
                present |= n.af() == 4 ? 2 : 8;
            }
            if (n.protoMin() != 0) {
                out.writeShort(n.protoMin());
                present |= 16;
            }
            if (n.protoMax() != 0) {
                out.writeShort(n.protoMax());
                present |= 32;
            }
        }
        OfHeader.pad8(out, 0);
        out.setShort(presentAt, present);
        out.setShort(2, out.writerIndex());
        return ByteBufUtil.getBytes(out);
    }

    // ----------------------------------------------------------------------------------------------- preamble

    /** OVS {@code ofputil_encode_nx_set_flow_format()}: NXT_SET_FLOW_FORMAT for NXM ({@code format} 2). */
    static byte[] setFlowFormat(int xid) {
        ByteBuf out = Unpooled.buffer();
        int start = OfHeader.writeNicira(out, OfVersion.OF10, xid, NiciraMessages.NXT_SET_FLOW_FORMAT);
        out.writeInt(NiciraMessages.NXFF_NXM);
        OfHeader.patchLength(out, start);
        return ByteBufUtil.getBytes(out);
    }

    /** OVS {@code ofputil_make_flow_mod_table_id()}: NXT_FLOW_MOD_TABLE_ID enabling the table id in commands. */
    static byte[] flowModTableId(int xid) {
        ByteBuf out = Unpooled.buffer();
        int start = OfHeader.writeNicira(out, OfVersion.OF10, xid, NiciraMessages.NXT_FLOW_MOD_TABLE_ID);
        out.writeByte(1).writeZero(7);
        OfHeader.patchLength(out, start);
        return ByteBufUtil.getBytes(out);
    }
}
