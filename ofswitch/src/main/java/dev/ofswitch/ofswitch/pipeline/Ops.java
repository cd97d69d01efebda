package dev.ofswitch.ofswitch.pipeline;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;

/**
 * Compiled actions: what a flow's action list becomes when it is installed. Each op knows how to run itself on a
 * {@link PacketContext}, and which slot of the action set it takes when written there. Ops are immutable and shared by
 * every packet that hits the flow.
 */
final class Ops {
    private Ops() {
    }

    /** One compiled action. */
    abstract static class Op {
        /** Runs the action; sets {@code ctx.stopped} to end processing. */
        abstract void run(Pipeline pl, PacketContext ctx);

        /** The action-set kind (see {@link ActionSet}). */
        int setKind() {
            return ActionSet.OTHER;
        }

        /** For set-field ops, the field's ordinal (one per field in the action set). */
        int setField() {
            return -1;
        }
    }

    /** output:PORT (OVS 16-bit numbering, reserved ports included). */
    static final class Output extends Op {
        final int port;
        final int maxLen;

        Output(int port, int maxLen) {
            this.port = port;
            this.maxLen = maxLen;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            pl.output(ctx, port, maxLen);
        }

        @Override
        int setKind() {
            return ActionSet.OUTPUT;
        }
    }

    /** group:ID. */
    static final class Group extends Op {
        final long groupId;

        Group(long groupId) {
            this.groupId = groupId;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            pl.group(ctx, groupId);
        }

        @Override
        int setKind() {
            return ActionSet.GROUP;
        }
    }

    /** set_queue: accepted and ignored (no QoS queues here). */
    static final class SetQueue extends Op {
        @Override
        void run(Pipeline pl, PacketContext ctx) {
        }

        @Override
        int setKind() {
            return ActionSet.QOS;
        }
    }

    /** set_field / reg_load2 / the OpenFlow 1.0 set_* rewrites of a field of at most 64 bits, with a mask. */
    static final class SetField extends Op {
        final MatchField field;
        final long value;
        final long mask;

        SetField(MatchField field, long value, long mask) {
            this.field = field;
            this.value = value & mask;
            this.mask = mask;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            long old = FlowKey.get(ctx.key, field);
            FlowKey.set(ctx.key, field, (old & ~mask) | value);
            PacketEditor.write(ctx, field);
        }

        @Override
        int setKind() {
            return ActionSet.SET;
        }

        @Override
        int setField() {
            return field.ordinal();
        }
    }

    /** set_field of a 128-bit field (IPv6 addresses, nd_target), with a mask. */
    static final class SetWideField extends Op {
        final MatchField field;
        final long hi;
        final long lo;
        final long maskHi;
        final long maskLo;

        SetWideField(MatchField field, long hi, long lo, long maskHi, long maskLo) {
            this.field = field;
            this.hi = hi & maskHi;
            this.lo = lo & maskLo;
            this.maskHi = maskHi;
            this.maskLo = maskLo;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            long h = (FlowKey.getHigh(ctx.key, field) & ~maskHi) | hi;
            long l = (FlowKey.getLow(ctx.key, field) & ~maskLo) | lo;
            PacketEditor.writeWide(ctx, field, h, l);
        }

        @Override
        int setKind() {
            return ActionSet.SET;
        }

        @Override
        int setField() {
            return field.ordinal();
        }
    }

    /** load:VALUE->FIELD[ofs..ofs+n-1] (NXAST_REG_LOAD), for fields of any width. */
    static final class Load extends Op {
        final MatchField field;
        final int ofs;
        final int nBits;
        final long value;

        Load(MatchField field, int ofs, int nBits, long value) {
            this.field = field;
            this.ofs = ofs;
            this.nBits = nBits;
            this.value = value;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            Bits.writeBits(ctx, field, ofs, nBits, value);
        }

        @Override
        int setKind() {
            return ActionSet.SET;
        }

        @Override
        int setField() {
            return field.ordinal();
        }
    }

    /** move:SRC[a..b]->DST[c..d] (NXAST_REG_MOVE, OF1.5 copy_field). */
    static final class Move extends Op {
        final MatchField src;
        final int srcOfs;
        final MatchField dst;
        final int dstOfs;
        final int nBits;

