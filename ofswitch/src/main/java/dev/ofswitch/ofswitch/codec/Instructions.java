package dev.ofswitch.ofswitch.codec;

import dev.ofswitch.ofswitch.codec.Action.ActionList;
import java.util.List;

/**
 * A flow's instructions in wire order together with the bytes as received (echoed in flow stats; for an OpenFlow 1.1+
 * apply-actions that ended with an {@code NXAST_WRITE_METADATA}, the standard instructions OVS sends back instead).
 *
 * <p>OpenFlow 1.0 has no instructions: its action list is held as {@link #isActionsOnly() actions only}, one
 * {@link Instruction.ApplyActions} whose raw bytes are the action list itself. An empty list ({@code actions=drop})
 * has no instructions at all. Immutable.
 */
public final class Instructions {
    private final List<Instruction> list;
    private final byte[] raw;
    private final boolean actionsOnly;
    private final int version;

    Instructions(List<Instruction> list, byte[] raw, boolean actionsOnly, int version) {
        this.list = List.copyOf(list);
        this.raw = raw;
        this.actionsOnly = actionsOnly;
        this.version = version;
    }

    /** OpenFlow 1.1+ instructions built by hand (encoders, tests); raw bytes are encoded for {@code version}. */
    public static Instructions of(int version, List<Instruction> list) {
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
        Instructions tmp = new Instructions(list, new byte[0], false, version);
        InstructionCodec.encode(b, tmp, version);
        byte[] raw = new byte[b.readableBytes()];
        b.readBytes(raw);
        return new Instructions(list, raw, false, version);
    }

    /** The wire version {@link #raw()} is in ({@link OfVersion}), or 0 if unknown. */
    public int version() {
        return version;
    }

    /** The instructions, in wire order. */
    public List<Instruction> list() {
        return list;
    }

    /** A copy of the bytes as received (OpenFlow 1.0: the action list). */
    public byte[] raw() {
        return raw.clone();
    }

    /** Length of {@link #raw()}. */
    public int rawLength() {
        return raw.length;
    }

    /** Whether this is an OpenFlow 1.0 action list rather than instructions. */
    public boolean isActionsOnly() {
        return actionsOnly;
    }

    /** The apply-actions list (OpenFlow 1.0: the action list), or an empty list. */
    public List<Action> applyActions() {
        for (Instruction i : list) {
            if (i instanceof Instruction.ApplyActions) {
                return ((Instruction.ApplyActions) i).actions().actions();
            }
        }
        return List.of();
    }

    /**
     * The clauses this flow stands for when its actions are conjunctions ({@link Action.Conjunction#packed()}, in
     * action order), or null for an ordinary flow. The decoder has already refused conjunctions mixed with other
     * actions, so a flow with any conjunction is a clause.
     */
    public long[] conjunctions() {
        List<Action> apply = applyActions();
        int n = 0;
        for (Action a : apply) {
            if (a instanceof Action.Conjunction) {
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        long[] out = new long[n];
        int i = 0;
        for (Action a : apply) {
            if (a instanceof Action.Conjunction c) {
                out[i++] = c.packed();
            }
        }
        return out;
    }

    /** The write-actions list, or null if there is no such instruction. */
    public ActionList writeActions() {
        for (Instruction i : list) {
            if (i instanceof Instruction.WriteActions) {
                return ((Instruction.WriteActions) i).actions();
            }
        }
        return null;
    }

    /** The goto_table target, or -1. */
    public int gotoTable() {
        for (Instruction i : list) {
            if (i instanceof Instruction.GotoTable) {
                return ((Instruction.GotoTable) i).tableId();
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instructions && ((Instructions) o).list.equals(list)
                && ((Instructions) o).actionsOnly == actionsOnly;
    }

    @Override
    public int hashCode() {
        return list.hashCode();
    }

    @Override
    public String toString() {
        return list.toString();
    }
}
