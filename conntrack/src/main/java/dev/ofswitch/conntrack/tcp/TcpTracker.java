package dev.ofswitch.conntrack.tcp;

/**
 * TCP connection tracking: the sequence-window algorithm of OpenBSD pf ({@code pf.c} 1.634, Guido van Rooij's "Real
 * Stateful TCP Packet Filtering in IP Filter"), as Open vSwitch's userspace conntrack adapted it in
 * {@code lib/conntrack-tcp.c}. The verdicts must be OVS 3.1's, bit for bit: the oracle examples pin them.
 *
 * <h2>What</h2> For every segment of a tracked connection the tracker decides whether it is acceptable (inside the
 * windows the two ends have advertised), advances the two peers' states (SYN_SENT, ESTABLISHED, CLOSING, FIN_WAIT_2,
 * TIME_WAIT ...), and picks the timer that re-arms the connection's expiration.
 *
 * <h2>Design</h2> Each {@link TcpPeer} keeps {@code seqlo} (highest sequence sent), {@code seqhi} (highest sequence
 * the other side allowed: its ack plus window) and {@code maxWin}. A segment [seq, end) passes when its last octet is
 * inside the receiver's window, it is not more than one window back, and its ack is within a window of what was sent
 * (the "ackskew"). A connection picked up mid-stream (first packet a bare ACK or RST) has unknown window scales, so
 * both sides assume the maximum scale: OVS reports it as {@code BE_LIBERAL}. Segments that fail the strict check may
 * still pass the loose one pf keeps for shotgunned SYNs, state-table flushes and stray ACK|FINs after a close; those
 * do not refresh the timer.
 *
 * <h2>Invariants</h2> Sequence numbers are u32 compared modulo 2^32 ({@code SEQ_GEQ(a, b)} is {@code a - b >= 0} on
 * ints). {@code maxWin} is a u16 as in pf: the "fix up the other window" shift truncates, on purpose.
 *
 * <h2>Thread-safety</h2> Stateless; the peers passed in are guarded by their connection's bucket lock.
 *
 * <h2>References</h2> OVS {@code lib/conntrack-tcp.c} ({@code tcp_conn_update()}, {@code tcp_valid_new()},
 * {@code tcp_new_conn()}); OpenBSD {@code pf.c}, {@code pf_test_state_tcp()}.
 */
public final class TcpTracker {
    /** Result: the segment is valid for the connection ({@code +est}). */
    public static final int VALID = 0;
    /** Result: the segment is invalid ({@code +inv}); the connection is unchanged. */
    public static final int INVALID = 1;
    /** Result: a SYN reopening a closed connection: delete it and treat the packet as new. */
    public static final int NEW = 2;
    /** Result: valid but not established yet (a retransmitted SYN): {@code +new}. */
    public static final int VALID_NEW = 3;

    /** Timers (OVS {@code CT_TM_TCP_*}); the result's bits 8..15 carry one, or {@link #TM_NONE}. */
    public static final int TM_FIRST_PACKET = 0;
    public static final int TM_OPENING = 1;
    public static final int TM_ESTABLISHED = 2;
    public static final int TM_CLOSING = 3;
    public static final int TM_FIN_WAIT = 4;
    public static final int TM_CLOSED = 5;
    /** No timer change: the expiration stays as it was. */
    public static final int TM_NONE = 0xff;

    /** {@code CT_DPIF_TCPF_WINDOW_SCALE}. */
    public static final int FLAG_WINDOW_SCALE = 0x01;
    /** {@code CT_DPIF_TCPF_SACK_PERM}. */
    public static final int FLAG_SACK_PERM = 0x02;
    /** {@code CT_DPIF_TCPF_CLOSE_INIT}. */
    public static final int FLAG_CLOSE_INIT = 0x04;
    /** {@code CT_DPIF_TCPF_BE_LIBERAL}. */
    public static final int FLAG_BE_LIBERAL = 0x08;
    /** {@code CT_DPIF_TCPF_DATA_UNACKNOWLEDGED}. */
    public static final int FLAG_DATA_UNACKNOWLEDGED = 0x10;
    /** {@code CT_DPIF_TCPF_MAXACK_SET}. */
    public static final int FLAG_MAXACK_SET = 0x20;

    private static final String[] FLAG_NAMES = {
        "WINDOW_SCALE", "SACK_PERM", "CLOSE_INIT", "BE_LIBERAL", "DATA_UNACKNOWLEDGED", "MAXACK_SET",
    };

    static final int TH_FIN = 0x01;
    static final int TH_SYN = 0x02;
    static final int TH_RST = 0x04;
    static final int TH_PSH = 0x08;
    static final int TH_ACK = 0x10;
    static final int TH_URG = 0x20;

