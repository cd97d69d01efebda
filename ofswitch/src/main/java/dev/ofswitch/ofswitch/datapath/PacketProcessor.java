package dev.ofswitch.ofswitch.datapath;

/** Runs one packet through the switch. Called on a datapath thread; implementations keep per-thread scratch. */
public interface PacketProcessor {
    /**
     * Processes a frame that arrived on OpenFlow port {@code inPort}. The frame buffer belongs to the processor for
     * the duration of the call.
     *
     * @param worker index of the calling datapath thread (for per-thread scratch)
     */
    void process(int worker, int inPort, byte[] frame, int len);

    /** Processes a PACKET_OUT: {@code program} is the decoded action list, {@code inPort} its in_port. */
    default void packetOut(int worker, int inPort, byte[] frame, int len, Object program) {
        throw new UnsupportedOperationException("packet-out");
    }
}
