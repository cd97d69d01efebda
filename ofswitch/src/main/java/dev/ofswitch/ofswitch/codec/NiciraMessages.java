package dev.ofswitch.ofswitch.codec;

import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBPC_BAD_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBPC_BAD_TYPE;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBRC_BAD_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBRC_EPERM;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The small Nicira session messages (vendor 0x00002320, {@link OfHeader} shows the {@code nicira_header}) and the
 * conntrack flushes, decoded into plain data as OVS 3.1's {@code lib/ofp-msgs.c} / {@code lib/ofp-ct.c} read them.
 *
 * <pre>
 * NXT_SET_FLOW_FORMAT (12), NXT_SET_PACKET_IN_FORMAT (16): nicira_header + format u32             = 20 bytes
 * NXT_FLOW_MOD_TABLE_ID (15):  nicira_header + set u8 + pad[7]                                     = 24 bytes
 * NXT_SET_CONTROLLER_ID (20):  nicira_header + pad[6] + controller_id u16                         = 24 bytes
 * NXT_SET_ASYNC_CONFIG (19):   nicira_header + packet_in_mask[2] + port_status_mask[2]
 *                              + flow_removed_mask[2] (u32 each; [0] master/equal, [1] slave)     = 40 bytes
 * NXT_CT_FLUSH_ZONE (29):      nicira_header + pad[6] + zone_id u16                                = 24 bytes
 * NXT_CT_FLUSH (32):           nicira_header + ip_proto u8 + family u8 + zero[6], then properties:
 *     0 NXCFT_ORIG_TUPLE / 1 NXCFT_REPLY_TUPLE: nested (4-byte header + 4 pad), tuple properties
 *         0 src / 1 dst (16 bytes, IPv4 as ::ffff:a.b.c.d), 2 l4 src / 3 l4 dst / 4 icmp id (u16),
 *         5 icmp type / 6 icmp code (u8);
 *     2 NXCFT_ZONE_ID (u16);  3 mark / 4 mark mask (u32), 5 labels / 6 labels mask (16 bytes)
 *     (OVS 3.3+; 3.1's ovs-ofctl never sends them).
 *   Each property: type u16, len u16 (without padding), value, zero padding to 8.
 * </pre>
 * Lengths other than the fixed ones are OFPBRC_BAD_LEN (OVS {@code ofpraw_pull()}); an unknown flow or packet-in
 * format is OFPBRC_EPERM; property framing errors are OFPBPC_BAD_LEN and unknown properties OFPBPC_BAD_TYPE.
 */
public final class NiciraMessages {
    /** {@code NXT_SET_FLOW_FORMAT}. */
    public static final int NXT_SET_FLOW_FORMAT = 12;
    /** {@code NXT_FLOW_MOD_TABLE_ID}. */
    public static final int NXT_FLOW_MOD_TABLE_ID = 15;
    /** {@code NXT_SET_PACKET_IN_FORMAT}. */
    public static final int NXT_SET_PACKET_IN_FORMAT = 16;
    /** {@code NXT_SET_ASYNC_CONFIG}. */
    public static final int NXT_SET_ASYNC_CONFIG = 19;
    /** {@code NXT_SET_CONTROLLER_ID}. */
    public static final int NXT_SET_CONTROLLER_ID = 20;
    /** {@code NXT_CT_FLUSH_ZONE}. */
    public static final int NXT_CT_FLUSH_ZONE = 29;
    /** {@code NXT_CT_FLUSH}. */
    public static final int NXT_CT_FLUSH = 32;

    /** {@code NXFF_OPENFLOW10}. */
    public static final int NXFF_OPENFLOW10 = 0;
    /** {@code NXFF_NXM}. */
    public static final int NXFF_NXM = 2;
    /** {@code NXPIF_STANDARD} (a.k.a. openflow10). */
    public static final int NXPIF_STANDARD = 0;
    /** {@code NXPIF_NXT_PACKET_IN}. */
    public static final int NXPIF_NXT_PACKET_IN = 1;
    /** {@code NXPIF_NXT_PACKET_IN2}. */
    public static final int NXPIF_NXT_PACKET_IN2 = 2;

    private NiciraMessages() {
    }

    /** Whether {@code msg} is a Nicira vendor message (type 4, length ≥ 16, vendor 0x2320). */
    public static boolean isNicira(ByteBuf msg) {
        return msg.readableBytes() >= OfHeader.NICIRA_LEN && OfHeader.type(msg) == OfHeader.OFPT_VENDOR
                && msg.getInt(msg.readerIndex() + 8) == ErrorCode.NX_VENDOR_ID;
    }

    /** The Nicira subtype of a message that {@link #isNicira} accepted. */
    public static int subtype(ByteBuf msg) {
        return msg.getInt(msg.readerIndex() + 12);
    }

    private static void exactLen(ByteBuf msg, int len) throws OpenFlowException {
        if (msg.readableBytes() != len) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, "length " + msg.readableBytes() + ", expected " + len);
        }
    }

    /** NXT_SET_FLOW_FORMAT: returns {@link #NXFF_OPENFLOW10} or {@link #NXFF_NXM}; others are OFPBRC_EPERM. */
    public static int decodeSetFlowFormat(ByteBuf msg) throws OpenFlowException {
        exactLen(msg, 20);
        long f = msg.getUnsignedInt(msg.readerIndex() + 16);
        if (f != NXFF_OPENFLOW10 && f != NXFF_NXM) {
            throw new OpenFlowException(OFPBRC_EPERM, "flow format " + f);
        }
        return (int) f;
    }

    /** NXT_FLOW_MOD_TABLE_ID: whether the extension is enabled. */
    public static boolean decodeFlowModTableId(ByteBuf msg) throws OpenFlowException {
        exactLen(msg, 24);
        return msg.getByte(msg.readerIndex() + 16) != 0;
    }

    /** NXT_SET_PACKET_IN_FORMAT: 0 standard, 1 NXT_PACKET_IN, 2 NXT_PACKET_IN2; others are OFPBRC_EPERM. */
    public static int decodeSetPacketInFormat(ByteBuf msg) throws OpenFlowException {
        exactLen(msg, 20);
        long f = msg.getUnsignedInt(msg.readerIndex() + 16);
        if (f > NXPIF_NXT_PACKET_IN2) {
            throw new OpenFlowException(OFPBRC_EPERM, "packet-in format " + f);
        }
        return (int) f;
    }

    /** NXT_SET_CONTROLLER_ID: the controller id. */
    public static int decodeSetControllerId(ByteBuf msg) throws OpenFlowException {
        exactLen(msg, 24);
        return msg.getUnsignedShort(msg.readerIndex() + 22);
    }

    /**
     * NXT_SET_ASYNC_CONFIG: the six masks in wire order (packet_in master, slave; port_status master, slave;
     * flow_removed master, slave).
     */
    public static long[] decodeSetAsyncConfig(ByteBuf msg) throws OpenFlowException {
        exactLen(msg, 40);
        long[] masks = new long[6];
        for (int i = 0; i < 6; i++) {
            masks[i] = msg.getUnsignedInt(msg.readerIndex() + 16 + 4 * i);
        }
        return masks;
    }

    /** NXT_CT_FLUSH_ZONE: the zone. */
    public static int decodeCtFlushZone(ByteBuf msg) throws OpenFlowException {
        exactLen(msg, 24);
        return msg.getUnsignedShort(msg.readerIndex() + 22);
    }

    /** One direction's tuple of an NXT_CT_FLUSH; null members were not given (wildcards). */
    public record CtTuple(byte[] src, byte[] dst, Integer srcPort, Integer dstPort, Integer icmpId,
                          Integer icmpType, Integer icmpCode) {
        /** Copies the addresses. */
        public CtTuple {
            src = src == null ? null : src.clone();
            dst = dst == null ? null : dst.clone();
        }

        /** The source address (16 bytes, IPv4 mapped as ::ffff:a.b.c.d), or null. */
        @Override
        public byte[] src() {
            return src == null ? null : src.clone();
        }

        /** The destination address, or null. */
        @Override
        public byte[] dst() {
            return dst == null ? null : dst.clone();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof CtTuple)) {
                return false;
            }
            CtTuple t = (CtTuple) o;
            return Arrays.equals(src, t.src) && Arrays.equals(dst, t.dst) && java.util.Objects.equals(srcPort,
                    t.srcPort) && java.util.Objects.equals(dstPort, t.dstPort)
                    && java.util.Objects.equals(icmpId, t.icmpId) && java.util.Objects.equals(icmpType, t.icmpType)
                    && java.util.Objects.equals(icmpCode, t.icmpCode);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(src) * 31 + Arrays.hashCode(dst);
        }
    }

    /**
     * A decoded NXT_CT_FLUSH: what to flush. {@code zone} null means zone 0 (as OVS); tuples null mean "any";
     * mark/labels null when absent.
     *
     * <p>The mark and labels properties (NXCFT_MARK 3, NXCFT_MARK_MASK 4, NXCFT_LABELS 5, NXCFT_LABELS_MASK 6) are
     * upstream OVS 3.3+ features, kept because the project follows upstream there. OVS 3.1's
     * {@code ovs-ofctl flush-conntrack} never sends them, so no 3.1 capture exercises them (a hand-made NXT_CT_FLUSH
     * with a mark property sent to ovs-vswitchd 3.1 got no OFPT_ERROR, only the following barrier reply).
     */
    public record CtFlush(int ipProto, int family, Integer zone, CtTuple orig, CtTuple reply, Long mark,
                          Long markMask, byte[] labels, byte[] labelsMask) {
    }

    /**
     * Decodes an NXT_CT_FLUSH, including the OVS 3.3+ mark/labels properties that 3.1's ovs-ofctl never sends (see
     * {@link CtFlush}).
     */
    public static CtFlush decodeCtFlush(ByteBuf msg) throws OpenFlowException {
        int at = msg.readerIndex();
        int end = at + msg.readableBytes();
        if (end - at < 24 || (end - at) % 8 != 0) {
            throw new OpenFlowException(OFPBRC_BAD_LEN, "NXT_CT_FLUSH length " + (end - at));
        }
        int ipProto = msg.getUnsignedByte(at + 16);
        int family = msg.getUnsignedByte(at + 17);
        Integer zone = null;
        CtTuple orig = null;
        CtTuple reply = null;
        Long mark = null;
        Long markMask = null;
        byte[] labels = null;
        byte[] labelsMask = null;
        int p = at + 24;
        while (p < end) {
            int[] hdr = propHeader(msg, p, end);
            int type = hdr[0];
            int len = hdr[1];
            switch (type) {
                case 0:
                case 1: {
                    CtTuple t = decodeTuple(msg, p + 8, p + len);
                    if (type == 0) {
                        orig = t;
                    } else {
                        reply = t;
                    }
                    break;
                }
                case 2:
                    zone = propU16(msg, p, len);
                    break;
                case 3:
                case 4: {
                    if (len != 8) {
                        throw new OpenFlowException(OFPBPC_BAD_LEN, "mark property");
                    }
                    long v = msg.getUnsignedInt(p + 4);
                    if (type == 3) {
                        mark = v;
                    } else {
                        markMask = v;
                    }
                    break;
                }
                case 5:
                case 6: {
                    if (len != 20) {
                        throw new OpenFlowException(OFPBPC_BAD_LEN, "labels property");
                    }
                    byte[] v = new byte[16];
                    msg.getBytes(p + 4, v);
                    if (type == 5) {
                        labels = v;
                    } else {
                        labelsMask = v;
                    }
                    break;
                }
                default:
                    throw new OpenFlowException(OFPBPC_BAD_TYPE, "NXT_CT_FLUSH property " + type);
            }
            p += OfHeader.roundUp8(len);
        }
        return new CtFlush(ipProto, family, zone, orig, reply, mark, markMask, labels, labelsMask);
    }

    /**
     * As OVS {@code ofpprop_pull()}: the (type, length) of the property at {@code p}, OFPBPC_BAD_LEN if its header or
     * its length padded to 8 does not fit before {@code end}, or its length is below 4.
     */
    static int[] propHeader(ByteBuf msg, int p, int end) throws OpenFlowException {
        if (end - p < 4) {
            throw new OpenFlowException(OFPBPC_BAD_LEN, "partial property header");
        }
        int type = msg.getUnsignedShort(p);
        int len = msg.getUnsignedShort(p + 2);
        if (len < 4 || OfHeader.roundUp8(len) > end - p) {
            throw new OpenFlowException(OFPBPC_BAD_LEN, "property length " + len);
        }
        return new int[] {type, len};
    }

    /** As OVS {@code ofpprop_parse_be16()}: a 2- to 4-byte payload (ovs-ofctl sends value + 2 pad = length 8). */
    private static int propU16(ByteBuf msg, int p, int len) throws OpenFlowException {
        if (len < 6 || len > 8) {
            throw new OpenFlowException(OFPBPC_BAD_LEN, "u16 property of length " + len);
        }
        return msg.getUnsignedShort(p + 4);
    }

    private static int propU8(ByteBuf msg, int p, int len) throws OpenFlowException {
        if (len < 5 || len > 8) {
            throw new OpenFlowException(OFPBPC_BAD_LEN, "u8 property of length " + len);
        }
        return msg.getUnsignedByte(p + 4);
    }

    private static CtTuple decodeTuple(ByteBuf msg, int p, int end) throws OpenFlowException {
        byte[] src = null;
        byte[] dst = null;
        Integer sp = null;
        Integer dp = null;
        Integer id = null;
        Integer type = null;
        Integer code = null;
        while (p < end) {
            int[] hdr = propHeader(msg, p, end);
            int len = hdr[1];
            switch (hdr[0]) {
                case 0:
                case 1: {
                    if (len != 20) {
                        throw new OpenFlowException(OFPBPC_BAD_LEN, "address property");
                    }
                    byte[] a = new byte[16];
                    msg.getBytes(p + 4, a);
                    if (hdr[0] == 0) {
                        src = a;
                    } else {
                        dst = a;
                    }
                    break;
                }
                case 2:
                    sp = propU16(msg, p, len);
                    break;
                case 3:
                    dp = propU16(msg, p, len);
                    break;
                case 4:
                    id = propU16(msg, p, len);
                    break;
                case 5:
                    type = propU8(msg, p, len);
                    break;
                case 6:
                    code = propU8(msg, p, len);
                    break;
                default:
                    throw new OpenFlowException(OFPBPC_BAD_TYPE, "tuple property " + hdr[0]);
            }
            p += OfHeader.roundUp8(len);
        }
        return new CtTuple(src, dst, sp, dp, id, type, code);
    }

    /** Encodes a 20-byte NXT_SET_FLOW_FORMAT or NXT_SET_PACKET_IN_FORMAT. */
    public static void encodeFormat(ByteBuf out, int version, int xid, int subtype, int format) {
        int s = OfHeader.writeNicira(out, version, xid, subtype);
        out.writeInt(format);
        OfHeader.patchLength(out, s);
    }

    /** Encodes NXT_FLOW_MOD_TABLE_ID. */
    public static void encodeFlowModTableId(ByteBuf out, int version, int xid, boolean enable) {
        int s = OfHeader.writeNicira(out, version, xid, NXT_FLOW_MOD_TABLE_ID);
        out.writeByte(enable ? 1 : 0).writeZero(7);
        OfHeader.patchLength(out, s);
    }

    /** Encodes NXT_CT_FLUSH_ZONE. */
    public static void encodeCtFlushZone(ByteBuf out, int version, int xid, int zone) {
        int s = OfHeader.writeNicira(out, version, xid, NXT_CT_FLUSH_ZONE);
        out.writeZero(6).writeShort(zone);
        OfHeader.patchLength(out, s);
    }
}
