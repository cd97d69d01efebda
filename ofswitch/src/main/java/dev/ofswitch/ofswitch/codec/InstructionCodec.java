package dev.ofswitch.ofswitch.codec;

import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBAC_BAD_TYPE;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBIC_BAD_EXPERIMENTER;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBIC_BAD_LEN;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBIC_DUP_INST;
import static dev.ofswitch.ofswitch.codec.ErrorCode.OFPBIC_UNKNOWN_INST;

import dev.ofswitch.ofswitch.codec.Action.ActionList;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes and encodes instruction lists as OVS 3.1's {@code ofpacts_pull_openflow_instructions()} and
 * {@code decode_openflow11_instructions()}.
 *
 * <pre>
 * +--------+--------+-----------------------+
 * |  type  |  len   |  body (len - 4 bytes) |   len: a multiple of 8, at least 8
 * +--------+--------+-----------------------+
 * </pre>
 *
 * Checks: the list length must be a multiple of 8 and fit the message (OFPBIC_BAD_LEN); the walk stops at the first
 * instruction whose length is not a multiple of 8, below 8 or past the end (OFPBIC_BAD_LEN); experimenter
 * instructions are OFPBIC_BAD_EXPERIMENTER, unknown types OFPBIC_UNKNOWN_INST, a fixed-size instruction of another
 * length OFPBIC_BAD_LEN, a repeated type OFPBIC_DUP_INST. Only then are the action lists decoded, in OVS's order:
 * meter, apply-actions, clear-actions, write-actions (where actions not allowed in an action set are
 * OFPBAC_BAD_TYPE), write-metadata, goto-table. The model keeps wire order.
 *
 * <p>An {@code NXAST_WRITE_METADATA} ending the apply-actions (and, in OpenFlow 1.0, the action list) is OVS's
 * write_metadata instruction in Nicira form; it is modelled as that instruction, in OpenFlow 1.1+ with the raw bytes
 * OVS would send back (a standard OFPIT_WRITE_METADATA). Anywhere else in the list it is OFPBAC_UNSUPPORTED_ORDER,
 * in a write-actions OFPBAC_BAD_TYPE, elsewhere (packet-out, nested lists) the action decoder's OFPBIC_UNSUP_INST.
 */
public final class InstructionCodec {
    private InstructionCodec() {
    }

