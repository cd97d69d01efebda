package dev.ofswitch.lab.controller;

/**
 * What a controller running inside the lab does when switches talk to it. Called on the connection's event loop: do
 * not block.
 */
public interface ControllerApp {
    /**
     * A switch finished the OpenFlow handshake. Send its flows with {@link SwitchHandle#send}; the controller follows
     * them with a barrier, and the switch counts as ready when the barrier's reply arrives.
     */
    void switchConnected(SwitchHandle sw);

    /** A PACKET_IN (the whole message as received). */
    default void packetIn(SwitchHandle sw, byte[] message) {
    }
}
