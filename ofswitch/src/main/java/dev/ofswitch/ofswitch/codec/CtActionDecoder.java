package dev.ofswitch.ofswitch.codec;

import dev.ofswitch.ctactions.CtAction;
import dev.ofswitch.ctactions.CtExec;
import dev.ofswitch.ctactions.CtWire;
import dev.ofswitch.ctactions.CtWireException;
import dev.ofswitch.ctactions.NatSpec;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the conntrack family for the codec's {@link ExperimenterActions} hook: {@code NXAST_CT} with its zone
 * source and nested {@code exec(...)} / {@code nat(...)} actions, {@code NXAST_NAT} and {@code NXAST_CT_CLEAR}, with
 * the errors OVS 3.1 gives (each checked against a running ovs-vswitchd 3.1):
 *
 * <table>
 * <caption>Rejections</caption>
 * <tr><th>case</th><th>error</th></tr>
 * <tr><td>force without commit</td><td>OFPBAC_BAD_ARGUMENT</td></tr>
 * <tr><td>zone from a slice that is not 16 bits, or runs past its field</td><td>OFPBAC_BAD_SET_LEN</td></tr>
 * <tr><td>zone from an unknown field (an unmapped tun_metadata: NXFMFC_INVALID_TLV_FIELD)</td>
 * <td>OFPBAC_BAD_SET_TYPE</td></tr>
 * <tr><td>exec writing a field other than ct_mark / ct_label</td><td>OFPBAC_BAD_ARGUMENT</td></tr>
 * <tr><td>exec writing ct_zone / ct_state (not writable)</td><td>OFPBAC_BAD_SET_ARGUMENT</td></tr>
 * <tr><td>any other nested action (output, ct, ct_clear)</td><td>OFPBAC_BAD_ARGUMENT</td></tr>
 * <tr><td>exec, or nat with arguments, without commit</td><td>OFPBAC_BAD_ARGUMENT</td></tr>
 * <tr><td>bad nat flags / ranges</td><td>OFPBAC_BAD_ARGUMENT</td></tr>
 * <tr><td>nat outside ct (checked by {@link ActionChecker})</td><td>OFPBAC_BAD_SET_ARGUMENT</td></tr>
 * </table>
 */
public final class CtActionDecoder implements ExperimenterActions {
    /** The decoder the switch uses. Stateless. */
    public static final CtActionDecoder INSTANCE = new CtActionDecoder();

    @Override
    public Action decode(ByteBuf action, int subtype, int version) throws OpenFlowException {
        byte[] raw = new byte[action.readableBytes()];
        action.getBytes(action.readerIndex(), raw);
        try {
            switch (subtype) {
                case NXAST_CT_CLEAR:
                    CtWire.checkCtClear(raw);
                    return new Action.CtClear();
                case NXAST_NAT:
                    return new Action.Nat(NatSpec.decode(raw), raw);
                case NXAST_CT:
                    return decodeCt(raw, version);
                default:
                    throw new OpenFlowException(ErrorCode.OFPBAC_BAD_VENDOR_TYPE, "NXAST subtype " + subtype);
            }
        } catch (CtWireException e) {
            throw new OpenFlowException(ErrorCode.valueOf(e.ofperr()), e.getMessage());
        }
    }