    /**
     * Decodes {@code len} bytes of instructions (OpenFlow 1.0: of actions) at the reader index.
     */
    public static Instructions decode(ByteBuf b, int len, int version, ExperimenterActions hook)
            throws OpenFlowException {
        if (version == OfVersion.OF10) {
            return decodeOf10(b, len, hook);
        }
        if (len % 8 != 0 || len > b.readableBytes()) {
            throw new OpenFlowException(OFPBIC_BAD_LEN, "instructions length " + len);
        }
        int start = b.readerIndex();
        int end = start + len;
        int[] offsets = new int[7];
        java.util.Arrays.fill(offsets, -1);
        List<Integer> order = new ArrayList<>();
        int p = start;
        while (end - p >= 8) {
            int type = b.getUnsignedShort(p);
            int ilen = b.getUnsignedShort(p + 2);
            if (ilen % 8 != 0 || ilen < 8 || ilen > end - p) {
                break;
            }
            int kind;
            switch (type) {
                case 0xffff:
                    throw new OpenFlowException(OFPBIC_BAD_EXPERIMENTER, "experimenter instruction");
                case 1:
                case 5:
                case 6:
                    fixedLen(ilen, 8);
                    kind = type;
                    break;
                case 2:
                    fixedLen(ilen, 24);
                    kind = type;
                    break;
                case 3:
                case 4:
                    kind = type;
                    break;
                default:
                    throw new OpenFlowException(OFPBIC_UNKNOWN_INST, "instruction type " + type);
            }
            if (offsets[kind] >= 0) {
                throw new OpenFlowException(OFPBIC_DUP_INST, "duplicate instruction " + type);
            }
            offsets[kind] = p;
            order.add(kind);
            p += ilen;
        }
        if (p != end) {
            throw new OpenFlowException(OFPBIC_BAD_LEN, "bad instruction format at offset " + (p - start));
        }
        Instruction[] decoded = new Instruction[7];
        if (offsets[6] >= 0) {
            decoded[6] = new Instruction.Meter(b.getUnsignedInt(offsets[6] + 4));
        }
        // An NXAST_WRITE_METADATA that ends the apply-actions is OVS's write_metadata instruction in Nicira form, as
        // in OpenFlow 1.0 (OVS decodes it among the actions and ofpacts_verify() accepts it in that place).
        Instruction.WriteMetadata pulled = null;
        int applyKept = 0;
        if (offsets[4] >= 0) {
            int body = offsets[4] + 8;
            int bodyLen = b.getUnsignedShort(offsets[4] + 2) - 8;
            int wm = trailingWriteMetadata(b, body, bodyLen);
            if (wm < 0) {
                decoded[4] = new Instruction.ApplyActions(actionsOf(b, offsets[4], version, hook));
            } else {
                pulled = writeMetadataAt(b, wm, body + bodyLen);
                applyKept = wm - body;
                ActionList kept = ActionCodec.decode(b.slice(body, applyKept), applyKept, version, hook);
                if (!kept.actions().isEmpty()) {
                    decoded[4] = new Instruction.ApplyActions(kept);
                }
            }
        }
        if (offsets[5] >= 0) {
            decoded[5] = new Instruction.ClearActions();
        }
        if (offsets[3] >= 0) {
            refuseWriteMetadataInActionSet(b, offsets[3], version, hook);
            ActionList set = actionsOf(b, offsets[3], version, hook);
            for (Action a : set.actions()) {
                if (!isAllowedInActionSet(a)) {
                    // OVS 3.1 answers "disallowed action in action set" with OFPBAC_BAD_TYPE.
                    throw new OpenFlowException(OFPBAC_BAD_TYPE, "disallowed action in action set: " + a);
                }
            }
            decoded[3] = new Instruction.WriteActions(set);
        }
        if (offsets[2] >= 0) {
            decoded[2] = new Instruction.WriteMetadata(b.getLong(offsets[2] + 8), b.getLong(offsets[2] + 16));
        }
        if (offsets[1] >= 0) {
            decoded[1] = new Instruction.GotoTable(b.getUnsignedByte(offsets[1] + 4));
        }
        if (pulled != null) {
            b.readerIndex(end);
            return withPulledWriteMetadata(b, decoded, offsets, applyKept, pulled, version);
        }
        List<Instruction> list = new ArrayList<>();
        for (int kind : order) {
            list.add(decoded[kind]);
        }
        byte[] raw = new byte[len];
        b.getBytes(start, raw);
        b.readerIndex(end);
        checkConjunctionsAlone(list);
        return new Instructions(list, raw, false, version);
    }

    /**
     * An {@code NXAST_WRITE_METADATA} in a write-actions instruction decodes in OVS (the actions before it first, then
     * its own length and padding) and is then refused as not allowed in an action set: OFPBAC_BAD_TYPE.
     */
    private static void refuseWriteMetadataInActionSet(ByteBuf b, int at, int version, ExperimenterActions hook)
            throws OpenFlowException {
        int body = at + 8;
        int wm = firstWriteMetadata(b, body, at + b.getUnsignedShort(at + 2));
        if (wm < 0) {
            return;
        }
        ActionCodec.decode(b.slice(body, wm - body), wm - body, version, hook);
        if (b.getUnsignedShort(wm + 2) != 32) {
            throw new OpenFlowException(ErrorCode.OFPBAC_BAD_LEN, "write_metadata length " + b.getUnsignedShort(wm + 2));
        }
        checkWriteMetadataPadding(b, wm);
        throw new OpenFlowException(OFPBAC_BAD_TYPE, "disallowed action in action set: write_metadata");
    }

