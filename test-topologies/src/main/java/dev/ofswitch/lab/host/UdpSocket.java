package dev.ofswitch.lab.host;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A bound UDP port of an {@link EmulatedHost} ({@link EmulatedHost#bind}).
 *
 * <h2>Thread-safety</h2> Methods may be called from any thread; they run on the host's scheduler thread.
 */
public interface UdpSocket {
    /** The bound port. */
    int localPort();

    /**
     * Sends one datagram from this socket's port.
     *
     * @return completes when the datagram is on the link (after ARP resolution); fails with
     *     {@link SocketError#ENETUNREACH}, {@link SocketError#EHOSTUNREACH} or {@link SocketError#EMSGSIZE}
     */
    CompletableFuture<Void> send(InetAddress dst, int dstPort, byte[] payload);

    /** Unbinds the port; later datagrams to it are answered with port unreachable. */
    CompletableFuture<Void> close();
}
