package dev.ofswitch.ofswitch.pipeline;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.time.SwitchClock;
import dev.ofswitch.ofswitch.port.Port;
import dev.ofswitch.ofswitch.table.FlowTables;

/** What the pipeline needs from its switch. Implementations are thread-safe. */
public interface PipelineHost {
    SwitchClock clock();

    ConnTracker conntrack();

    FlowTables flowTables();

    GroupTable groups();

    /** The port with OVS 16-bit number {@code ofp10Port} (0xfffe is LOCAL), or null. */
    Port port(int ofp10Port);

    /** Every port, LOCAL included, in port-number order. */
    Iterable<Port> ports();

    /**
     * Sends a packet-in to every connection that wants it.
     *
     * @param reason       OFPR_* (0 no match / table miss, 1 action, 2 invalid TTL)
     * @param missRule     true when no flow matched and the implicit miss rule sends it (OpenFlow 1.0 connections
     *                     only, as OVS)
     * @param controllerId 0 for the default, else only connections with that controller id
     */
    void packetIn(PacketContext ctx, int reason, boolean missRule, int tableId, long cookie, int maxLen,
                  int controllerId, byte[] userdata);

    /** The switch's MAC-learning table for the NORMAL action. */
    MacTable macTable();
}
