package dev.ofswitch.ofswitch.pipeline;

import java.util.Arrays;

/**
 * The OpenFlow 1.1+ action set (OF1.3.5 §5.10): at most one action of each kind, executed at the end of the pipeline
 * in the specification's order: pop, push-MPLS, push-VLAN, decrement TTL, set-field (one per field), set-queue,
 * group, output (output is ignored when a group is set).
 *
 * <h2>Thread-safety</h2> Part of a {@link PacketContext}; confined to its thread.
 */
final class ActionSet {
    static final int POP = 0;
    static final int PUSH_MPLS = 1;
    static final int PUSH_VLAN = 2;
    static final int DEC_TTL = 3;
    static final int SET = 4;
    static final int QOS = 5;
    static final int GROUP = 6;
    static final int OUTPUT = 7;
    static final int OTHER = 8;
    static final int KINDS = 9;

    private final Ops.Op[] slots = new Ops.Op[KINDS];
    /** set-field actions, one per field: the field's ordinal → op. */
    private Ops.Op[] sets = new Ops.Op[0];
    private int setCount;
    private boolean empty = true;

    void clear() {
        if (!empty) {
            Arrays.fill(slots, null);
            Arrays.fill(sets, 0, setCount, null);
            setCount = 0;
            empty = true;
        }
    }

    void copyFrom(ActionSet o) {
        clear();
        if (!o.empty) {
            System.arraycopy(o.slots, 0, slots, 0, KINDS);
            if (sets.length < o.setCount) {
                sets = new Ops.Op[o.sets.length];
            }
            System.arraycopy(o.sets, 0, sets, 0, o.setCount);
            setCount = o.setCount;
            empty = false;
        }
    }

    /** Write-Actions: merges {@code ops} into the set; a later action replaces one of the same kind (or field). */
    void write(Ops.Op[] ops) {
        for (Ops.Op op : ops) {
            int kind = op.setKind();
            empty = false;
            if (kind == SET) {
                int f = op.setField();
                boolean replaced = false;
                for (int i = 0; i < setCount; i++) {
                    if (sets[i].setField() == f) {
                        sets[i] = op;
                        replaced = true;
                        break;
                    }
                }
                if (!replaced) {
                    if (setCount == sets.length) {
                        sets = Arrays.copyOf(sets, Math.max(4, sets.length * 2));
                    }
                    sets[setCount++] = op;
                }
            } else {
                slots[kind] = op;
            }
        }
    }

    boolean isEmpty() {
        return empty;
    }

    /** Executes the set in specification order. */
    void execute(Pipeline pl, PacketContext ctx) {
        if (empty) {
            return;
        }
        run(pl, ctx, slots[POP]);
        run(pl, ctx, slots[PUSH_MPLS]);
        run(pl, ctx, slots[PUSH_VLAN]);
        run(pl, ctx, slots[DEC_TTL]);
        for (int i = 0; i < setCount && !ctx.stopped; i++) {
            sets[i].run(pl, ctx);
        }
        run(pl, ctx, slots[OTHER]);
        run(pl, ctx, slots[QOS]);
        if (slots[GROUP] != null) {
            run(pl, ctx, slots[GROUP]);
        } else {
            run(pl, ctx, slots[OUTPUT]);
        }
    }

    private static void run(Pipeline pl, PacketContext ctx, Ops.Op op) {
        if (op != null && !ctx.stopped) {
            op.run(pl, ctx);
        }
    }
}
