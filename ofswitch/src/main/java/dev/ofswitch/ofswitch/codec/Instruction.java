package dev.ofswitch.ofswitch.codec;

import dev.ofswitch.ofswitch.codec.Action.ActionList;

/**
 * An OpenFlow 1.1+ instruction ({@code ofp_instruction}: type u16, len u16, body; lengths are multiples of 8).
 */
public sealed interface Instruction {
    /** {@code OFPIT_GOTO_TABLE} (1): table_id u8, pad[3]. 8 bytes. */
    record GotoTable(int tableId) implements Instruction { }

    /** {@code OFPIT_WRITE_METADATA} (2): pad[4], metadata u64, metadata_mask u64. 24 bytes. */
    record WriteMetadata(long metadata, long mask) implements Instruction { }

    /** {@code OFPIT_WRITE_ACTIONS} (3): pad[4], then actions for the action set. */
    record WriteActions(ActionList actions) implements Instruction { }

    /** {@code OFPIT_APPLY_ACTIONS} (4): pad[4], then actions applied now. */
    record ApplyActions(ActionList actions) implements Instruction { }

    /** {@code OFPIT_CLEAR_ACTIONS} (5): pad[4]. 8 bytes. */
    record ClearActions() implements Instruction { }

    /** {@code OFPIT_METER} (6, OpenFlow 1.3+): meter_id u32. 8 bytes. */
    record Meter(long meterId) implements Instruction { }
}
