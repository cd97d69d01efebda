package dev.ofswitch.ofswitch.pipeline;

/**
 * A flow's instructions compiled for the datapath: apply-actions ops, clear-actions, write-actions ops, the metadata
 * write and the goto table, run in the order OF1.3.5 §5.9 gives. Immutable, shared by all packets.
 */
final class Program {
    static final Ops.Op[] NONE = new Ops.Op[0];

    final Ops.Op[] apply;
    final boolean clearActions;
    /** Write-actions ops, or null. */
    final Ops.Op[] write;
    final boolean writeMetadata;
    final long metadata;
    final long metadataMask;
    /** goto_table target, or -1. */
    final int gotoTable;

    Program(Ops.Op[] apply, boolean clearActions, Ops.Op[] write, boolean writeMetadata, long metadata,
            long metadataMask, int gotoTable) {
        this.apply = apply;
        this.clearActions = clearActions;
        this.write = write;
        this.writeMetadata = writeMetadata;
        this.metadata = metadata & metadataMask;
        this.metadataMask = metadataMask;
        this.gotoTable = gotoTable;
    }
}
