package dev.ofswitch.ofswitch.codec;

import io.netty.buffer.ByteBuf;

/**
 * The asynchronous-message configuration of OpenFlow 1.4 and 1.5: OFPT_SET_ASYNC (28) and OFPT_GET_ASYNC_REPLY (27)
 * carry a list of properties, one reason mask each, read and written as OVS 3.1 does
 * ({@code ofputil_decode_set_async_config()}, {@code ofputil_encode_get_async_reply()} in {@code lib/ofp-monitor.c}).
 * OpenFlow 1.3's six fixed masks are Loxi's to read.
 *
 * <pre>
 * ofp_async_config:  ofp_header (8) | properties ...
 * ofp_async_config_prop_reasons (8 bytes):
 * +--------+--------+-----------+
 * |  type  | length |   mask    |     length is 8; mask: bit N set = reason N is sent
 * +--------+--------+-----------+
 *     2        2         4
 * type: 0/1 packet-in slave/master, 2/3 port status, 4/5 flow removed, 6/7 role status, 8/9 table status,
 *       10/11 requestforward; 0xfffe/0xffff experimenter (12-byte header: type, length, experimenter, exp_type)
 * </pre>
 *
 * A configuration is {@code int[2][KINDS]}: [0] for master and equal, [1] for slave; per kind, in the order of
 * {@link #KINDS}, a bitmap of reasons in the connection's wire version.
 */
public final class AsyncConfig {
    /** Kinds of asynchronous message: packet-in, port status, flow removed, role status, table status, requestforward. */
    public static final int KINDS = 6;
    /** Length of {@code ofp_async_config_prop_reasons}. */
    public static final int PROP_LEN = 8;
    /** The reasons each kind has in OpenFlow 1.4 and 1.5; a mask with another bit is OFPACFC_INVALID (as OVS). */
    private static final int[] REASONS = {0x3f, 0x07, 0x3f, 0x07, 0x18, 0x03};
    private static final int OFPT_GET_ASYNC_REPLY = 27;
    private static final int EXPERIMENTER_SLAVE = 0xfffe;
    private static final int ONF_EXPERIMENTER_ID = 0x4f4e4600;

    private AsyncConfig() {
    }

    /**
     * Applies an OFPT_SET_ASYNC (1.4+) to {@code current}, all or nothing, as OVS 3.1 does: a property that does not
     * fit (or its padding to 8 bytes does not) is OFPBRC_BAD_LEN, a reasons property of another length
     * OFPBPC_BAD_LEN, an experimenter property OFPBPC_BAD_EXP_TYPE (Nicira's or ONF's) or OFPBPC_BAD_EXPERIMENTER, an
     * unknown type OFPACFC_UNSUPPORTED and a mask with a reason the kind does not have OFPACFC_INVALID. A type given
     * twice: the last one counts.
     *
     * @param msg the whole message (readable bytes, not consumed)
     * @return the new configuration ({@code current} is not changed)
     */
    public static int[][] decodeSet(ByteBuf msg, int[][] current) throws OpenFlowException {
        int[][] next = {current[0].clone(), current[1].clone()};
        int at = msg.readerIndex() + OfHeader.LEN;
        int end = msg.readerIndex() + msg.readableBytes();
        while (at < end) {
            if (end - at < 4) {
                throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "async config property header cut short");
            }
            int type = msg.getUnsignedShort(at);
            int len = msg.getUnsignedShort(at + 2);
            if (len < 4 || ((len + 7) & ~7) > end - at) {
                throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "async config property of length " + len);
            }
            if (type >= EXPERIMENTER_SLAVE) {
                if (len < 12) {
                    throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "experimenter property of length " + len);
                }
                int experimenter = msg.getInt(at + 4);
                throw new OpenFlowException(experimenter == ErrorCode.NX_VENDOR_ID
                        || experimenter == ONF_EXPERIMENTER_ID ? ErrorCode.OFPBPC_BAD_EXP_TYPE
                        : ErrorCode.OFPBPC_BAD_EXPERIMENTER, "experimenter async config property");
            }
            if (type >= 2 * KINDS) {
                throw new OpenFlowException(ErrorCode.OFPACFC_UNSUPPORTED, "async config property type " + type);
            }
            if (len != PROP_LEN) {
                throw new OpenFlowException(ErrorCode.OFPBPC_BAD_LEN, "async config property of length " + len);
            }
            int kind = type / 2;
            int mask = msg.getInt(at + 4);
            if ((mask & ~REASONS[kind]) != 0) {
                throw new OpenFlowException(ErrorCode.OFPACFC_INVALID, "async config property " + type + " mask 0x"
                        + Integer.toHexString(mask));
            }
            // Even types are the slave's, odd ones the master's.
            next[(type & 1) == 0 ? 1 : 0][kind] = mask;
            at += (len + 7) & ~7;
        }
        return next;
    }

    /** Writes the OFPT_GET_ASYNC_REPLY (1.4+) for {@code masks}: every property, slave then master, by type. */
    public static void encodeReply(ByteBuf out, int version, int xid, int[][] masks) {
        int start = OfHeader.write(out, version, OFPT_GET_ASYNC_REPLY, xid);
        for (int type = 0; type < 2 * KINDS; type++) {
            out.writeShort(type).writeShort(PROP_LEN).writeInt(masks[(type & 1) == 0 ? 1 : 0][type / 2]);
        }
        OfHeader.patchLength(out, start);
    }
}
