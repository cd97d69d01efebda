package dev.ofswitch.ofswitch.codec;

import static dev.ofswitch.ofswitch.codec.ErrorCode.NXBRC_MUST_BE_ZERO;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_ARGUMENT;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_OUT_PORT;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_SET_ARGUMENT;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_SET_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_SET_MASK;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_SET_TYPE;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_TYPE;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_VENDOR;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_VENDOR_TYPE;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBMC_BAD_MASK;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBPC_BAD_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBPC_BAD_TYPE;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBRC_BAD_LEN;

import dev.ofswitch.ofswitch.codec.Action.ActionList;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes, validates and encodes action lists, as OVS 3.1's {@code lib/ofp-actions.c}.
 *
 * <h2>Every action starts with the same header</h2>
 * <pre>
 * standard (ofp_action_header):           Nicira / ONF (ext_action_header, 16 bytes):
 * +--------+--------+---- ...             +--------+--------+-----------------+---------+---- ...
 * |  type  |  len   | body                | 0xffff |  len   | vendor (4)      | subtype | body
 * +--------+--------+---- ...             +--------+--------+-----------------+---------+---- ...
 *    2        2                              2        2        0x00002320 (NX)   2
 * </pre>
 * {@code len} counts the header and is a multiple of 8.
 *
 * <h2>Checks, in OVS's order ({@code ofpact_decode_raw()}, {@code ofpact_pull_raw()})</h2>
 * <ol>
 *   <li>fewer than 8 bytes left (16 for a Nicira/ONF action): OFPBAC_BAD_LEN;</li>
 *   <li>vendor neither Nicira nor ONF: OFPBAC_BAD_VENDOR;</li>
 *   <li>type (or subtype) unknown in this OpenFlow version: OFPBAC_BAD_TYPE (OFPBAC_BAD_VENDOR_TYPE for
 *       extensions) — e.g. {@code NXAST_DEC_TTL} exists only in 1.0, {@code NXAST_REG_LOAD} only up to 1.4,
 *       {@code OFPAT_COPY_TTL_OUT} not at all;</li>
 *   <li>{@code len} beyond the list, outside the action's fixed/minimum size, or not a multiple of 8:
 *       OFPBAC_BAD_LEN;</li>
 *   <li>the action's own checks (ports, arguments, fields; see each decoder's lineage comment).</li>
 * </ol>
 * The conntrack actions ({@code NXAST_CT}, {@code NXAST_NAT}, {@code NXAST_CT_CLEAR}) go through the single
 * {@link ExperimenterActions} hook; other Nicira actions OVS knows but this switch does not implement (learn,
 * multipath, bundle, sample, clone, ...) get OFPBAC_BAD_VENDOR_TYPE after the generic length checks.
 */
public final class ActionCodec {
    /** {@code OFPAT_VENDOR} / {@code OFPAT_EXPERIMENTER}. */
    public static final int OFPAT_VENDOR = 0xffff;
    /** Largest action length OVS accepts for variable-length actions. */
    static final int MAX_LEN = 0xfff8;

    private ActionCodec() {
    }

    /**
     * Decodes the {@code len} bytes of actions at the reader index (which ends up after them).
     *
     * @param version the message's wire version
     * @param hook    where conntrack actions go
     */
    public static ActionList decode(ByteBuf b, int len, int version, ExperimenterActions hook)
            throws OpenFlowException {
        int start = b.readerIndex();
        int end = start + len;
        List<Action> out = new ArrayList<>();
        while (b.readerIndex() < end) {
            out.add(decodeOne(b, end, version, hook));
        }
        byte[] raw = new byte[len];
        b.getBytes(start, raw);
        return new ActionList(out, raw, version);
    }

