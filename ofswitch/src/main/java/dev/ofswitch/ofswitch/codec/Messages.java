package dev.ofswitch.ofswitch.codec;

import io.netty.buffer.ByteBuf;

/**
 * The one place that routes a framed message to the decoder that owns it and answers the message types nobody owns
 * the way OVS does. The channel handler calls {@link #decode}; a null result means "a session message for Loxi"
 * (HELLO, ECHO, FEATURES, BARRIER, other multipart types, ...).
 *
 * <p>Unknown OpenFlow types are OFPBRC_BAD_TYPE; vendor messages with another vendor id OFPBRC_BAD_VENDOR; Nicira
 * subtypes nobody decodes OFPBRC_BAD_SUBTYPE (OFPBRC_BAD_EXP_TYPE in 1.1+ terms) — each checked against a real
 * OVS 3.1 (golden/real-ovs-replies.txt).
 */
public final class Messages {
    private Messages() {
    }

    /** Per-connection state the codec needs (OVS's negotiated "protocol"). */
    public record ConnectionState(boolean flowModTableId, ExperimenterActions ctActions) {
        /** A new OpenFlow connection: no table-id extension, conntrack actions refused. */
        public static final ConnectionState INITIAL = new ConnectionState(false, ExperimenterActions.REJECT);
    }

    /**
     * Decodes {@code msg} if the codec owns it: a {@link FlowMod}, {@link PacketOut}, {@link GroupMod},
     * {@link FlowStats.Request}, or for Nicira session messages a {@link Nicira} value. Returns null for messages
     * Loxi handles.
     */
    public static Object decode(ByteBuf msg, ConnectionState state) throws OpenFlowException {
        if (msg.readableBytes() < OfHeader.LEN) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "short message");
        }
        int version = OfHeader.version(msg);
        int type = OfHeader.type(msg);
        if (!OfVersion.isSupported(version)) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_VERSION, "version " + version);
        }
        boolean of10 = version == OfVersion.OF10;
        switch (type) {
            case OfHeader.OFPT_VENDOR:
                return decodeVendor(msg, state);
            case FlowModCodec.OFPT_FLOW_MOD:
                return FlowModCodec.decode(msg, state.flowModTableId(), state.ctActions());
            case PacketOut.OFPT_PACKET_OUT:
                return PacketOut.decode(msg, state.ctActions());
            case 15:
                return of10 ? null : GroupMod.decode(msg, state.ctActions());
            case FlowStats.OFPT10_STATS_REQUEST:
            case FlowStats.OFPT13_MULTIPART_REQUEST:
                if ((of10 && type == FlowStats.OFPT10_STATS_REQUEST) || (!of10 && type == FlowStats.OFPT13_MULTIPART_REQUEST)) {
                    if (msg.readableBytes() >= 12) {
                        int st = msg.getUnsignedShort(msg.readerIndex() + 8);
                        if (st == FlowStats.OFPST_FLOW || st == FlowStats.OFPST_AGGREGATE
                                || (of10 && st == FlowStats.OFPST_VENDOR && msg.readableBytes() >= 20
                                && msg.getInt(msg.readerIndex() + 12) == ErrorCode.NX_VENDOR_ID)) {
                            return FlowStats.decodeRequest(msg);
                        }
                    }
                }
                return null;
            default:
                int maxType = of10 ? 21 : version == OfVersion.OF13 ? 29 : version == OfVersion.OF14 ? 33 : 35;
                if (type > maxType) {
                    throw new OpenFlowException(ErrorCode.OFPBRC_BAD_TYPE, "type " + type);
                }
                return null;
        }
    }

    /** A decoded Nicira session message: its subtype and the value its decoder returned. */
    public record Nicira(int subtype, Object value) {
    }

    private static Object decodeVendor(ByteBuf msg, ConnectionState state) throws OpenFlowException {
        if (msg.readableBytes() < 12) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "vendor message without vendor id");
        }
        int vendor = msg.getInt(msg.readerIndex() + 8);
        if (vendor != ErrorCode.NX_VENDOR_ID) {
            if (vendor == ErrorCode.ONF_VENDOR_ID) {
                return null; // ONF experimenter messages (OpenFlow 1.3 bundles): BundleCodec, for the switch.
            }
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_VENDOR, "vendor " + Integer.toHexString(vendor));
        }
        if (msg.readableBytes() < OfHeader.NICIRA_LEN) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "short Nicira message");
        }
        int subtype = NiciraMessages.subtype(msg);
        switch (subtype) {
            case FlowModCodec.NXT_FLOW_MOD:
                return FlowModCodec.decode(msg, state.flowModTableId(), state.ctActions());
            case GroupMod.NXT_GROUP_MOD:
                return GroupMod.decode(msg, state.ctActions());
            case NiciraMessages.NXT_SET_FLOW_FORMAT:
                return new Nicira(subtype, NiciraMessages.decodeSetFlowFormat(msg));
            case NiciraMessages.NXT_FLOW_MOD_TABLE_ID:
                return new Nicira(subtype, NiciraMessages.decodeFlowModTableId(msg));
            case NiciraMessages.NXT_SET_PACKET_IN_FORMAT:
                return new Nicira(subtype, NiciraMessages.decodeSetPacketInFormat(msg));
            case NiciraMessages.NXT_SET_CONTROLLER_ID:
                return new Nicira(subtype, NiciraMessages.decodeSetControllerId(msg));
            case NiciraMessages.NXT_SET_ASYNC_CONFIG:
                return new Nicira(subtype, NiciraMessages.decodeSetAsyncConfig(msg));
            case NiciraMessages.NXT_CT_FLUSH_ZONE:
                return new Nicira(subtype, NiciraMessages.decodeCtFlushZone(msg));
            case NiciraMessages.NXT_CT_FLUSH:
                return new Nicira(subtype, NiciraMessages.decodeCtFlush(msg));
            case 10: // NXT_ROLE_REQUEST: Loxi's.
            case 11:
                return null;
            default:
                throw new OpenFlowException(ErrorCode.OFPBRC_BAD_SUBTYPE, "Nicira subtype " + subtype);
        }
    }
}