        Move(MatchField src, int srcOfs, MatchField dst, int dstOfs, int nBits) {
            this.src = src;
            this.srcOfs = srcOfs;
            this.dst = dst;
            this.dstOfs = dstOfs;
            this.nBits = nBits;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            int done = 0;
            while (done < nBits) {
                int chunk = Math.min(64, nBits - done);
                long v = Bits.readBits(ctx.key, src, srcOfs + done, chunk);
                Bits.writeBits(ctx, dst, dstOfs + done, chunk, v);
                done += chunk;
            }
        }
    }

    /** push:FIELD[a..b] (NXAST_STACK_PUSH): the value, right-aligned, on the packet's action stack. */
    static final class StackPush extends Op {
        final MatchField field;
        final int ofs;
        final int nBits;

        StackPush(MatchField field, int ofs, int nBits) {
            this.field = field;
            this.ofs = ofs;
            this.nBits = nBits;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            long lo = Bits.readBits(ctx.key, field, ofs, Math.min(64, nBits));
            long hi = nBits > 64 ? Bits.readBits(ctx.key, field, ofs + 64, nBits - 64) : 0;
            ctx.stackPush(hi, lo);
        }
    }

    /**
     * pop:FIELD[a..b] (NXAST_STACK_POP): the low {@code nBits} of the top value into the field. Popping an empty
     * stack is OVS's "stack underflow" translation error: the packet is dropped from there on.
     */
    static final class StackPop extends Op {
        final MatchField field;
        final int ofs;
        final int nBits;

        StackPop(MatchField field, int ofs, int nBits) {
            this.field = field;
            this.ofs = ofs;
            this.nBits = nBits;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            if (ctx.stackDepth == 0) {
                pl.stackUnderflow(ctx);
                return;
            }
            ctx.stackDepth--;
            long lo = ctx.stackLo[ctx.stackDepth];
            long hi = ctx.stackHi[ctx.stackDepth];
            Bits.writeBits(ctx, field, ofs, Math.min(64, nBits), lo);
            if (nBits > 64) {
                Bits.writeBits(ctx, field, ofs + 64, nBits - 64, hi);
            }
        }
    }

    /** push_vlan:TPID. */
    static final class PushVlan extends Op {
        final int tpid;

        PushVlan(int tpid) {
            this.tpid = tpid;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            PacketEditor.pushVlan(ctx, tpid);
        }

        @Override
        int setKind() {
            return ActionSet.PUSH_VLAN;
        }
    }

    /** pop_vlan / strip_vlan. */
    static final class PopVlan extends Op {
        @Override
        void run(Pipeline pl, PacketContext ctx) {
            PacketEditor.popVlan(ctx);
        }

        @Override
        int setKind() {
            return ActionSet.POP;
        }
    }

    /** push_mpls:ETHERTYPE. */
    static final class PushMpls extends Op {
        final int ethertype;

        PushMpls(int ethertype) {
            this.ethertype = ethertype;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            PacketEditor.pushMpls(ctx, ethertype);
        }

        @Override
        int setKind() {
            return ActionSet.PUSH_MPLS;
        }
    }

    /** pop_mpls:ETHERTYPE. */
    static final class PopMpls extends Op {
        final int ethertype;

        PopMpls(int ethertype) {
            this.ethertype = ethertype;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            PacketEditor.popMpls(ctx, ethertype);
        }

        @Override
        int setKind() {
            return ActionSet.POP;
        }
    }

    /**
     * dec_ttl: an IP TTL of 0 or 1 sends a packet-in (invalid TTL) to each controller id (0 for plain dec_ttl, the
     * listed ones for dec_ttl(ID,...)) and ends processing, as OVS.
     */
    static final class DecTtl extends Op {
        /** The controller ids to notify on expiry; compiled once, read per packet. */
        private final int[] controllerIds;

        DecTtl(int[] controllerIds) {
            this.controllerIds = controllerIds.clone();
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            pl.decTtl(ctx, controllerIds);
        }

        @Override
        int setKind() {
            return ActionSet.DEC_TTL;
        }
    }

