package dev.ofswitch.ofswitch.codec;

import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBRC_BAD_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBRC_BAD_PORT;

import dev.ofswitch.ofswitch.codec.Action.ActionList;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A decoded {@code OFPT_PACKET_OUT} (type 13), as OVS 3.1's {@code ofputil_decode_packet_out()}.
 *
 * <pre>
 * OpenFlow 1.0:     buffer_id(4) in_port(2) actions_len(2) actions data
 * OpenFlow 1.3/1.4: buffer_id(4) in_port(4) actions_len(2) pad(6) actions data
 * OpenFlow 1.5:     buffer_id(4) actions_len(2) pad(2) ofp_match (OXM: in_port and pipeline metadata) actions data
 * </pre>
 * {@code inPort} is OVS's 16-bit number (OpenFlow 1.5: from the match's in_port, OFPP_CONTROLLER if absent).
 * Errors: a short message or an actions_len not a multiple of 8 or beyond the message (OFPBRC_BAD_LEN), an in_port
 * outside the ports and OFPP_LOCAL/OFPP_CONTROLLER/OFPP_NONE (OFPBRC_BAD_PORT), and the action errors. The
 * consistency of the actions with the packet's own headers is checked later, by the handler, as OVS's ofproto does
 * when it has parsed the frame.
 *
 * @param metadata OpenFlow 1.5's match (pipeline fields); an empty OXM match in other versions
 */
public record PacketOut(int version, int xid, long bufferId, int inPort, Match metadata, ActionList actions,
                        byte[] data) {
    /** {@code OFPT_PACKET_OUT}. */
    public static final int OFPT_PACKET_OUT = 13;

    /** Copies {@code data}. */
    public PacketOut {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketOut && ((PacketOut) o).actions.equals(actions)
                && Arrays.equals(((PacketOut) o).data, data) && ((PacketOut) o).inPort == inPort;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    /** Decodes one framed PACKET_OUT. */
    public static PacketOut decode(ByteBuf msg, ExperimenterActions hook) throws OpenFlowException {
        ByteBuf b = msg.duplicate();
        int at = b.readerIndex();
        int version = OfHeader.version(b);
        int xid = OfHeader.xid(b);
        int len = b.readableBytes();
        long bufferId;
        int inPort;
        int actionsLen;
        Match md = Match.EMPTY_OXM;
        if (version == OfVersion.OF10) {
            if (len < 16) {
                throw new OpenFlowException(OFPBRC_BAD_LEN, "packet_out length " + len);
            }
            bufferId = b.getUnsignedInt(at + 8);
            inPort = b.getUnsignedShort(at + 12);
            actionsLen = b.getUnsignedShort(at + 14);
            b.readerIndex(at + 16);
        } else if (version >= OfVersion.OF15) {
            if (len < 16) {
                throw new OpenFlowException(OFPBRC_BAD_LEN, "packet_out length " + len);
            }
            bufferId = b.getUnsignedInt(at + 8);
            actionsLen = b.getUnsignedShort(at + 12);
            b.readerIndex(at + 16);
            md = MatchCodec.decodeOxm(b);
            long[] v = FlowKey.newKey();
            long[] m = FlowKey.newKey();
            md.toKey(v, m);
            inPort = FlowKey.isWild(m, MatchField.IN_PORT) ? Action.OFPP_CONTROLLER
                    : (int) FlowKey.get(v, MatchField.IN_PORT);
        } else {
            if (len < 24) {
                throw new OpenFlowException(OFPBRC_BAD_LEN, "packet_out length " + len);
            }
            bufferId = b.getUnsignedInt(at + 8);
            long port32 = b.getUnsignedInt(at + 12);
            inPort = MatchField.portFromOfp11(port32);
            if (inPort < 0) {
                throw new OpenFlowException(ErrorCode.OFPBAC_BAD_OUT_PORT, "in_port " + Long.toHexString(port32));
            }
            actionsLen = b.getUnsignedShort(at + 16);
            b.readerIndex(at + 24);
        }
        ActionList actions = ActionCodec.decodeList(b, actionsLen, version, hook);
        InstructionCodec.checkConjunctionsAlone(actions);
        // As OVS: in_port must be a real port or LOCAL, CONTROLLER or NONE.
        if (inPort >= Action.OFPP_MAX && inPort != Action.OFPP_LOCAL && inPort != Action.OFPP_NONE
                && inPort != Action.OFPP_CONTROLLER) {
            throw new OpenFlowException(OFPBRC_BAD_PORT, "packet_out in_port " + Integer.toHexString(inPort));
        }
        byte[] data = new byte[b.readableBytes()];
        b.readBytes(data);
        return new PacketOut(version, xid, bufferId, inPort, md, actions, data);
    }
}
