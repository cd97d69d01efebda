package dev.ofswitch.ofswitch.codec;

import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBRC_BAD_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBRC_BAD_STAT;

import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Flow and aggregate statistics: request decoding and reply encoding for OpenFlow 1.0 ({@code OFPST_FLOW},
 * {@code OFPST_AGGREGATE}), OpenFlow 1.0 + NXM ({@code NXST_FLOW}, {@code NXST_AGGREGATE}), and OpenFlow 1.3/1.4/1.5
 * ({@code OFPMP_FLOW} / 1.5 {@code OFPMP_FLOW_DESC}, {@code OFPMP_AGGREGATE}), as OVS 3.1's {@code lib/ofp-flow.c}.
 *
 * <pre>
 * request headers:  OF1.0 ofp_stats_request  = ofp_header + type u16 + flags u16                   (12)
 *                   NXST                     = ofp_stats_request(type 0xffff) + vendor + subtype
 *                                              (0 flow, 1 aggregate) + pad[4]                         (24)
 *                   OF1.3+ multipart         = ofp_header + type u16 + flags u16 + pad[4]             (16)
 * request bodies:   OF1.0 ofp10_flow_stats_request: match(40) table_id(1) pad(1) out_port(2)         (44)
 *                   NXST  nx_flow_stats_request:    out_port(2) match_len(2) table_id(1) pad(3) nx_match
 *                   1.3+  ofp11_flow_stats_request: table_id(1) pad(3) out_port(4) out_group(4) pad(4)
 *                                                   cookie(8) cookie_mask(8) ofp_match
 * reply entries:    OF1.0 ofp10_flow_stats: length(2) table_id(1) pad(1) match(40) duration_sec(4)
 *                       duration_nsec(4) priority(2) idle(2) hard(2) pad(6) cookie(8) packets(8) bytes(8) actions
 *                   NXST  nx_flow_stats: length(2) table_id(1) pad(1) duration_sec(4) duration_nsec(4) priority(2)
 *                       idle(2) hard(2) match_len(2) idle_age(2) hard_age(2) cookie(8) packets(8) bytes(8)
 *                       nx_match(padded) actions
 *                   1.3/1.4 ofp11_flow_stats: length(2) table_id(1) pad(1) duration_sec(4) duration_nsec(4)
 *                       priority(2) idle(2) hard(2) flags(2) importance(2, 1.4; pad in 1.3) pad(2) cookie(8)
 *                       packets(8) bytes(8) ofp_match instructions
 *                   1.5 ofp15_flow_desc: length(2) pad(2) table_id(1) pad(1) priority(2) idle(2) hard(2) flags(2)
 *                       importance(2) cookie(8) ofp_match ofp_oxs_stat(duration, packets, bytes) instructions
 * aggregate reply:  packet_count(8) byte_count(8) flow_count(4) pad(4); 1.5: ofp_oxs_stat(flow_count, packets,
 *                   bytes)
 * </pre>
 * Replies echo each flow's match and instructions exactly as received (SWITCH-CONTRACT §3.3) and are split into
 * several messages with the MORE flag (1) when one would exceed 65535 bytes.
 */
public final class FlowStats {
    /** {@code OFPST_FLOW} / {@code OFPMP_FLOW} (1.5: FLOW_DESC). */
    public static final int OFPST_FLOW = 1;
    /** {@code OFPST_AGGREGATE} / {@code OFPMP_AGGREGATE}. */
    public static final int OFPST_AGGREGATE = 2;
    /** {@code OFPST_VENDOR} / experimenter. */
    public static final int OFPST_VENDOR = 0xffff;
    /** {@code OFPSF_REPLY_MORE}. */
    public static final int REPLY_MORE = 1;
    /** OpenFlow 1.0 {@code OFPT_STATS_REQUEST}. */
    public static final int OFPT10_STATS_REQUEST = 16;
    /** OpenFlow 1.0 {@code OFPT_STATS_REPLY}. */
    public static final int OFPT10_STATS_REPLY = 17;
    /** OpenFlow 1.3+ {@code OFPT_MULTIPART_REQUEST}. */
    public static final int OFPT13_MULTIPART_REQUEST = 18;
    /** OpenFlow 1.3+ {@code OFPT_MULTIPART_REPLY}. */
    public static final int OFPT13_MULTIPART_REPLY = 19;

    private FlowStats() {
    }

