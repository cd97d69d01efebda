package dev.ofswitch.lab.host;

/**
 * Push-mode receiver of a {@link TcpConnection}: set one with {@link TcpConnection#setHandler} and data goes to it as
 * soon as it is in order, so the receive window stays open. Without a handler, data waits in the receive buffer for
 * {@link TcpConnection#read()} and the window closes as the buffer fills, as with a socket nobody reads.
 *
 * <h2>Thread-safety</h2> Called on the host's scheduler thread; must not block. Writing from here is fine.
 */
public interface TcpHandler {
    /** In-order data arrived; the array belongs to the handler. */
    default void onData(TcpConnection connection, byte[] data) {
    }

    /** The peer sent FIN: no more data will arrive. The connection may still be written to until closed. */
    default void onEof(TcpConnection connection) {
    }

    /**
     * The connection is finished.
     *
     * @param error null after an orderly close, else why it ended ({@link SocketError#ECONNRESET},
     *     {@link SocketError#ETIMEDOUT}, ...)
     */
    default void onClosed(TcpConnection connection, SocketError error) {
    }
}
