package dev.ofswitch.lab.cli;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.ofctl.FlowPrinter;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * A switch's flow table as {@code ovs-ofctl -O OpenFlow13 dump-flows} prints it, made in-process: the switch's own
 * flow stats reply to the request ovs-ofctl sends (xid 2, as ovs-ofctl numbers it), printed by {@link FlowPrinter}.
 * No Open vSwitch needed.
 */
final class FlowDump {
    /** The xid ovs-ofctl -O OpenFlow13 dump-flows gives its request (after HELLO), so the header reads the same. */
    private static final int OFCTL_XID = 2;

    private FlowDump() {
    }

    static String dump(Lab lab, String sw) {
        List<ByteBuf> replies = lab.switchNode(sw).flowStats(FlowStats.Request.all(OfVersion.OF13, OFCTL_XID));
        try {
            return FlowPrinter.dumpFlows(replies, FlowPrinter.Options.DEFAULT);
        } catch (OpenFlowException e) {
            // The switch's own replies always decode; if one ever does not, say so instead of failing the console.
            return "dump-flows " + sw + ": cannot print the flow stats reply: " + e.getMessage() + "\n";
        } finally {
            replies.forEach(ByteBuf::release);
        }
    }
}