    /** A decoded flow or aggregate stats request; {@code outPort} is OVS's 16-bit number. */
    public record Request(int version, int xid, boolean aggregate, boolean nicira, int tableId, int outPort,
                          long outGroup, long cookie, long cookieMask, Match match) {
    }

    /** One flow in a reply. {@code match} and {@code instructions} are echoed as received. */
    public record Entry(int tableId, long durationSec, long durationNsec, int priority, int idleTimeout,
                        int hardTimeout, int flags, int importance, long cookie, long packetCount, long byteCount,
                        int idleAgeSec, int hardAgeSec, Match match, Instructions instructions) {
    }

    /** Decodes a flow or aggregate stats request of any supported version. */
    public static Request decodeRequest(ByteBuf msg) throws OpenFlowException {
        ByteBuf b = msg.duplicate();
        int at = b.readerIndex();
        int version = OfHeader.version(b);
        int xid = OfHeader.xid(b);
        int len = b.readableBytes();
        if (version == OfVersion.OF10) {
            if (len < 12) {
                throw new OpenFlowException(OFPBRC_BAD_LEN, "stats request length " + len);
            }
            int type = b.getUnsignedShort(at + 8);
            if (type == OFPST_FLOW || type == OFPST_AGGREGATE) {
                if (len != 12 + 44) {
                    throw new OpenFlowException(OFPBRC_BAD_LEN, "OFPST_FLOW request length " + len);
                }
                b.readerIndex(at + 12);
                Match m = MatchCodec.decodeOf10(b);
                int table = b.readUnsignedByte();
                b.skipBytes(1);
                int outPort = b.readUnsignedShort();
                return new Request(version, xid, type == OFPST_AGGREGATE, false, table, outPort, 0xffffffffL, 0, 0,
                        m);
            }
            if (type == OFPST_VENDOR && len >= 24 && b.getInt(at + 12) == ErrorCode.NX_VENDOR_ID) {
                int subtype = b.getInt(at + 16);
                if (subtype != 0 && subtype != 1) {
                    throw new OpenFlowException(ErrorCode.OFPBRC_BAD_SUBTYPE, "NXST subtype " + subtype);
                }
                if (len < 32) {
                    throw new OpenFlowException(OFPBRC_BAD_LEN, "NXST request length " + len);
                }
                b.readerIndex(at + 24);
                int outPort = b.readUnsignedShort();
                int matchLen = b.readUnsignedShort();
                int table = b.readUnsignedByte();
                b.skipBytes(3);
                Match m = MatchCodec.decodeNxm(b, matchLen, true);
                if (b.readableBytes() != 0) {
                    throw new OpenFlowException(OFPBRC_BAD_LEN, "trailing bytes after NXST request");
                }
                return new Request(version, xid, subtype == 1, true, table, outPort, 0xffffffffL,
                        m.cookie() == null ? 0 : m.cookie(), m.cookieMask() == null ? 0 : m.cookieMask(), m);
            }
            throw new OpenFlowException(OFPBRC_BAD_STAT, "stats type " + type);
        }
        if (len < 16 + 32) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, "multipart request length " + len);
        }
        int type = b.getUnsignedShort(at + 8);
        if (type != OFPST_FLOW && type != OFPST_AGGREGATE) {
            throw new OpenFlowException(OFPBRC_BAD_STAT, "multipart type " + type);
        }
        b.readerIndex(at + 16);
        int table = b.readUnsignedByte();
        b.skipBytes(3);
        long outPort32 = b.readUnsignedInt();
        long outGroup = b.readUnsignedInt();
        b.skipBytes(4);
        long cookie = b.readLong();
        long cookieMask = b.readLong();
        int outPort = MatchField.portFromOfp11(outPort32);
        if (outPort < 0) {
            throw new OpenFlowException(ErrorCode.OFPBAC_BAD_OUT_PORT, "out_port " + Long.toHexString(outPort32));
        }
        Match m = MatchCodec.decodeOxm(b);
        return new Request(version, xid, type == OFPST_AGGREGATE, false, table, outPort, outGroup, cookie,
                cookieMask, m);
    }

    /**
     * Encodes the flow stats reply to {@code req} as one or more messages (MORE on all but the last), each at most
     * 65535 bytes. Every entry must fit one message.
     */
    public static List<ByteBuf> encodeReply(ByteBufAllocator alloc, Request req, List<Entry> entries) {
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf cur = null;
        int start = 0;
        for (Entry e : entries) {
            ByteBuf one = alloc.buffer();
            try {
                encodeEntry(one, req, e);
                if (cur != null && cur.writerIndex() - start + one.readableBytes() > 0xffff) {
                    finishReply(cur, start, req, true);
                    out.add(cur);
                    cur = null;
                }
                if (cur == null) {
                    cur = alloc.buffer();
                    start = cur.writerIndex();
                    replyHeader(cur, req, OFPST_FLOW);
                }
                cur.writeBytes(one);
            } finally {
                one.release();
            }
        }
        if (cur == null) {
            cur = alloc.buffer();
            start = cur.writerIndex();
            replyHeader(cur, req, OFPST_FLOW);
        }
        finishReply(cur, start, req, false);
        out.add(cur);
        return out;
    }

    private static void replyHeader(ByteBuf out, Request req, int type) {
        int v = req.version();
        if (v == OfVersion.OF10) {
            OfHeader.write(out, v, OFPT10_STATS_REPLY, req.xid());
            if (req.nicira()) {
                out.writeShort(OFPST_VENDOR).writeShort(0).writeInt(ErrorCode.NX_VENDOR_ID)
                        .writeInt(type == OFPST_FLOW ? 0 : 1).writeZero(4);
            } else {
                out.writeShort(type).writeShort(0);
            }
        } else {
            OfHeader.write(out, v, OFPT13_MULTIPART_REPLY, req.xid());
            out.writeShort(type).writeShort(0).writeZero(4);
        }
    }

    private static void finishReply(ByteBuf out, int start, Request req, boolean more) {
        out.setShort(start + 10, more ? REPLY_MORE : 0);
        OfHeader.patchLength(out, start);
    }

    private static void encodeEntry(ByteBuf out, Request req, Entry e) {
        int s = out.writerIndex();
        int v = req.version();
        if (v == OfVersion.OF10 && req.nicira()) {
            out.writeShort(0).writeByte(e.tableId()).writeByte(0).writeInt((int) e.durationSec())
                    .writeInt((int) e.durationNsec()).writeShort(e.priority()).writeShort(e.idleTimeout())
                    .writeShort(e.hardTimeout());
            int ml = out.writerIndex();
            out.writeShort(0).writeShort(e.idleAgeSec()).writeShort(e.hardAgeSec()).writeLong(e.cookie())
                    .writeLong(e.packetCount()).writeLong(e.byteCount());
            int m = out.writerIndex();
            int mlen = AsyncMessages.writeNxmMatch(out, e.match());
            OfHeader.pad8(out, m);
            out.setShort(ml, mlen);
            writeInstructions(out, e.instructions(), e.match(), v);
        } else if (v == OfVersion.OF10) {
            out.writeShort(0).writeByte(e.tableId()).writeByte(0);
            AsyncMessages.writeOf10Match(out, e.match());
            out.writeInt((int) e.durationSec()).writeInt((int) e.durationNsec()).writeShort(e.priority())
                    .writeShort(e.idleTimeout()).writeShort(e.hardTimeout()).writeZero(6).writeLong(e.cookie())
                    .writeLong(e.packetCount()).writeLong(e.byteCount());
            writeInstructions(out, e.instructions(), e.match(), v);
        } else if (v >= OfVersion.OF15) {
            out.writeShort(0).writeShort(0).writeByte(e.tableId()).writeByte(0).writeShort(e.priority())
                    .writeShort(e.idleTimeout()).writeShort(e.hardTimeout()).writeShort(e.flags())
                    .writeShort(e.importance()).writeLong(e.cookie());
            AsyncMessages.writeOxmMatch(out, e.match());
            AsyncMessages.writeOxs(out, e.durationSec(), e.durationNsec(), e.packetCount(), e.byteCount());
            writeInstructions(out, e.instructions(), e.match(), v);
        } else {
            out.writeShort(0).writeByte(e.tableId()).writeByte(0).writeInt((int) e.durationSec())
                    .writeInt((int) e.durationNsec()).writeShort(e.priority()).writeShort(e.idleTimeout())
                    .writeShort(e.hardTimeout()).writeShort(e.flags())
                    .writeShort(v >= OfVersion.OF14 ? e.importance() : 0).writeZero(2)
                    .writeLong(e.cookie()).writeLong(e.packetCount()).writeLong(e.byteCount());
            AsyncMessages.writeOxmMatch(out, e.match());
            writeInstructions(out, e.instructions(), e.match(), v);
        }
        out.setShort(s, out.writerIndex() - s);
    }

    /**
     * Writes a flow's instructions for a reply of version {@code v}: the bytes as received when they are in that
     * version's form (OpenFlow 1.0 action list, or 1.1+ instructions), else re-encoded the way OVS does
     * ({@link ActionCodec#encodeTranslated}): a 1.1+ flow dumped over OpenFlow 1.0 shows its apply-actions and its
     * goto_table as resubmit (write_actions, clear_actions and write_metadata have no 1.0 form), a 1.0 flow dumped over
     * 1.1+ becomes one apply-actions instruction.
     */
    static void writeInstructions(ByteBuf out, Instructions ins, Match match, int v) {
        int ipProto = 0;
        boolean hasVlan = false;
        for (MatchEntry me : match.entries()) {
            if (me.field() == MatchField.IP_PROTO && !me.isMasked()) {
                ipProto = (int) me.value();
            } else if ((me.field() == MatchField.VLAN_TCI || me.field() == MatchField.VLAN_VID)
                    && (me.value() & 0x1000) != 0 && (!me.isMasked() || (me.mask() & 0x1000) != 0)) {
                hasVlan = true;
            }
        }
        if (v == OfVersion.OF10) {
            if (ins.isActionsOnly()) {
                out.writeBytes(ins.raw());
            } else {
                ActionCodec.encodeTranslated(out, ins.applyActions(), v, ipProto, hasVlan);
                if (ins.gotoTable() >= 0) {
                    // As OVS encode_GOTO_TABLE() for OpenFlow 1.0: NXAST_RESUBMIT_TABLE from the current port.
                    ActionCodec.encode(out, List.of(new Action.Resubmit(Action.OFPP_IN_PORT, ins.gotoTable(), false,
                            14)), v);
                }
            }
        } else if (ins.isActionsOnly()) {
            if (!ins.applyActions().isEmpty()) {
                int s = out.writerIndex();
                out.writeShort(4).writeShort(0).writeZero(4);     // OFPIT_APPLY_ACTIONS
                ActionCodec.encodeTranslated(out, ins.applyActions(), v, ipProto, hasVlan);
                out.setShort(s + 2, out.writerIndex() - s);
            }
        } else if (v >= OfVersion.OF15 ? hasNxRegAction(ins, false) : hasNxRegAction(ins, true)) {
            // Added with 1.1-1.4 and read with 1.5, or the other way round: NXAST_REG_LOAD/REG_MOVE exist only before
            // 1.5 and OFPAT_COPY_FIELD only from 1.5, so they tell where the flow came from.
            InstructionCodec.encodeTranslated(out, ins, v, ipProto, hasVlan);
        } else {
            out.writeBytes(ins.raw());
        }
    }

    /**
     * Whether the instructions hold what only 1.5 has (copy_field, masked set_field: {@code copyField}) or what only
     * 1.0-1.4 have (reg_load, reg_move: not).
     */
    static boolean hasNxRegAction(Instructions ins, boolean copyField) {
        for (Instruction i : ins.list()) {
            List<Action> actions = i instanceof Instruction.ApplyActions a ? a.actions().actions()
                    : i instanceof Instruction.WriteActions w ? w.actions().actions() : List.of();
            for (Action a : actions) {
                if (copyField ? a instanceof Action.Move m && m.copyField()
                        || a instanceof Action.SetField sf && sf.entry().isMasked()
                        : a instanceof Action.RegLoad || a instanceof Action.Move m && !m.copyField()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Encodes the aggregate stats reply to {@code req}. */
    public static ByteBuf encodeAggregateReply(ByteBufAllocator alloc, Request req, long packets, long bytes,
                                               long flows) {
        ByteBuf out = alloc.buffer();
        int s = out.writerIndex();
        replyHeader(out, req, OFPST_AGGREGATE);
        if (req.version() >= OfVersion.OF15) {
            int o = out.writerIndex();
            out.writeShort(0).writeShort(0);
            out.writeInt(0x80020604).writeInt((int) flows);
            out.writeInt(0x80020808).writeLong(packets);
            out.writeInt(0x80020a08).writeLong(bytes);
            out.setShort(o + 2, out.writerIndex() - o);
            OfHeader.pad8(out, o);
        } else {
            out.writeLong(packets).writeLong(bytes).writeInt((int) flows).writeZero(4);
        }
        OfHeader.patchLength(out, s);
        return out;
    }
}