    /**
     * Decodes an OpenFlow 1.0-style action list that follows a fixed part: checks {@code len} as OVS's
     * {@code ofpacts_pull_openflow_actions__()} (a multiple of 8 and within the message, else OFPBRC_BAD_LEN).
     */
    public static ActionList decodeList(ByteBuf b, int len, int version, ExperimenterActions hook)
            throws OpenFlowException {
        if (len % 8 != 0) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, "actions length " + len + " not a multiple of 8");
        }
        if (len > b.readableBytes()) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, "actions length " + len + " exceeds message");
        }
        return decode(b, len, version, hook);
    }

    private static Action decodeOne(ByteBuf b, int end, int version, ExperimenterActions hook)
            throws OpenFlowException {
        int at = b.readerIndex();
        int avail = end - at;
        if (avail < 8) {
            throw new OpenFlowException(OFPBAC_BAD_LEN, "partial action header");
        }
        int type = b.getUnsignedShort(at);
        int len = b.getUnsignedShort(at + 2);
        if (type == OFPAT_VENDOR) {
            int vendor = b.getInt(at + 4);
            if (vendor != ErrorCode.NX_VENDOR_ID && vendor != ErrorCode.ONF_VENDOR_ID) {
                throw new OpenFlowException(OFPBAC_BAD_VENDOR, "vendor " + Integer.toHexString(vendor));
            }
            if (avail < 16) {
                throw new OpenFlowException(OFPBAC_BAD_LEN, "partial extension action header");
            }
            int subtype = b.getUnsignedShort(at + 8);
            if (vendor == ErrorCode.ONF_VENDOR_ID) {
                // ONF copy_field (3200, OF1.3/1.4) is the only ONF action OVS knows; this switch does not decode it.
                if (subtype == 3200 && (version == OfVersion.OF13 || version == OfVersion.OF14)) {
                    checkLen(len, avail, 24, MAX_LEN);
                }
                throw new OpenFlowException(OFPBAC_BAD_VENDOR_TYPE, "ONF action " + subtype);
            }
            return decodeNx(b, at, len, avail, subtype, version, hook);
        }
        return version == OfVersion.OF10 ? decodeOf10(b, at, len, avail, type) : decodeOf11(b, at, len, avail, type,
                version);
    }

    private static void checkLen(int len, int avail, int min, int max) throws OpenFlowException {
        if (len > avail) {
            throw new OpenFlowException(OFPBAC_BAD_LEN, "action length " + len + " exceeds list");
        }
        if (len < min || len > max) {
            throw new OpenFlowException(OFPBAC_BAD_LEN, "action length " + len + " not in [" + min + "," + max + "]");
        }
        if (len % 8 != 0) {
            throw new OpenFlowException(OFPBAC_BAD_LEN, "action length " + len + " not a multiple of 8");
        }
    }

    private static void fixed(int len, int avail, int size) throws OpenFlowException {
        checkLen(len, avail, size, size);
    }

    /** As OVS {@code ofpact_check_output_port()} with max_ports = OFPP_MAX. */
    private static int checkOutputPort(int port) throws OpenFlowException {
        switch (port) {
            case Action.OFPP_IN_PORT:
            case Action.OFPP_TABLE:
            case Action.OFPP_NORMAL:
            case Action.OFPP_FLOOD:
            case Action.OFPP_ALL:
            case Action.OFPP_CONTROLLER:
            case Action.OFPP_LOCAL:
                return port;
            default:
                if (port < Action.OFPP_MAX) {
                    return port;
                }
                throw new OpenFlowException(OFPBAC_BAD_OUT_PORT, "output port " + Integer.toHexString(port));
        }
    }

    private static int port11(long port32, ErrorCode error) throws OpenFlowException {
        int p = MatchField.portFromOfp11(port32);
        if (p < 0) {
            throw new OpenFlowException(error, "port " + Long.toHexString(port32) + " outside mappable ranges");
        }
        return p;
    }

    // --------------------------------------------------------------------------------------------------- OF1.0

    private static Action decodeOf10(ByteBuf b, int at, int len, int avail, int type) throws OpenFlowException {
        Action a;
        switch (type) {
            case 0: // OFPAT10_OUTPUT: port u16, max_len u16.
                fixed(len, avail, 8);
                a = new Action.Output(checkOutputPort(b.getUnsignedShort(at + 4)), b.getUnsignedShort(at + 6));
                break;
            case 1: { // OFPAT10_SET_VLAN_VID: As OVS decode_set_vlan_vid(): VID must fit 12 bits.
                fixed(len, avail, 8);
                int vid = b.getUnsignedShort(at + 4);
                if ((vid & ~0xfff) != 0) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "vid " + vid);
                }
                a = new Action.SetLegacy(MatchField.VLAN_VID, vid, type);
                break;
            }
            case 2: { // OFPAT10_SET_VLAN_PCP.
                fixed(len, avail, 8);
                int pcp = b.getUnsignedByte(at + 4);
                if ((pcp & ~7) != 0) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "pcp " + pcp);
                }
                a = new Action.SetLegacy(MatchField.VLAN_PCP, pcp, type);
                break;
            }
            case 3: // OFPAT10_STRIP_VLAN.
                fixed(len, avail, 8);
                a = new Action.PopVlan();
                break;
            case 4:
            case 5: // OFPAT10_SET_DL_SRC/DST: ofp_action_dl_addr, 16 bytes.
                fixed(len, avail, 16);
                a = new Action.SetLegacy(type == 4 ? MatchField.ETH_SRC : MatchField.ETH_DST, read48(b, at + 4), type);
                break;
            case 6:
            case 7:
                fixed(len, avail, 8);
                a = new Action.SetLegacy(type == 6 ? MatchField.IPV4_SRC : MatchField.IPV4_DST,
                        b.getUnsignedInt(at + 4), type);
                break;
            case 8:
                a = setNwTos(b, at, len, avail, type);
                break;
            case 9:
            case 10:
                fixed(len, avail, 8);
                a = new Action.SetLegacy(type == 9 ? MatchField.TCP_SRC : MatchField.TCP_DST,
                        b.getUnsignedShort(at + 4), type);
                break;
            case 11: { // OFPAT10_ENQUEUE: port u16, pad[6], queue_id u32. As OVS decode_OFPAT_RAW10_ENQUEUE().
                fixed(len, avail, 16);
                int port = b.getUnsignedShort(at + 4);
                if (port >= Action.OFPP_MAX && port != Action.OFPP_IN_PORT && port != Action.OFPP_LOCAL) {
                    throw new OpenFlowException(OFPBAC_BAD_OUT_PORT, "enqueue port " + port);
                }
                a = new Action.Enqueue(port, b.getUnsignedInt(at + 12));
                break;
            }
            default:
                throw new OpenFlowException(OFPBAC_BAD_TYPE, "OpenFlow 1.0 action type " + type);
        }
        b.readerIndex(at + len);
        return a;
    }

    private static Action setNwTos(ByteBuf b, int at, int len, int avail, int type) throws OpenFlowException {
        fixed(len, avail, 8);
        int tos = b.getUnsignedByte(at + 4);
        // As OVS decode_OFPAT_RAW_SET_NW_TOS(): ECN bits must be clear.
        if ((tos & ~0xfc) != 0) {
            throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "nw_tos " + tos);
        }
        return new Action.SetLegacy(MatchField.NW_TOS, tos, type);
    }

    // -------------------------------------------------------------------------------------------------- OF1.1+

    private static Action decodeOf11(ByteBuf b, int at, int len, int avail, int type, int version)
            throws OpenFlowException {
        Action a;
        switch (type) {
            case 0: // OFPAT11_OUTPUT: port u32, max_len u16, pad[6].
                fixed(len, avail, 16);
                a = new Action.Output(checkOutputPort(port11(b.getUnsignedInt(at + 4), OFPBAC_BAD_OUT_PORT)),
                        b.getUnsignedShort(at + 8));
                break;
            case 1: { // OFPAT11_SET_VLAN_VID (deprecated in 1.2+).
                fixed(len, avail, 8);
                int vid = b.getUnsignedShort(at + 4);
                if ((vid & ~0xfff) != 0) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "vid " + vid);
                }
                a = new Action.SetLegacy(MatchField.VLAN_VID, vid, type);
                break;
            }
            case 2: {
                fixed(len, avail, 8);
                int pcp = b.getUnsignedByte(at + 4);
                if ((pcp & ~7) != 0) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "pcp " + pcp);
                }
                a = new Action.SetLegacy(MatchField.VLAN_PCP, pcp, type);
                break;
            }
            case 3:
            case 4:
                fixed(len, avail, 16);
                a = new Action.SetLegacy(type == 3 ? MatchField.ETH_SRC : MatchField.ETH_DST, read48(b, at + 4), type);
                break;
            case 5:
            case 6:
                fixed(len, avail, 8);
                a = new Action.SetLegacy(type == 5 ? MatchField.IPV4_SRC : MatchField.IPV4_DST,
                        b.getUnsignedInt(at + 4), type);
                break;
            case 7:
                a = setNwTos(b, at, len, avail, type);
                break;
            case 8: { // OFPAT11_SET_NW_ECN.
                fixed(len, avail, 8);
                int ecn = b.getUnsignedByte(at + 4);
                if ((ecn & ~3) != 0) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "ecn " + ecn);
                }
                a = new Action.SetLegacy(MatchField.IP_ECN, ecn, type);
                break;
            }
            case 9:
            case 10:
                fixed(len, avail, 8);
                a = new Action.SetLegacy(type == 9 ? MatchField.TCP_SRC : MatchField.TCP_DST,
                        b.getUnsignedShort(at + 4), type);
                break;
            case 13: { // OFPAT11_SET_MPLS_LABEL: As OVS, the label must fit 20 bits.
                fixed(len, avail, 8);
                long label = b.getUnsignedInt(at + 4);
                if ((label & ~0xfffffL) != 0) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "mpls label " + label);
                }
                a = new Action.SetLegacy(MatchField.MPLS_LABEL, label, type);
                break;
            }
            case 14: {
                fixed(len, avail, 8);
                int tc = b.getUnsignedByte(at + 4);
                if ((tc & ~7) != 0) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "mpls tc " + tc);
                }
                a = new Action.SetLegacy(MatchField.MPLS_TC, tc, type);
                break;
            }
            case 15:
                fixed(len, avail, 8);
                a = new Action.SetMplsTtl(b.getUnsignedByte(at + 4));
                break;
            case 16:
                fixed(len, avail, 8);
                a = new Action.DecMplsTtl();
                break;
            case 17: { // OFPAT11_PUSH_VLAN: As OVS decode_OFPAT_RAW11_PUSH_VLAN(): 802.1Q or 802.1ad only.
                fixed(len, avail, 8);
                int eth = b.getUnsignedShort(at + 4);
                if (eth != 0x8100 && eth != 0x88a8) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "push_vlan ethertype " + eth);
                }
                a = new Action.PushVlan(eth);
                break;
            }
            case 18:
                fixed(len, avail, 8);
                a = new Action.PopVlan();
                break;
            case 19: {
                fixed(len, avail, 8);
                int eth = b.getUnsignedShort(at + 4);
                if (eth != 0x8847 && eth != 0x8848) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "push_mpls ethertype " + eth);
                }
                a = new Action.PushMpls(eth);
                break;
            }
            case 20:
                fixed(len, avail, 8);
                a = new Action.PopMpls(b.getUnsignedShort(at + 4));
                break;
            case 21:
                fixed(len, avail, 8);
                a = new Action.SetQueue(b.getUnsignedInt(at + 4));
                break;
            case 22:
                fixed(len, avail, 8);
                a = new Action.Group(b.getUnsignedInt(at + 4));
                break;
            case 23:
                fixed(len, avail, 8);
                a = new Action.SetNwTtl(b.getUnsignedByte(at + 4));
                break;
            case 24:
                fixed(len, avail, 8);
                a = new Action.DecTtl();
                break;
            case 25:
                checkLen(len, avail, 8, MAX_LEN);
                a = decodeSetField(b, at, len, version >= OfVersion.OF15);
                break;
            case 28:
                if (version < OfVersion.OF15) {
                    throw new OpenFlowException(OFPBAC_BAD_TYPE, "copy_field needs OpenFlow 1.5");
                }
                checkLen(len, avail, 16, MAX_LEN);
                a = decodeMove(b, at, len, b.getUnsignedShort(at + 4), b.getUnsignedShort(at + 6),
                        b.getUnsignedShort(at + 8), 12, true);
                break;
            case 29:
                if (version < OfVersion.OF15) {
                    throw new OpenFlowException(OFPBAC_BAD_TYPE, "meter action needs OpenFlow 1.5");
                }
                fixed(len, avail, 8);
                a = new Action.Meter(b.getUnsignedInt(at + 4));
                break;
            default:
                throw new OpenFlowException(OFPBAC_BAD_TYPE, "action type " + type);
        }
        b.readerIndex(at + len);
        return a;
    }

    /**
     * As OVS {@code decode_ofpat_set_field()}: the OXM starts at offset 4; unknown field OFPBAC_BAD_SET_TYPE; a mask
     * where not allowed OFPBAC_BAD_SET_MASK; non-zero padding, in_port, read-only field or invalid value
     * OFPBAC_BAD_SET_ARGUMENT (a vlan_vid must carry OFPVID_PRESENT in value and mask).
     */
    private static Action decodeSetField(ByteBuf b, int at, int len, boolean mayMask) throws OpenFlowException {
        int end = at + len;
        b.readerIndex(at + 4);
        MatchCodec.Pulled p;
        try {
            p = MatchCodec.pull(b, end, MatchCodec.Context.ACTION, mayMask, false);
        } catch (OpenFlowException e) {
            throw e.code() == OFPBMC_BAD_MASK ? new OpenFlowException(OFPBAC_BAD_SET_MASK, e.getMessage()) : e;
        }
        requireZeros(b, b.readerIndex(), end, OFPBAC_BAD_SET_ARGUMENT);
        checkSettable(p);
        return new Action.SetField(p.entry());
    }

    private static void checkSettable(MatchCodec.Pulled p) throws OpenFlowException {
        MatchField f = p.field;
        if (f == MatchField.IN_PORT_OXM) {
            throw new OpenFlowException(OFPBAC_BAD_SET_ARGUMENT, "in_port may not be set with set_field");
        }
        if (!f.isWritable()) {
            throw new OpenFlowException(OFPBAC_BAD_SET_ARGUMENT, f.ovsName() + " is not writable");
        }
        if (!f.isWide() && !f.isValueValid(FlowKey.readValue(p.value, 0, f.nBytes()))) {
            throw new OpenFlowException(OFPBAC_BAD_SET_ARGUMENT, "invalid value for set_field " + f.ovsName());
        }
        if (f == MatchField.VLAN_VID) {
            long v = FlowKey.readValue(p.value, 0, 2);
            long m = p.mask == null ? 0xffff : FlowKey.readValue(p.mask, 0, 2);
            if ((v & 0x1000) == 0 || (m & 0x1000) == 0) {
                throw new OpenFlowException(OFPBAC_BAD_SET_ARGUMENT, "vlan_vid without OFPVID_PRESENT");
            }
        }
    }

    private static void requireZeros(ByteBuf b, int from, int to, ErrorCode error) throws OpenFlowException {
        for (int i = from; i < to; i++) {
            if (b.getByte(i) != 0) {
                throw new OpenFlowException(error, "non-zero padding");
            }
        }
    }

    /**
     * As OVS {@code decode_copy_field__()} / {@code decode_NXAST_RAW_REG_MOVE()}: two headers after the fixed part,
     * zero padding (else NXBRC_MUST_BE_ZERO), then {@code nxm_reg_move_check()}: the source range must fit, the
     * destination range must fit and be writable.
     */
    private static Action decodeMove(ByteBuf b, int at, int len, int nBits, int srcOfs, int dstOfs, int fixedLen,
                                     boolean copyField) throws OpenFlowException {
        int end = at + len;
        b.readerIndex(at + fixedLen);
        long srcHeader = header64(b);
        MatchField src = MatchCodec.pullHeader(b, end);
        long dstHeader = header64(b);
        MatchField dst = MatchCodec.pullHeader(b, end);
        requireZeros(b, b.readerIndex(), end, NXBRC_MUST_BE_ZERO);
        checkSubfield(src, srcOfs, nBits, false);
        checkSubfield(dst, dstOfs, nBits, true);
        return new Action.Move(src, srcOfs, dst, dstOfs, nBits, srcHeader, dstHeader, copyField);
    }

    /**
     * As OVS {@code decode_stack_action()} and {@code nxm_stack_push_check()}/{@code nxm_stack_pop_check()}: the
     * field's header at offset 12, then n_bits, then zeros (else NXBRC_MUST_BE_ZERO); the range must fit the field,
     * and a pop's field must be writable.
     */
    private static Action decodeStack(ByteBuf b, int at, int len, boolean push) throws OpenFlowException {
        int end = at + len;
        int ofs = b.getUnsignedShort(at + 10);
        b.readerIndex(at + 12);
        long header = header64(b);
        MatchField f = MatchCodec.pullHeader(b, end);
        if (end - b.readerIndex() < 2) {
            throw new OpenFlowException(OFPBAC_BAD_LEN, "stack action too short for its header");
        }
        int nBits = b.readUnsignedShort();
        requireZeros(b, b.readerIndex(), end, NXBRC_MUST_BE_ZERO);
        checkSubfield(f, ofs, nBits, !push);
        return push ? new Action.StackPush(f, ofs, nBits, header) : new Action.StackPop(f, ofs, nBits, header);
    }

    private static long header64(ByteBuf b) {
        int at = b.readerIndex();
        if (b.readableBytes() < 4) {
            return 0;
        }
        int h = b.getInt(at);
        long low = (h >>> 16) == 0xffff && b.readableBytes() >= 8 ? b.getInt(at + 4) & 0xffffffffL : 0;
        return ((h & 0xffffffffL) << 32) | low;
    }

    /** As OVS {@code mf_check_src()} / {@code mf_check_dst()}. */
    static void checkSubfield(MatchField f, int ofs, int nBits, boolean dst) throws OpenFlowException {
        if (nBits == 0) {
            throw new OpenFlowException(OFPBAC_BAD_SET_LEN, "zero bit " + f.ovsName());
        }
        if (ofs >= f.nBits() || ofs + nBits > f.nBits()) {
            throw new OpenFlowException(OFPBAC_BAD_SET_LEN, f.ovsName() + "[" + ofs + "+" + nBits + "] exceeds "
                    + f.nBits() + " bits");
        }
        if (dst && !f.isWritable()) {
            throw new OpenFlowException(OFPBAC_BAD_SET_ARGUMENT, f.ovsName() + " is not writable");
        }
    }

    // ---------------------------------------------------------------------------------------------------- Nicira

    private static Action decodeNx(ByteBuf b, int at, int len, int avail, int subtype, int version,
                                   ExperimenterActions hook) throws OpenFlowException {
        boolean of10 = version == OfVersion.OF10;
        boolean upTo14 = version <= OfVersion.OF14;
        Action a;
        switch (subtype) {
            case 1: // NXAST_RESUBMIT: in_port u16 at 10; the rest is ignored as OVS does.
                fixed(len, avail, 16);
                a = new Action.Resubmit(b.getUnsignedShort(at + 10), 0xff, false, subtype);
                break;
            case 14:
            case 44: // NXAST_RESUBMIT_TABLE(_CT): in_port u16, table u8, pad[3] that must be zero.
                fixed(len, avail, 16);
                if (b.getByte(at + 13) != 0 || b.getByte(at + 14) != 0 || b.getByte(at + 15) != 0) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "resubmit padding");
                }
                a = new Action.Resubmit(b.getUnsignedShort(at + 10), b.getUnsignedByte(at + 12), subtype == 44,
                        subtype);
                break;
            case 2: // NXAST_SET_TUNNEL: pad u16, tun_id u32.
                fixed(len, avail, 16);
                a = new Action.SetTunnel(b.getUnsignedInt(at + 12), false);
                break;
            case 9: // NXAST_SET_TUNNEL64: pad[6], tun_id u64.
                fixed(len, avail, 24);
                a = new Action.SetTunnel(b.getLong(at + 16), true);
                break;
            case 4: // NXAST_SET_QUEUE (OpenFlow 1.0 only): pad u16, queue u32.
                if (!of10) {
                    throw unknownNx(subtype, version);
                }
                fixed(len, avail, 16);
                a = new Action.SetQueue(b.getUnsignedInt(at + 12));
                break;
            case 5:
                fixed(len, avail, 16);
                a = new Action.PopQueue();
                break;
            case 17:
                fixed(len, avail, 16);
                a = new Action.Exit();
                break;
            case 18: // NXAST_DEC_TTL: OpenFlow 1.0 only (1.1+ has OFPAT_DEC_NW_TTL).
                if (!of10) {
                    throw unknownNx(subtype, version);
                }
                fixed(len, avail, 16);
                a = new Action.DecTtl();
                break;
            case 23:
            case 24:
            case 25:
            case 26:
            case 30:
            case 31:
            case 40:
                if (!of10) {
                    throw unknownNx(subtype, version);
                }
                a = decodeNx10Mpls(b, at, len, avail, subtype);
                break;
            case 8: { // NXAST_NOTE: note[6] and beyond.
                checkLen(len, avail, 16, MAX_LEN);
                byte[] note = new byte[len - 10];
                b.getBytes(at + 10, note);
                a = new Action.Note(note);
                break;
            }
            case 7: // NXAST_REG_LOAD (1.0-1.4).
                if (!upTo14) {
                    throw unknownNx(subtype, version);
                }
                fixed(len, avail, 24);
                a = decodeRegLoad(b, at);
                break;
            case 33: // NXAST_REG_LOAD2 (1.0-1.4).
                if (!upTo14) {
                    throw unknownNx(subtype, version);
                }
                checkLen(len, avail, 16, MAX_LEN);
                a = decodeRegLoad2(b, at, len);
                break;
            case 6: // NXAST_REG_MOVE (1.0-1.4): n_bits, src_ofs, dst_ofs, then two headers.
                if (!upTo14) {
                    throw unknownNx(subtype, version);
                }
                checkLen(len, avail, 24, MAX_LEN);
                a = decodeMove(b, at, len, b.getUnsignedShort(at + 10), b.getUnsignedShort(at + 12),
                        b.getUnsignedShort(at + 14), 16, false);
                break;
            case 27: // NXAST_STACK_PUSH: offset, a header, n_bits, zero padding to 24 bytes.
            case 28: // NXAST_STACK_POP
                fixed(len, avail, 24);
                a = decodeStack(b, at, len, subtype == 27);
                break;
            case 15: // NXAST_OUTPUT_REG: ofs_nbits, src u32, max_len, zero[6].
                fixed(len, avail, 24);
                a = decodeOutputReg(b, at);
                break;
            case 32: // NXAST_OUTPUT_REG2: ofs_nbits, max_len, then a header.
                checkLen(len, avail, 24, MAX_LEN);
                a = decodeOutputReg2(b, at, len);
                break;
            case 20: // NXAST_CONTROLLER: max_len, controller_id, reason, zero.
                fixed(len, avail, 16);
                a = new Action.Controller(b.getUnsignedShort(at + 10), b.getUnsignedShort(at + 12),
                        b.getUnsignedByte(at + 14), null, false, -1, false);
                break;
            case 37:
                checkLen(len, avail, 16, MAX_LEN);
                a = decodeController2(b, at, len);
                break;
            case ExperimenterActions.NXAST_CT:
            case ExperimenterActions.NXAST_NAT:
            case ExperimenterActions.NXAST_CT_CLEAR: {
                // The one dispatch point for the conntrack family: framing checked here, body decoded by the hook.
                checkLen(len, avail, subtype == ExperimenterActions.NXAST_CT ? 24 : 16, MAX_LEN);
                if (subtype == ExperimenterActions.NXAST_CT_CLEAR && len != 16) {
                    throw new OpenFlowException(OFPBAC_BAD_LEN, "ct_clear length " + len);
                }
                a = hook.decode(b.slice(at, len), subtype, version);
                break;
            }
            case NXAST_DEC_TTL_CNT_IDS: {
                // As OVS decode_NXAST_RAW_DEC_TTL_CNT_IDS(): 16 bytes, then n_controllers ids of 2 bytes.
                checkLen(len, avail, 16, MAX_LEN);
                int n = b.getUnsignedShort(at + 10);
                if (b.getInt(at + 12) != 0) {
                    throw new OpenFlowException(NXBRC_MUST_BE_ZERO, "dec_ttl_cnt_ids zeros");
                }
                if (len - 16 < 2 * n) {
                    throw new OpenFlowException(OFPBAC_BAD_LEN, "dec_ttl_cnt_ids: " + (len - 16)
                            + " bytes for " + n + " controller ids");
                }
                List<Integer> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ids.add(b.getUnsignedShort(at + 16 + 2 * i));
                }
                a = new Action.DecTtl(ids, true);
                break;
            }
            case NXAST_WRITE_METADATA:
                // A write-metadata instruction in Nicira form: InstructionCodec takes it at the end of an
                // OpenFlow 1.0 action list or of a 1.1+ apply-actions, as OVS does; reaching this decoder means it
                // stood anywhere else, an instruction where only actions may be.
                fixed(len, avail, 32);
                throw new OpenFlowException(ErrorCode.OFPBIC_UNSUP_INST, "write_metadata instruction not allowed "
                        + "here");
            case NXAST_CONJUNCTION: { // clause u8 (0-based), n_clauses u8, id u32.
                fixed(len, avail, 16);
                int clause = b.getUnsignedByte(at + 10);
                int n = b.getUnsignedByte(at + 11);
                if (n < 2 || n > 64 || clause >= n) {
                    // OVS decode_NXAST_RAW_CONJUNCTION().
                    throw new OpenFlowException(ErrorCode.NXBAC_BAD_CONJUNCTION, "conjunction clause " + clause
                            + " of " + n);
                }
                a = new Action.Conjunction(b.getUnsignedInt(at + 12), clause, n);
                break;
            }
            case 10: case 12: case 13: case 16: case 19: case 29:
            case 38: case 39: case 41: case 42: case 45: case 254: case 255:
                // Known to OVS (multipath, bundle, learn, fin_timeout,
                // sample, output_trunc, clone, learn2, debug) but not implemented by this switch.
                checkLen(len, avail, 16, MAX_LEN);
                throw new OpenFlowException(OFPBAC_BAD_VENDOR_TYPE, "NXAST subtype " + subtype + " not implemented");
            case 46: case 47: case 48:
                if (version < OfVersion.OF13) {
                    throw unknownNx(subtype, version);
                }
                checkLen(len, avail, 16, MAX_LEN);
                throw new OpenFlowException(OFPBAC_BAD_VENDOR_TYPE, "NXAST subtype " + subtype + " not implemented");
            default:
                throw unknownNx(subtype, version);
        }
        b.readerIndex(at + len);
        return a;
    }

    private static OpenFlowException unknownNx(int subtype, int version) {
        return new OpenFlowException(OFPBAC_BAD_VENDOR_TYPE, "unknown OpenFlow " + OfVersion.name(version)
                + " action for vendor 0x2320 and type " + subtype);
    }

    private static Action decodeNx10Mpls(ByteBuf b, int at, int len, int avail, int subtype)
            throws OpenFlowException {
        fixed(len, avail, 16);
        switch (subtype) {
            case 23: {
                int eth = b.getUnsignedShort(at + 10);
                if (eth != 0x8847 && eth != 0x8848) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "push_mpls ethertype " + eth);
                }
                return new Action.PushMpls(eth);
            }
            case 24:
                return new Action.PopMpls(b.getUnsignedShort(at + 10));
            case 25:
                return new Action.SetMplsTtl(b.getUnsignedByte(at + 10));
            case 26:
                return new Action.DecMplsTtl();
            case 30: {
                long label = b.getUnsignedInt(at + 12);
                if ((label & ~0xfffffL) != 0) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "mpls label " + label);
                }
                return new Action.SetLegacy(MatchField.MPLS_LABEL, label, 0x10000 | subtype);
            }
            case 31: {
                int tc = b.getUnsignedByte(at + 10);
                if ((tc & ~7) != 0) {
                    throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "mpls tc " + tc);
                }
                return new Action.SetLegacy(MatchField.MPLS_TC, tc, 0x10000 | subtype);
            }
            default: // 40: NXAST_GROUP.
                return new Action.Group(b.getUnsignedInt(at + 12));
        }
    }

    /**
     * As OVS {@code decode_NXAST_RAW_REG_LOAD()}: unknown destination OFPBAC_BAD_SET_TYPE, range checks
     * ({@link #checkSubfield}), then a value with bits at or above n_bits is OFPBAC_BAD_ARGUMENT.
     */
    private static Action decodeRegLoad(ByteBuf b, int at) throws OpenFlowException {
        int ofsNbits = b.getUnsignedShort(at + 10);
        int dstHeader = b.getInt(at + 12);
        long value = b.getLong(at + 16);
        int ofs = ofsNbits >>> 6;
        int nBits = (ofsNbits & 0x3f) + 1;
        MatchField dst = MatchCodec.lookup(dstHeader, (dstHeader & 0xffffffffL) << 32, false);
        if (dst == null) {
            throw new OpenFlowException(OFPBAC_BAD_SET_TYPE, "load to unknown " + Integer.toHexString(dstHeader));
        }
        checkSubfield(dst, ofs, nBits, true);
        if (nBits < 64 && (value >>> nBits) != 0) {
            throw new OpenFlowException(OFPBAC_BAD_ARGUMENT, "load value wider than " + nBits + " bits");
        }
        return new Action.RegLoad(dst, ofs, nBits, value, dstHeader);
    }

    /** As OVS {@code decode_NXAST_RAW_REG_LOAD2()}: an OXM at offset 10, zero padding, a writable field. */
    private static Action decodeRegLoad2(ByteBuf b, int at, int len) throws OpenFlowException {
        int end = at + len;
        b.readerIndex(at + 10);
        MatchCodec.Pulled p = MatchCodec.pull(b, end, MatchCodec.Context.ACTION, true, false);
        requireZeros(b, b.readerIndex(), end, OFPBAC_BAD_SET_ARGUMENT);
        if (!p.field.isWritable()) {
            throw new OpenFlowException(OFPBAC_BAD_SET_ARGUMENT, p.field.ovsName() + " is not writable");
        }
        return new Action.RegLoad2(p.entry());
    }

    /** As OVS {@code decode_NXAST_RAW_OUTPUT_REG()}: zero[6] must be zero, the source range must fit. */
    private static Action decodeOutputReg(ByteBuf b, int at) throws OpenFlowException {
        int ofsNbits = b.getUnsignedShort(at + 10);
        int srcHeader = b.getInt(at + 12);
        int maxLen = b.getUnsignedShort(at + 16);
        requireZeros(b, at + 18, at + 24, OFPBAC_BAD_ARGUMENT);
        MatchField src = MatchCodec.lookup(srcHeader, (srcHeader & 0xffffffffL) << 32, false);
        if (src == null) {
            throw new OpenFlowException(OFPBAC_BAD_SET_TYPE, "output_reg from unknown field");
        }
        int ofs = ofsNbits >>> 6;
        int nBits = (ofsNbits & 0x3f) + 1;
        checkSubfield(src, ofs, nBits, false);
        return new Action.OutputReg(src, ofs, nBits, maxLen, (srcHeader & 0xffffffffL) << 32, false);
    }

    private static Action decodeOutputReg2(ByteBuf b, int at, int len) throws OpenFlowException {
        int end = at + len;
        int ofsNbits = b.getUnsignedShort(at + 10);
        int maxLen = b.getUnsignedShort(at + 12);
        b.readerIndex(at + 14);
        long h = header64(b);
        MatchField src = MatchCodec.pullHeader(b, end);
        requireZeros(b, b.readerIndex(), end, OFPBAC_BAD_ARGUMENT);
        int ofs = ofsNbits >>> 6;
        int nBits = (ofsNbits & 0x3f) + 1;
        checkSubfield(src, ofs, nBits, false);
        return new Action.OutputReg(src, ofs, nBits, maxLen, h, true);
    }

    /**
     * NXAST_CONTROLLER2: properties after the 16-byte header, each {@code type u16, len u16, value, pad to 8}:
     * 0 max_len (u16), 1 controller_id (u16), 2 reason (u8), 3 userdata, 4 pause (empty), 5 meter_id (u32).
     * As OVS {@code decode_NXAST_RAW_CONTROLLER2()} with {@code ofpprop_pull()}: bad framing OFPBPC_BAD_LEN, an unknown
     * property OFPBPC_BAD_TYPE.
     */
    private static Action decodeController2(ByteBuf b, int at, int len) throws OpenFlowException {
        int p = at + 16;
        int end = at + len;
        int maxLen = 0xffff;
        int id = 0;
        int reason = 1; // OFPR_ACTION
        byte[] userdata = null;
        boolean pause = false;
        long meter = -1;
        while (p < end) {
            if (end - p < 4) {
                throw new OpenFlowException(OFPBPC_BAD_LEN, "partial property");
            }
            int type = b.getUnsignedShort(p);
            int plen = b.getUnsignedShort(p + 2);
            if (plen < 4 || OfHeader.roundUp8(plen) > end - p) {
                throw new OpenFlowException(OFPBPC_BAD_LEN, "property length " + plen);
            }
            int v = p + 4;
            int vlen = plen - 4;
            switch (type) {
                case 0:
                    maxLen = propU16(b, v, vlen);
                    break;
                case 1:
                    id = propU16(b, v, vlen);
                    break;
                case 2:
                    if (vlen < 1 || vlen > 4) {
                        throw new OpenFlowException(OFPBPC_BAD_LEN, "reason property");
                    }
                    reason = b.getUnsignedByte(v);
                    break;
                case 3:
                    userdata = new byte[vlen];
                    b.getBytes(v, userdata);
                    break;
                case 4:
                    pause = true;
                    break;
                case 5:
                    if (vlen != 4) {
                        throw new OpenFlowException(OFPBPC_BAD_LEN, "meter_id property");
                    }
                    meter = b.getUnsignedInt(v);
                    break;
                default:
                    throw new OpenFlowException(OFPBPC_BAD_TYPE, "controller2 property " + type);
            }
            p += OfHeader.roundUp8(plen);
        }
        return new Action.Controller(maxLen, id, reason, userdata, pause, meter, true);
    }

    /** As OVS {@code ofpprop_parse_u16()}: forgiving, a 2- to 4-byte payload (OVS itself sends 4: value + pad). */
    private static int propU16(ByteBuf b, int v, int vlen) throws OpenFlowException {
        if (vlen < 2 || vlen > 4) {
            throw new OpenFlowException(OFPBPC_BAD_LEN, "u16 property of " + vlen + " bytes");
        }
        return b.getUnsignedShort(v);
    }

    private static long read48(ByteBuf b, int at) {
        return ((long) b.getUnsignedShort(at) << 32) | b.getUnsignedInt(at + 2);
    }

    // ------------------------------------------------------------------------------------------------- encoding

    /** Encodes {@code actions} for wire version {@code version}; returns the number of bytes written. */
    public static int encode(ByteBuf out, List<Action> actions, int version) {
        int start = out.writerIndex();
        for (Action a : actions) {
            encodeOne(out, a, version);
        }
        return out.writerIndex() - start;
    }

    /** {@code NXAST_DEC_TTL_CNT_IDS}. */
    static final int NXAST_DEC_TTL_CNT_IDS = 21;
    /** {@code NXAST_WRITE_METADATA} (32 bytes: header, zeros(6), metadata(8), mask(8)). */
    static final int NXAST_WRITE_METADATA = 22;
    /** {@code NXAST_CONJUNCTION} (16 bytes: header, clause u8, n_clauses u8, id u32). */
    static final int NXAST_CONJUNCTION = 34;

    private static int nxHeader(ByteBuf out, int subtype) {
        int start = out.writerIndex();
        out.writeShort(OFPAT_VENDOR).writeShort(0).writeInt(ErrorCode.NX_VENDOR_ID).writeShort(subtype);
        return start;
    }

    private static void finish(ByteBuf out, int start) {
        OfHeader.pad8(out, start);
        out.setShort(start + 2, out.writerIndex() - start);
    }

    private static void simple(ByteBuf out, int type, int arg, int argBytes) {
        int start = out.writerIndex();
        out.writeShort(type).writeShort(8);
        if (argBytes == 1) {
            out.writeByte(arg).writeZero(3);
        } else if (argBytes == 2) {
            out.writeShort(arg).writeZero(2);
        } else if (argBytes == 4) {
            out.writeInt(arg);
        } else {
            out.writeZero(4);
        }
        out.setShort(start + 2, 8);
    }

    private static void encodeOne(ByteBuf out, Action a, int version) {
        boolean of10 = version == OfVersion.OF10;
        if (a instanceof Action.Output) {
            Action.Output o = (Action.Output) a;
            if (of10) {
                out.writeShort(0).writeShort(8).writeShort(o.port()).writeShort(o.maxLen());
            } else {
                out.writeShort(0).writeShort(16).writeInt((int) MatchField.portToOfp11(o.port()))
                        .writeShort(o.maxLen()).writeZero(6);
            }
        } else if (a instanceof Action.Group) {
            if (of10) {
                int s = nxHeader(out, 40);
                out.writeShort(0).writeInt((int) ((Action.Group) a).groupId());
                finish(out, s);
            } else {
                simple(out, 22, (int) ((Action.Group) a).groupId(), 4);
            }
        } else if (a instanceof Action.SetQueue) {
            if (of10) {
                int s = nxHeader(out, 4);
                out.writeShort(0).writeInt((int) ((Action.SetQueue) a).queueId());
                finish(out, s);
            } else {
                simple(out, 21, (int) ((Action.SetQueue) a).queueId(), 4);
            }
        } else if (a instanceof Action.Enqueue) {
            Action.Enqueue e = (Action.Enqueue) a;
            out.writeShort(11).writeShort(16).writeShort(e.port()).writeZero(6).writeInt((int) e.queueId());
        } else if (a instanceof Action.SetField) {
            int s = out.writerIndex();
            out.writeShort(25).writeShort(0);
            ((Action.SetField) a).entry().encode(out);
            finish(out, s);
        } else if (a instanceof Action.RegLoad) {
            Action.RegLoad r = (Action.RegLoad) a;
            int s = nxHeader(out, 7);
            out.writeShort((r.ofs() << 6) | (r.nBits() - 1)).writeInt(r.dstHeader()).writeLong(r.value());
            finish(out, s);
        } else if (a instanceof Action.RegLoad2) {
            int s = nxHeader(out, 33);
            ((Action.RegLoad2) a).entry().encode(out);
            finish(out, s);
        } else if (a instanceof Action.Move) {
            Action.Move m = (Action.Move) a;
            int s;
            if (m.copyField()) {
                s = out.writerIndex();
                out.writeShort(28).writeShort(0).writeShort(m.nBits()).writeShort(m.srcOfs()).writeShort(m.dstOfs())
                        .writeShort(0);
            } else {
                s = nxHeader(out, 6);
                out.writeShort(m.nBits()).writeShort(m.srcOfs()).writeShort(m.dstOfs());
            }
            writeHeader(out, m.srcHeader());
            writeHeader(out, m.dstHeader());
            finish(out, s);
        } else if (a instanceof Action.StackPush p) {
            int s = nxHeader(out, 27);
            out.writeShort(p.ofs());
            writeHeader(out, p.header());
            out.writeShort(p.nBits());
            finish(out, s);
        } else if (a instanceof Action.StackPop p) {
            int s = nxHeader(out, 28);
            out.writeShort(p.ofs());
            writeHeader(out, p.header());
            out.writeShort(p.nBits());
            finish(out, s);
        } else if (a instanceof Action.PushVlan) {
            simple(out, 17, ((Action.PushVlan) a).ethertype(), 2);
        } else if (a instanceof Action.PopVlan) {
            simple(out, of10 ? 3 : 18, 0, 0);
        } else if (a instanceof Action.PushMpls) {
            if (of10) {
                int s = nxHeader(out, 23);
                out.writeShort(((Action.PushMpls) a).ethertype());
                finish(out, s);
            } else {
                simple(out, 19, ((Action.PushMpls) a).ethertype(), 2);
            }
        } else if (a instanceof Action.PopMpls) {
            if (of10) {
                int s = nxHeader(out, 24);
                out.writeShort(((Action.PopMpls) a).ethertype());
                finish(out, s);
            } else {
                simple(out, 20, ((Action.PopMpls) a).ethertype(), 2);
            }
        } else if (a instanceof Action.DecTtl d && d.needsCntIds()) {
            int st = nxHeader(out, NXAST_DEC_TTL_CNT_IDS);
            out.writeShort(d.controllerIds().size()).writeZero(4);
            for (int id : d.controllerIds()) {
                out.writeShort(id);
            }
            finish(out, st);
        } else if (a instanceof Action.DecTtl) {
            if (of10) {
                finish(out, nxHeader(out, 18));
            } else {
                simple(out, 24, 0, 0);
            }
        } else if (a instanceof Action.SetNwTtl) {
            simple(out, 23, ((Action.SetNwTtl) a).ttl(), 1);
        } else if (a instanceof Action.SetMplsTtl) {
            if (of10) {
                int s = nxHeader(out, 25);
                out.writeByte(((Action.SetMplsTtl) a).ttl());
                finish(out, s);
            } else {
                simple(out, 15, ((Action.SetMplsTtl) a).ttl(), 1);
            }
        } else if (a instanceof Action.DecMplsTtl) {
            if (of10) {
                finish(out, nxHeader(out, 26));
            } else {
                simple(out, 16, 0, 0);
            }
        } else if (a instanceof Action.SetLegacy) {
            encodeLegacy(out, (Action.SetLegacy) a);
        } else if (a instanceof Action.Resubmit) {
            Action.Resubmit r = (Action.Resubmit) a;
            int s = nxHeader(out, r.subtype());
            out.writeShort(r.inPort());
            if (r.subtype() != 1) {
                out.writeByte(r.table());
            }
            finish(out, s);
        } else if (a instanceof Action.Note) {
            int s = nxHeader(out, 8);
            out.writeBytes(((Action.Note) a).data());
            finish(out, s);
        } else if (a instanceof Action.SetTunnel) {
            Action.SetTunnel t = (Action.SetTunnel) a;
            int s = nxHeader(out, t.wide() ? 9 : 2);
            if (t.wide()) {
                out.writeZero(6).writeLong(t.tunId());
            } else {
                out.writeShort(0).writeInt((int) t.tunId());
            }
            finish(out, s);
        } else if (a instanceof Action.PopQueue) {
            finish(out, nxHeader(out, 5));
        } else if (a instanceof Action.Exit) {
            finish(out, nxHeader(out, 17));
        } else if (a instanceof Action.Conjunction c) {
            int s = nxHeader(out, NXAST_CONJUNCTION);
            out.writeByte(c.clause()).writeByte(c.nClauses()).writeInt((int) c.id());
            finish(out, s);
        } else if (a instanceof Action.OutputReg) {
            Action.OutputReg r = (Action.OutputReg) a;
            int s = nxHeader(out, r.v2() ? 32 : 15);
            out.writeShort((r.ofs() << 6) | (r.nBits() - 1));
            if (r.v2()) {
                out.writeShort(r.maxLen());
                writeHeader(out, r.srcHeader());
            } else {
                out.writeInt((int) (r.srcHeader() >>> 32)).writeShort(r.maxLen());
            }
            finish(out, s);
        } else if (a instanceof Action.Controller) {
            encodeController(out, (Action.Controller) a);
        } else if (a instanceof Action.Meter) {
            simple(out, 29, (int) ((Action.Meter) a).meterId(), 4);
        } else if (a instanceof Action.Opaque) {
            out.writeBytes(((Action.Opaque) a).raw());
        } else if (a instanceof Action.Conntrack) {
            out.writeBytes(((Action.Conntrack) a).ct().raw());
        } else if (a instanceof Action.Nat) {
            out.writeBytes(((Action.Nat) a).raw());
        } else if (a instanceof Action.CtClear) {
            int s = nxHeader(out, ExperimenterActions.NXAST_CT_CLEAR);
            out.writeZero(6);
            finish(out, s);
        } else {
            throw new IllegalArgumentException("cannot encode " + a);
        }
    }

    private static void writeHeader(ByteBuf out, long header64) {
        int h = (int) (header64 >>> 32);
        out.writeInt(h);
        if ((h >>> 16) == 0xffff) {
            out.writeInt((int) header64);
        }
    }

    private static void encodeLegacy(ByteBuf out, Action.SetLegacy a) {
        int t = a.wireType();
        if ((t & 0x10000) != 0) { // OpenFlow 1.0 NX MPLS rewrites.
            int s = nxHeader(out, t & 0xffff);
            if ((t & 0xffff) == 30) {
                out.writeShort(0).writeInt((int) a.value());
            } else {
                out.writeByte((int) a.value());
            }
            finish(out, s);
            return;
        }
        switch (a.field()) {
            case ETH_SRC:
            case ETH_DST:
                out.writeShort(t).writeShort(16).writeShort((int) (a.value() >>> 32)).writeInt((int) a.value())
                        .writeZero(6);
                return;
            case IPV4_SRC:
            case IPV4_DST:
            case MPLS_LABEL:
                simple(out, t, (int) a.value(), 4);
                return;
            case VLAN_VID:
            case TCP_SRC:
            case TCP_DST:
                simple(out, t, (int) a.value(), 2);
                return;
            default:
                simple(out, t, (int) a.value(), 1);
        }
    }

    private static void encodeController(ByteBuf out, Action.Controller c) {
        int s = nxHeader(out, c.v2() ? 37 : 20);
        if (!c.v2()) {
            out.writeShort(c.maxLen()).writeShort(c.controllerId()).writeByte(c.reason()).writeByte(0);
            finish(out, s);
            return;
        }
        out.writeZero(6);
        // As OVS encode_CONTROLLER(): only the properties that differ from the defaults.
        // ofpprop_put_u16() pads the value to 4 bytes and counts the padding in the length.
        if (c.maxLen() != 0xffff) {
            prop(out, 0, 4).writeShort(c.maxLen()).writeZero(2);
        }
        if (c.controllerId() != 0) {
            prop(out, 1, 4).writeShort(c.controllerId()).writeZero(2);
        }
        if (c.reason() != 1) {
            prop(out, 2, 1).writeByte(c.reason()).writeZero(3);
        }
        byte[] ud = c.userdata();
        if (ud != null) {
            int ps = out.writerIndex();
            prop(out, 3, ud.length).writeBytes(ud);
            OfHeader.pad8(out, ps);
        }
        if (c.pause()) {
            prop(out, 4, 0).writeZero(4);
        }
        if (c.meterId() >= 0) {
            prop(out, 5, 4).writeInt((int) c.meterId());
        }
        finish(out, s);
    }

    private static ByteBuf prop(ByteBuf out, int type, int valueLen) {
        return out.writeShort(type).writeShort(4 + valueLen);
    }
}
