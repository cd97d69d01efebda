package dev.ofswitch.conntrack.tcp;

/**
 * One end of a tracked TCP connection, pf's {@code struct tcp_peer}.
 *
 * <h2>Thread-safety</h2> Guarded by the lock of the bucket that owns the connection; never shared otherwise.
 */
public final class TcpPeer {
    /** {@link #wscale} flag: this peer sent a window-scale option (pf {@code PF_WSCALE_FLAG}). */
    static final int WSCALE_FLAG = 0x80;
    /** {@link #wscale} flag: the connection was picked up mid-stream, the scale is unknown. */
    static final int WSCALE_UNKNOWN = 0x40;
    /** {@link #wscale} bits holding the shift count. */
    static final int WSCALE_MASK = 0x0f;

    /** Highest sequence number sent (u32 arithmetic). */
    int seqlo;
    /** Highest sequence number the other end acknowledged plus its window (u32 arithmetic). */
    int seqhi;
    /** Largest window seen, before scaling; a u16 as in pf (shifts truncate to 16 bits). */
    int maxWin;
    /** Window scale: shift in the low 4 bits, plus {@link #WSCALE_FLAG} / {@link #WSCALE_UNKNOWN}. */
    int wscale;
    /** One of {@link TcpState}. */
    byte state;

    /** The peer's {@link TcpState}. */
    public int state() {
        return state;
    }

    /** The window-scale shift this peer announced (0 if none). */
    public int windowScale() {
        return wscale & WSCALE_MASK;
    }

    /** {@code CT_DPIF_TCPF_*} flags for the dump: WINDOW_SCALE (1) if it sent the option, BE_LIBERAL (8) if mid-stream. */
    public int protoinfoFlags() {
        int f = 0;
        if ((wscale & WSCALE_FLAG) != 0) {
            f |= TcpTracker.FLAG_WINDOW_SCALE;
        }
        if ((wscale & WSCALE_UNKNOWN) != 0) {
            f |= TcpTracker.FLAG_BE_LIBERAL;
        }
        return f;
    }
}
