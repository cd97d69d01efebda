package dev.ofswitch.conntrack.tcp;

/**
 * The per-peer TCP states, in OVS's order ({@code CT_DPIF_TCPS_*}, which is pf's {@code TCPS_*}). The order matters:
 * the tracker compares states with {@code <} and {@code >=}.
 */
public final class TcpState {
    public static final byte CLOSED = 0;
    public static final byte LISTEN = 1;
    public static final byte SYN_SENT = 2;
    public static final byte SYN_RECV = 3;
    public static final byte ESTABLISHED = 4;
    public static final byte CLOSE_WAIT = 5;
    public static final byte FIN_WAIT_1 = 6;
    public static final byte CLOSING = 7;
    public static final byte LAST_ACK = 8;
    public static final byte FIN_WAIT_2 = 9;
    public static final byte TIME_WAIT = 10;

    private static final String[] NAMES = {
        "CLOSED", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT_1", "CLOSING",
        "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT",
    };

    private TcpState() {
    }

    /** The name {@code dpctl/dump-conntrack} prints for {@code state}. */
    public static String name(int state) {
        return state >= 0 && state < NAMES.length ? NAMES[state] : "UNKNOWN";
    }

    /**
     * The state {@code dpctl/dump-conntrack} prints without {@code -m}: the larger of the two, with FIN_WAIT_2 shown as
     * TIME_WAIT and SYN_RECV as ESTABLISHED (OVS {@code coalesce_tcp_state()}, to look like the kernel's tracker).
     */
    public static String coalescedName(int stateOrig, int stateReply) {
        int s = Math.max(stateOrig, stateReply);
        if (s == FIN_WAIT_2) {
            s = TIME_WAIT;
        } else if (s == SYN_RECV) {
            s = ESTABLISHED;
        }
        return name(s);
    }
}
