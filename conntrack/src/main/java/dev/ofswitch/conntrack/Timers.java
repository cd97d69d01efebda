package dev.ofswitch.conntrack;

import dev.ofswitch.conntrack.tcp.TcpTracker;

/**
 * The userspace connection timers (OVS's {@code CT_TM_*}) and the policy key each one reads
 * ({@code tm_to_ct_dpif_tp[]} in OVS {@code lib/conntrack-tp.c}). A tracker asks for a timer; the connection's policy
 * turns it into a timeout and an expiry-list class.
 */
final class Timers {
    static final int TCP_FIRST_PACKET = TcpTracker.TM_FIRST_PACKET;
    static final int TCP_OPENING = TcpTracker.TM_OPENING;
    static final int TCP_ESTABLISHED = TcpTracker.TM_ESTABLISHED;
    static final int TCP_CLOSING = TcpTracker.TM_CLOSING;
    static final int TCP_FIN_WAIT = TcpTracker.TM_FIN_WAIT;
    static final int TCP_CLOSED = TcpTracker.TM_CLOSED;
    static final int OTHER_FIRST = 6;
    static final int OTHER_MULTIPLE = 7;
    static final int OTHER_BIDIR = 8;
    static final int ICMP_FIRST = 9;
    static final int ICMP_REPLY = 10;
    static final int COUNT = 11;

    /** The policy key of each timer. Note the crossing: OTHER_MULTIPLE reads udp_single, OTHER_BIDIR udp_multiple. */
    static final TimeoutKey[] KEY = {
        TimeoutKey.TCP_SYN_SENT,
        TimeoutKey.TCP_SYN_RECV,
        TimeoutKey.TCP_ESTABLISHED,
        TimeoutKey.TCP_FIN_WAIT,
        TimeoutKey.TCP_TIME_WAIT,
        TimeoutKey.TCP_CLOSE,
        TimeoutKey.UDP_FIRST,
        TimeoutKey.UDP_SINGLE,
        TimeoutKey.UDP_MULTIPLE,
        TimeoutKey.ICMP_FIRST,
        TimeoutKey.ICMP_REPLY,
    };

    private Timers() {
    }

    /** OVS keeps conntrack time in milliseconds ({@code time_msec()}); so do expirations here. */
    static final long MS = 1_000_000L;

    /**
     * The expiration of a connection armed at {@code nowNanos} with {@code timeoutNanos}: their sum, rounded down to
     * a whole millisecond of the clock. A frozen clock moved by whole milliseconds (OVS's {@code time/warp}) sees
     * exactly the expiries of the exact sum; a running clock may expire a connection up to 1 ms early, OVS's own
     * resolution. The rounding is what lets two packets of a connection within one millisecond leave it in place on
     * its expiry list (see {@code Bucket.rearm}).
     */
    static long expiry(long nowNanos, long timeoutNanos) {
        long t = nowNanos + timeoutNanos;
        return t - Math.floorMod(t, MS);
    }

    /** Time left until {@code expiresAtNanos}, rounded up to a millisecond, so that a rounded-down expiry shows whole. */
    static long remaining(long expiresAtNanos, long nowNanos) {
        long left = expiresAtNanos - nowNanos;
        long r = Math.floorMod(left, MS);
        return r == 0 ? left : left + (MS - r);
    }
}
