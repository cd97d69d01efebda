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
 * Replies echo each flow's match and instructions exactly as received (SWITCH-CONTRACT §3.3) when the reply's version
 * has the same wire form; across versions both are re-encoded as OVS 3.1 would ({@link Reencoder},
 * {@code AsyncMessages.writeOxmMatch/writeNxmMatch/writeOf10Match}). Replies are split into several messages with the
 * MORE flag (1) when one would exceed 65535 bytes.
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
        /**
         * The request {@code ovs-ofctl dump-flows} sends without a flow argument: every flow of every table, with
         * NXST_FLOW for OpenFlow 1.0 (as ovs-ofctl does when the switch speaks NXM).
         */
        public static Request all(int version, int xid) {
            boolean nx = version == OfVersion.OF10;
            return new Request(version, xid, false, nx, 0xff, Action.OFPP_NONE, 0xffffffffL, 0, 0,
                    nx ? Match.ofNxm(List.of()) : Match.EMPTY_OXM);
        }
    }

    /**
     * One flow in a reply. {@code match} and {@code instructions} are echoed as received. {@code idleAgeSec} and
     * {@code hardAgeSec} are ages in seconds, or -1 where unknown (only NXST_FLOW and OpenFlow 1.5 carry an idle age,
     * only NXST_FLOW a hard age).
     */
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
        Match m = MatchCodec.decodeOxm(b, version);
        return new Request(version, xid, type == OFPST_AGGREGATE, false, table, outPort, outGroup, cookie,
                cookieMask, m);
    }

    /**
     * A decoded flow stats reply message: {@code nicira} for NXST_FLOW, {@code more} when the REPLY_MORE flag says
     * another message follows.
     */
    public record Reply(int version, int xid, boolean nicira, boolean more, List<Entry> entries) {
        /** Copies {@code entries}. */
        public Reply {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Whether {@code msg} (a whole message at the reader index) is a flow stats reply of any supported form:
     * OFPST_FLOW, NXST_FLOW or OFPMP_FLOW(_DESC).
     */
    public static boolean isFlowReply(ByteBuf msg) {
        int at = msg.readerIndex();
        if (msg.readableBytes() < 12) {
            return false;
        }
        int version = msg.getUnsignedByte(at);
        int type = msg.getUnsignedByte(at + 1);
        int statsType = msg.getUnsignedShort(at + 8);
        if (version == OfVersion.OF10) {
            return type == OFPT10_STATS_REPLY && (statsType == OFPST_FLOW || (statsType == OFPST_VENDOR
                    && msg.readableBytes() >= 24 && msg.getInt(at + 12) == ErrorCode.NX_VENDOR_ID
                    && msg.getInt(at + 16) == 0));
        }
        return type == OFPT13_MULTIPART_REPLY && statsType == OFPST_FLOW;
    }

    /**
     * Decodes a flow stats reply message as OVS's {@code ofputil_decode_flow_stats_reply()} does with the flow age
     * extension on (as ovs-ofctl calls it): flags only from OpenFlow 1.3+ replies, importance only from 1.4+, the
     * {@code nx_flow_stats} ages minus one (0 is unknown, -1 here), OpenFlow 1.5's idle age from its OXS idle_time.
     * Matches and instructions are decoded with the switch's own decoders.
     *
     * @throws OpenFlowException if the message is not a flow stats reply or an entry does not parse
     */
    public static Reply decodeReply(ByteBuf msg) throws OpenFlowException {
        if (!isFlowReply(msg)) {
            throw new OpenFlowException(OFPBRC_BAD_STAT, "not a flow stats reply");
        }
        ByteBuf b = msg.duplicate();
        int at = b.readerIndex();
        int version = OfHeader.version(b);
        int xid = OfHeader.xid(b);
        int end = at + Math.min(b.readableBytes(), b.getUnsignedShort(at + 2));
        boolean more = (b.getUnsignedShort(at + 10) & REPLY_MORE) != 0;
        boolean nicira = version == OfVersion.OF10 && b.getUnsignedShort(at + 8) == OFPST_VENDOR;
        b.readerIndex(at + (nicira ? 24 : version == OfVersion.OF10 ? 12 : 16));
        b.writerIndex(end);
        List<Entry> entries = new ArrayList<>();
        while (b.isReadable()) {
            int s = b.readerIndex();
            if (b.readableBytes() < 4) {
                throw new OpenFlowException(OFPBRC_BAD_LEN, "flow stats reply has " + b.readableBytes()
                        + " leftover bytes at end");
            }
            int length = b.getUnsignedShort(s);
            if (length > b.readableBytes()) {
                throw new OpenFlowException(OFPBRC_BAD_LEN, "flow stats entry of " + length + " bytes exceeds reply");
            }
            ByteBuf one = b.slice(s, length);
            b.skipBytes(length);
            entries.add(nicira ? decodeNxEntry(one) : version == OfVersion.OF10 ? decodeOf10Entry(one)
                    : version >= OfVersion.OF15 ? decodeOf15Entry(one, version) : decodeOf11Entry(one, version));
        }
        return new Reply(version, xid, nicira, more, entries);
    }

    private static void need(ByteBuf e, int fixed, String what) throws OpenFlowException {
        if (e.readableBytes() < fixed) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, what + " entry of " + e.readableBytes() + " bytes");
        }
    }

    /** {@code nx_flow_stats}: the fixed part drawn in the class comment (48 bytes), the padded nx_match, actions. */
    private static Entry decodeNxEntry(ByteBuf e) throws OpenFlowException {
        need(e, 48, "nx_flow_stats");
        int matchLen = e.getUnsignedShort(18);
        e.readerIndex(48);
        if (OfHeader.roundUp8(matchLen) > e.readableBytes()) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, "NXST_FLOW entry with match_len " + matchLen);
        }
        Match m = MatchCodec.decodeNxm(e, matchLen, false);
        Instructions ins = decodeOf10Actions(e);
        return new Entry(e.getUnsignedByte(2), e.getUnsignedInt(4), e.getUnsignedInt(8), e.getUnsignedShort(12),
                e.getUnsignedShort(14), e.getUnsignedShort(16), 0, 0, e.getLong(24), e.getLong(32), e.getLong(40),
                e.getUnsignedShort(20) - 1, e.getUnsignedShort(22) - 1, m, ins);
    }

    /**
     * An OpenFlow 1.0 reply's action list (the rest of {@code e}); a trailing {@code NXAST_WRITE_METADATA} (a flow
     * added with a write-metadata instruction) becomes that instruction, as in a flow mod ({@link InstructionCodec}).
     */
    private static Instructions decodeOf10Actions(ByteBuf e) throws OpenFlowException {
        return InstructionCodec.decode(e, e.readableBytes(), OfVersion.OF10, CtActionDecoder.INSTANCE);
    }

    /** {@code ofp10_flow_stats}: 88 bytes with the 40-byte ofp10_match at 4, then actions. */
    private static Entry decodeOf10Entry(ByteBuf e) throws OpenFlowException {
        need(e, 88, "ofp10_flow_stats");
        e.readerIndex(4);
        Match m = MatchCodec.decodeOf10(e);
        e.readerIndex(88);
        Instructions ins = decodeOf10Actions(e);
        return new Entry(e.getUnsignedByte(2), e.getUnsignedInt(44), e.getUnsignedInt(48), e.getUnsignedShort(52),
                e.getUnsignedShort(54), e.getUnsignedShort(56), 0, 0, e.getLong(64), e.getLong(72), e.getLong(80),
                -1, -1, m, ins);
    }

    /** {@code ofp11_flow_stats} (OpenFlow 1.3/1.4): 48 fixed bytes, the ofp_match, instructions. */
    private static Entry decodeOf11Entry(ByteBuf e, int version) throws OpenFlowException {
        need(e, 48, "ofp11_flow_stats");
        e.readerIndex(48);
        Match m = MatchCodec.decodeOxm(e, version);
        Instructions ins = InstructionCodec.decode(e, e.readableBytes(), version, CtActionDecoder.INSTANCE);
        return new Entry(e.getUnsignedByte(2), e.getUnsignedInt(4), e.getUnsignedInt(8), e.getUnsignedShort(12),
                e.getUnsignedShort(14), e.getUnsignedShort(16), e.getUnsignedShort(18),
                version >= OfVersion.OF14 ? e.getUnsignedShort(20) : 0, e.getLong(24), e.getLong(32), e.getLong(40),
                -1, -1, m, ins);
    }

    /**
     * {@code ofp15_flow_desc}: 24 fixed bytes, the ofp_match, the {@code ofp_oxs_stat} (reserved u16, length u16,
     * OXS TLVs of class 0x8002: duration 0, idle_time 1, flow_count 3, packet_count 4, byte_count 5; padded to 8),
     * instructions.
     */
    private static Entry decodeOf15Entry(ByteBuf e, int version) throws OpenFlowException {
        need(e, 24, "ofp15_flow_desc");
        e.readerIndex(24);
        Match m = MatchCodec.decodeOxm(e, version);
        int o = e.readerIndex();
        if (e.readableBytes() < 4) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, "ofp15_flow_desc without ofp_oxs_stat");
        }
        int oxsLen = e.getUnsignedShort(o + 2);
        if (oxsLen < 4 || OfHeader.roundUp8(oxsLen) > e.readableBytes()) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, "ofp_oxs_stat length " + oxsLen);
        }
        long[] stat = {0, 0, -1, 0, 0};   // duration sec, nsec, idle sec, packets, bytes
        for (int p = o + 4; p < o + oxsLen; ) {
            int h = o + oxsLen - p < 4 ? 0 : e.getInt(p);
            int len = h & 0xff;
            if ((h >>> 16) != 0x8002 || o + oxsLen - p - 4 < len) {
                throw new OpenFlowException(OFPBRC_BAD_LEN, "bad OXS at offset " + (p - o));
            }
            switch ((h >>> 9) & 0x7f) {
                case 0:
                    stat[0] = e.getUnsignedInt(p + 4);
                    stat[1] = e.getUnsignedInt(p + 8);
                    break;
                case 1:
                    stat[2] = e.getUnsignedInt(p + 4);
                    break;
                case 4:
                    stat[3] = e.getLong(p + 4);
                    break;
                case 5:
                    stat[4] = e.getLong(p + 4);
                    break;
                default:
                    break;
            }
            p += 4 + len;
        }
        e.readerIndex(o + OfHeader.roundUp8(oxsLen));
        Instructions ins = InstructionCodec.decode(e, e.readableBytes(), version, CtActionDecoder.INSTANCE);
        return new Entry(e.getUnsignedByte(4), stat[0], stat[1], e.getUnsignedShort(6), e.getUnsignedShort(8),
                e.getUnsignedShort(10), e.getUnsignedShort(12), e.getUnsignedShort(14), e.getLong(16), stat[3],
                stat[4], (int) stat[2], -1, m, ins);
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
            out.writeShort(0).writeShort(nxAge(e.idleAgeSec())).writeShort(nxAge(e.hardAgeSec())).writeLong(e.cookie())
                    .writeLong(e.packetCount()).writeLong(e.byteCount());
            int m = out.writerIndex();
            int mlen = AsyncMessages.writeNxmMatch(out, e.match());
            OfHeader.pad8(out, m);
            out.setShort(ml, mlen);
            writeInstructions(out, e.instructions(), v, e.match());
        } else if (v == OfVersion.OF10) {
            out.writeShort(0).writeByte(e.tableId()).writeByte(0);
            AsyncMessages.writeOf10Match(out, e.match());
            out.writeInt((int) e.durationSec()).writeInt((int) e.durationNsec()).writeShort(e.priority())
                    .writeShort(e.idleTimeout()).writeShort(e.hardTimeout()).writeZero(6).writeLong(e.cookie())
                    .writeLong(e.packetCount()).writeLong(e.byteCount());
            writeInstructions(out, e.instructions(), v, e.match());
        } else if (v >= OfVersion.OF15) {
            out.writeShort(0).writeShort(0).writeByte(e.tableId()).writeByte(0).writeShort(e.priority())
                    .writeShort(e.idleTimeout()).writeShort(e.hardTimeout()).writeShort(e.flags())
                    .writeShort(e.importance()).writeLong(e.cookie());
            AsyncMessages.writeOxmMatch(out, e.match(), v);
            AsyncMessages.writeOxs(out, e.durationSec(), e.durationNsec(), e.idleAgeSec(), e.packetCount(),
                    e.byteCount());
            writeInstructions(out, e.instructions(), v, e.match());
        } else {
            out.writeShort(0).writeByte(e.tableId()).writeByte(0).writeInt((int) e.durationSec())
                    .writeInt((int) e.durationNsec()).writeShort(e.priority()).writeShort(e.idleTimeout())
                    .writeShort(e.hardTimeout()).writeShort(e.flags())
                    .writeShort(v >= OfVersion.OF14 ? e.importance() : 0).writeZero(2)
                    .writeLong(e.cookie()).writeLong(e.packetCount()).writeLong(e.byteCount());
            AsyncMessages.writeOxmMatch(out, e.match(), v);
            writeInstructions(out, e.instructions(), v, e.match());
        }
        out.setShort(s, out.writerIndex() - s);
    }

    /**
     * An age as {@code nx_flow_stats} carries it, as OVS's {@code ofputil_append_flow_stats_reply()}: 0 means unknown,
     * else the age plus one, saturating at 65535.
     */
    private static int nxAge(int ageSec) {
        return ageSec < 0 ? 0 : Math.min(ageSec + 1, 0xffff);
    }

    /**
     * Writes a flow's instructions for a reply of version {@code v}: the bytes as received when they are in that
     * version's form, else re-encoded as OVS would ({@link Reencoder#writeInstructions}).
     */
    static void writeInstructions(ByteBuf out, Instructions ins, int v, Match match) {
        Reencoder.writeInstructions(out, ins, v, match);
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
