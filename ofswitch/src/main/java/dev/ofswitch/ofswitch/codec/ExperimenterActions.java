package dev.ofswitch.ofswitch.codec;

import io.netty.buffer.ByteBuf;

/**
 * The one dispatch point for Nicira actions that another module decodes: the conntrack family {@code NXAST_CT} (35),
 * {@code NXAST_NAT} (36) and {@code NXAST_CT_CLEAR} (43).
 *
 * <p>{@link ActionCodec} has already checked the action header (type 0xffff, length a multiple of 8 within the list,
 * vendor 0x00002320) and hands over the whole action. Until ct-actions plugs in its decoder, {@link #REJECT} answers
 * what OVS would answer for an action it does not know: {@code OFPBAC_BAD_VENDOR_TYPE} (OpenFlow 1.1+ calls it
 * OFPBAC_BAD_EXPERIMENTER_TYPE).
 */
@FunctionalInterface
public interface ExperimenterActions {
    /** {@code NXAST_CT}. */
    int NXAST_CT = 35;
    /** {@code NXAST_NAT}. */
    int NXAST_NAT = 36;
    /** {@code NXAST_CT_CLEAR}. */
    int NXAST_CT_CLEAR = 43;

    /** Whether {@code subtype} is one of the conntrack actions routed here. */
    static boolean isConntrack(int subtype) {
        return subtype == NXAST_CT || subtype == NXAST_NAT || subtype == NXAST_CT_CLEAR;
    }

    /**
     * Decodes one conntrack action.
     *
     * @param action  exactly the action's bytes (readable), from its type field to its end
     * @param subtype the NX subtype
     * @param version the message's wire version
     * @return the decoded action
     * @throws OpenFlowException with the error to send if the action is refused
     */
    Action decode(ByteBuf action, int subtype, int version) throws OpenFlowException;

    /** Refuses every conntrack action with OFPBAC_BAD_VENDOR_TYPE, as a switch without conntrack would. */
    ExperimenterActions REJECT = (action, subtype, version) -> {
        throw new OpenFlowException(ErrorCode.OFPBAC_BAD_VENDOR_TYPE, "NXAST subtype " + subtype
                + " (conntrack) is not decoded yet");
    };

    /**
     * Keeps the action's bytes without interpreting them ({@link Action.Opaque}). For tests and tools that need the
     * rest of a flow decoded; the switch must not install such flows.
     */
    ExperimenterActions OPAQUE = (action, subtype, version) -> {
        byte[] raw = new byte[action.readableBytes()];
        action.getBytes(action.readerIndex(), raw);
        return new Action.Opaque(ErrorCode.NX_VENDOR_ID, subtype, raw);
    };
}
