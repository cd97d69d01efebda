package dev.ofswitch.ofswitch.codec;

import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_SET_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_SET_TYPE;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBMC_BAD_FIELD;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBMC_BAD_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBMC_BAD_MASK;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBMC_BAD_PREREQ;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBMC_BAD_TYPE;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBMC_BAD_VALUE;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBMC_BAD_WILDCARDS;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBMC_DUP_FIELD;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import dev.ofswitch.ofswitch.flow.Prerequisite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes and encodes matches: OXM ({@code ofp_match} type 1), NXM ({@code nx_match}) and the OpenFlow 1.0
 * {@code ofp_match}, validating as OVS 3.1's {@code lib/nx-match.c} and {@code lib/ofp-match.c} do.
 *
 * <h2>OXM match (OpenFlow 1.1+)</h2>
 * <pre>
 * +--------+--------+----------------------------------------------+-------------+
 * | type=1 | length |  OXM TLVs (length - 4 bytes)                 | pad to 8    |
 * +--------+--------+----------------------------------------------+-------------+
 *    2        2       length excludes the padding; the match takes roundUp8(length) bytes.
 * </pre>
 *
 * <h2>Validation, in OVS's order ({@code nx_pull_raw()}, {@code nx_pull_entry__()}, {@code nx_pull_header__()})</h2>
 * <ol>
 *   <li>fewer than 4 (experimenter: 8) header bytes, a length below the experimenter id's 4 bytes, or a payload
 *       longer than what is left: OFPBMC_BAD_LEN;</li>
 *   <li>a masked entry with a 1-bit in the value under a 0-bit of the mask: OFPBMC_BAD_WILDCARDS;</li>
 *   <li>an unknown header (class+field unknown, or the wrong length): OFPBMC_BAD_FIELD;</li>
 *   <li>a mask on a field that is not maskable, unless all ones: OFPBMC_BAD_MASK;</li>
 *   <li>a value out of range ({@link MatchField#isValueValid}): OFPBMC_BAD_VALUE;</li>
 *   <li>a prerequisite not met by the entries before it: OFPBMC_BAD_PREREQ;</li>
 *   <li>a field already matched (also through a view that shares its storage): OFPBMC_DUP_FIELD.</li>
 * </ol>
 * An OXM match whose type is not 1 is OFPBMC_BAD_TYPE (checked after its length); a match longer than the message is
 * OFPBMC_BAD_LEN.
 */
public final class MatchCodec {
    /** {@code OFPMT_OXM}. */
    public static final int OFPMT_OXM = 1;
    /** {@code sizeof(struct ofp10_match)}. */
    public static final int OF10_MATCH_LEN = 40;

    private MatchCodec() {
    }

    /** Where an entry is being pulled: it decides which error an unknown header gives. */
    enum Context {
        /** A match: unknown header is OFPBMC_BAD_FIELD. */
        MATCH,
        /** A set_field / reg_load2 action: unknown header is OFPBAC_BAD_SET_TYPE, too long OFPBAC_BAD_SET_LEN. */
        ACTION
    }

    /** One pulled TLV before it is applied. */
    static final class Pulled {
        MatchField field;
        long header;
        byte[] value;
        byte[] mask;
        boolean cookie;

        MatchEntry entry() {
            return new MatchEntry(field, header, value, mask);
        }
    }

    /**
     * Decodes an OXM {@code ofp_match} at {@code b}'s reader index and advances past it and its padding.
     *
     * @throws OpenFlowException with OVS's error for a malformed or invalid match
     */
    public static Match decodeOxm(ByteBuf b) throws OpenFlowException {
        return decodeOxm(b, 0);
    }

    /**
     * Decodes an OXM {@code ofp_match} of a message of wire version {@code version} (recorded in the match, so that
     * encoders for another version know whether its bytes can be echoed).
     */
    public static Match decodeOxm(ByteBuf b, int version) throws OpenFlowException {
        int start = b.readerIndex();
        if (b.readableBytes() < 4) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "no room for ofp_match header");
        }
        int type = b.getUnsignedShort(start);
        int len = b.getUnsignedShort(start + 2);
        if (len < 4) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "ofp_match length " + len);
        }
        if (type == 0) {
            // As OVS ofputil_pull_ofp11_match(): OFPMT_STANDARD must be an 88-byte ofp11_match. This switch does not
            // decode that OpenFlow 1.1 form (no 1.3+ controller sends it) and refuses it as an unsupported type.
            throw new OpenFlowException(len != 88 || b.readableBytes() < 88 ? OFPBMC_BAD_LEN : OFPBMC_BAD_TYPE,
                    "OFPMT_STANDARD match");
        }
        if (type != OFPMT_OXM) {
            throw new OpenFlowException(OFPBMC_BAD_TYPE, "ofp_match type " + type);
        }
        int padded = OfHeader.roundUp8(len);
        if (padded > b.readableBytes()) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "ofp_match length " + len + " exceeds message");
        }
        b.skipBytes(4);
        List<MatchEntry> entries = decodeTlvs(b, len - 4, true, false, null);
        byte[] raw = new byte[padded];
        b.getBytes(start, raw);
        b.readerIndex(start + padded);
        return new Match(Match.Format.OXM, entries, raw, null, null, version);
    }

    /**
     * Decodes an {@code nx_match} of {@code matchLen} bytes at the reader index (followed by padding to 8) and advances
     * past both, as OVS's {@code nx_pull_match()}.
     *
     * @param allowCookie whether the NXM_NX_COOKIE pseudo-field may appear (NXT_FLOW_MOD, NXST_FLOW requests)
     */
    public static Match decodeNxm(ByteBuf b, int matchLen, boolean allowCookie) throws OpenFlowException {
        int start = b.readerIndex();
        int padded = OfHeader.roundUp8(matchLen);
        if (matchLen > 0 && padded > b.readableBytes()) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "nx_match length " + matchLen + " exceeds message");
        }
        long[] cookie = allowCookie ? new long[3] : null;
        List<MatchEntry> entries = decodeTlvs(b, matchLen, true, allowCookie, cookie);
        byte[] raw = new byte[matchLen];
        b.getBytes(start, raw);
        b.readerIndex(start + (matchLen > 0 ? padded : 0));
        Long c = cookie != null && cookie[2] != 0 ? cookie[0] : null;
        Long cm = cookie != null && cookie[2] != 0 ? cookie[1] : null;
        return new Match(Match.Format.NXM, entries, raw, c, cm);
    }

    /**
     * Decodes OXM/NXM TLVs without a match header, {@code len} bytes from the reader index, which ends right after
     * them. {@code strict} false is OVS's loose mode for packet-in metadata: unknown fields are skipped and
     * prerequisites are not checked.
     */
    static List<MatchEntry> decodeTlvs(ByteBuf b, int len, boolean strict, boolean allowCookie, long[] cookieOut)
            throws OpenFlowException {
        int end = b.readerIndex() + len;
        List<MatchEntry> entries = new ArrayList<>();
        long[] values = FlowKey.newKey();
        long[] masks = FlowKey.newKey();
        while (b.readerIndex() < end) {
            Pulled p;
            try {
                p = pull(b, end, Context.MATCH, true, allowCookie);
            } catch (OpenFlowException e) {
                if (!strict && e.code() == OFPBMC_BAD_FIELD) {
                    continue;
                }
                throw e;
            }
            if (p.cookie) {
                if (cookieOut[2] != 0) {
                    throw new OpenFlowException(OFPBMC_DUP_FIELD, "duplicate NXM_NX_COOKIE");
                }
                cookieOut[0] = FlowKey.readValue(p.value, 0, 8);
                cookieOut[1] = p.mask == null ? -1L : FlowKey.readValue(p.mask, 0, 8);
                cookieOut[2] = 1;
                continue;
            }
            MatchField f = p.field;
            if (strict && !f.prerequisite().isMet(values, masks)) {
                throw new OpenFlowException(OFPBMC_BAD_PREREQ, f.ovsName() + " needs " + f.prerequisite());
            }
            if (!FlowKey.isWild(masks, f)) {
                throw new OpenFlowException(OFPBMC_DUP_FIELD, f.ovsName());
            }
            FlowKey.setMaskedBytes(values, masks, f, p.value, p.mask, 0);
            entries.add(p.entry());
        }
        return entries;
    }

    /**
     * Pulls one TLV (header, value, optional mask) ending no later than {@code end}, with OVS's checks up to and
     * including value validity ({@code nx_pull_match_entry()}).
     *
     * @param allowMask false where OVS passes a null mask (OpenFlow 1.2-1.4 set_field): a masked entry is then
     *                  OFPBMC_BAD_MASK
     */
    static Pulled pull(ByteBuf b, int end, Context ctx, boolean allowMask, boolean allowCookie)
            throws OpenFlowException {
        int at = b.readerIndex();
        int avail = end - at;
        if (avail < 4) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "partial OXM header");
        }
        int h32 = b.getInt(at);
        boolean exp = (h32 >>> 16) == 0xffff;
        if (exp && avail < 8) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "partial experimenter OXM header");
        }
        long h64 = ((h32 & 0xffffffffL) << 32) | (exp ? b.getInt(at + 4) & 0xffffffffL : 0);
        int length = h32 & 0xff;
        int expLen = exp ? 4 : 0;
        if (length < expLen) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "OXM length below experimenter id");
        }
        b.readerIndex(at + 4 + expLen);
        boolean hasMask = (h32 & 0x100) != 0;
        int payloadLen = length - expLen;

        ErrorCode headerError = null;
        boolean cookie = allowCookie && (h32 == MatchField.NXM_NX_COOKIE
                || h32 == MatchField.maskedHeader(MatchField.NXM_NX_COOKIE));
        MatchField f = null;
        if (!cookie) {
            f = lookup(h32, h64, exp);
            if (f == null) {
                headerError = OFPBMC_BAD_FIELD;
                if (ctx == Context.ACTION) {
                    // As OVS 3.1 nx_pull_header__() with is_action: an unknown header fails before its payload is
                    // read. nxm_field_by_header() reports it as OFPBAC_BAD_SET_LEN when the header's hash bucket
                    // holds a narrower field, which ovs-ofctl 3.1 shows for every unknown header we tried (any
                    // class, lengths 1 to 16); OFPBAC_BAD_SET_TYPE is left for experimenter headers.
                    throw new OpenFlowException(exp ? OFPBAC_BAD_SET_TYPE : OFPBAC_BAD_SET_LEN,
                            "unknown OXM " + Integer.toHexString(h32) + " in an action");
                }
            }
        }
        if (end - b.readerIndex() < payloadLen) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "OXM payload exceeds match");
        }
        int width = hasMask ? payloadLen / 2 : payloadLen;
        int vAt = b.readerIndex();
        if (hasMask) {
            for (int i = 0; i < width; i++) {
                if ((b.getByte(vAt + i) & ~b.getByte(vAt + width + i)) != 0) {
                    throw new OpenFlowException(OFPBMC_BAD_WILDCARDS, "1-bits in value under 0-bits of mask");
                }
            }
        }
        b.readerIndex(vAt + payloadLen);
        if (hasMask && !allowMask) {
            throw new OpenFlowException(OFPBMC_BAD_MASK, "masked OXM not allowed here");
        }
        if (headerError != null) {
            throw new OpenFlowException(headerError, "unknown OXM " + Long.toHexString(h64));
        }
        Pulled p = new Pulled();
        p.header = h64;
        p.cookie = cookie;
        p.field = f;
        int n = cookie ? 8 : f.nBytes();
        p.value = new byte[n];
        b.getBytes(vAt, p.value, 0, Math.min(n, width));
        if (hasMask) {
            p.mask = new byte[n];
            b.getBytes(vAt + width, p.mask, 0, Math.min(n, width));
        }
        if (cookie || ctx == Context.ACTION) {
            // nx_pull_entry() (actions) stops here; value and mask validity are the action decoder's business.
            return p;
        }
        // As OVS mf_is_mask_valid(): a non-maskable field takes only an all-ones mask.
        if (p.mask != null && !f.isMaskable()) {
            for (byte m : p.mask) {
                if (m != (byte) 0xff) {
                    throw new OpenFlowException(OFPBMC_BAD_MASK, f.ovsName() + " is not maskable");
                }
            }
        }
        if (!f.isWide() && !f.isValueValid(FlowKey.readValue(p.value, 0, n))) {
            throw new OpenFlowException(OFPBMC_BAD_VALUE, "bad value for " + f.ovsName());
        }
        return p;
    }

    /** The header's length as if it were unmasked (OVS {@code nxm_make_exact_header()}). */
    private static int exactLength(int h32) {
        int len = h32 & 0xff;
        return (h32 & 0x100) != 0 ? len / 2 : len;
    }

    /** As OVS {@code nxm_field_by_header()}: class+field, then the exact length must equal the field's width. */
    static MatchField lookup(int h32, long h64, boolean exp) {
        if (exp) {
            long exact = (h32 & 0x100) != 0
                    ? (((h32 & 0xfffffe00L) | (4 + ((h32 & 0xff) - 4) / 2)) << 32) | (h64 & 0xffffffffL)
                    : h64;
            return MatchField.byExperimenterHeader(exact);
        }
        MatchField f = MatchField.byClassAndField(h32);
        if (f == null || !f.isSupported() || exactLength(h32) != f.nBytes()) {
            return null;
        }
        return f;
    }

    /**
     * Pulls one NXM/OXM header with no payload (reg_move, copy_field, output_reg2 sources and destinations) as OVS's
     * {@code nx_pull_header()} with a null {@code masked}: unknown is OFPBMC_BAD_FIELD, hasmask is OFPBMC_BAD_MASK.
     * Returns the field and leaves the reader index after the header.
     */
    static MatchField pullHeader(ByteBuf b, int end) throws OpenFlowException {
        int at = b.readerIndex();
        int avail = end - at;
        if (avail < 4) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "partial OXM header");
        }
        int h32 = b.getInt(at);
        boolean exp = (h32 >>> 16) == 0xffff;
        if (exp && avail < 8) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "partial experimenter OXM header");
        }
        long h64 = ((h32 & 0xffffffffL) << 32) | (exp ? b.getInt(at + 4) & 0xffffffffL : 0);
        if ((h32 & 0xff) < (exp ? 4 : 0)) {
            throw new OpenFlowException(OFPBMC_BAD_LEN, "OXM length below experimenter id");
        }
        b.readerIndex(at + (exp ? 8 : 4));
        MatchField f = lookup(h32, h64, exp);
        if (f == null) {
            throw new OpenFlowException(OFPBMC_BAD_FIELD, "unknown header " + Integer.toHexString(h32));
        }
        if ((h32 & 0x100) != 0) {
            throw new OpenFlowException(OFPBMC_BAD_MASK, "masked header not allowed");
        }
        return f;
    }

    /** Writes an OXM {@code ofp_match} (type, length, TLVs, padding) for {@code entries}. */
    public static void encodeOxm(ByteBuf out, List<MatchEntry> entries) {
        int start = out.writerIndex();
        out.writeShort(OFPMT_OXM).writeShort(0);
        for (MatchEntry e : entries) {
            e.encode(out);
        }
        out.setShort(start + 2, out.writerIndex() - start);
        OfHeader.pad8(out, start);
    }

    /** Writes the TLVs only (NXM {@code nx_match} body without padding); returns the number of bytes written. */
    public static int encodeTlvs(ByteBuf out, List<MatchEntry> entries) {
        int start = out.writerIndex();
        for (MatchEntry e : entries) {
            e.encode(out);
        }
        return out.writerIndex() - start;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Canonical re-encoding, for a match that must be sent in another version or format than it came in.

    /**
     * Writes {@code m} as OVS's {@code nx_put_raw()} would for OXM version {@code oxm} (0: NXM): from the match's
     * values and masks rather than its entries, in OVS's field order, each field under the header
     * {@link MatchField#preferredHeader(int)} picks for the version (OpenFlow 1.0 NXM: {@code in_port} 16-bit and
     * {@code vlan_tci}, {@code nw_tos}; OXM: {@code in_port_oxm} 32-bit, {@code vlan_vid}/{@code vlan_pcp},
     * {@code ip_dscp}; OpenFlow 1.5: registers as {@code xreg} pairs). An all-zero mask writes nothing, an all-ones
     * mask an exact entry. Returns the number of bytes written (no match header, no padding).
     */
    static int putRaw(ByteBuf out, Match m, int oxm) {
        long[] v = FlowKey.newKey();
        long[] k = FlowKey.newKey();
        m.toKey(v, k);
        return putRaw(out, v, k, oxm, false);
    }

    /**
     * {@link #putRaw(ByteBuf, Match, int)} for a match held as {@link FlowKey} value/mask arrays. OVS keeps a 16-bit
     * tcp_flags mask where the key keeps the 12 flag bits: {@code tcpFlagsExact} says that a full 12-bit mask stands
     * for OVS's exact match (0xffff) rather than an explicit {@code /0x0fff}.
     *
     * @param oxm the OXM version, or 0 for NXM
     * @return the number of bytes written (TLVs only)
     */
    public static int putRaw(ByteBuf out, long[] v, long[] k, int oxm, boolean tcpFlagsExact) {
        int start = out.writerIndex();
        Canon c = new Canon(out, oxm, v, k);
        c.tcpFlagsExact = tcpFlagsExact;
        if (!FlowKey.isWild(k, MatchField.CONJ_ID)) {
            c.exact(MatchField.CONJ_ID, FlowKey.get(v, MatchField.CONJ_ID));
        }
        if (!FlowKey.isWild(k, MatchField.IN_PORT)) {
            if (oxm != 0) {
                c.exact(MatchField.IN_PORT_OXM, MatchField.portToOfp11((int) FlowKey.get(v, MatchField.IN_PORT)));
            } else {
                c.exact(MatchField.IN_PORT, FlowKey.get(v, MatchField.IN_PORT));
            }
        }
        c.masked(MatchField.ETH_SRC);
        c.masked(MatchField.ETH_DST);
        c.masked(MatchField.ETH_TYPE);
        long tci = FlowKey.get(v, MatchField.VLAN_TCI);
        long tciMask = FlowKey.get(k, MatchField.VLAN_TCI);
        if (oxm != 0) {
            long vid = tci & 0x1fff;
            long vidMask = tciMask & 0x1fff;
            if (vidMask == 0x1fff) {
                c.exact(MatchField.VLAN_VID, vid);
            } else if (vidMask != 0) {
                c.put(MatchField.VLAN_VID, vid, vidMask);
            }
            if (vid != 0 && (tciMask & 0xe000) != 0) {
                c.exact(MatchField.VLAN_PCP, tci >>> 13);
            }
        } else {
            c.put(MatchField.VLAN_TCI, tci, tciMask);
        }
        long dlType = FlowKey.get(v, MatchField.ETH_TYPE);
        if (dlType == Prerequisite.ETH_TYPE_MPLS || dlType == Prerequisite.ETH_TYPE_MPLS_MCAST) {
            if (!FlowKey.isWild(k, MatchField.MPLS_TC)) {
                c.exact(MatchField.MPLS_TC, FlowKey.get(v, MatchField.MPLS_TC));
            }
            if (!FlowKey.isWild(k, MatchField.MPLS_BOS)) {
                c.exact(MatchField.MPLS_BOS, FlowKey.get(v, MatchField.MPLS_BOS));
            }
            if (!FlowKey.isWild(k, MatchField.MPLS_LABEL)) {
                c.exact(MatchField.MPLS_LABEL, FlowKey.get(v, MatchField.MPLS_LABEL));
            }
        }
        if (dlType == Prerequisite.ETH_TYPE_IP || dlType == Prerequisite.ETH_TYPE_IPV6) {
            putIp(c, dlType == Prerequisite.ETH_TYPE_IP);
        } else if (dlType == Prerequisite.ETH_TYPE_ARP || dlType == Prerequisite.ETH_TYPE_RARP) {
            if (!FlowKey.isWild(k, MatchField.ARP_OP)) {
                c.exact(MatchField.ARP_OP, FlowKey.get(v, MatchField.ARP_OP));
            }
            c.masked(MatchField.ARP_SPA);
            c.masked(MatchField.ARP_TPA);
            c.masked(MatchField.ARP_SHA);
            c.masked(MatchField.ARP_THA);
        }
        c.masked(MatchField.TUN_ID);
        c.masked(MatchField.TUN_SRC);
        c.masked(MatchField.TUN_DST);
        if (oxm < OfVersion.OF15) {
            for (int i = 0; i < 16; i++) {
                c.masked(MatchField.reg(i));
            }
        } else {
            for (int i = 0; i < 8; i++) {
                c.masked(MatchField.xreg(i));
            }
        }
        c.masked(MatchField.PKT_MARK);
        c.masked(MatchField.CT_STATE);
        c.masked(MatchField.CT_ZONE);
        c.masked(MatchField.CT_MARK);
        c.masked(MatchField.CT_LABEL);
        c.masked(MatchField.CT_NW_SRC);
        c.masked(MatchField.CT_IPV6_SRC);
        c.masked(MatchField.CT_NW_DST);
        c.masked(MatchField.CT_IPV6_DST);
        if (FlowKey.get(v, MatchField.CT_NW_PROTO) != 0) {
            c.masked(MatchField.CT_NW_PROTO);
            c.masked(MatchField.CT_TP_SRC);
            c.masked(MatchField.CT_TP_DST);
        }
        c.masked(MatchField.METADATA);
        return out.writerIndex() - start;
    }

    /** OVS {@code nxm_put_ip()}. */
    private static void putIp(Canon c, boolean ipv4) {
        long[] v = c.values;
        long[] k = c.masks;
        if (ipv4) {
            c.masked(MatchField.IPV4_SRC);
            c.masked(MatchField.IPV4_DST);
        } else {
            c.masked(MatchField.IPV6_SRC);
            c.masked(MatchField.IPV6_DST);
        }
        long fragMask = FlowKey.get(k, MatchField.IP_FRAG) & 3;
        c.put(MatchField.IP_FRAG, FlowKey.get(v, MatchField.IP_FRAG) & 3, fragMask == 3 ? 0xff : fragMask);
        if (!FlowKey.isWild(k, MatchField.NW_TOS)) {
            long tos = FlowKey.get(v, MatchField.NW_TOS);
            if (c.oxm != 0) {
                c.exact(MatchField.IP_DSCP, tos >>> 2);
            } else {
                c.exact(MatchField.NW_TOS, tos & 0xfc);
            }
        }
        if (!FlowKey.isWild(k, MatchField.IP_ECN)) {
            c.exact(MatchField.IP_ECN, FlowKey.get(v, MatchField.IP_ECN));
        }
        if (!FlowKey.isWild(k, MatchField.NW_TTL)) {
            c.exact(MatchField.NW_TTL, FlowKey.get(v, MatchField.NW_TTL));
        }
        // OVS keeps a 32-bit flow label mask and treats a mask with all 20 label bits as exact (mf_set()).
        if (FlowKey.isExact(k, MatchField.IPV6_LABEL)) {
            c.exact(MatchField.IPV6_LABEL, FlowKey.get(v, MatchField.IPV6_LABEL));
        } else {
            c.masked(MatchField.IPV6_LABEL);
        }
        if (FlowKey.isWild(k, MatchField.IP_PROTO)) {
            return;
        }
        long proto = FlowKey.get(v, MatchField.IP_PROTO);
        c.exact(MatchField.IP_PROTO, proto);
        if (proto == 6) {
            c.masked(MatchField.TCP_SRC);
            c.masked(MatchField.TCP_DST);
            if (c.tcpFlagsExact && FlowKey.isExact(k, MatchField.TCP_FLAGS)) {
                c.exact(MatchField.TCP_FLAGS, FlowKey.get(v, MatchField.TCP_FLAGS));
            } else {
                c.masked(MatchField.TCP_FLAGS);
            }
        } else if (proto == 17) {
            c.masked(MatchField.UDP_SRC);
            c.masked(MatchField.UDP_DST);
        } else if (proto == 132) {
            c.masked(MatchField.SCTP_SRC);
            c.masked(MatchField.SCTP_DST);
        } else if (proto == 1 && ipv4) {
            if (!FlowKey.isWild(k, MatchField.ICMPV4_TYPE)) {
                c.exact(MatchField.ICMPV4_TYPE, FlowKey.get(v, MatchField.ICMPV4_TYPE));
            }
            if (!FlowKey.isWild(k, MatchField.ICMPV4_CODE)) {
                c.exact(MatchField.ICMPV4_CODE, FlowKey.get(v, MatchField.ICMPV4_CODE));
            }
        } else if (proto == 58 && !ipv4) {
            if (!FlowKey.isWild(k, MatchField.ICMPV6_TYPE)) {
                c.exact(MatchField.ICMPV6_TYPE, FlowKey.get(v, MatchField.ICMPV6_TYPE));
            }
            if (!FlowKey.isWild(k, MatchField.ICMPV6_CODE)) {
                c.exact(MatchField.ICMPV6_CODE, FlowKey.get(v, MatchField.ICMPV6_CODE));
            }
            long type = FlowKey.get(v, MatchField.ICMPV6_TYPE);
            if (FlowKey.get(v, MatchField.ICMPV6_CODE) == 0 && (type == 135 || type == 136)) {
                c.masked(MatchField.ND_TARGET);
                c.masked(type == 135 ? MatchField.ND_SLL : MatchField.ND_TLL);
            }
        }
    }

    /** Writes canonical entries (OVS {@code nxm_put()} / {@code nxm_put__()}). */
    private static final class Canon {
        final ByteBuf out;
        final int oxm;
        final long[] values;
        final long[] masks;
        boolean tcpFlagsExact;

        Canon(ByteBuf out, int oxm, long[] values, long[] masks) {
            this.out = out;
            this.oxm = oxm;
            this.values = values;
            this.masks = masks;
        }

        /** The field's value under its mask as stored, skipped when wild. */
        void masked(MatchField f) {
            if (FlowKey.isWild(masks, f)) {
                return;
            }
            byte[] value = new byte[f.nBytes()];
            byte[] mask = new byte[f.nBytes()];
            FlowKey.getBytes(values, f, value, 0);
            FlowKey.getBytes(masks, f, mask, 0);
            bytes(f, value, mask);
        }

        void put(MatchField f, long value, long mask) {
            if (mask == 0) {
                return;
            }
            bytes(f, MatchEntry.toBytes(value & mask, f.nBytes()), MatchEntry.toBytes(mask, f.nBytes()));
        }

        void exact(MatchField f, long value) {
            bytes(f, MatchEntry.toBytes(value, f.nBytes()), null);
        }

        private void bytes(MatchField f, byte[] value, byte[] mask) {
            boolean masked = false;
            if (mask != null) {
                for (byte b : mask) {
                    if (b != (byte) 0xff) {
                        masked = true;
                        break;
                    }
                }
            }
            long h = f.preferredHeader(oxm);
            int h32 = (int) (h >>> 32);
            boolean exp = (h32 >>> 16) == 0xffff;
            int len = (exp ? 4 : 0) + value.length * (masked ? 2 : 1);
            h32 = (h32 & 0xfffffe00) | (masked ? 0x100 : 0) | len;
            out.writeInt(h32);
            if (exp) {
                out.writeInt((int) h);
            }
            out.writeBytes(value);
            if (masked) {
                out.writeBytes(mask);
            }
        }
    }

    /** Writes {@code m} as a whole OXM {@code ofp_match} (header, canonical TLVs, padding) for {@code version}. */
    static void encodeOxmCanonical(ByteBuf out, Match m, int version) {
        int start = out.writerIndex();
        out.writeShort(OFPMT_OXM).writeShort(0);
        putRaw(out, m, version);
        out.setShort(start + 2, out.writerIndex() - start);
        OfHeader.pad8(out, start);
    }

    static byte[] encodeOxmBytes(List<MatchEntry> entries) {
        ByteBuf b = Unpooled.buffer();
        encodeOxm(b, entries);
        byte[] raw = new byte[b.readableBytes()];
        b.readBytes(raw);
        return raw;
    }

    static byte[] encodeTlvBytes(List<MatchEntry> entries) {
        ByteBuf b = Unpooled.buffer();
        encodeTlvs(b, entries);
        byte[] raw = new byte[b.readableBytes()];
        b.readBytes(raw);
        return raw;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // OpenFlow 1.0 ofp_match.

    /** {@code OFPFW10_IN_PORT}. */
    static final int OFPFW10_IN_PORT = 1 << 0;
    /** {@code OFPFW10_DL_VLAN}. */
    static final int OFPFW10_DL_VLAN = 1 << 1;
    /** {@code OFPFW10_DL_SRC}. */
    static final int OFPFW10_DL_SRC = 1 << 2;
    /** {@code OFPFW10_DL_DST}. */
    static final int OFPFW10_DL_DST = 1 << 3;
    /** {@code OFPFW10_DL_TYPE}. */
    static final int OFPFW10_DL_TYPE = 1 << 4;
    /** {@code OFPFW10_NW_PROTO}. */
    static final int OFPFW10_NW_PROTO = 1 << 5;
    /** {@code OFPFW10_TP_SRC}. */
    static final int OFPFW10_TP_SRC = 1 << 6;
    /** {@code OFPFW10_TP_DST}. */
    static final int OFPFW10_TP_DST = 1 << 7;
    /** {@code OFPFW10_NW_SRC_SHIFT}. */
    static final int OFPFW10_NW_SRC_SHIFT = 8;
    /** {@code OFPFW10_NW_DST_SHIFT}. */
    static final int OFPFW10_NW_DST_SHIFT = 14;
    /** {@code OFPFW10_DL_VLAN_PCP}. */
    static final int OFPFW10_DL_VLAN_PCP = 1 << 20;
    /** {@code OFPFW10_NW_TOS}. */
    static final int OFPFW10_NW_TOS = 1 << 21;
    /** {@code OFPFW10_ALL}. */
    public static final int OFPFW10_ALL = (1 << 22) - 1;
    /** {@code OFP10_VLAN_NONE}. */
    static final int OFP10_VLAN_NONE = 0xffff;

    /**
     * Decodes the 40-byte OpenFlow 1.0 {@code ofp_match} at the reader index and advances past it.
     *
     * <pre>
     *  0          4        6                12               18       20   21  22       24   25    26
     * +-----------+--------+----------------+----------------+--------+----+---+--------+----+-----+--------+
     * | wildcards | in_port|    dl_src      |    dl_dst      |dl_vlan |pcp |pad|dl_type |tos |proto| pad(2) |
     * +-----------+--------+----------------+----------------+--------+----+---+--------+----+-----+--------+
     * 28        32        36        38        40
     * +---------+---------+---------+---------+
     * | nw_src  | nw_dst  | tp_src  | tp_dst  |
     * +---------+---------+---------+---------+
     * </pre>
     *
     * As OVS, decoding never fails: unknown wildcard bits are ignored, and fields whose prerequisites the match does not
     * state are dropped ({@code ofputil_normalize_match()}). The entries use NXM headers.
     */
    public static Match decodeOf10(ByteBuf b) {
        int at = b.readerIndex();
        byte[] raw = new byte[OF10_MATCH_LEN];
        b.readBytes(raw);
        int wc = b.getInt(at);
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        // As OVS ofputil_match_from_ofp10_match().
        if ((wc & OFPFW10_IN_PORT) == 0) {
            FlowKey.setMasked(v, m, MatchField.IN_PORT, b.getUnsignedShort(at + 4), 0xffff);
        }
        if ((wc & OFPFW10_DL_SRC) == 0) {
            FlowKey.setMasked(v, m, MatchField.ETH_SRC, read48(b, at + 6), 0xffffffffffffL);
        }
        if ((wc & OFPFW10_DL_DST) == 0) {
            FlowKey.setMasked(v, m, MatchField.ETH_DST, read48(b, at + 12), 0xffffffffffffL);
        }
        int tciMask = 0;
        if ((wc & OFPFW10_DL_VLAN_PCP) == 0) {
            tciMask |= 0xe000 | 0x1000;
        }
        if ((wc & OFPFW10_DL_VLAN) == 0) {
            tciMask |= 0x0fff | 0x1000;
        }
        int dlVlan = b.getUnsignedShort(at + 18);
        if ((wc & OFPFW10_DL_VLAN) == 0 && dlVlan == OFP10_VLAN_NONE) {
            FlowKey.setMasked(v, m, MatchField.VLAN_TCI, 0, 0xffff);
        } else if (tciMask != 0) {
            int pcp = (b.getUnsignedByte(at + 20) << 13) & 0xe000;
            int tci = (dlVlan & 0x0fff) | pcp | 0x1000;
            FlowKey.setMasked(v, m, MatchField.VLAN_TCI, tci & tciMask, tciMask);
        }
        if ((wc & OFPFW10_DL_TYPE) == 0) {
            int t = b.getUnsignedShort(at + 22);
            FlowKey.setMasked(v, m, MatchField.ETH_TYPE, t < 0x600 ? 0x05ff : t, 0xffff);
        }
        long ethType = FlowKey.get(v, MatchField.ETH_TYPE);
        int nwProto = b.getUnsignedByte(at + 25);
        boolean protoMatched = (wc & OFPFW10_NW_PROTO) == 0;
        int proto = protoMatched ? nwProto : 0;
        boolean ip = ethType == Prerequisite.ETH_TYPE_IP;
        boolean ipv6 = ethType == Prerequisite.ETH_TYPE_IPV6;
        boolean arp = ethType == Prerequisite.ETH_TYPE_ARP || ethType == Prerequisite.ETH_TYPE_RARP;
        List<MatchEntry> entries = new ArrayList<>();
        add(entries, v, m, MatchField.IN_PORT);
        add(entries, v, m, MatchField.ETH_SRC);
        add(entries, v, m, MatchField.ETH_DST);
        add(entries, v, m, MatchField.VLAN_TCI);
        add(entries, v, m, MatchField.ETH_TYPE);
        // As OVS ofputil_normalize_match(): only what the ethertype allows.
        if ((ip || ipv6) && (wc & OFPFW10_NW_TOS) == 0) {
            entries.add(entry(MatchField.NW_TOS, b.getUnsignedByte(at + 24) & 0xfc, -1));
        }
        if ((ip || ipv6 || arp) && protoMatched) {
            entries.add(entry(arp ? MatchField.ARP_OP : MatchField.IP_PROTO, nwProto, -1));
        }
        if (ip || arp) {
            long srcMask = wcbitsToNetmask(wc >>> OFPFW10_NW_SRC_SHIFT);
            long dstMask = wcbitsToNetmask(wc >>> OFPFW10_NW_DST_SHIFT);
            if (srcMask != 0) {
                entries.add(entry(arp ? MatchField.ARP_SPA : MatchField.IPV4_SRC,
                        b.getUnsignedInt(at + 28) & srcMask, srcMask == 0xffffffffL ? -1 : srcMask));
            }
            if (dstMask != 0) {
                entries.add(entry(arp ? MatchField.ARP_TPA : MatchField.IPV4_DST,
                        b.getUnsignedInt(at + 32) & dstMask, dstMask == 0xffffffffL ? -1 : dstMask));
            }
        }
        MatchField tpSrc = null;
        MatchField tpDst = null;
        if (ip || ipv6) {
            switch (proto) {
                case 6:
                    tpSrc = MatchField.TCP_SRC;
                    tpDst = MatchField.TCP_DST;
                    break;
                case 17:
                    tpSrc = MatchField.UDP_SRC;
                    tpDst = MatchField.UDP_DST;
                    break;
                case 132:
                    tpSrc = MatchField.SCTP_SRC;
                    tpDst = MatchField.SCTP_DST;
                    break;
                case 1:
                    if (ip) {
                        tpSrc = MatchField.ICMPV4_TYPE;
                        tpDst = MatchField.ICMPV4_CODE;
                    }
                    break;
                case 58:
                    if (ipv6) {
                        tpSrc = MatchField.ICMPV6_TYPE;
                        tpDst = MatchField.ICMPV6_CODE;
                    }
                    break;
                default:
                    break;
            }
        }
        if (tpSrc != null && (wc & OFPFW10_TP_SRC) == 0) {
            entries.add(entry(tpSrc, b.getUnsignedShort(at + 36) & FlowKey.allOnes(tpSrc), -1));
        }
        if (tpDst != null && (wc & OFPFW10_TP_DST) == 0) {
            entries.add(entry(tpDst, b.getUnsignedShort(at + 38) & FlowKey.allOnes(tpDst), -1));
        }
        return new Match(Match.Format.OF10, entries, raw, null, null);
    }

    private static void add(List<MatchEntry> entries, long[] v, long[] m, MatchField f) {
        if (!FlowKey.isWild(m, f)) {
            long mask = FlowKey.get(m, f);
            entries.add(entry(f, FlowKey.get(v, f), mask == FlowKey.allOnes(f) ? -1 : mask));
        }
    }

    private static MatchEntry entry(MatchField f, long value, long mask) {
        return MatchEntry.of(f, OfVersion.OF10, value, mask == -1 ? null : mask);
    }

    private static long read48(ByteBuf b, int at) {
        return ((long) b.getUnsignedShort(at) << 32) | b.getUnsignedInt(at + 2);
    }

    /** As OVS {@code ofputil_wcbits_to_netmask()}: 0 → exact, ≥ 32 → wildcard, n → /(32-n). */
    static long wcbitsToNetmask(int wcbits) {
        wcbits &= 0x3f;
        return wcbits < 32 ? (0xffffffffL << wcbits) & 0xffffffffL : 0;
    }

    /** As OVS {@code ofputil_netmask_to_wcbits()}: 32 minus the CIDR prefix length. */
    static int netmaskToWcbits(long mask) {
        return 32 - Long.bitCount(mask & 0xffffffffL);
    }

    /**
     * Encodes a match as an OpenFlow 1.0 {@code ofp_match}, as OVS's {@code ofputil_match_to_ofp10_match()}. Entries
     * that OpenFlow 1.0 cannot express are ignored (the caller decides whether to use NXM instead).
     */
    public static void encodeOf10(ByteBuf out, List<MatchEntry> entries) {
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        for (MatchEntry e : entries) {
            e.applyTo(v, m);
        }
        encodeOf10(out, v, m);
    }

    /** {@link #encodeOf10(ByteBuf, List)} for a match held as {@link FlowKey} value/mask arrays. */
    public static void encodeOf10(ByteBuf out, long[] v, long[] m) {
        int wc = 0;
        if (FlowKey.isWild(m, MatchField.IN_PORT)) {
            wc |= OFPFW10_IN_PORT;
        }
        if (FlowKey.isWild(m, MatchField.ETH_TYPE)) {
            wc |= OFPFW10_DL_TYPE;
        }
        if (FlowKey.isWild(m, MatchField.IP_PROTO)) {
            wc |= OFPFW10_NW_PROTO;
        }
        wc |= netmaskToWcbits(FlowKey.get(m, MatchField.IPV4_SRC)) << OFPFW10_NW_SRC_SHIFT;
        wc |= netmaskToWcbits(FlowKey.get(m, MatchField.IPV4_DST)) << OFPFW10_NW_DST_SHIFT;
        if (FlowKey.isWild(m, MatchField.NW_TOS)) {
            wc |= OFPFW10_NW_TOS;
        }
        if (FlowKey.get(m, MatchField.TCP_SRC) == 0) {
            wc |= OFPFW10_TP_SRC;
        }
        if (FlowKey.get(m, MatchField.TCP_DST) == 0) {
            wc |= OFPFW10_TP_DST;
        }
        if (FlowKey.isWild(m, MatchField.ETH_SRC)) {
            wc |= OFPFW10_DL_SRC;
        }
        if (FlowKey.isWild(m, MatchField.ETH_DST)) {
            wc |= OFPFW10_DL_DST;
        }
        int tciMask = (int) FlowKey.get(m, MatchField.VLAN_TCI);
        int tci = (int) FlowKey.get(v, MatchField.VLAN_TCI);
        int dlVlan = 0;
        int pcp = 0;
        if (tciMask == 0) {
            wc |= OFPFW10_DL_VLAN | OFPFW10_DL_VLAN_PCP;
        } else if ((tciMask & 0x1000) != 0 && (tci & 0x1000) == 0) {
            dlVlan = OFP10_VLAN_NONE;
        } else {
            if ((tciMask & 0x0fff) == 0) {
                wc |= OFPFW10_DL_VLAN;
            } else {
                dlVlan = tci & 0x0fff;
            }
            if ((tciMask & 0xe000) == 0) {
                wc |= OFPFW10_DL_VLAN_PCP;
            } else {
                pcp = tci >>> 13;
            }
        }
        out.writeInt(wc);
        out.writeShort((int) FlowKey.get(v, MatchField.IN_PORT));
        write48(out, FlowKey.get(v, MatchField.ETH_SRC));
        write48(out, FlowKey.get(v, MatchField.ETH_DST));
        out.writeShort(dlVlan).writeByte(pcp).writeByte(0);
        out.writeShort((int) FlowKey.get(v, MatchField.ETH_TYPE));
        out.writeByte((int) FlowKey.get(v, MatchField.NW_TOS)).writeByte((int) FlowKey.get(v, MatchField.IP_PROTO));
        out.writeShort(0);
        out.writeInt((int) FlowKey.get(v, MatchField.IPV4_SRC)).writeInt((int) FlowKey.get(v, MatchField.IPV4_DST));
        out.writeShort((int) FlowKey.get(v, MatchField.TCP_SRC)).writeShort((int) FlowKey.get(v, MatchField.TCP_DST));
    }

    private static void write48(ByteBuf out, long v) {
        out.writeShort((int) (v >>> 32)).writeInt((int) v);
    }
}
