package dev.ofswitch.lab.host;

import java.net.Inet4Address;

/**
 * Receives what arrives for a bound UDP port.
 *
 * <h2>Thread-safety</h2> Called on the host's scheduler thread; must not block. Replying with
 * {@link UdpSocket#send} from here is fine.
 */
@FunctionalInterface
public interface UdpHandler {
    /**
     * A datagram arrived.
     *
     * @param socket  the socket it arrived on
     * @param src     its source address
     * @param srcPort its source port
     * @param payload the UDP payload, owned by the handler
     */
    void onDatagram(UdpSocket socket, Inet4Address src, int srcPort, byte[] payload);

    /**
     * An ICMP error reported a datagram this socket sent undeliverable: {@link SocketError#ECONNREFUSED} for a port
     * unreachable, {@link SocketError#EHOSTUNREACH} for a host unreachable or a failed ARP resolution, as Linux
     * reports them with {@code IP_RECVERR}. Ignored by default.
     *
     * @param socket  the sending socket
     * @param dst     the destination of the failed datagram
     * @param dstPort its destination port
     * @param error   what the ICMP error means
     */
    default void onError(UdpSocket socket, Inet4Address dst, int dstPort, SocketError error) {
    }
}
