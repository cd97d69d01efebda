package dev.ofswitch.ofswitch.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * OpenFlow bundles on the wire: {@code OFPT_BUNDLE_CONTROL} and {@code OFPT_BUNDLE_ADD_MESSAGE} of OpenFlow 1.4+, and
 * the same bodies as ONF experimenter messages in OpenFlow 1.3 (the ONF "EXT-230" extension OVS implements as
 * {@code ONFT13_BUNDLE_CONTROL} 2300 and {@code ONFT13_BUNDLE_ADD_MESSAGE} 2301). Decoding follows OVS 3.1's
 * {@code ofpraw_decode()} length rules and {@code ofputil_decode_bundle_ctrl()} / {@code ofputil_decode_bundle_add()}
 * ({@code lib/ofp-bundle.c}), checked against a running ovs-vswitchd 3.1 (BundleSocketTest runs against it too).
 *
 * <pre>
 * OpenFlow 1.4+ (OFPT 33 / 34):
 * +---------------------------+-------------+--------+--------+----------------------------------+
 * | ofp_header (8)            | bundle_id 4 | type 2 | flags 2| properties (control: 8-multiples)|
 * +---------------------------+-------------+--------+--------+----------------------------------+
 *                                             ^ pad (2) in BUNDLE_ADD_MESSAGE, followed by the inner
 *                                               message (a whole ofp_header'd message), then properties
 *
 * OpenFlow 1.3 (OFPT_EXPERIMENTER 4, experimenter 0x4f4e4600, exp_type 2300 / 2301), then the same body:
 * +---------------------------+---------------+-------------+-------------+--------+--------+-----
 * | ofp_header (8)            | ONF id (4)    | exp_type (4)| bundle_id 4 | type 2 | flags 2| ...
 * +---------------------------+---------------+-------------+-------------+--------+--------+-----
 * </pre>
 *
 * Control types: OPEN, CLOSE, COMMIT, DISCARD requests (0, 2, 4, 6) and their replies (odd). Flags:
 * {@link #OFPBF_ATOMIC}, {@link #OFPBF_ORDERED}; OVS accepts any flag bits and only compares them across a bundle's
 * messages. The inner message of an ADD must have the outer version (else {@link ErrorCode#OFPBFC_BAD_VERSION}), a
 * length from 8 to what is left ({@link ErrorCode#OFPBFC_MSG_BAD_LEN}), the outer xid
 * ({@link ErrorCode#OFPBFC_MSG_BAD_XID}), and be a FLOW_MOD, GROUP_MOD, PORT_MOD or PACKET_OUT whose length fits its
 * type ({@link ErrorCode#OFPBFC_MSG_UNSUP} otherwise, OVS's answer to an unparsable or unbundlable message alike).
 */
public final class BundleCodec {
    /** {@code OFPT_BUNDLE_CONTROL} (OpenFlow 1.4+). */
    public static final int OFPT14_BUNDLE_CONTROL = 33;
    /** {@code OFPT_BUNDLE_ADD_MESSAGE} (OpenFlow 1.4+). */
    public static final int OFPT14_BUNDLE_ADD_MESSAGE = 34;
    /** {@code ONFT_BUNDLE_CONTROL}: the OpenFlow 1.3 experimenter type. */
    public static final int ONFT_BUNDLE_CONTROL = 2300;
    /** {@code ONFT_BUNDLE_ADD_MESSAGE}: the OpenFlow 1.3 experimenter type. */
    public static final int ONFT_BUNDLE_ADD_MESSAGE = 2301;
    /** {@code sizeof(struct ofp14_bundle_ctrl_msg)} without its ofp_header: bundle_id, type, flags. */
    public static final int CTRL_LEN = 8;
    /** What the ONF form puts between the ofp_header and the body: experimenter id, exp_type. */
    public static final int ONF_LEN = 8;

    /** {@code OFPBCT_*}: requests are even, each reply is its request + 1. */
    public static final int OFPBCT_OPEN_REQUEST = 0;
    public static final int OFPBCT_OPEN_REPLY = 1;
    public static final int OFPBCT_CLOSE_REQUEST = 2;
    public static final int OFPBCT_CLOSE_REPLY = 3;
    public static final int OFPBCT_COMMIT_REQUEST = 4;
    public static final int OFPBCT_COMMIT_REPLY = 5;
    public static final int OFPBCT_DISCARD_REQUEST = 6;
    public static final int OFPBCT_DISCARD_REPLY = 7;

    /** {@code OFPBF_ATOMIC}: all or nothing. */
    public static final int OFPBF_ATOMIC = 1;
    /** {@code OFPBF_ORDERED}: in order (OVS always commits in order). */
    public static final int OFPBF_ORDERED = 2;

    /** Raw message types (OpenFlow 1.3–1.5 numbering) that may be bundled, as OVS's {@code ofputil_is_bundlable()}. */
    public static final int OFPT_PACKET_OUT = 13;
    public static final int OFPT_FLOW_MOD = 14;
    public static final int OFPT_GROUP_MOD = 15;
    public static final int OFPT_PORT_MOD = 16;

    private static final int OFP13 = 4;
    private static final int OFP15 = 6;

    private BundleCodec() {
    }

    /** What a message is, bundle-wise. */
    public enum Kind {
        /** Not a bundle message. */
        NONE,
        /** A BUNDLE_CONTROL request (or a reply sent to the switch). */
        CONTROL,
        /** A BUNDLE_ADD_MESSAGE. */
        ADD
    }

    /** A decoded BUNDLE_CONTROL. */
    public record Control(int bundleId, int type, int flags) {
    }

    /**
     * A decoded BUNDLE_ADD_MESSAGE: the bundle, its flags, and the inner message's raw type and position (absolute
     * index and length in the outer buffer).
     */
    public record Add(int bundleId, int flags, int innerType, int innerIndex, int innerLength) {
        /** The inner message as a slice of {@code outer} (no copy, no reference count change). */
        public ByteBuf inner(ByteBuf outer) {
            return outer.slice(innerIndex, innerLength);
        }
    }

    /**
     * Which bundle message {@code msg} (one framed message) is: OpenFlow 1.4+ types 33 and 34, or in OpenFlow 1.3 an
     * experimenter message with the ONF id and exp_type 2300 or 2301. ONF's bundle messages exist in OpenFlow 1.3 only
     * (OVS: {@code ONFT 1.3}); elsewhere they are unknown experimenter types.
     */
    public static Kind kind(ByteBuf msg) {
        int version = OfHeader.version(msg);
        int type = OfHeader.type(msg);
        if (version > OFP13) {
            return type == OFPT14_BUNDLE_CONTROL ? Kind.CONTROL : type == OFPT14_BUNDLE_ADD_MESSAGE ? Kind.ADD
                    : Kind.NONE;
        }
        if (version == OFP13 && type == OfHeader.OFPT_VENDOR && msg.readableBytes() >= OfHeader.NICIRA_LEN
                && msg.getInt(msg.readerIndex() + 8) == ErrorCode.ONF_VENDOR_ID) {
            int expType = msg.getInt(msg.readerIndex() + 12);
            return expType == ONFT_BUNDLE_CONTROL ? Kind.CONTROL : expType == ONFT_BUNDLE_ADD_MESSAGE ? Kind.ADD
                    : Kind.NONE;
        }
        return Kind.NONE;
    }

    /** Where the body (bundle_id) starts: after the ofp_header, and after the ONF id and exp_type in OpenFlow 1.3. */
    private static int bodyOffset(ByteBuf msg) {
        return OfHeader.LEN + (OfHeader.version(msg) == OFP13 ? ONF_LEN : 0);
    }

    /**
     * Decodes a BUNDLE_CONTROL. Properties are not interpreted (OVS ignores them), but as OVS's
     * {@code uint8_t[8][]} they must come in multiples of 8 bytes.
     *
     * @throws OpenFlowException OFPBRC_BAD_LEN for a body shorter than 8 bytes or a ragged property area
     */
    public static Control decodeControl(ByteBuf msg) throws OpenFlowException {
        int at = msg.readerIndex();
        int body = bodyOffset(msg);
        int extra = msg.readableBytes() - body - CTRL_LEN;
        if (extra < 0 || extra % 8 != 0) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "bundle control message of "
                    + msg.readableBytes() + " bytes");
        }
        return new Control(msg.getInt(at + body), msg.getUnsignedShort(at + body + 4),
                msg.getUnsignedShort(at + body + 6));
    }

    /**
     * Decodes a BUNDLE_ADD_MESSAGE and checks its inner message, in OVS's order (see the class comment). Bytes after
     * the inner message (properties) are ignored.
     *
     * @throws OpenFlowException OFPBRC_BAD_LEN for a body shorter than 8 bytes, else the OFPBFC_* error OVS gives
     */
    public static Add decodeAdd(ByteBuf msg) throws OpenFlowException {
        int at = msg.readerIndex();
        int body = bodyOffset(msg);
        int left = msg.readableBytes() - body - CTRL_LEN;
        if (left < 0) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "bundle add message of " + msg.readableBytes()
                    + " bytes");
        }
        int bundleId = msg.getInt(at + body);
        int flags = msg.getUnsignedShort(at + body + 6);
        int inner = at + body + CTRL_LEN;
        if (left < OfHeader.LEN) {
            throw new OpenFlowException(ErrorCode.OFPBFC_MSG_BAD_LEN, "no room for the inner message");
        }
        int version = OfHeader.version(msg);
        if (msg.getUnsignedByte(inner) != version) {
            throw new OpenFlowException(ErrorCode.OFPBFC_BAD_VERSION, "inner message of version "
                    + msg.getUnsignedByte(inner) + " in a version " + version + " bundle message");
        }
        int innerLen = msg.getUnsignedShort(inner + 2);
        if (innerLen < OfHeader.LEN || innerLen > left) {
            throw new OpenFlowException(ErrorCode.OFPBFC_MSG_BAD_LEN, "inner message length " + innerLen + " with "
                    + left + " bytes left");
        }
        if (msg.getInt(inner + 4) != OfHeader.xid(msg)) {
            throw new OpenFlowException(ErrorCode.OFPBFC_MSG_BAD_XID, "inner xid differs from the outer one");
        }
        int type = msg.getUnsignedByte(inner + 1);
        if (!bundlable(version, type, innerLen)) {
            throw new OpenFlowException(ErrorCode.OFPBFC_MSG_UNSUP, "inner message of type " + type + " and "
                    + innerLen + " bytes cannot be bundled");
        }
        return new Add(bundleId, flags, type, inner, innerLen);
    }

    /**
     * Whether a message of raw {@code type} and {@code length} bytes is a bundlable one whose length OVS's
     * {@code ofpraw_decode()} accepts: FLOW_MOD ({@code ofp11_flow_mod, uint8_t[8][]}), GROUP_MOD
     * ({@code ofp11_group_mod} or 1.5's {@code ofp15_group_mod}, {@code uint8_t[8][]}), PORT_MOD (1.3: exactly
     * {@code ofp11_port_mod}; 1.4+: {@code ofp14_port_mod, uint8_t[8][]}), PACKET_OUT ({@code ofp11_packet_out} or
     * 1.5's {@code ofp15_packet_out}, {@code uint8_t[]}).
     */
    static boolean bundlable(int version, int type, int length) {
        switch (type) {
            case OFPT_FLOW_MOD:
                return fits(length, 48, 8);
            case OFPT_GROUP_MOD:
                return fits(length, version >= OFP15 ? 24 : 16, 8);
            case OFPT_PORT_MOD:
                return version == OFP13 ? length == 40 : fits(length, 32, 8);
            case OFPT_PACKET_OUT:
                return fits(length, version >= OFP15 ? 16 : 24, 1);
            default:
                return false;
        }
    }

    private static boolean fits(int length, int min, int multiple) {
        return length >= min && (length - min) % multiple == 0;
    }

    /**
     * Encodes the reply to a BUNDLE_CONTROL request, as OVS's {@code ofputil_encode_bundle_ctrl_reply()}: the
     * request's version and xid, its bundle id, {@code replyType}, no flags, no properties (24 bytes in the ONF form of
     * OpenFlow 1.3, 16 in 1.4+).
     */
    public static ByteBuf encodeControlReply(int version, int xid, int bundleId, int replyType) {
        ByteBuf out = Unpooled.buffer(OfHeader.LEN + ONF_LEN + CTRL_LEN);
        int start;
        if (version == OFP13) {
            start = OfHeader.write(out, version, OfHeader.OFPT_VENDOR, xid);
            out.writeInt(ErrorCode.ONF_VENDOR_ID).writeInt(ONFT_BUNDLE_CONTROL);
        } else {
            start = OfHeader.write(out, version, OFPT14_BUNDLE_CONTROL, xid);
        }
        out.writeInt(bundleId).writeShort(replyType).writeShort(0);
        OfHeader.patchLength(out, start);
        return out;
    }
}
