package dev.ofswitch.ofswitch.channel;

/**
 * What the channel hands to the switch. Called on the connection's event loop; implementations pass the work on to
 * their control thread and return at once.
 */
public interface OpenFlowDispatcher {
    /** HELLO negotiation finished: {@code conn.version()} is set. */
    void connected(OfConnection conn);

    /**
     * A message after the handshake (everything but HELLO and ECHO, which the channel answers itself). The dispatcher
     * owns {@code msg} and must release it.
     */
    void received(OfConnection conn, RawMessage msg);

    /** The connection is gone. */
    void disconnected(OfConnection conn);
}