    private static final int MAX_WSCALE = 14;
    /** pf's MAXACKWINDOW: 0xffff + 1500, "1500 is an arbitrary fudge factor". */
    private static final int MAX_ACK_WINDOW = 0xffff + 1500;

    private TcpTracker() {
    }

    /** Packs a result and a timer. */
    private static int result(int result, int timer) {
        return result | (timer << 8);
    }

    /** The verdict of a packed result ({@link #VALID}, {@link #INVALID}, {@link #NEW}, {@link #VALID_NEW}). */
    public static int verdict(int packed) {
        return packed & 0xff;
    }

    /** The timer of a packed result, or {@link #TM_NONE}. */
    public static int timer(int packed) {
        return (packed >>> 8) & 0xff;
    }

    /** Formats {@code CT_DPIF_TCPF_*} flags as the dump does: names joined by {@code |}, or {@code 0}. */
    public static String formatFlags(int flags) {
        if (flags == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(FLAG_NAMES[i]);
            }
        }
        return sb.toString();
    }

    /**
     * pf checks this in {@code pf_normalize_tcp()}: SYN with RST or FIN, neither SYN nor ACK nor RST, or FIN/PSH/URG
     * without ACK.
     */
    static boolean invalidFlags(int flags) {
        if ((flags & TH_SYN) != 0) {
            if ((flags & (TH_RST | TH_FIN)) != 0) {
                return true;
            }
        } else if ((flags & (TH_ACK | TH_RST)) == 0) {
            return true;
        }
        return (flags & TH_ACK) == 0 && (flags & (TH_FIN | TH_PSH | TH_URG)) != 0;
    }

    /** The flag bits of the TCP header at {@code l4}. */
    public static int flags(byte[] f, int l4) {
        return f[l4 + 13] & 0x3f;
    }

    /**
     * Whether this segment may create a connection ({@code tcp_valid_new()}): valid flags, and not a SYN-ACK, which
     * would be a half-open connection. A bare ACK or RST may: that is a mid-stream pick-up.
     */
    public static boolean validNew(byte[] f, int l4) {
        int flags = flags(f, l4);
        return !invalidFlags(flags) && (flags & (TH_SYN | TH_ACK)) != (TH_SYN | TH_ACK);
    }

    /**
     * Initializes the peers of a new connection from its first segment ({@code tcp_new_conn()}) and returns the timer
     * to arm ({@link #TM_FIRST_PACKET}).
     *
     * @param l4Length bytes from the TCP header to the end of the IP payload (padding excluded)
     */
    public static int newConn(TcpPeer src, TcpPeer dst, byte[] f, int l4, int l4Length) {
        int flags = flags(f, l4);
        int payload = l4Length - dataOffset(f, l4);
        src.seqlo = u32(f, l4 + 4);
        src.seqhi = src.seqlo + payload + 1;
        if ((flags & TH_SYN) != 0) {
            src.seqhi++;
            src.wscale = windowScaleOption(f, l4);
        } else {
            src.wscale = TcpPeer.WSCALE_UNKNOWN;
            dst.wscale = TcpPeer.WSCALE_UNKNOWN;
        }
        src.maxWin = Math.max(u16(f, l4 + 14), 1);
        if ((src.wscale & TcpPeer.WSCALE_MASK) != 0) {
            // Remove the scale factor from the initial window.
            int sws = src.wscale & TcpPeer.WSCALE_MASK;
            src.maxWin = divRoundUp(src.maxWin, 1 << sws) & 0xffff;
        }
        if ((flags & TH_FIN) != 0) {
            src.seqhi++;
        }
        dst.seqhi = 1;
        dst.maxWin = 1;
        src.state = TcpState.SYN_SENT;
        dst.state = TcpState.CLOSED;
        return TM_FIRST_PACKET;
    }

    /**
     * Tracks one segment of an existing connection ({@code tcp_conn_update()}).
     *
     * @param src       the peer that sent the segment
     * @param dst       the peer that receives it
     * @param l4Length  bytes from the TCP header to the end of the IP payload (padding excluded)
     * @param seqCheck  false when sequence checking is disabled ({@code dpctl/ct-disable-tcp-seq-chk})
     * @return a packed verdict and timer: see {@link #verdict(int)} and {@link #timer(int)}
     */
    public static int update(TcpPeer src, TcpPeer dst, byte[] f, int l4, int l4Length, boolean seqCheck) {
        final int flags = flags(f, l4);
        if (invalidFlags(flags)) {
            return result(INVALID, TM_NONE);
        }

        if ((flags & (TH_SYN | TH_ACK)) == TH_SYN) {
            if (dst.state >= TcpState.FIN_WAIT_2 && src.state >= TcpState.FIN_WAIT_2) {
                // A SYN on a closed connection reuses the tuple: start over.
                src.state = TcpState.CLOSED;
                dst.state = TcpState.CLOSED;
                return result(NEW, TM_NONE);
            } else if (src.state <= TcpState.SYN_SENT) {
                // A retransmitted SYN: still a new connection.
                src.state = TcpState.SYN_SENT;
                return result(VALID_NEW, TM_FIRST_PACKET);
            }
        }

        int sws = 0;
        int dws = 0;
        if ((src.wscale & TcpPeer.WSCALE_FLAG) != 0 && (dst.wscale & TcpPeer.WSCALE_FLAG) != 0
                && (flags & TH_SYN) == 0) {
            sws = src.wscale & TcpPeer.WSCALE_MASK;
            dws = dst.wscale & TcpPeer.WSCALE_MASK;
        } else if ((src.wscale & TcpPeer.WSCALE_UNKNOWN) != 0 && (dst.wscale & TcpPeer.WSCALE_UNKNOWN) != 0
                && (flags & TH_SYN) == 0) {
            sws = MAX_WSCALE;
            dws = MAX_WSCALE;
        }

        int win = u16(f, l4 + 14);
        final int payload = l4Length - dataOffset(f, l4);
        final int origSeq = u32(f, l4 + 4);
        int seq = origSeq;
        int ack = u32(f, l4 + 8);
        int end;
        boolean checkAckskew = true;

        if (src.state < TcpState.SYN_SENT) {
            // First packet from this end: set its state.
            end = seq + payload;
            if ((flags & TH_SYN) != 0) {
                end++;
                if ((dst.wscale & TcpPeer.WSCALE_FLAG) != 0) {
                    src.wscale = windowScaleOption(f, l4);
                    if ((src.wscale & TcpPeer.WSCALE_FLAG) != 0) {
                        // Remove the scale factor from the initial window.
                        sws = src.wscale & TcpPeer.WSCALE_MASK;
                        win = divRoundUp(win, 1 << sws) & 0xffff;
                        dws = dst.wscale & TcpPeer.WSCALE_MASK;
                    } else {
                        // Fix up the other window; in case of a retransmitted SYN|ACK.
                        dst.maxWin = (dst.maxWin << (dst.wscale & TcpPeer.WSCALE_MASK)) & 0xffff;
                        dst.wscale = 0;
                    }
                }
            }
            if ((flags & TH_FIN) != 0) {
                end++;
            }
            src.seqlo = seq;
            src.state = TcpState.SYN_SENT;
            // May need to slide the window: seqhi may have been set by a mid-stream pick-up.
            int slide = end + Math.max(1, dst.maxWin << dws);
            if (src.seqhi == 1 || seqGeq(slide, src.seqhi)) {
                src.seqhi = slide;
                // A new connection, or one picked up mid-stream: be permissive with the ack.
                checkAckskew = false;
            }
            if (win > src.maxWin) {
                src.maxWin = win;
            }
        } else {
            end = seq + payload;
            if ((flags & TH_SYN) != 0) {
                end++;
            }
            if ((flags & TH_FIN) != 0) {
                end++;
            }
        }

        if ((flags & TH_ACK) == 0) {
            // Let it pass through the ack skew check.
            ack = dst.seqlo;
        } else if (ack == 0 && (flags & (TH_ACK | TH_RST)) == (TH_ACK | TH_RST)) {
            // Broken stacks send RST|ACK with ack 0 when a SYN times out.
            ack = dst.seqlo;
        }

        if (seq == end) {
            // Ease sequencing restrictions on packets without data.
            seq = src.seqlo;
            end = seq;
        }

        final int ackskew = checkAckskew ? dst.seqlo - ack : 0;
        final boolean inWindow = seqGeq(src.seqhi, end)                 // last octet inside the other's window
                && seqGeq(seq, src.seqlo - (dst.maxWin << dws))         // retransmit: not more than a window back
                && ackskew >= -MAX_ACK_WINDOW                           // acks at most one fragment backwards
                && ackskew <= (MAX_ACK_WINDOW << sws);                  // acks at most one window forward
        final boolean rstOk = (flags & TH_RST) == 0 || origSeq == src.seqlo || origSeq == src.seqlo + 1
                || origSeq + 1 == src.seqlo;                            // an exact or +1 sequence on resets

        // As OVS: "(in window && RST sequence ok) || tcp_bypass_seq_chk()": without sequence checking, a RST is
        // valid whatever its sequence too.
        if ((inWindow && rstOk) || !seqCheck) {
            if (src.maxWin < win) {
                src.maxWin = win;
            }
            // Synchronize sequencing.
            if (seqGt(end, src.seqlo)) {
                src.seqlo = end;
            }
            // Slide the window of what the other end can send.
            if (seqGeq(ack + (win << sws), dst.seqhi)) {
                dst.seqhi = ack + Math.max(win << sws, 1);
            }
            // Update the states.
            if ((flags & TH_SYN) != 0 && src.state < TcpState.SYN_SENT) {
                src.state = TcpState.SYN_SENT;
            }
            if ((flags & TH_FIN) != 0 && src.state < TcpState.CLOSING) {
                src.state = TcpState.CLOSING;
            }
            if ((flags & TH_ACK) != 0) {
                if (dst.state == TcpState.SYN_SENT) {
                    dst.state = TcpState.ESTABLISHED;
                } else if (dst.state == TcpState.CLOSING) {
                    dst.state = TcpState.FIN_WAIT_2;
                }
            }
            if ((flags & TH_RST) != 0) {
                src.state = TcpState.TIME_WAIT;
                dst.state = TcpState.TIME_WAIT;
            }
            return result(VALID, timerFor(src.state, dst.state));
        }

        if ((dst.state < TcpState.SYN_SENT || dst.state >= TcpState.FIN_WAIT_2 || src.state >= TcpState.FIN_WAIT_2)
                && seqGeq(src.seqhi + MAX_ACK_WINDOW, end)        // within a window forward of the originator
                && seqGeq(seq, src.seqlo - MAX_ACK_WINDOW)) {     // within a window backward of it
            // pf: shotgunned SYNs, a state table flushed under an established stream, and funky packets right after
            // a close. No timer refresh here, so that a flood cannot keep the entry alive.
            if (src.maxWin < win) {
                src.maxWin = win;
            }
            if (seqGt(end, src.seqlo)) {
                src.seqlo = end;
            }
            if (seqGeq(ack + (win << sws), dst.seqhi)) {
                dst.seqhi = ack + Math.max(win << sws, 1);
            }
            if ((flags & TH_FIN) != 0 && src.state < TcpState.CLOSING) {
                src.state = TcpState.CLOSING;
            }
            if ((flags & TH_RST) != 0) {
                src.state = TcpState.TIME_WAIT;
                dst.state = TcpState.TIME_WAIT;
            }
            return result(VALID, TM_NONE);
        }
        return result(INVALID, TM_NONE);
    }

    /** The timer for the states after a valid segment, in OVS's order of tests. */
    static int timerFor(int src, int dst) {
        if (src >= TcpState.FIN_WAIT_2 && dst >= TcpState.FIN_WAIT_2) {
            return TM_CLOSED;
        } else if (src >= TcpState.CLOSING && dst >= TcpState.CLOSING) {
            return TM_FIN_WAIT;
        } else if (src < TcpState.ESTABLISHED || dst < TcpState.ESTABLISHED) {
            return TM_OPENING;
        } else if (src >= TcpState.CLOSING || dst >= TcpState.CLOSING) {
            return TM_CLOSING;
        }
        return TM_ESTABLISHED;
    }

    /** The window-scale option of a SYN, with {@link TcpPeer#WSCALE_FLAG} if present ({@code tcp_get_wscale()}). */
    static int windowScaleOption(byte[] f, int l4) {
        int len = dataOffset(f, l4) - 20;
        int opt = l4 + 20;
        int wscale = 0;
        while (len >= 3) {
            int kind = f[opt] & 0xff;
            if (kind == 0) {            // EOL
                return wscale;
            } else if (kind == 1) {     // NOP
                opt++;
                len--;
            } else {
                if (kind == 3) {        // window scale
                    wscale = Math.min(f[opt + 2] & 0xff, MAX_WSCALE) | TcpPeer.WSCALE_FLAG;
                }
                int optlen = f[opt + 1] & 0xff;
                if (optlen < 2) {
                    optlen = 2;
                }
                len -= optlen;
                opt += optlen;
            }
        }
        return wscale;
    }

    /** TCP header length in bytes. */
    static int dataOffset(byte[] f, int l4) {
        return ((f[l4 + 12] & 0xff) >>> 4) * 4;
    }

    private static boolean seqGeq(int a, int b) {
        return a - b >= 0;
    }

    private static boolean seqGt(int a, int b) {
        return a - b > 0;
    }

    private static int divRoundUp(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int u16(byte[] f, int i) {
        return ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
    }

    private static int u32(byte[] f, int i) {
        return ((f[i] & 0xff) << 24) | ((f[i + 1] & 0xff) << 16) | ((f[i + 2] & 0xff) << 8) | (f[i + 3] & 0xff);
    }
}
