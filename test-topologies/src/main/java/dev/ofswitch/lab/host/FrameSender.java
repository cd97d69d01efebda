package dev.ofswitch.lab.host;

/**
 * A host's NIC: puts one Ethernet frame on the host's link. The runtime implements it and decides what the link
 * does with the frame: deliver it, possibly after a delay, drop it for loss, or lose it because the link is down.
 * The host never learns which.
 *
 * <h2>Thread-safety</h2> Called only on the host's scheduler thread. The host hands over the array and never touches
 * it again, so the implementation may keep it without copying.
 */
@FunctionalInterface
public interface FrameSender {
    /**
     * Transmits one frame.
     *
     * @param frame a complete Ethernet II frame without FCS, at least 60 bytes (padded)
     */
    void send(byte[] frame);
}
