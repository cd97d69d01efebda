package dev.ofswitch.ofswitch;

import dev.ofswitch.ofswitch.datapath.PacketProcessor;
import dev.ofswitch.ofswitch.port.Port;

/**
 * The OpenFlow pipeline run by datapath threads. (Flow tables are wired in by the flow-table work; until then every
 * packet is a table miss and is dropped, as an empty OF1.3 table does.)
 */
final class Pipeline implements PacketProcessor {
    private final OfSwitch sw;

    Pipeline(OfSwitch sw) {
        this.sw = sw;
    }

    @Override
    public void process(int worker, int inPort, byte[] frame, int len) {
        Port in = sw.port(inPort);
        if (in == null) {
            return;
        }
        in.received(frame, 0, len, sw.clock().nanoTime() / 1000);
    }
}
