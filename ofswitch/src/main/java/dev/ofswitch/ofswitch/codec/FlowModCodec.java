package dev.ofswitch.ofswitch.codec;

import static dev.ofswitch.ofswitch.codec.ErrorCode.NXBRC_NXM_INVALID;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_OUT_PORT;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_MATCH_INCONSISTENT;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBRC_BAD_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPFMFC_BAD_COMMAND;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPFMFC_BAD_EMERG_TIMEOUT;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPFMFC_BAD_FLAGS;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPFMFC_BAD_TABLE_ID;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPFMFC_TABLE_FULL;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;

/**
 * Decodes and encodes FLOW_MODs as OVS 3.1's {@code ofputil_decode_flow_mod()} / {@code ofputil_encode_flow_mod()}
 * ({@code lib/ofp-flow.c}).
 *
 * <h2>Wire layouts (after the 8-byte ofp_header)</h2>
 * <pre>
 * OpenFlow 1.1+ ofp11_flow_mod (40 bytes), then ofp_match (OXM, padded), then instructions:
 * +--------+-------------+-----+---+------+------+--------+----------+---------+----------+-------+----------+
 * | cookie | cookie_mask |table|cmd| idle | hard |priority|buffer_id | out_port|out_group | flags |importance|
 * +--------+-------------+-----+---+------+------+--------+----------+---------+----------+-------+----------+
 *     8          8         1    1    2      2       2        4          4          4        2     2 (1.4+; pad)
 *
 * OpenFlow 1.0 ofp10_flow_mod: ofp10_match (40), then (24 bytes), then actions:
 * +--------+---------+------+------+--------+-----------+----------+-------+
 * | cookie | command | idle | hard |priority| buffer_id | out_port | flags |
 * +--------+---------+------+------+--------+-----------+----------+-------+
 *     8        2        2      2       2         4           2         2
 *
 * Nicira NXT_FLOW_MOD (nicira_header 16, then nx_flow_mod 32), nx_match padded to 8, then actions:
 * +--------+---------+------+------+--------+-----------+----------+-------+-----------+--------+
 * | cookie | command | idle | hard |priority| buffer_id | out_port | flags | match_len | pad[6] |
 * +--------+---------+------+------+--------+-----------+----------+-------+-----------+--------+
 * </pre>
 * In OpenFlow 1.0 with NXT_FLOW_MOD_TABLE_ID enabled, the command's high byte is the table id.
 *
 * <h2>Checks, in OVS's order</h2>
 * message length (fixed part, then a multiple of 8: OFPBRC_BAD_LEN); the match; for 1.1+ table 255 outside delete
 * (OFPFMFC_BAD_TABLE_ID) and out_port (OFPBAC_BAD_OUT_PORT); for NXT_FLOW_MOD an add that matches the cookie
 * (NXBRC_NXM_INVALID); ct_nw_src/dst or ct_ipv6_src/dst without the matching eth_type (OFPBAC_MATCH_INCONSISTENT);
 * command &gt; 4 (OFPFMFC_BAD_COMMAND); instructions/actions; flags unknown in the version (OFPFMFC_BAD_FLAGS);
 * OpenFlow 1.0 emergency flows (OFPFMFC_BAD_EMERG_TIMEOUT / TABLE_FULL); then {@link ActionChecker}, OVS's
 * {@code ofpacts_check_consistency()}.
 */
public final class FlowModCodec {
    /** {@code sizeof(ofp_header) + sizeof(ofp11_flow_mod)}. */
    public static final int OF11_FIXED_LEN = 48;
    /** {@code sizeof(ofp_header) + sizeof(ofp10_flow_mod)}. */
    public static final int OF10_FIXED_LEN = 72;
    /** {@code sizeof(nicira_header) + sizeof(nx_flow_mod)}. */
    public static final int NXT_FIXED_LEN = 48;
    /** {@code NXT_FLOW_MOD}. */
    public static final int NXT_FLOW_MOD = 13;
    /** {@code OFPT_FLOW_MOD}: 14 in 1.1+, 14 in 1.0 too. */
    public static final int OFPT_FLOW_MOD = 14;

    private FlowModCodec() {
    }