    private Action decodeCt(byte[] raw, int version) throws CtWireException, OpenFlowException {
        CtWire.Header h = CtWire.decodeHeader(raw);
        MatchField zoneField = null;
        if (h.zoneSrc() != 0) {
            zoneField = MatchField.byHeader(h.zoneSrc() & ~0x100);
            if (zoneField == null || !zoneField.isSupported()) {
                int nxField = (h.zoneSrc() >>> 9) & 0x7f;
                boolean tunMetadata = (h.zoneSrc() >>> 16) == 1 && nxField >= 40 && nxField < 104;
                throw new OpenFlowException(tunMetadata ? ErrorCode.NXFMFC_INVALID_TLV_FIELD
                        : ErrorCode.OFPBAC_BAD_SET_TYPE, "ct: zone from unknown field " + Integer.toHexString(h.zoneSrc()));
            }
            CtWire.checkZoneSlice(h, zoneField.nBits());
        }
        ByteBuf nested = Unpooled.wrappedBuffer(raw, CtWire.CT_LEN, raw.length - CtWire.CT_LEN);
        List<Action> inner = ActionCodec.decodeList(nested, nested.readableBytes(), version, this).actions();
        List<CtExec> execs = new ArrayList<>();
        NatSpec nat = null;
        for (Action a : inner) {
            if (a instanceof Action.Nat n) {
                nat = n.nat();
            } else if (a instanceof Action.SetField s) {
                execs.add(write(s.entry()));
            } else if (a instanceof Action.RegLoad2 r) {
                execs.add(write(r.entry()));
            } else if (a instanceof Action.RegLoad r) {
                execs.add(load(r.dst(), r.ofs(), r.nBits(), r.value()));
            } else if (a instanceof Action.Move m) {
                boolean label = ctField(m.dst());
                execs.add(new CtExec.Copy(m.src(), m.srcOfs(), label, m.dstOfs(), m.nBits()));
            } else {
                // OVS ofpacts_verify_nested(): "ct action doesn't support nested action ...".
                throw new OpenFlowException(ErrorCode.OFPBAC_BAD_ARGUMENT, "ct: nested action " + a
                        + " not allowed");
            }
        }
        CtWire.checkCommitForNested(h.flags(), execs, nat);
        return new Action.Conntrack(new CtAction(h.flags(), h.zoneSrc() == 0 ? h.zoneField() : 0,
                h.zoneSrc(), h.zoneSrc() == 0 ? 0 : h.zoneOfs(), h.zoneSrc() == 0 ? 0 : h.zoneNBits(), zoneField,
                h.recircTable(), h.alg(), execs, nat, raw));
    }

    /**
     * The actions nested in a decoded {@code ct(...)} (its exec(...) writes and nat(...), in wire order), decoded again
     * from the action's bytes so that each keeps its wire form; {@code version} is the wire version of those bytes.
     */
    public static List<Action> nestedActions(CtAction ct, int version) {
        byte[] raw = ct.raw();
        int len = raw.length - CtWire.CT_LEN;
        try {
            return ActionCodec.decodeList(Unpooled.wrappedBuffer(raw, CtWire.CT_LEN, len), len, version, INSTANCE)
                    .actions();
        } catch (OpenFlowException e) {
            // The action was decoded from these very bytes once already.
            throw new IllegalStateException("ct() nested actions no longer decode: " + e.getMessage(), e);
        }
    }

    /** Whether {@code f} is ct_label (true) or ct_mark (false); anything else is refused as OVS does. */
    private static boolean ctField(MatchField f) throws OpenFlowException {
        if (f == MatchField.CT_MARK) {
            return false;
        }
        if (f == MatchField.CT_LABEL) {
            return true;
        }
        throw new OpenFlowException(ErrorCode.OFPBAC_BAD_ARGUMENT, "ct action doesn't support nested modification of "
                + f.ovsName());
    }

    private static CtExec write(MatchEntry e) throws OpenFlowException {
        boolean label = ctField(e.field());
        if (!label) {
            long mask = e.isMasked() ? e.mask() : 0xffffffffL;
            return new CtExec.Mark((int) e.value(), (int) mask);
        }
        byte[] v = e.valueBytes();
        byte[] m = e.isMasked() ? e.maskBytes() : null;
        return new CtExec.Label(FlowKey.readValue(v, 0, 8), FlowKey.readValue(v, 8, 8),
                m == null ? -1L : FlowKey.readValue(m, 0, 8), m == null ? -1L : FlowKey.readValue(m, 8, 8));
    }

    private static CtExec load(MatchField f, int ofs, int nBits, long value) throws OpenFlowException {
        boolean label = ctField(f);
        long mask = nBits >= 64 ? -1L : (1L << nBits) - 1;
        if (!label) {
            return new CtExec.Mark((int) (value << ofs), (int) (mask << ofs));
        }
        if (ofs >= 64) {
            return new CtExec.Label(value << (ofs - 64), 0, mask << (ofs - 64), 0);
        }
        long lo = value << ofs;
        long loMask = mask << ofs;
        long hi = ofs == 0 ? 0 : value >>> (64 - ofs);
        long hiMask = ofs == 0 ? 0 : mask >>> (64 - ofs);
        return new CtExec.Label(hi, lo, hiMask, loMask);
    }
}