    /**
     * The instructions of a flow whose apply-actions ended with an {@code NXAST_WRITE_METADATA}, as OVS holds them:
     * its ofpacts in instruction order (meter, the other apply-actions, write_metadata, goto_table), which it encodes
     * back as standard instructions (a flow stats reply has an OFPIT_WRITE_METADATA, and no apply-actions if nothing
     * else was in it). A clear-actions or write-actions would come after the write_metadata, which
     * {@code ofpacts_verify()} refuses (OFPBAC_UNSUPPORTED_ORDER), as a second write_metadata.
     */
    private static Instructions withPulledWriteMetadata(ByteBuf b, Instruction[] decoded, int[] offsets,
                                                        int applyKept, Instruction.WriteMetadata pulled, int version)
            throws OpenFlowException {
        if (offsets[5] >= 0 || offsets[3] >= 0) {
            throw new OpenFlowException(ErrorCode.OFPBAC_UNSUPPORTED_ORDER, "invalid instruction ordering: "
                    + (offsets[5] >= 0 ? "clear_actions" : "write_actions") + " must appear before write_metadata");
        }
        if (offsets[2] >= 0) {
            throw new OpenFlowException(ErrorCode.OFPBAC_UNSUPPORTED_ORDER,
                    "duplicate write_metadata instruction not allowed");
        }
        List<Instruction> list = new ArrayList<>();
        ByteBuf raw = io.netty.buffer.Unpooled.buffer();
        if (decoded[6] != null) {
            list.add(decoded[6]);
            raw.writeBytes(b, offsets[6], 8);
        }
        if (decoded[4] != null) {
            list.add(decoded[4]);
            raw.writeShort(4).writeShort(8 + applyKept).writeZero(4).writeBytes(b, offsets[4] + 8, applyKept);
        }
        list.add(pulled);
        raw.writeShort(2).writeShort(24).writeZero(4).writeLong(pulled.metadata()).writeLong(pulled.mask());
        if (decoded[1] != null) {
            list.add(decoded[1]);
            raw.writeBytes(b, offsets[1], 8);
        }
        byte[] bytes = new byte[raw.readableBytes()];
        raw.readBytes(bytes);
        return new Instructions(list, bytes, false, version);
    }

    /**
     * The {@code NXAST_WRITE_METADATA} at {@code wm} that ends an action list at {@code end}, as OVS
     * {@code decode_NXAST_RAW_WRITE_METADATA()}: another length OFPBAC_BAD_LEN; non-zero padding NXBRC_MUST_BE_ZERO.
     */
    private static Instruction.WriteMetadata writeMetadataAt(ByteBuf b, int wm, int end) throws OpenFlowException {
        int wmLen = b.getUnsignedShort(wm + 2);
        if (wmLen != 32 || wm + wmLen != end) {
            throw new OpenFlowException(ErrorCode.OFPBAC_BAD_LEN, "write_metadata length " + wmLen);
        }
        checkWriteMetadataPadding(b, wm);
        return new Instruction.WriteMetadata(b.getLong(wm + 16), b.getLong(wm + 24));
    }

    private static void fixedLen(int ilen, int size) throws OpenFlowException {
        if (ilen != size) {
            throw new OpenFlowException(OFPBIC_BAD_LEN, "instruction length " + ilen + ", expected " + size);
        }
    }

    /**
     * An OpenFlow 1.0 action list, as OVS's {@code ofpacts_pull_openflow_instructions()} takes it: every instruction
     * may appear in Nicira form, which for this switch means a trailing {@code NXAST_WRITE_METADATA} (OVS's
     * {@code write_metadata} in OpenFlow 1.0) becomes a write-metadata instruction after the apply-actions.
     * <pre>
     * nx_action_write_metadata: ffff | 0020 | 00002320 | 0016 | zeros(6) | metadata(8) | mask(8)
     * </pre>
     * Errors as OVS's: one not at the end, or two, OFPBAC_UNSUPPORTED_ORDER ("apply_actions must appear before
     * write_metadata"); another length OFPBAC_BAD_LEN; non-zero padding NXBRC_MUST_BE_ZERO.
     */
    private static Instructions decodeOf10(ByteBuf b, int len, ExperimenterActions hook) throws OpenFlowException {
        int at = b.readerIndex();
        int wm = trailingWriteMetadata(b, at, Math.min(len, b.readableBytes()));
        if (wm < 0) {
            ActionList actions = ActionCodec.decodeList(b, len, OfVersion.OF10, hook);
            List<Instruction> l = actions.actions().isEmpty() ? List.of()
                    : List.of(new Instruction.ApplyActions(actions));
            checkConjunctionsAlone(l);
            return new Instructions(l, actions.raw(), true, OfVersion.OF10);
        }
        Instruction.WriteMetadata metadata = writeMetadataAt(b, wm, at + len);
        ActionList actions = ActionCodec.decodeList(b, wm - at, OfVersion.OF10, hook);
        List<Instruction> l = new ArrayList<>();
        if (!actions.actions().isEmpty()) {
            l.add(new Instruction.ApplyActions(actions));
        }
        l.add(metadata);
        byte[] raw = new byte[len];
        b.getBytes(at, raw);
        b.readerIndex(at + len);
        checkConjunctionsAlone(l);
        return new Instructions(l, raw, true, OfVersion.OF10);
    }

