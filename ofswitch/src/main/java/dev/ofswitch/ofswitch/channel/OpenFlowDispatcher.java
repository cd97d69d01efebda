package dev.ofswitch.ofswitch.channel;

/**
 * What the channel hands to the switch. Called on the connection's event loop; implementations pass the work on to
 * their control thread and return at once.
 */
public interface OpenFlowDispatcher {
    /** HELLO negotiation finished: {@code conn.version()} is set. */
    void connected(OfConnection conn);

    /**
     * Requests (every message after the handshake but HELLO and ECHO, which the channel answers itself) wait in
     * {@code conn}'s inbox, and the caller claimed their drain for the dispatcher: take them in order with
     * {@link OfConnection#pollRequest()} while {@link OfConnection#mayProcess()}, and finish with
     * {@link OfConnection#endDrain()}. The dispatcher owns and releases each message it takes.
     */
    void requestsWaiting(OfConnection conn);

    /** The connection is gone (requests still in its inbox may follow; they were sent before it closed). */
    void disconnected(OfConnection conn);
}
