package dev.ofswitch.ctactions;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;

/**
 * Runs one {@code ct()} on a packet: the datapath half of OVS's {@code compose_conntrack_action()}, i.e. the
 * {@code OVS_ACTION_ATTR_CT} that {@code conntrack_execute()} carries out. The pipeline decides the zone (immediate or
 * from a field), applies the view rules (untracked for the rest of the pass; a recirculated copy for
 * {@code table=N}) and updates its flow key from the metadata; this class owns the engine call.
 *
 * <p>Stateless; called on datapath threads.
 */
public final class CtExecutor {
    private CtExecutor() {
    }

    /**
     * Tracks the packet {@code frame[0, len)} in {@code zone} with {@code params} (the action's commit/force/exec
     * already resolved for this packet), updating the packet's conntrack metadata {@code md}.
     */
    public static void execute(ConnTracker tracker, CtAction action, CtParams params, int zone, byte[] frame, int len,
                               CtMetadata md, long nowNanos) {
        tracker.execute(frame, 0, len, zone, params, md, nowNanos);
    }
}