    /**
     * Decodes one framed FLOW_MOD or NXT_FLOW_MOD (the whole message, readable bytes; the reader index is not moved).
     *
     * @param tableIdExtension whether this OpenFlow 1.0 connection enabled NXT_FLOW_MOD_TABLE_ID
     * @param hook             where conntrack actions go ({@link ExperimenterActions#REJECT} until ct-actions decodes
     *                         them)
     */
    public static FlowMod decode(ByteBuf msg, boolean tableIdExtension, ExperimenterActions hook)
            throws OpenFlowException {
        ByteBuf b = msg.duplicate();
        int version = OfHeader.version(b);
        int type = OfHeader.type(b);
        int xid = OfHeader.xid(b);
        int len = b.readableBytes();
        boolean nicira = type == OfHeader.OFPT_VENDOR;
        int fixed = nicira ? NXT_FIXED_LEN : version == OfVersion.OF10 ? OF10_FIXED_LEN : OF11_FIXED_LEN;
        if (len < fixed || (len - fixed) % 8 != 0) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, "flow_mod length " + len);
        }
        int at = b.readerIndex();
        FlowMod fm;
        if (!nicira && version != OfVersion.OF10) {
            b.readerIndex(at + 8);
            long cookie = b.readLong();
            long cookieMask = b.readLong();
            int table = b.readUnsignedByte();
            int command = b.readUnsignedByte();
            int idle = b.readUnsignedShort();
            int hard = b.readUnsignedShort();
            int priority = b.readUnsignedShort();
            long bufferId = b.readUnsignedInt();
            long outPort32 = b.readUnsignedInt();
            long outGroup = b.readUnsignedInt();
            int flags = b.readUnsignedShort();
            int importance = b.readUnsignedShort();
            Match match = MatchCodec.decodeOxm(b, version);
            if (table == 0xff && command != FlowMod.OFPFC_DELETE && command != FlowMod.OFPFC_DELETE_STRICT) {
                throw new OpenFlowException(OFPFMFC_BAD_TABLE_ID, "table 255 outside delete");
            }
            int outPort = MatchField.portFromOfp11(outPort32);
            if (outPort < 0) {
                throw new OpenFlowException(OFPBAC_BAD_OUT_PORT, "out_port " + Long.toHexString(outPort32));
            }
            checkCtTuple(match);
            checkCommand(command);
            Instructions ins = InstructionCodec.decode(b, b.readableBytes(), version, hook);
            checkFlags(flags, version);
            fm = new FlowMod(version, xid, false, cookie, cookieMask, table, command, idle, hard, priority, bufferId,
                    outPort, outGroup, flags, version >= OfVersion.OF14 ? importance : 0, match, ins);
        } else {
            Match match;
            int command;
            int idle;
            int hard;
            int priority;
            long bufferId;
            int outPort;
            int flags;
            long cookie;
            long cookieMask = 0;
            if (nicira) {
                b.readerIndex(at + 16);
                cookie = b.readLong();
                command = b.readUnsignedShort();
                idle = b.readUnsignedShort();
                hard = b.readUnsignedShort();
                priority = b.readUnsignedShort();
                bufferId = b.readUnsignedInt();
                outPort = b.readUnsignedShort();
                flags = b.readUnsignedShort();
                int matchLen = b.readUnsignedShort();
                b.skipBytes(6);
                match = MatchCodec.decodeNxm(b, matchLen, true);
                if ((command & 0xff) == FlowMod.OFPFC_ADD && match.cookieMask() != null && match.cookieMask() != 0) {
                    throw new OpenFlowException(NXBRC_NXM_INVALID, "add may not match the cookie");
                }
                if (match.cookieMask() != null) {
                    cookieMask = match.cookieMask();
                }
            } else {
                b.readerIndex(at + 8);
                match = MatchCodec.decodeOf10(b);
                cookie = b.readLong();
                command = b.readUnsignedShort();
                idle = b.readUnsignedShort();
                hard = b.readUnsignedShort();
                int prio = b.readUnsignedShort();
                bufferId = b.readUnsignedInt();
                outPort = b.readUnsignedShort();
                flags = b.readUnsignedShort();
                int wildcards = msg.getInt(at + 8);
                // OpenFlow 1.0: exact-match rules have the highest priority.
                priority = (wildcards & MatchCodec.OFPFW10_ALL) != 0 ? prio : 0xffff;
            }
            int table = 0xff;
            if (tableIdExtension) {
                table = command >>> 8;
                command &= 0xff;
            }
            checkCtTuple(match);
            checkCommand(command);
            Instructions ins = InstructionCodec.decode(b, b.readableBytes(), version, hook);
            checkFlags(flags, version);
            if ((flags & FlowMod.OFPFF10_EMERG) != 0) {
                // OVS does not support the OpenFlow 1.0 emergency flow cache.
                throw new OpenFlowException(hard != 0 || idle != 0 ? OFPFMFC_BAD_EMERG_TIMEOUT : OFPFMFC_TABLE_FULL,
                        "emergency flow");
            }
            fm = new FlowMod(version, xid, nicira, cookie, cookieMask, table, command, idle, hard, priority,
                    bufferId, outPort, 0xffffffffL, flags, 0, match, ins);
        }
        ActionChecker.check(fm.instructions(), fm.match(), fm.tableId(), version);
        return fm;
    }

    /** As OVS: ct_nw_src/dst need eth_type IPv4, ct_ipv6_src/dst need IPv6, else OFPBAC_MATCH_INCONSISTENT. */
    private static void checkCtTuple(Match match) throws OpenFlowException {
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        match.toKey(v, m);
        long ethType = FlowKey.get(v, MatchField.ETH_TYPE);
        boolean ct4 = !FlowKey.isWild(m, MatchField.CT_NW_SRC) || !FlowKey.isWild(m, MatchField.CT_NW_DST);
        boolean ct6 = !FlowKey.isWild(m, MatchField.CT_IPV6_SRC) || !FlowKey.isWild(m, MatchField.CT_IPV6_DST);
        if ((ct4 && ethType != 0x0800) || (ct6 && ethType != 0x86dd)) {
            throw new OpenFlowException(OFPBAC_MATCH_INCONSISTENT, "ct tuple address without matching eth_type");
        }
    }

    private static void checkCommand(int command) throws OpenFlowException {
        if (command > FlowMod.OFPFC_DELETE_STRICT) {
            throw new OpenFlowException(OFPFMFC_BAD_COMMAND, "command " + command);
        }
    }

    /** As OVS {@code ofputil_decode_flow_mod_flags()}: each flag exists from some version on. */
    private static void checkFlags(int flags, int version) throws OpenFlowException {
        int known = FlowMod.OFPFF_SEND_FLOW_REM | FlowMod.OFPFF_CHECK_OVERLAP;
        if (version == OfVersion.OF10) {
            known |= FlowMod.OFPFF10_EMERG;
        }
        if (version >= OfVersion.OF12) {
            known |= FlowMod.OFPFF12_RESET_COUNTS;
        }
        if (version >= OfVersion.OF13) {
            known |= FlowMod.OFPFF13_NO_PKT_COUNTS | FlowMod.OFPFF13_NO_BYT_COUNTS;
        }
        if ((flags & ~known) != 0) {
            throw new OpenFlowException(OFPFMFC_BAD_FLAGS, "flags 0x" + Integer.toHexString(flags));
        }
    }

    /**
     * Encodes {@code fm} as its original kind (OFPT_FLOW_MOD of {@code fm.version()} or NXT_FLOW_MOD), writing the
     * match and instructions from the model. With {@code tableIdExtension} an OpenFlow 1.0 command carries the table.
     */
    public static void encode(ByteBuf out, FlowMod fm, boolean tableIdExtension) {
        int version = fm.version();
        int command = tableIdExtension && version == OfVersion.OF10 ? (fm.tableId() << 8) | fm.command()
                : fm.command();
        if (fm.nicira()) {
            int start = OfHeader.writeNicira(out, version, fm.xid(), NXT_FLOW_MOD);
            out.writeLong(fm.cookie()).writeShort(command).writeShort(fm.idleTimeout()).writeShort(fm.hardTimeout())
                    .writeShort(fm.priority()).writeInt((int) fm.bufferId()).writeShort(fm.outPort())
                    .writeShort(fm.rawFlags());
            int matchLenAt = out.writerIndex();
            out.writeShort(0).writeZero(6);
            int mstart = out.writerIndex();
            int matchLen = MatchCodec.encodeTlvs(out, fm.match().entries());
            OfHeader.pad8(out, mstart);
            out.setShort(matchLenAt, matchLen);
            InstructionCodec.encode(out, fm.instructions(), version);
            OfHeader.patchLength(out, start);
        } else if (version == OfVersion.OF10) {
            int start = OfHeader.write(out, version, OFPT_FLOW_MOD, fm.xid());
            if (fm.match().format() == Match.Format.OF10) {
                out.writeBytes(fm.match().raw());
            } else {
                MatchCodec.encodeOf10(out, fm.match().entries());
            }
            out.writeLong(fm.cookie()).writeShort(command).writeShort(fm.idleTimeout()).writeShort(fm.hardTimeout())
                    .writeShort(fm.priority()).writeInt((int) fm.bufferId()).writeShort(fm.outPort())
                    .writeShort(fm.rawFlags());
            InstructionCodec.encode(out, fm.instructions(), version);
            OfHeader.patchLength(out, start);
        } else {
            int start = OfHeader.write(out, version, OFPT_FLOW_MOD, fm.xid());
            out.writeLong(fm.cookie()).writeLong(fm.cookieMask()).writeByte(fm.tableId()).writeByte(fm.command())
                    .writeShort(fm.idleTimeout()).writeShort(fm.hardTimeout()).writeShort(fm.priority())
                    .writeInt((int) fm.bufferId()).writeInt((int) MatchField.portToOfp11(fm.outPort()))
                    .writeInt((int) fm.outGroup()).writeShort(fm.rawFlags()).writeShort(fm.importance());
            MatchCodec.encodeOxm(out, fm.match().entries());
            InstructionCodec.encode(out, fm.instructions(), version);
            OfHeader.patchLength(out, start);
        }
    }
}
