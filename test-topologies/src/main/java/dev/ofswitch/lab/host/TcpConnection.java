package dev.ofswitch.lab.host;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One TCP connection of an {@link EmulatedHost}, from {@link EmulatedHost#connect} or a listener's accept handler.
 *
 * <pre>{@code
 * h2.listen(5001, conn -> conn.setHandler(new TcpHandler() {
 *     public void onData(TcpConnection c, byte[] data) { c.write(data); }      // echo
 *     public void onEof(TcpConnection c) { c.close(); }
 * }));
 * TcpConnection c = h1.connect(h2.ip(), 5001).join();                        // after the scheduler ran it
 * c.write(bytes);                                                            // completes when acknowledged
 * }</pre>
 *
 * <h2>Thread-safety</h2> Methods may be called from any thread; each runs on the host's scheduler thread and
 * answers with a future completed there. Dependent actions registered on those futures run on the scheduler thread
 * too (use the {@code *Async} variants to leave it).
 */
public interface TcpConnection {
    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    /** The state at the time of the call (read without synchronization; it may change right after). */
    TcpState state();

    /** Counters of this connection, readable from any thread. */
    TcpStats stats();

    /**
     * Queues {@code data} for sending. Writes never block and the send queue is unbounded; pace yourself on the
     * futures.
     *
     * @return completes when the peer has acknowledged the last byte of this write; fails with
     *     {@link SocketError#EPIPE} after {@link #close()}, or with the error that ended the connection
     */
    CompletableFuture<Void> write(byte[] data);

    /**
     * Takes what is in the receive buffer, waiting if it is empty. Opens the receive window by what it takes.
     *
     * @return the buffered bytes (at least one), an empty array at end of stream, or the error that ended the
     *     connection
     */
    CompletableFuture<byte[]> read();

    /**
     * Switches to push mode: buffered data, and then all data, goes to {@code handler}. Pending {@link #read()}s
     * keep their place. Null returns to pull mode.
     */
    CompletableFuture<Void> setHandler(TcpHandler handler);

    /**
     * Closes this direction: a FIN follows the queued data. Reading continues until the peer's FIN.
     *
     * @return completes when the FIN is acknowledged
     */
    CompletableFuture<Void> close();

    /** Resets the connection: a RST is sent, queued data is dropped, and everything pending fails. */
    CompletableFuture<Void> abort();

    /**
     * Completes when the connection is finished: normally once both FINs are acknowledged (this side may still sit in
     * TIME_WAIT), or with a {@link HostNetworkException} if it was reset, timed out or aborted.
     */
    CompletableFuture<Void> closeFuture();
}
