package dev.ofswitch.lab.host;

/**
 * The one error vocabulary of the emulated stack, named after the errno a Linux socket would report. Futures fail
 * with a {@link HostNetworkException} carrying one; UDP error callbacks receive one.
 */
public enum SocketError {
    /** No route: the destination is off-link and the host has no gateway. */
    ENETUNREACH("Network is unreachable"),
    /** ARP resolution of the next hop failed, or an ICMP host-unreachable arrived. */
    EHOSTUNREACH("No route to host"),
    /** A RST answered the SYN, or an ICMP port-unreachable arrived. */
    ECONNREFUSED("Connection refused"),
    /** The peer reset an established connection. */
    ECONNRESET("Connection reset by peer"),
    /** Retransmissions ran out ({@code tcp_syn_retries} or {@code tcp_retries2}). */
    ETIMEDOUT("Connection timed out"),
    /** This side aborted the connection ({@link TcpConnection#abort()}). */
    ECONNABORTED("Software caused connection abort"),
    /** The port is taken. */
    EADDRINUSE("Address already in use"),
    /** No free ephemeral port. */
    EADDRNOTAVAIL("Cannot assign requested address"),
    /** Write after close, or an operation on a closed socket. */
    EPIPE("Broken pipe"),
    /** A UDP payload larger than the MTU allows (fragmentation is not supported). */
    EMSGSIZE("Message too long"),
    /** The host was stopped. */
    ENETDOWN("Network is down");

    private final String message;

    SocketError(String message) {
        this.message = message;
    }

    /** The {@code strerror()} text. */
    public String message() {
        return message;
    }
}