    /**
     * Where the {@code NXAST_WRITE_METADATA} that ends the action list at {@code [at, at + len)} starts, or -1 if
     * there is none; one that something follows is refused as OVS's {@code ofpacts_verify()} refuses it. A malformed
     * list is left to the action decoder.
     */
    private static int trailingWriteMetadata(ByteBuf b, int at, int len) throws OpenFlowException {
        int end = at + len;
        int found = firstWriteMetadata(b, at, end);
        if (found < 0) {
            return -1;
        }
        int next = found + b.getUnsignedShort(found + 2);
        if (end - next >= 8) {
            int alen = b.getUnsignedShort(next + 2);
            if (alen >= 8 && alen <= end - next) {
                throw new OpenFlowException(ErrorCode.OFPBAC_UNSUPPORTED_ORDER, isWriteMetadata(b, next, alen)
                        ? "duplicate write_metadata instruction not allowed"
                        : "invalid instruction ordering: apply_actions must appear before write_metadata");
            }
        }
        return found;
    }

    /**
     * The first {@code NXAST_WRITE_METADATA} in the actions at {@code [at, end)}, or -1; the walk stops where they
     * stop framing.
     */
    private static int firstWriteMetadata(ByteBuf b, int at, int end) {
        for (int p = at; end - p >= 8; ) {
            int alen = b.getUnsignedShort(p + 2);
            if (alen < 8 || alen > end - p) {
                return -1;
            }
            if (isWriteMetadata(b, p, alen)) {
                return p;
            }
            p += alen;
        }
        return -1;
    }

    private static void checkWriteMetadataPadding(ByteBuf b, int wm) throws OpenFlowException {
        if (b.getUnsignedShort(wm + 10) != 0 || b.getInt(wm + 12) != 0) {
            throw new OpenFlowException(ErrorCode.NXBRC_MUST_BE_ZERO, "write_metadata padding");
        }
    }

    private static boolean isWriteMetadata(ByteBuf b, int p, int alen) {
        return alen >= 10 && b.getUnsignedShort(p) == ActionCodec.OFPAT_VENDOR
                && b.getInt(p + 4) == ErrorCode.NX_VENDOR_ID
                && b.getUnsignedShort(p + 8) == ActionCodec.NXAST_WRITE_METADATA;
    }

    private static ActionList actionsOf(ByteBuf b, int at, int version, ExperimenterActions hook)
            throws OpenFlowException {
        int ilen = b.getUnsignedShort(at + 2);
        ByteBuf slice = b.slice(at + 8, ilen - 8);
        return ActionCodec.decode(slice, ilen - 8, version, hook);
    }