    /** set_nw_ttl:TTL. */
    static final class SetNwTtl extends Op {
        final int ttl;

        SetNwTtl(int ttl) {
            this.ttl = ttl;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            if (ctx.l3 >= 0) {
                FlowKey.set(ctx.key, MatchField.NW_TTL, ttl);
                PacketEditor.write(ctx, MatchField.NW_TTL);
            }
        }

        @Override
        int setKind() {
            return ActionSet.SET;
        }

        @Override
        int setField() {
            return MatchField.NW_TTL.ordinal();
        }
    }

    /** set_mpls_ttl / dec_mpls_ttl. */
    static final class MplsTtl extends Op {
        final int ttl;
        final boolean decrement;

        MplsTtl(int ttl, boolean decrement) {
            this.ttl = ttl;
            this.decrement = decrement;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            PacketEditor.mplsTtl(ctx, ttl, decrement);
        }

        @Override
        int setKind() {
            return decrement ? ActionSet.DEC_TTL : ActionSet.SET;
        }
    }

    /** resubmit([port],[table]). */
    static final class Resubmit extends Op {
        final int inPort;
        final int table;

        Resubmit(int inPort, int table) {
            this.inPort = inPort;
            this.table = table;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            pl.resubmit(ctx, inPort, table);
        }
    }

    /** controller(max_len, reason, id, userdata): a packet-in. */
    static final class Controller extends Op {
        final int maxLen;
        final int reason;
        final int controllerId;
        final byte[] userdata;

        Controller(int maxLen, int reason, int controllerId, byte[] userdata) {
            this.maxLen = maxLen;
            this.reason = reason;
            this.controllerId = controllerId;
            this.userdata = userdata;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            pl.controller(ctx, maxLen, reason, controllerId, userdata);
        }
    }

    /** set_tunnel / set_tunnel64. */
    static final class SetTunnel extends Op {
        final long tunId;

        SetTunnel(long tunId) {
            this.tunId = tunId;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            FlowKey.set(ctx.key, MatchField.TUN_ID, tunId);
        }

        @Override
        int setKind() {
            return ActionSet.SET;
        }

        @Override
        int setField() {
            return MatchField.TUN_ID.ordinal();
        }
    }

    /** exit: ends action processing. */
    static final class Exit extends Op {
        @Override
        void run(Pipeline pl, PacketContext ctx) {
            ctx.stopped = true;
        }
    }

    /** output:FIELD[a..b]. */
    static final class OutputReg extends Op {
        final MatchField src;
        final int ofs;
        final int nBits;
        final int maxLen;

        OutputReg(MatchField src, int ofs, int nBits, int maxLen) {
            this.src = src;
            this.ofs = ofs;
            this.nBits = nBits;
            this.maxLen = maxLen;
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            long port = Bits.readBits(ctx.key, src, ofs, nBits);
            pl.output(ctx, (int) Math.min(port, 0xffff), maxLen);
        }

        @Override
        int setKind() {
            return ActionSet.OUTPUT;
        }
    }

    /** ct(...): see {@link dev.ofswitch.ctactions.CtAction} for the semantics. */
    static final class Ct extends Op {
        final dev.ofswitch.ctactions.CtAction action;
        /** The engine parameters when the exec writes are constants, else null (resolved per packet). */
        final dev.ofswitch.conntrack.CtParams params;
        final MatchField zoneField;

        Ct(dev.ofswitch.ctactions.CtAction action) {
            this.action = action;
            this.params = action.hasDynamicExec() ? null : action.staticParams();
            this.zoneField = (MatchField) action.zoneSource();
        }

        @Override
        void run(Pipeline pl, PacketContext ctx) {
            pl.conntrack(ctx, this);
        }
    }

    /** ct_clear: untracked again, every ct field zero, no cached connection. */
    static final class CtClear extends Op {
        @Override
        void run(Pipeline pl, PacketContext ctx) {
            ctx.ct.clear();
            CtKeys.clear(ctx.key);
        }
    }

    /** An action the datapath need not do anything for (note, meter, pop_queue). */
    static final class Nop extends Op {
        @Override
        void run(Pipeline pl, PacketContext ctx) {
        }
    }
}
