package dev.ofswitch.lab.host;

/** The states of a TCP connection (RFC 9293 §3.3.2). */
public enum TcpState {
    CLOSED,
    LISTEN,
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT;

    /** Whether a SYN has been exchanged both ways, so that sequence numbers are known on both sides. */
    public boolean synchronizedState() {
        return compareTo(ESTABLISHED) >= 0;
    }
}
