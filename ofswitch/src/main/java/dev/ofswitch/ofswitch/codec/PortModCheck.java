package dev.ofswitch.ofswitch.codec;

import io.netty.buffer.ByteBuf;

/**
 * The framing checks OVS {@code ofputil_decode_port_mod()} makes on an OFPT_PORT_MOD before anything else, so that a
 * malformed one gets OVS's error rather than the OFPBRC_BAD_LEN Loxi's failure to parse it would give.
 *
 * <pre>
 * OpenFlow 1.0 (32 bytes):       header | port_no(2) | hw_addr(6) | config(4) | mask(4) | advertise(4) | pad(4)
 * OpenFlow 1.1 to 1.3 (40 bytes): header | port_no(4) | pad(4) | hw_addr(6) | pad(2) | config | mask | advertise | pad
 * OpenFlow 1.4 and 1.5 (32 + properties, each padded to 8):
 *                                header | port_no(4) | pad(4) | hw_addr(6) | pad(2) | config(4) | mask(4) | props
 * ethernet property:             type 0 | length 8 | advertise(4)
 * </pre>
 *
 * Checked against ovs-vswitchd 3.1, in this order: a length other than the fixed one, or in 1.4+ below 32 or not 32
 * plus a multiple of 8, is OFPBRC_BAD_LEN (OVS's {@code ofpraw} size check); then each 1.4+ property as
 * {@code ofpprop_pull()}: a header or padded length that does not fit, or a length below 4, OFPBPC_BAD_LEN; an ethernet
 * property whose payload is not 4 bytes OFPBPC_BAD_LEN; an experimenter property shorter than 12 bytes OFPBPC_BAD_LEN,
 * otherwise (Nicira's or any other experimenter) OFPBPC_BAD_EXP_TYPE; any other type (1.5's optical one too)
 * OFPBPC_BAD_TYPE. The port and its hardware address are checked after this, when the request is applied.
 */
public final class PortModCheck {
    /** {@code sizeof(ofp10_port_mod)} with its header. */
    public static final int OF10_LEN = 32;
    /** {@code sizeof(ofp11_port_mod)} with its header. */
    public static final int OF11_LEN = 40;
    /** {@code sizeof(ofp14_port_mod)} with its header, before the properties. */
    public static final int OF14_FIXED_LEN = 32;
    /** {@code OFPPMPT14_ETHERNET}. */
    static final int PROP_ETHERNET = 0;
    /** {@code OFPPMPT14_EXPERIMENTER}. */
    static final int PROP_EXPERIMENTER = 0xffff;
    /** {@code sizeof(ofp_prop_experimenter)}: type, length, experimenter, exp_type. */
    static final int EXPERIMENTER_PROP_LEN = 12;

    private PortModCheck() {
    }

    /** Checks the whole framed PORT_MOD {@code msg} (readable bytes; the reader index is not moved). */
    public static void check(ByteBuf msg) throws OpenFlowException {
        int version = OfHeader.version(msg);
        int len = msg.readableBytes();
        if (version < OfVersion.OF14) {
            int want = version == OfVersion.OF10 ? OF10_LEN : OF11_LEN;
            if (len != want) {
                throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "port_mod of " + len + " bytes, not " + want);
            }
            return;
        }
        if (len < OF14_FIXED_LEN || (len - OF14_FIXED_LEN) % 8 != 0) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "port_mod of " + len + " bytes");
        }
        int end = msg.readerIndex() + len;
        for (int p = msg.readerIndex() + OF14_FIXED_LEN; p < end; ) {
            int[] th = NiciraMessages.propHeader(msg, p, end);
            int type = th[0];
            int plen = th[1];
            if (type == PROP_ETHERNET) {
                if (plen != 8) {
                    throw new OpenFlowException(ErrorCode.OFPBPC_BAD_LEN, "ethernet property of length " + plen);
                }
            } else if (type == PROP_EXPERIMENTER) {
                if (plen < EXPERIMENTER_PROP_LEN) {
                    throw new OpenFlowException(ErrorCode.OFPBPC_BAD_LEN, "experimenter property of length " + plen);
                }
                throw new OpenFlowException(ErrorCode.OFPBPC_BAD_EXP_TYPE, "port_mod experimenter property "
                        + Integer.toHexString(msg.getInt(p + 4)) + ":" + msg.getInt(p + 8));
            } else {
                throw new OpenFlowException(ErrorCode.OFPBPC_BAD_TYPE, "port_mod property " + type);
            }
            p += OfHeader.roundUp8(plen);
        }
    }
}
