package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Addresses;
import dev.ofswitch.lab.host.wire.Tcp;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One TCP connection: the transmission control block and its state machine.
 *
 * <h2>What</h2> RFC 9293 TCP as a middlebox sees a Linux host speak it: a three-way handshake with a random ISN,
 * MSS and window-scale options (SACK-permitted optionally announced, SACK never used), correct sequence and
 * acknowledgment numbers, an advertised receive window that never shrinks, segmentation by MSS, in-order delivery
 * with a reassembly queue, retransmission on an RFC 6298 timer with exponential backoff, NewReno fast retransmit and
 * recovery (RFC 5681, RFC 6582), zero-window probes, delayed ACKs, FIN teardown with TIME_WAIT, and RSTs. The point
 * is that a pf-style tracker (OVS conntrack) sees valid sequence windows: <b>no octet, and no FIN, is ever sent
 * beyond the right edge of the window the peer advertised last</b> ({@link #sndEdge}).
 *
 * <h2>Design</h2>
 * <ul>
 * <li><b>Send side.</b> {@link #sndQueue} holds every data byte not yet acknowledged, the first at
 * {@link #sndQueueSeq}; {@link #sndNxt} is the next sequence to send and {@link #sndMax} the highest ever sent. A
 * retransmission timeout sets {@code sndNxt} back to {@code sndUna} (go-back-N, as a sender without SACK must) and
 * {@link #trySend()} sends again from there under a one-segment congestion window. A FIN follows the last data byte
 * and occupies {@link #finSeq()}.
 * <li><b>Window.</b> {@link #sndEdge} is {@code SEG.ACK + (SEG.WND << scale)} of the last segment that passed the
 * RFC 9293 {@code SND.WL1/SND.WL2} test. Keeping the edge rather than {@code SND.WND} means an ACK that advances
 * {@code SND.UNA} without updating the window can never stretch it.
 * <li><b>Receive side.</b> Stream offsets ({@code long}, bytes of data since the SYN) index the reassembly queue,
 * so ordering survives sequence-number wrap. Data is accepted up to the right edge we advertised
 * ({@link #rcvAdvEdge}), delivered in order to the handler or to the receive buffer, and the window we advertise is
 * the free space of that buffer, rounding tiny windows to zero (receiver SWS avoidance, RFC 1122 §4.2.3.3). The edge
 * never moves back (RFC 9293 §3.8.6.2.2): when the free space would retract it, the old edge is kept, rounded up to
 * the scale unit as Linux's {@code tcp_select_window()} does, so a full buffer overcommits by less than
 * {@code 2^scale} bytes per ACK. Incoming segments are first checked the way Linux's
 * {@code tcp_sequence()} does, against {@code RCV.WUP} (the ack we last sent) and the window.
 * <li><b>ACKs.</b> An out-of-order or duplicate segment, a FIN, or a second full-sized segment is acknowledged at
 * once; anything else waits {@code tcpDelayedAckMs} or rides on the next segment we send.
 * <li><b>Timers.</b> Retransmission (RTO), persist (zero-window probes), delayed ACK, FIN_WAIT_2 idle
 * ({@code tcp_fin_timeout}) and TIME_WAIT, each one
 * {@link Cancellable} field, armed only on the scheduler thread.
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>{@code sndUna <= sndNxt <= sndMax} (mod 2^32), and {@code sndMax <= sndEdge} unless the peer moved its edge
 * back after we sent.
 * <li>Every octet and FIN sent by {@link #trySend()} lies below {@link #sndEdge} at the time it is sent; a zero-window
 * probe carries no data and the sequence number {@code SND.UNA - 1}.
 * <li>{@code rcvAdvEdge} only moves forward; data beyond it is never accepted.
 * <li>A RST we send on {@link #abort()} or a timeout carries {@code sndMax}, the sequence a tracker expects.
 * </ul>
 *
 * <h2>Deliberately missing</h2> SACK, timestamps (so no PAWS, and RTT is sampled once per window with Karn's rule),
 * Nagle's algorithm (segments go out as soon as the windows allow, as with {@code TCP_NODELAY}), urgent data,
 * keep-alive, data on SYN, path MTU discovery, and the RST Linux sends when a socket with unread data is closed.
 *
 * <h2>Thread-safety</h2> Confined to the host's scheduler thread, except {@link #state} and the statistics, which
 * are volatile with that thread as their single writer. The public {@link TcpConnection} methods marshal onto it.
 *
 * <h2>References</h2> RFC 9293 (§3.10 event processing), RFC 6298 (RTO), RFC 5681 and RFC 6582 (congestion control,
 * NewReno), RFC 7323 §2 (window scale), RFC 5961 (challenge ACKs), RFC 1122 §4.2.3 (delayed ACK, SWS avoidance);
 * Linux {@code net/ipv4/tcp_input.c} ({@code tcp_sequence()}, {@code tcp_ack()}), {@code tcp_output.c}
 * ({@code tcp_select_window()}, {@code tcp_send_probe0()}).
 */
final class TcpSocket implements TcpConnection {
    private static final int MAX_WINDOW_FIELD = 0xffff;
    /**
     * Linux's {@code tcp_invalid_ratelimit}: at most one ACK per this interval answers out-of-window pure ACKs and
     * earns a challenge ACK, so that two stacks can never ping-pong ACKs forever.
     */
    static final long INVALID_RATELIMIT_NANOS = 500_000_000L;

    private final TcpLayer layer;
    private final EmulatedHost host;
    private final HostConfig cfg;
    final int localPort;
    final int remoteIp;
    final int remotePort;
    final long key;
    /** The listener a passive connection came from; null for active opens. */
    final TcpLayer.ListenerImpl listener;

    private volatile TcpState state = TcpState.CLOSED;

    // ---------------------------------------------------------------------------------------------- send side
    private int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private int sndWl1;
    private int sndWl2;
    /** Right edge of the peer's receive window: the first sequence number we may not send. */
    private int sndEdge;
    /** The shift applied to the peer's window fields; 0 unless both SYNs carried the option. */
    private int sndShift;
    /** The shift applied to the window fields we send; 0 unless both SYNs carried the option. */
    private int rcvShift;
    private int sndMss = Tcp.DEFAULT_MSS;
    private boolean peerSackPermitted;
    private final ByteQueue sndQueue = new ByteQueue(4096);
    /** Sequence number of {@code sndQueue}'s first byte. */
    private int sndQueueSeq;
    /** close() was called: a FIN follows the data. */
    private boolean finQueued;
    private long writtenTotal;
    private long ackedTotal;
    private final ArrayDeque<PendingWrite> pendingWrites = new ArrayDeque<>();

    private record PendingWrite(long endOffset, CompletableFuture<Void> future) {
    }

    // ---------------------------------------------------------------------------------------------- congestion
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE / 2;
    private int dupAcks;
    private boolean inRecovery;
    /** NewReno's {@code recover}: sndMax when the last recovery or timeout began. */
    private int recover;
    private boolean recoverSet;

    // ---------------------------------------------------------------------------------------------- timers, RTT
    private long srttNanos = -1;
    private long rttvarNanos;
    private long rtoNanos;
    private int backoff;
    private int retries;
    private int probesUnanswered;
    private boolean timing;
    private int timedSeq;
    private long timedAtNanos;
    private boolean synRetransmitted;
    private Cancellable rtxTimer;
    private Cancellable persistTimer;
    private Cancellable delAckTimer;
    private Cancellable timeWaitTimer;
    /** FIN_WAIT_2 idle timer ({@code tcp_fin_timeout}): re-armed by every segment that arrives. */
    private Cancellable finWait2Timer;
    /** When we last answered an out-of-window segment or sent a challenge ACK; see {@link #INVALID_RATELIMIT_NANOS}. */
    private long lastOowAckNanos;
    private boolean oowAckSent;

    // ---------------------------------------------------------------------------------------------- receive side
    private int irs;
    private int rcvNxt;
    /** {@code RCV.NXT} when we last sent an ACK (Linux's {@code rcv_wup}). */
    private int rcvWup;
    /** The right edge we advertised; only moves forward. */
    private int rcvAdvEdge;
    /** Data bytes received in order: the stream offset of {@code rcvNxt}. */
    private long rcvOffset;
    /** Out-of-order data by stream offset. */
    private final TreeMap<Long, byte[]> reassembly = new TreeMap<>();
    /** Stream offset of a FIN seen ahead of a hole, or -1. */
    private long finOffset = -1;
    private boolean finReceived;
    private int segmentsSinceAck;
    private final ByteQueue rcvQueue = new ByteQueue(4096);

    // ---------------------------------------------------------------------------------------------- application
    private TcpHandler handler;
    private boolean eofDelivered;
    private final ArrayDeque<CompletableFuture<byte[]>> readers = new ArrayDeque<>();
    private final CompletableFuture<TcpConnection> connectFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> finAckedFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    /** The reason the connection ended; null while open or after an orderly close. */
    private SocketError closeError;
    /** An ICMP error that did not end the connection; reported instead of ETIMEDOUT if it times out. */
    private SocketError softError;

    // ---------------------------------------------------------------------------------------------- statistics
    private volatile long statSegmentsSent;
    private volatile long statSegmentsReceived;
    private volatile long statBytesAcked;
    private volatile long statBytesReceived;
    private volatile long statRetransmits;
    private volatile long statTimeouts;
    private volatile long statFastRetransmits;
    private volatile long statOutOfOrder;
    private volatile long statProbes;
    private volatile long statSrttMicros = -1;
    private volatile long statRtoMillis;
    private volatile long statCwnd;
    private volatile long statPeerWindow;

    TcpSocket(TcpLayer layer, int localPort, int remoteIp, int remotePort, TcpLayer.ListenerImpl listener) {
        this.layer = layer;
        this.host = layer.host;
        this.cfg = layer.cfg;
        this.localPort = localPort;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.key = TcpLayer.key(remoteIp, localPort, remotePort);
        this.listener = listener;
        this.rtoNanos = millis(cfg.tcpInitialRtoMs);
        this.statRtoMillis = cfg.tcpInitialRtoMs;
    }

    // ============================================================================================ opening

    /** connect(): send a SYN. */
    void openActive() {
        iss = host.random().nextInt();
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sndQueueSeq = iss + 1;
        setState(TcpState.SYN_SENT);
        sendSyn(false);
        timing = true;
        timedSeq = iss + 1;
        timedAtNanos = host.now();
        armRtx();
    }

    /** A SYN arrived at a listener: remember the peer, answer SYN-ACK. */
    void openPassive(byte[] f, int l4, int hl) {
        irs = Tcp.seq(f, l4);
        rcvNxt = irs + 1;
        rcvWup = rcvNxt;
        rcvAdvEdge = rcvNxt;
        takeSynOptions(f, l4, hl);
        iss = host.random().nextInt();
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sndQueueSeq = iss + 1;
        sndWl1 = irs;
        sndWl2 = iss;
        sndEdge = iss + 1 + Tcp.window(f, l4);
        statSegmentsReceived++;
        setState(TcpState.SYN_RECEIVED);
        sendSyn(true);
        timing = true;
        timedSeq = iss + 1;
        timedAtNanos = host.now();
        armRtx();
    }

    private void takeSynOptions(byte[] f, int l4, int hl) {
        Tcp.Options o = Tcp.Options.parse(f, l4, hl);
        int peerMss = o.mss > 0 ? o.mss : Tcp.DEFAULT_MSS;
        sndMss = Math.max(64, Math.min(peerMss, cfg.tcpMss()));
        if (o.wscale >= 0 && cfg.tcpWindowScale >= 0) {
            sndShift = o.wscale;
            rcvShift = cfg.tcpWindowScale;
        } else {
            sndShift = 0;
            rcvShift = 0;
        }
        peerSackPermitted = o.sackPermitted;
        peerOfferedScale = o.wscale >= 0;
    }

    /** SYN (active) or SYN-ACK (passive, answering the options the peer sent). */
    private void sendSyn(boolean synAck) {
        byte[] opts = new byte[12];
        int n = 0;
        opts[n++] = Tcp.OPT_MSS;
        opts[n++] = 4;
        opts[n++] = (byte) (cfg.tcpMss() >>> 8);
        opts[n++] = (byte) cfg.tcpMss();
        if (cfg.tcpSackPermitted && (!synAck || peerSackPermitted)) {
            opts[n++] = Tcp.OPT_NOP;
            opts[n++] = Tcp.OPT_NOP;
            opts[n++] = Tcp.OPT_SACK_PERMITTED;
            opts[n++] = 2;
        }
        if (cfg.tcpWindowScale >= 0 && (!synAck || peerOfferedScale)) {
            opts[n++] = Tcp.OPT_NOP;
            opts[n++] = Tcp.OPT_WSCALE;
            opts[n++] = 3;
            opts[n++] = (byte) cfg.tcpWindowScale;
        }
        byte[] options = new byte[n];
        System.arraycopy(opts, 0, options, 0, n);
        int flags = Tcp.SYN | (synAck ? Tcp.ACK_FLAG : 0);
        emit(iss, flags, options, 0, 0);
    }

    /** Whether the peer's SYN carried a window-scale option (it may have offered shift 0). */
    private boolean peerOfferedScale;

    // ============================================================================================ output

    /**
     * Sends what the windows allow: new data, data again after a timeout, and the FIN after the last byte.
     * Never sends an octet or a FIN at or beyond {@link #sndEdge}.
     */
    private void trySend() {
        if (!canSend()) {
            return;
        }
        while (true) {
            int off = sndNxt - sndQueueSeq;
            int avail = sndQueue.size() - off;
            if (avail < 0) {
                // sndNxt is past the data: only the FIN can be there.
                avail = 0;
            }
            int wnd = sndEdge - sndNxt;
            int cw = cwnd - (sndNxt - sndUna);
            int len = Math.min(Math.min(avail, sndMss), Math.min(Math.max(wnd, 0), Math.max(cw, 0)));
            boolean finNext = finQueued && off + len == sndQueue.size() && seqLeq(sndNxt + len, finSeq())
                    && !finAcked();
            boolean fin = finNext && wnd - len >= 1 && (len > 0 || cw > 0);
            if (len <= 0 && !fin) {
                break;
            }
            if (len < Math.min(avail, sndMss) && sndNxt != sndUna && !fin) {
                // A segment cut short by a window while data is in flight: wait for the ACK that opens it.
                break;
            }
            boolean newData = seqGeq(sndNxt, sndMax);
            if (!newData) {
                countRetransmit();
            }
            int flags = Tcp.ACK_FLAG | (len > 0 && off + len == sndQueue.size() ? Tcp.PSH : 0) | (fin ? Tcp.FIN : 0);
            emit(sndNxt, flags, null, off, len);
            int advance = len + (fin ? 1 : 0);
            if (newData && !timing) {
                timing = true;
                timedSeq = sndNxt + advance;
                timedAtNanos = host.now();
            }
            sndNxt += advance;
            if (seqGt(sndNxt, sndMax)) {
                sndMax = sndNxt;
            }
            if (rtxTimer == null) {
                armRtx();
            }
            if (fin) {
                break;
            }
        }
        updatePersist();
    }

    private boolean canSend() {
        switch (state) {
            case ESTABLISHED:
            case CLOSE_WAIT:
            case FIN_WAIT_1:
            case CLOSING:
            case LAST_ACK:
                return true;
            default:
                return false;
        }
    }

    /** Arms the persist timer when only a zero window keeps queued data (or the FIN) from going out. */
    private void updatePersist() {
        boolean pending = sndQueue.size() - (sndNxt - sndQueueSeq) > 0
                || (finQueued && !finAcked() && seqLeq(sndNxt, finSeq()));
        boolean blocked = pending && sndMax == sndUna && canSend() && sndEdge - sndNxt <= 0;
        if (blocked) {
            if (persistTimer == null) {
                persistTimer = host.schedule(backedOffRto(), this::persistFired);
            }
        } else if (persistTimer != null) {
            persistTimer.cancel();
            persistTimer = null;
            probesUnanswered = 0;
            backoff = 0;
        }
    }

    private void persistFired() {
        persistTimer = null;
        if (!canSend()) {
            return;
        }
        if (probesUnanswered >= cfg.tcpRetries) {
            terminate(softError != null ? softError : SocketError.ETIMEDOUT, true);
            return;
        }
        // Linux's tcp_xmit_probe_skb(): an ACK with an old sequence number, which the peer must answer.
        probesUnanswered++;
        statProbes++;
        emit(sndUna - 1, Tcp.ACK_FLAG, null, 0, 0);
        backoff = Math.min(backoff + 1, 30);
        updatePersist();
    }

    /**
     * A pure ACK. Its sequence number is {@code sndMax}, the highest we sent, as Linux's {@code tcp_acceptable_seq()}
     * gives {@code snd_nxt}, which it never winds back: after a timeout winds {@code sndNxt} back, an ACK carrying it
     * would fall below the peer's {@code RCV.WUP}, be found unacceptable and answered by another ACK.
     */
    private void sendAck() {
        emit(sndMax, Tcp.ACK_FLAG, null, 0, 0);
    }

    /**
     * An ACK answering an out-of-window segment or challenging a RST or SYN, unless one went out less than
     * {@link #INVALID_RATELIMIT_NANOS} ago. Data segments are always answered: they cannot be part of an ACK loop
     * (Linux's {@code tcp_oow_rate_limited()}).
     */
    private void sendOowAck(boolean pureAckOrSyn) {
        long now = host.now();
        if (pureAckOrSyn && oowAckSent && now - lastOowAckNanos < INVALID_RATELIMIT_NANOS) {
            return;
        }
        oowAckSent = true;
        lastOowAckNanos = now;
        sendAck();
    }

    /** Schedules or sends the ACK for a segment that was received in order. */
    private void ackLater() {
        segmentsSinceAck++;
        if (segmentsSinceAck >= 2 || cfg.tcpDelayedAckMs == 0) {
            sendAck();
        } else if (delAckTimer == null) {
            delAckTimer = host.schedule(millis(cfg.tcpDelayedAckMs), () -> {
                delAckTimer = null;
                if (state != TcpState.CLOSED && segmentsSinceAck > 0) {
                    sendAck();
                }
            });
        }
    }

    /**
     * Builds and sends one segment. Data comes from {@code sndQueue} at {@code queueOff}. A segment with ACK carries
     * the current window and moves {@link #rcvAdvEdge}.
     */
    private void emit(int seq, int flags, byte[] options, int queueOff, int len) {
        boolean syn = (flags & Tcp.SYN) != 0;
        int window = (flags & Tcp.RST) != 0 ? 0 : windowField(syn);
        byte[] f = layer.segmentFrame(remoteIp, localPort, remotePort, seq, rcvNxt, flags, window, options, len);
        if (len > 0) {
            sndQueue.copy(queueOff, f, TcpLayer.dataOffset(f), len);
        }
        layer.finishSegment(f, remoteIp, len);
        if ((flags & Tcp.ACK_FLAG) != 0) {
            int edge = rcvNxt + (window << (syn ? 0 : rcvShift));
            if (seqGt(edge, rcvAdvEdge)) {
                rcvAdvEdge = edge;
            }
            rcvWup = rcvNxt;
            segmentsSinceAck = 0;
            if (delAckTimer != null) {
                delAckTimer.cancel();
                delAckTimer = null;
            }
        }
        statSegmentsSent++;
        host.ipOutput(f, remoteIp);
    }

    /** The window field to send: free buffer space, scaled, never moving the advertised edge back. */
    private int windowField(boolean syn) {
        long free = Math.max(0, cfg.tcpRcvBufBytes - rcvQueue.size());
        if (free < Math.min(cfg.tcpRcvBufBytes / 2, cfg.tcpMss())) {
            free = 0;
        }
        int shift = syn ? 0 : rcvShift;
        long field = Math.min(free >> shift, MAX_WINDOW_FIELD);
        if (!syn && state.synchronizedState()) {
            long current = rcvAdvEdge - rcvNxt;
            if (current > 0 && (field << shift) < current) {
                field = Math.min(MAX_WINDOW_FIELD, (current + (1L << shift) - 1) >> shift);
            }
        }
        return (int) field;
    }

    // ============================================================================================ input

    /** RFC 9293 §3.10.7: a segment for this connection. */
    void segmentArrives(byte[] f, int l4, int hl, int dataLen) {
        statSegmentsReceived++;
        if (state == TcpState.FIN_WAIT_2) {
            armFinWait2();
        }
        int flags = Tcp.flags(f, l4);
        int seq = Tcp.seq(f, l4);
        int ack = Tcp.ack(f, l4);
        int win = Tcp.window(f, l4);
        switch (state) {
            case CLOSED:
                return;
            case SYN_SENT:
                synSentArrives(f, l4, hl, flags, seq, ack, win);
                return;
            default:
                break;
        }
        if (state == TcpState.SYN_RECEIVED && (flags & (Tcp.SYN | Tcp.ACK_FLAG | Tcp.RST)) == Tcp.SYN && seq == irs) {
            // The peer did not get our SYN-ACK and sent its SYN again (Linux's tcp_check_req()).
            sendSyn(true);
            return;
        }
        int segLen = dataLen + ((flags & Tcp.SYN) != 0 ? 1 : 0) + ((flags & Tcp.FIN) != 0 ? 1 : 0);

        // First: sequence number (Linux's tcp_sequence()).
        int rcvWnd = Math.max(0, rcvAdvEdge - rcvNxt);
        boolean acceptable = seqGeq(seq + segLen, rcvWup) && seqLeq(seq, rcvNxt + rcvWnd);
        if (!acceptable) {
            if ((flags & Tcp.RST) == 0) {
                sendOowAck(dataLen == 0 || (flags & Tcp.SYN) != 0);
            }
            return;
        }
        // Second: RST (RFC 5961 §3.2: only the exact sequence resets; in-window otherwise earns a challenge ACK).
        if ((flags & Tcp.RST) != 0) {
            if (seq == rcvNxt) {
                resetByPeer();
            } else {
                sendOowAck(true);
            }
            return;
        }
        // Fourth: SYN in a synchronized state (RFC 5961 §4): challenge ACK.
        if ((flags & Tcp.SYN) != 0) {
            sendOowAck(true);
            return;
        }
        // Fifth: ACK.
        if ((flags & Tcp.ACK_FLAG) == 0) {
            return;
        }
        if (state == TcpState.SYN_RECEIVED) {
            if (seqGt(ack, sndUna) && seqLeq(ack, sndMax)) {
                establish(seq, ack, win << sndShift);
                listener.accepted(this);
                if (state == TcpState.CLOSED) {
                    return;
                }
            } else {
                layer.sendReset(remoteIp, localPort, remotePort, ack, 0, Tcp.RST);
                return;
            }
        }
        if (!processAck(seq, ack, win, flags, segLen)) {
            return;
        }
        if (state == TcpState.CLOSED) {
            return;
        }
        if (state == TcpState.TIME_WAIT) {
            if ((flags & Tcp.FIN) != 0) {
                // The peer did not get our ACK of its FIN: acknowledge again and restart the 2MSL wait.
                sendAck();
                startTimeWait();
            }
            return;
        }

        // Seventh and eighth: data and FIN.
        boolean hadData = dataLen > 0 || (flags & Tcp.FIN) != 0;
        if (hadData) {
            receiveText(f, l4 + hl, seq, dataLen, (flags & Tcp.FIN) != 0);
        }
        trySend();
    }

    private void synSentArrives(byte[] f, int l4, int hl, int flags, int seq, int ack, int win) {
        boolean hasAck = (flags & Tcp.ACK_FLAG) != 0;
        if (hasAck && (seqLeq(ack, iss) || seqGt(ack, sndMax))) {
            if ((flags & Tcp.RST) == 0) {
                layer.sendReset(remoteIp, localPort, remotePort, ack, 0, Tcp.RST);
            }
            return;
        }
        if ((flags & Tcp.RST) != 0) {
            if (hasAck) {
                host.counters.tcpResetsReceived++;
                terminate(SocketError.ECONNREFUSED, false);
            }
            return;
        }
        if ((flags & Tcp.SYN) == 0) {
            return;
        }
        irs = seq;
        rcvNxt = seq + 1;
        rcvWup = rcvNxt;
        rcvAdvEdge = rcvNxt;
        takeSynOptions(f, l4, hl);
        if (hasAck) {
            establish(seq, ack, win);
            sendAck();
            connectFuture.complete(this);
            trySend();
        } else {
            // Simultaneous open (RFC 9293 §3.5).
            setState(TcpState.SYN_RECEIVED);
            sndWl1 = seq;
            sndWl2 = iss;
            sndEdge = iss + 1 + win;
            sendSyn(true);
        }
    }

    /** The handshake completed: the SYN is acknowledged and the peer's first window is known. */
    private void establish(int seq, int ack, int window) {
        sndUna = ack;
        if (seqLt(sndNxt, sndUna)) {
            sndNxt = sndUna;
        }
        sndWl1 = seq;
        sndWl2 = ack;
        sndEdge = ack + window;
        statPeerWindow = window;
        if (timing && seqGeq(ack, timedSeq) && !synRetransmitted) {
            rttSample(host.now() - timedAtNanos);
        }
        timing = false;
        retries = 0;
        backoff = 0;
        cancelRtx();
        cwnd = synRetransmitted ? sndMss : cfg.tcpInitialCwnd * sndMss;
        statCwnd = cwnd;
        setState(TcpState.ESTABLISHED);
        host.neighbors.confirm(host.nextHopOrSelf(remoteIp));
    }

    /**
     * The ACK field of a segment: window update, newly acknowledged data, duplicate ACKs.
     *
     * @return false if the segment must be dropped
     */
    private boolean processAck(int seq, int ack, int win, int flags, int segLen) {
        if (seqGt(ack, sndMax)) {
            // Acknowledges something never sent.
            sendAck();
            return false;
        }
        probesUnanswered = 0;
        int edge = ack + (win << sndShift);
        boolean windowMoved = false;
        if (seqLt(sndWl1, seq) || (sndWl1 == seq && seqLeq(sndWl2, ack))) {
            windowMoved = edge != sndEdge;
            sndEdge = edge;
            sndWl1 = seq;
            sndWl2 = ack;
            statPeerWindow = (long) win << sndShift;
        }
        if (seqGt(ack, sndUna)) {
            newAck(ack);
        } else if (ack == sndUna && segLen == 0 && !windowMoved && sndMax != sndUna) {
            duplicateAck();
        }
        if (state == TcpState.CLOSED) {
            return false;
        }
        if (finQueued && finAcked()) {
            switch (state) {
                case FIN_WAIT_1:
                    setState(TcpState.FIN_WAIT_2);
                    armFinWait2();
                    finAckedFuture.complete(null);
                    break;
                case CLOSING:
                    finAckedFuture.complete(null);
                    enterTimeWait();
                    break;
                case LAST_ACK:
                    finAckedFuture.complete(null);
                    terminate(null, false);
                    return false;
                default:
                    break;
            }
        }
        return true;
    }

    private void newAck(int ack) {
        int dataAcked = Math.max(0, Math.min(ack - sndQueueSeq, sndQueue.size()));
        int ackedSeq = ack - sndUna;
        sndQueue.discard(dataAcked);
        sndQueueSeq += dataAcked;
        ackedTotal += dataAcked;
        statBytesAcked = ackedTotal;
        if (timing && seqGeq(ack, timedSeq)) {
            rttSample(host.now() - timedAtNanos);
            timing = false;
        }
        backoff = 0;
        retries = 0;
        sndUna = ack;
        if (seqLt(sndNxt, sndUna)) {
            sndNxt = sndUna;
        }
        if (inRecovery) {
            if (seqGeq(ack, recover)) {
                // Full acknowledgment (RFC 6582 §3.2 step 3, option 1).
                inRecovery = false;
                cwnd = Math.min(ssthresh, Math.max(sndMax - sndUna, sndMss) + sndMss);
                dupAcks = 0;
            } else {
                // Partial acknowledgment: the next hole is lost too.
                retransmitFirst();
                cwnd = Math.max(cwnd - ackedSeq, 0) + (ackedSeq >= sndMss ? sndMss : 0);
                cwnd = Math.max(cwnd, sndMss);
                restartRtx();
            }
        } else {
            dupAcks = 0;
            if (cwnd < ssthresh) {
                cwnd += Math.min(ackedSeq, 2 * sndMss);
            } else {
                cwnd += Math.max(1, (int) ((long) sndMss * sndMss / cwnd));
            }
        }
        statCwnd = cwnd;
        while (!pendingWrites.isEmpty() && pendingWrites.peek().endOffset <= ackedTotal) {
            pendingWrites.poll().future.complete(null);
        }
        if (sndMax == sndUna) {
            cancelRtx();
        } else {
            restartRtx();
        }
        host.neighbors.confirm(host.nextHopOrSelf(remoteIp));
    }

    private void duplicateAck() {
        dupAcks++;
        if (dupAcks == 3 && !inRecovery && (!recoverSet || seqGt(sndUna, recover))) {
            // Fast retransmit (RFC 5681 §3.2, RFC 6582 §3.2 step 2).
            int flight = sndMax - sndUna;
            ssthresh = Math.max(flight / 2, 2 * sndMss);
            recover = sndMax;
            recoverSet = true;
            inRecovery = true;
            timing = false;
            statFastRetransmits++;
            retransmitFirst();
            cwnd = ssthresh + 3 * sndMss;
            if (host.logging()) {
                host.log("tcp: " + this + " fast retransmit at " + Integer.toUnsignedString(sndUna));
            }
        } else if (inRecovery && dupAcks > 3) {
            cwnd += sndMss;
        }
        statCwnd = cwnd;
    }

    /** Sends the first unacknowledged segment again (data, or the FIN if only it is left). */
    private void retransmitFirst() {
        int off = sndUna - sndQueueSeq;
        int len = Math.min(Math.max(sndQueue.size() - off, 0), sndMss);
        // Never beyond the edge, even when resending: the peer may have moved it back.
        len = Math.min(len, Math.max(sndEdge - sndUna, 0));
        boolean fin = finQueued && seqGt(sndMax, finSeq()) && off + len == sndQueue.size()
                && seqGt(sndEdge, sndUna + len);
        if (len <= 0 && !fin) {
            return;
        }
        countRetransmit();
        int flags = Tcp.ACK_FLAG | (len > 0 ? Tcp.PSH : 0) | (fin ? Tcp.FIN : 0);
        emit(sndUna, flags, null, off, len);
        int end = sndUna + len + (fin ? 1 : 0);
        if (seqGt(end, sndNxt)) {
            sndNxt = end;
        }
    }

    /** Data and FIN of an acceptable segment; {@code data} is the offset of its first data byte in {@code f}. */
    private void receiveText(byte[] f, int data, int seq, int dataLen, boolean fin) {
        boolean dataAllowed = state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1
                || state == TcpState.FIN_WAIT_2;
        if (!dataAllowed) {
            // CLOSE_WAIT, CLOSING, LAST_ACK: the peer already sent its FIN; this is a retransmission.
            sendAck();
            return;
        }
        long start = rcvOffset + (seq - rcvNxt);
        long end = start + dataLen;
        long edge = rcvOffset + Math.max(0, rcvAdvEdge - rcvNxt);
        if (fin && end <= edge && finOffset < 0 && !finReceived) {
            finOffset = end;
        }
        long from = Math.max(start, rcvOffset);
        long to = Math.min(end, edge);
        boolean outOfOrder = false;
        boolean filledHole = false;
        boolean duplicate = dataLen > 0 && to <= rcvOffset;
        if (to > from) {
            int skip = (int) (from - start);
            int len = (int) (to - from);
            if (from == rcvOffset) {
                filledHole = !reassembly.isEmpty();
                byte[] chunk = new byte[len];
                System.arraycopy(f, data + skip, chunk, 0, len);
                advance(chunk, 0, len);
                drainReassembly();
            } else {
                outOfOrder = true;
                statOutOfOrder++;
                byte[] chunk = new byte[len];
                System.arraycopy(f, data + skip, chunk, 0, len);
                byte[] old = reassembly.get(from);
                if (old == null || old.length < len) {
                    reassembly.put(from, chunk);
                }
            }
        }
        boolean finNow = finOffset >= 0 && finOffset == rcvOffset && !finReceived;
        if (finNow) {
            finConsumed();
            return;
        }
        if (outOfOrder || filledHole || duplicate || (dataLen > 0 && to <= from) || (fin && !finReceived)) {
            sendAck();
        } else if (dataLen > 0) {
            ackLater();
        } else if (fin) {
            // A FIN we already consumed, retransmitted.
            sendAck();
        }
    }

    private void advance(byte[] chunk, int off, int len) {
        rcvNxt += len;
        rcvOffset += len;
        statBytesReceived = rcvOffset;
        byte[] data = off == 0 && len == chunk.length ? chunk : Arrays.copyOfRange(chunk, off, off + len);
        deliver(data);
    }

    private void drainReassembly() {
        while (!reassembly.isEmpty()) {
            Map.Entry<Long, byte[]> e = reassembly.firstEntry();
            long start = e.getKey();
            if (start > rcvOffset) {
                return;
            }
            reassembly.pollFirstEntry();
            byte[] chunk = e.getValue();
            long end = start + chunk.length;
            if (end > rcvOffset) {
                int skip = (int) (rcvOffset - start);
                advance(chunk, skip, chunk.length - skip);
            }
        }
    }

    /** The peer's FIN is next in sequence: consume it. */
    private void finConsumed() {
        finReceived = true;
        rcvNxt += 1;
        switch (state) {
            case ESTABLISHED:
                setState(TcpState.CLOSE_WAIT);
                break;
            case FIN_WAIT_1:
                if (finQueued && finAcked()) {
                    enterTimeWait();
                } else {
                    setState(TcpState.CLOSING);
                }
                break;
            case FIN_WAIT_2:
                enterTimeWait();
                break;
            default:
                break;
        }
        sendAck();
        deliverEof();
    }

    private void resetByPeer() {
        host.counters.tcpResetsReceived++;
        switch (state) {
            case SYN_RECEIVED:
                // A passive open the peer gave up on: back to the listener, silently.
                terminate(null, false);
                return;
            case CLOSING:
            case LAST_ACK:
            case TIME_WAIT:
                terminate(null, false);
                return;
            default:
                terminate(SocketError.ECONNRESET, false);
        }
    }

    /** An ICMP error quoting a segment with sequence number {@code seq} that we sent. */
    void icmpError(int seq, SocketError err) {
        if (seqLt(seq, sndUna) || seqGeq(seq, sndMax)) {
            return;
        }
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
            // Linux's tcp_v4_err(): a hard error while connecting.
            terminate(err, false);
        } else {
            softError = err;
        }
    }

    // ============================================================================================ timers

    private void armRtx() {
        cancelRtx();
        rtxTimer = host.schedule(backedOffRto(), this::rtxFired);
    }

    private void restartRtx() {
        armRtx();
    }

    private void cancelRtx() {
        if (rtxTimer != null) {
            rtxTimer.cancel();
            rtxTimer = null;
        }
    }

    private long backedOffRto() {
        long max = millis(cfg.tcpMaxRtoMs);
        long rto = rtoNanos;
        for (int i = 0; i < backoff && rto < max; i++) {
            rto <<= 1;
        }
        return Math.min(rto, max);
    }

    private void rtxFired() {
        rtxTimer = null;
        switch (state) {
            case SYN_SENT:
                if (++retries > cfg.tcpSynRetries) {
                    terminate(softError != null ? softError : SocketError.ETIMEDOUT, false);
                    return;
                }
                synRetransmitted = true;
                timing = false;
                countTimeout();
                countRetransmit();
                backoff++;
                sendSyn(false);
                armRtx();
                return;
            case SYN_RECEIVED:
                if (++retries > cfg.tcpSynAckRetries) {
                    terminate(null, false);
                    return;
                }
                synRetransmitted = true;
                timing = false;
                countTimeout();
                countRetransmit();
                backoff++;
                sendSyn(true);
                armRtx();
                return;
            case CLOSED:
            case TIME_WAIT:
            case LISTEN:
                return;
            default:
                break;
        }
        if (sndMax == sndUna) {
            return;
        }
        if (++retries > cfg.tcpRetries) {
            terminate(softError != null ? softError : SocketError.ETIMEDOUT, true);
            return;
        }
        countTimeout();
        // RFC 5681 §3.1 (4) and (5): halve, restart from one segment; hold ssthresh on repeated timeouts.
        if (backoff == 0) {
            ssthresh = Math.max((sndMax - sndUna) / 2, 2 * sndMss);
        }
        cwnd = sndMss;
        statCwnd = cwnd;
        inRecovery = false;
        recover = sndMax;
        recoverSet = true;
        dupAcks = 0;
        timing = false;
        sndNxt = sndUna;
        backoff++;
        if (host.logging()) {
            host.log("tcp: " + this + " timeout #" + retries + ", resending from "
                    + Integer.toUnsignedString(sndUna));
        }
        trySend();
        if (sndNxt == sndUna) {
            // Nothing could go out: the peer moved its edge back to SND.UNA. Probe it; the answer carries the window.
            statProbes++;
            emit(sndUna - 1, Tcp.ACK_FLAG, null, 0, 0);
        }
        armRtx();
    }

    private void countTimeout() {
        statTimeouts++;
    }

    private void countRetransmit() {
        statRetransmits++;
        host.counters.tcpRetransmits++;
    }

    private void rttSample(long r) {
        if (r < 0) {
            return;
        }
        if (srttNanos < 0) {
            srttNanos = r;
            rttvarNanos = r / 2;
        } else {
            rttvarNanos = (3 * rttvarNanos + Math.abs(srttNanos - r)) / 4;
            srttNanos = (7 * srttNanos + r) / 8;
        }
        long rto = srttNanos + Math.max(1_000_000L, 4 * rttvarNanos);
        rtoNanos = Math.max(millis(cfg.tcpMinRtoMs), Math.min(rto, millis(cfg.tcpMaxRtoMs)));
        statSrttMicros = srttNanos / 1000;
        statRtoMillis = rtoNanos / 1_000_000;
    }

    private void armFinWait2() {
        if (finWait2Timer != null) {
            finWait2Timer.cancel();
        }
        finWait2Timer = host.schedule(millis(cfg.tcpFinTimeoutMs), () -> {
            finWait2Timer = null;
            if (state == TcpState.FIN_WAIT_2) {
                // Linux's tcp_keepalive_timer() for an orphan in FIN_WAIT_2: an active reset, then gone.
                terminate(SocketError.ETIMEDOUT, true);
            }
        });
    }

    private void enterTimeWait() {
        setState(TcpState.TIME_WAIT);
        cancelRtx();
        if (finWait2Timer != null) {
            finWait2Timer.cancel();
            finWait2Timer = null;
        }
        if (persistTimer != null) {
            persistTimer.cancel();
            persistTimer = null;
        }
        closeFuture.complete(null);
        notifyClosed(null);
        startTimeWait();
    }

    private void startTimeWait() {
        if (timeWaitTimer != null) {
            timeWaitTimer.cancel();
        }
        timeWaitTimer = host.schedule(millis(cfg.tcpTimeWaitMs), () -> {
            timeWaitTimer = null;
            if (state == TcpState.TIME_WAIT) {
                if (host.logging()) {
                    host.log("tcp: " + this + " TIME_WAIT -> CLOSED");
                }
                finish();
            }
        });
    }

    // ============================================================================================ ending

    /**
     * Ends the connection now.
     *
     * @param error   null for an orderly end, else what the application is told
     * @param sendRst send a RST first (abort, give-up after retries)
     */
    void terminate(SocketError error, boolean sendRst) {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (sendRst && state.synchronizedState() && state != TcpState.TIME_WAIT) {
            emit(sndMax, Tcp.RST | Tcp.ACK_FLAG, null, 0, 0);
            host.counters.tcpResetsSent++;
        }
        TcpState was = state;
        if (was == TcpState.SYN_RECEIVED && listener != null) {
            listener.abandoned();
        }
        if (host.logging()) {
            host.log("tcp: " + this + " " + was + " -> CLOSED" + (error == null ? "" : " (" + error + ")"));
        }
        closeError = was == TcpState.TIME_WAIT ? null : error;
        finish();
        HostNetworkException ex = error == null ? null : new HostNetworkException(error, toString());
        if (!connectFuture.isDone()) {
            connectFuture.completeExceptionally(ex != null ? ex
                    : new HostNetworkException(SocketError.ECONNABORTED, toString()));
        }
        while (!pendingWrites.isEmpty()) {
            pendingWrites.poll().future.completeExceptionally(ex != null ? ex
                    : new HostNetworkException(SocketError.EPIPE, toString()));
        }
        if (!finAckedFuture.isDone()) {
            if (error == null && finQueued) {
                finAckedFuture.complete(null);
            } else {
                finAckedFuture.completeExceptionally(ex != null ? ex
                        : new HostNetworkException(SocketError.EPIPE, toString()));
            }
        }
        while (!readers.isEmpty()) {
            CompletableFuture<byte[]> r = readers.poll();
            if (ex != null) {
                r.completeExceptionally(ex);
            } else {
                r.complete(new byte[0]);
            }
        }
        if (ex != null) {
            closeFuture.completeExceptionally(ex);
        } else {
            closeFuture.complete(null);
        }
        if (was != TcpState.TIME_WAIT && was != TcpState.SYN_RECEIVED) {
            notifyClosed(error);
        }
    }

    /** Removes the connection and stops its timers. */
    private void finish() {
        state = TcpState.CLOSED;
        cancelRtx();
        if (persistTimer != null) {
            persistTimer.cancel();
            persistTimer = null;
        }
        if (delAckTimer != null) {
            delAckTimer.cancel();
            delAckTimer = null;
        }
        if (timeWaitTimer != null) {
            timeWaitTimer.cancel();
            timeWaitTimer = null;
        }
        if (finWait2Timer != null) {
            finWait2Timer.cancel();
            finWait2Timer = null;
        }
        layer.remove(this);
    }

    private boolean closedNotified;

    private void notifyClosed(SocketError error) {
        if (closedNotified || handler == null) {
            return;
        }
        closedNotified = true;
        try {
            handler.onClosed(this, error);
        } catch (RuntimeException e) {
            host.callbackFailed("onClosed of " + this, e);
        }
    }

    private int finSeq() {
        return sndQueueSeq + sndQueue.size();
    }

    private boolean finAcked() {
        return finQueued && seqGt(sndUna, finSeq());
    }

    // ============================================================================================ application

    private void deliver(byte[] data) {
        if (handler != null) {
            try {
                handler.onData(this, data);
            } catch (RuntimeException e) {
                host.callbackFailed("onData of " + this, e);
            }
            return;
        }
        if (rcvQueue.size() == 0 && !readers.isEmpty()) {
            readers.poll().complete(data);
            return;
        }
        rcvQueue.append(data, 0, data.length);
    }

    private void deliverEof() {
        if (handler != null) {
            if (!eofDelivered) {
                eofDelivered = true;
                try {
                    handler.onEof(this);
                } catch (RuntimeException e) {
                    host.callbackFailed("onEof of " + this, e);
                }
            }
            return;
        }
        if (rcvQueue.size() == 0) {
            while (!readers.isEmpty()) {
                readers.poll().complete(new byte[0]);
            }
        }
    }

    /** After the application took data: advertise the space if it moves the edge enough (tcp_cleanup_rbuf()). */
    private void maybeWindowUpdate() {
        if (!state.synchronizedState() || state == TcpState.TIME_WAIT || finReceived) {
            return;
        }
        int field = windowField(false);
        int edge = rcvNxt + (field << rcvShift);
        int threshold = Math.min(cfg.tcpRcvBufBytes / 2, 2 * cfg.tcpMss());
        if (edge - rcvAdvEdge >= threshold) {
            sendAck();
        }
    }

    void setHandlerNow(TcpHandler h) {
        handler = h;
        if (h == null) {
            return;
        }
        if (rcvQueue.size() > 0) {
            byte[] data = rcvQueue.takeAll();
            deliver(data);
            maybeWindowUpdate();
        }
        if (finReceived) {
            deliverEof();
        }
        if (state == TcpState.CLOSED && closeFuture.isDone()) {
            notifyClosed(closeError);
        }
    }

    CompletableFuture<TcpConnection> connectFuture() {
        return connectFuture;
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress(host.config().ipv4(), localPort);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress(Addresses.inet4(remoteIp), remotePort);
    }

    @Override
    public TcpState state() {
        return state;
    }

    @Override
    public TcpStats stats() {
        return new TcpStats(statSegmentsSent, statSegmentsReceived, statBytesAcked, statBytesReceived,
                statRetransmits, statTimeouts, statFastRetransmits, statOutOfOrder, statProbes, statSrttMicros,
                statRtoMillis, statCwnd, statPeerWindow);
    }

    @Override
    public CompletableFuture<Void> write(byte[] data) {
        byte[] copy = data.clone();
        return host.submit("tcp write", () -> {
            if (closeError != null || state == TcpState.CLOSED) {
                return CompletableFuture.failedFuture(new HostNetworkException(
                        closeError != null ? closeError : SocketError.EPIPE, "write " + this));
            }
            if (finQueued || !(state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT
                    || state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED)) {
                return CompletableFuture.failedFuture(new HostNetworkException(SocketError.EPIPE, "write " + this));
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            sndQueue.append(copy, 0, copy.length);
            writtenTotal += copy.length;
            if (writtenTotal <= ackedTotal) {
                f.complete(null);
            } else {
                pendingWrites.add(new PendingWrite(writtenTotal, f));
            }
            trySend();
            return f;
        });
    }

    @Override
    public CompletableFuture<byte[]> read() {
        return host.submit("tcp read", () -> {
            if (rcvQueue.size() > 0) {
                byte[] data = rcvQueue.takeAll();
                maybeWindowUpdate();
                return CompletableFuture.completedFuture(data);
            }
            if (finReceived || (state == TcpState.CLOSED && closeError == null)) {
                return CompletableFuture.completedFuture(new byte[0]);
            }
            if (state == TcpState.CLOSED) {
                return CompletableFuture.failedFuture(new HostNetworkException(closeError, "read " + this));
            }
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            readers.add(f);
            return f;
        });
    }

    @Override
    public CompletableFuture<Void> setHandler(TcpHandler h) {
        return host.submit("tcp setHandler", () -> {
            setHandlerNow(h);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletableFuture<Void> close() {
        return host.submit("tcp close", () -> {
            switch (state) {
                case SYN_SENT:
                    terminate(SocketError.ECONNABORTED, false);
                    return CompletableFuture.completedFuture(null);
                case SYN_RECEIVED:
                case ESTABLISHED:
                    finQueued = true;
                    setState(TcpState.FIN_WAIT_1);
                    trySend();
                    break;
                case CLOSE_WAIT:
                    finQueued = true;
                    setState(TcpState.LAST_ACK);
                    trySend();
                    break;
                case CLOSED:
                    if (closeError != null && !finAckedFuture.isDone()) {
                        finAckedFuture.completeExceptionally(new HostNetworkException(closeError, toString()));
                    } else if (!finAckedFuture.isDone()) {
                        finAckedFuture.complete(null);
                    }
                    break;
                default:
                    break;
            }
            return finAckedFuture;
        });
    }

    @Override
    public CompletableFuture<Void> abort() {
        return host.submit("tcp abort", () -> {
            terminate(SocketError.ECONNABORTED, true);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    private void setState(TcpState s) {
        if (state != s && host.logging()) {
            host.log("tcp: " + this + " " + state + " -> " + s);
        }
        state = s;
    }

    @Override
    public String toString() {
        return host.name() + ":" + localPort + "<->" + Addresses.formatIpv4(remoteIp) + ":" + remotePort;
    }

    // ============================================================================================ helpers

    private static long millis(long ms) {
        return ms * 1_000_000L;
    }

    static boolean seqLt(int a, int b) {
        return a - b < 0;
    }

    static boolean seqLeq(int a, int b) {
        return a - b <= 0;
    }

    static boolean seqGt(int a, int b) {
        return a - b > 0;
    }

    static boolean seqGeq(int a, int b) {
        return a - b >= 0;
    }
}