    /**
     * OVS {@code ofpacts_verify()}: once an apply-actions list holds a conjunction, the flow may hold nothing but
     * conjunctions and notes, no other action and no other instruction (NXBAC_BAD_CONJUNCTION). A conjunction in an
     * action set never gets here: {@link #isAllowedInActionSet} refuses it first, as OVS does.
     */
    static void checkConjunctionsAlone(List<Instruction> list) throws OpenFlowException {
        boolean conj = false;
        for (Instruction i : list) {
            if (i instanceof Instruction.ApplyActions ap) {
                for (Action a : ap.actions().actions()) {
                    conj |= a instanceof Action.Conjunction;
                }
            }
        }
        if (!conj) {
            return;
        }
        for (Instruction i : list) {
            if (!(i instanceof Instruction.ApplyActions ap)) {
                throw new OpenFlowException(ErrorCode.NXBAC_BAD_CONJUNCTION, "conjunction with instruction " + i);
            }
            for (Action a : ap.actions().actions()) {
                if (!(a instanceof Action.Conjunction) && !(a instanceof Action.Note)) {
                    throw new OpenFlowException(ErrorCode.NXBAC_BAD_CONJUNCTION, "conjunction with action " + a);
                }
            }
        }
    }

    /**
     * {@link #checkConjunctionsAlone(List)} for a bare action list (a PACKET_OUT's): a conjunction may come with notes
     * only. OVS refuses the mix in a packet-out too (checked against ovs-vswitchd 3.1), though a lone conjunction
     * there does nothing.
     */
    static void checkConjunctionsAlone(ActionList actions) throws OpenFlowException {
        checkConjunctionsAlone(List.of(new Instruction.ApplyActions(actions)));
    }

    /**
     * As OVS {@code ofpact_is_allowed_in_actions_set()}: header rewrites, push/pop, TTL decrements, set_queue,
     * set_field/load/move and the final output, group, resubmit and conntrack actions.
     */
    static boolean isAllowedInActionSet(Action a) {
        return a instanceof Action.Output || a instanceof Action.Group || a instanceof Action.SetQueue
                || a instanceof Action.SetField || a instanceof Action.RegLoad || a instanceof Action.RegLoad2
                || a instanceof Action.Move || a instanceof Action.PushVlan || a instanceof Action.PopVlan
                || a instanceof Action.PushMpls || a instanceof Action.PopMpls || a instanceof Action.DecTtl
                || a instanceof Action.SetNwTtl || a instanceof Action.SetMplsTtl || a instanceof Action.DecMplsTtl
                || a instanceof Action.SetLegacy || a instanceof Action.SetTunnel || a instanceof Action.Resubmit
                || a instanceof Action.Opaque;
    }

    /** Encodes instructions (or, for {@link Instructions#isActionsOnly()}, the action list) for {@code version}. */
    public static int encode(ByteBuf out, Instructions ins, int version) {
        return encodeInstructions(out, ins, version);
    }

    private static int encodeInstructions(ByteBuf out, Instructions ins, int version) {
        int start = out.writerIndex();
        if (ins.isActionsOnly()) {
            ActionCodec.encode(out, ins.applyActions(), version);
            return out.writerIndex() - start;
        }
        for (Instruction i : ins.list()) {
            int s = out.writerIndex();
            if (i instanceof Instruction.GotoTable) {
                out.writeShort(1).writeShort(8).writeByte(((Instruction.GotoTable) i).tableId()).writeZero(3);
            } else if (i instanceof Instruction.WriteMetadata) {
                Instruction.WriteMetadata w = (Instruction.WriteMetadata) i;
                out.writeShort(2).writeShort(24).writeZero(4).writeLong(w.metadata()).writeLong(w.mask());
            } else if (i instanceof Instruction.WriteActions || i instanceof Instruction.ApplyActions) {
                boolean write = i instanceof Instruction.WriteActions;
                ActionList al = write ? ((Instruction.WriteActions) i).actions()
                        : ((Instruction.ApplyActions) i).actions();
                out.writeShort(write ? 3 : 4).writeShort(0).writeZero(4);
                ActionCodec.encode(out, al.actions(), version);
                out.setShort(s + 2, out.writerIndex() - s);
            } else if (i instanceof Instruction.ClearActions) {
                out.writeShort(5).writeShort(8).writeZero(4);
            } else if (i instanceof Instruction.Meter) {
                out.writeShort(6).writeShort(8).writeInt((int) ((Instruction.Meter) i).meterId());
            }
        }
        return out.writerIndex() - start;
    }
}
