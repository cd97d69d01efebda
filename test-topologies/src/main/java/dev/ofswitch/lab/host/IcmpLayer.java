package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Addresses;
import dev.ofswitch.lab.host.wire.Bytes;
import dev.ofswitch.lab.host.wire.Checksum;
import dev.ofswitch.lab.host.wire.Ethernet;
import dev.ofswitch.lab.host.wire.Icmp;
import dev.ofswitch.lab.host.wire.Ipv4;
import dev.ofswitch.lab.host.wire.Tcp;
import dev.ofswitch.lab.host.wire.Udp;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * ICMP: echo replies, the ping client, and the dispatch of received ICMP errors to the socket that caused them.
 *
 * <h2>What</h2> Echo requests to the host's own address are answered (those to a broadcast address are ignored, as
 * Linux's {@code icmp_echo_ignore_broadcasts=1}). Echo replies go to the {@link PingSession} with their identifier.
 * Destination-unreachable and time-exceeded errors are matched by the header they quote (IP header plus 8 bytes,
 * which is all RFC 792 promises) to a ping session (by identifier and sequence), a UDP socket (by source port) or a
 * TCP connection (by 4-tuple and sequence number).
 *
 * <h2>Thread-safety</h2> Confined to the host's scheduler thread.
 */
final class IcmpLayer {
    private final EmulatedHost host;
    private final Map<Integer, PingSession> sessions = new HashMap<>();

    IcmpLayer(EmulatedHost host) {
        this.host = host;
    }

    /** A received ICMP message; {@code l4Len} is the IP payload length. */
    void receive(byte[] f, int ipOff, int l4, int l4Len, int srcIp, boolean toBroadcast) {
        if (l4Len < Icmp.HEADER_LEN) {
            host.malformed("icmp: shorter than its header");
            return;
        }
        if (Checksum.compute(f, l4, l4Len) != 0) {
            host.malformed("icmp: bad checksum");
            return;
        }
        int type = Icmp.type(f, l4);
        switch (type) {
            case Icmp.TYPE_ECHO_REQUEST:
                if (!toBroadcast) {
                    echoReply(f, l4, l4Len, srcIp);
                }
                return;
            case Icmp.TYPE_ECHO_REPLY: {
                PingSession s = sessions.get(Icmp.echoId(f, l4));
                if (s != null) {
                    s.reply(Icmp.echoSeq(f, l4), srcIp, Ipv4.ttl(f, ipOff), l4Len);
                }
                return;
            }
            case Icmp.TYPE_DEST_UNREACHABLE:
            case Icmp.TYPE_TIME_EXCEEDED:
                handleError(type, Icmp.code(f, l4), srcIp, f, l4 + Icmp.HEADER_LEN, l4Len - Icmp.HEADER_LEN);
                return;
            default:
                return;
        }
    }

    private void echoReply(byte[] req, int l4, int l4Len, int dstIp) {
        byte[] f = host.newIpFrame(Ipv4.PROTO_ICMP, dstIp, l4Len, false);
        int o = EmulatedHost.L4_OFFSET;
        System.arraycopy(req, l4, f, o, l4Len);
        f[o + Icmp.TYPE] = Icmp.TYPE_ECHO_REPLY;
        f[o + Icmp.CODE] = 0;
        Bytes.put16(f, o + Icmp.CSUM, 0);
        Bytes.put16(f, o + Icmp.CSUM, Checksum.compute(f, o, l4Len));
        host.counters.icmpEchoReplies++;
        host.ipOutput(f, dstIp);
    }

    /**
     * Dispatches an ICMP error to the socket whose packet it quotes.
     *
     * @param q    the quoted IP header's offset in {@code f}
     * @param qLen bytes quoted
     */
    void handleError(int type, int code, int fromIp, byte[] f, int q, int qLen) {
        if (qLen < Ipv4.HEADER_LEN || Ipv4.version(f, q) != 4) {
            host.malformed("icmp: error quotes no IPv4 header");
            return;
        }
        int ihl = Ipv4.headerLength(f, q);
        if (ihl < Ipv4.HEADER_LEN || qLen < ihl + Icmp.QUOTED_PAYLOAD) {
            host.malformed("icmp: error quotes less than the header and 8 bytes");
            return;
        }
        if (Ipv4.src(f, q) != host.ipInt()) {
            return;
        }
        int innerDst = Ipv4.dst(f, q);
        int l4 = q + ihl;
        SocketError err = errorOf(type, code);
        switch (Ipv4.protocol(f, q)) {
            case Ipv4.PROTO_ICMP:
                if (Icmp.type(f, l4) == Icmp.TYPE_ECHO_REQUEST) {
                    PingSession s = sessions.get(Icmp.echoId(f, l4));
                    if (s != null && s.dst == innerDst) {
                        s.error(Icmp.echoSeq(f, l4), fromIp, describe(type, code));
                    }
                }
                return;
            case Ipv4.PROTO_UDP:
                host.udp.error(Udp.srcPort(f, l4), innerDst, Udp.dstPort(f, l4), err);
                return;
            case Ipv4.PROTO_TCP:
                host.tcp.icmpError(Tcp.srcPort(f, l4), innerDst, Tcp.dstPort(f, l4), Tcp.seq(f, l4), err);
                return;
            default:
                return;
        }
    }

    /**
     * Reports a packet the host could not deliver (ARP failed) as Linux does: an ICMP host unreachable from our own
     * address, delivered locally to the sender.
     */
    void localHostUnreachable(byte[] frame) {
        int ip = Ethernet.HEADER_LEN;
        int ihl = Ipv4.headerLength(frame, ip);
        int len = Math.min(Ipv4.totalLength(frame, ip), ihl + Icmp.QUOTED_PAYLOAD);
        handleError(Icmp.TYPE_DEST_UNREACHABLE, Icmp.CODE_HOST_UNREACHABLE, host.ipInt(), frame, ip, len);
    }

    static SocketError errorOf(int type, int code) {
        if (type == Icmp.TYPE_DEST_UNREACHABLE) {
            switch (code) {
                case Icmp.CODE_NET_UNREACHABLE:
                    return SocketError.ENETUNREACH;
                case Icmp.CODE_PROTOCOL_UNREACHABLE:
                case Icmp.CODE_PORT_UNREACHABLE:
                    return SocketError.ECONNREFUSED;
                default:
                    return SocketError.EHOSTUNREACH;
            }
        }
        return SocketError.EHOSTUNREACH;
    }

    /** The text iputils' {@code pr_icmph()} prints for an error. */
    static String describe(int type, int code) {
        if (type == Icmp.TYPE_DEST_UNREACHABLE) {
            switch (code) {
                case 0:
                    return "Destination Net Unreachable";
                case 1:
                    return "Destination Host Unreachable";
                case 2:
                    return "Destination Protocol Unreachable";
                case 3:
                    return "Destination Port Unreachable";
                case 5:
                    return "Source Route Failed";
                default:
                    return "Dest Unreachable, Bad Code: " + code;
            }
        }
        if (type == Icmp.TYPE_TIME_EXCEEDED) {
            return code == 0 ? "Time to live exceeded" : "Frag reassembly time exceeded";
        }
        return "Bad ICMP type: " + type;
    }

    /** Starts a ping session; see {@link EmulatedHost#ping}. */
    CompletableFuture<PingResult> ping(int dst, int count, long intervalNanos, long timeoutNanos, int payloadSize) {
        int ident;
        do {
            ident = host.random().nextInt(0x10000);
        } while (sessions.containsKey(ident));
        PingSession s = new PingSession(ident, dst, count, intervalNanos, timeoutNanos, payloadSize);
        sessions.put(ident, s);
        s.sendNext();
        return s.future;
    }

    /** Ends every session with what it has (the host is stopping). */
    void stopAll() {
        for (PingSession s : new ArrayList<>(sessions.values())) {
            s.finish();
        }
    }

    /**
     * One run of {@code ping -c count -i interval -W timeout -s payloadSize dst}.
     *
     * <p>Requests go out at {@code start + k * interval}. Each request waits at most {@code timeout} for its reply; a
     * later reply is ignored. The session ends when every request has a reply, an error or a timeout. The payload is
     * iputils': an 8-byte-per-field {@code struct timeval} of the send time, then bytes counting up from 0x10.
     */
    private final class PingSession {
        final int ident;
        final int dst;
        final int count;
        final long intervalNanos;
        final long timeoutNanos;
        final int payloadSize;
        final CompletableFuture<PingResult> future = new CompletableFuture<>();
        final long startNanos;
        long lastSendNanos;
        final long[] sentNanos;
        final PingResult.Outcome[] outcomes;
        final long[] rtts;
        final int[] ttls;
        final String[] errors;
        final Cancellable[] timeouts;
        final List<String> lines = new ArrayList<>();
        int transmitted;
        int resolved;
        long received;
        long duplicates;
        long errorCount;
        int pipe;
        long tmin = Long.MAX_VALUE;
        long tmax;
        long tsum;
        long tsum2;
        Cancellable nextSend;
        boolean done;

        PingSession(int ident, int dst, int count, long intervalNanos, long timeoutNanos, int payloadSize) {
            this.ident = ident;
            this.dst = dst;
            this.count = count;
            this.intervalNanos = intervalNanos;
            this.timeoutNanos = timeoutNanos;
            this.payloadSize = payloadSize;
            this.startNanos = host.now();
            this.sentNanos = new long[count + 1];
            this.outcomes = new PingResult.Outcome[count + 1];
            this.rtts = new long[count + 1];
            this.ttls = new int[count + 1];
            this.errors = new String[count + 1];
            this.timeouts = new Cancellable[count + 1];
        }

        void sendNext() {
            nextSend = null;
            if (done) {
                return;
            }
            int seq = ++transmitted;
            long now = host.now();
            sentNanos[seq] = now;
            lastSendNanos = now;
            int icmpLen = Icmp.HEADER_LEN + payloadSize;
            byte[] f = host.newIpFrame(Ipv4.PROTO_ICMP, dst, icmpLen, true);
            int o = EmulatedHost.L4_OFFSET;
            f[o + Icmp.TYPE] = Icmp.TYPE_ECHO_REQUEST;
            Bytes.put16(f, o + Icmp.ECHO_ID, ident);
            Bytes.put16(f, o + Icmp.ECHO_SEQ, seq);
            int d = o + Icmp.HEADER_LEN;
            for (int i = 0; i < payloadSize; i++) {
                f[d + i] = (byte) i;
            }
            if (payloadSize >= 16) {
                long micros = Math.floorDiv(now, 1000L);
                long sec = Math.floorDiv(micros, 1_000_000L);
                long usec = Math.floorMod(micros, 1_000_000L);
                for (int i = 0; i < 8; i++) {
                    f[d + i] = (byte) (sec >>> (8 * i));
                    f[d + 8 + i] = (byte) (usec >>> (8 * i));
                }
            }
            Bytes.put16(f, o + Icmp.CSUM, Checksum.compute(f, o, icmpLen));
            SocketError err = host.ipOutput(f, dst);
            if (err != null) {
                // iputils: "ping: connect: Network is unreachable", before anything is counted.
                done = true;
                sessions.remove(ident);
                cancelTimers();
                future.completeExceptionally(new HostNetworkException(err,
                        "ping " + Addresses.formatIpv4(dst)));
                return;
            }
            timeouts[seq] = host.schedule(timeoutNanos, () -> timedOut(seq));
            if (transmitted < count) {
                long next = startNanos + transmitted * intervalNanos;
                nextSend = host.schedule(Math.max(0, next - now), this::sendNext);
            }
        }

        void reply(int seq, int from, int ttl, int icmpLen) {
            if (done || from != dst || seq < 1 || seq > transmitted) {
                return;
            }
            if (outcomes[seq] == PingResult.Outcome.LOST || outcomes[seq] == PingResult.Outcome.ERROR) {
                return;
            }
            long rtt = host.now() - sentNanos[seq];
            long trip = rtt / 1000;
            tsum += trip;
            tsum2 += trip * trip;
            tmin = Math.min(tmin, trip);
            tmax = Math.max(tmax, trip);
            pipe = Math.max(pipe, transmitted - seq + 1);
            boolean dup = outcomes[seq] == PingResult.Outcome.REPLIED;
            if (dup) {
                duplicates++;
            } else {
                received++;
                outcomes[seq] = PingResult.Outcome.REPLIED;
                rtts[seq] = rtt;
                ttls[seq] = ttl;
                cancel(seq);
                resolved++;
            }
            lines.add(icmpLen + " bytes from " + Addresses.formatIpv4(from) + ": icmp_seq=" + seq + " ttl=" + ttl
                    + " time=" + PingResult.formatReplyTime(trip) + (dup ? " (DUP!)" : ""));
            checkDone();
        }

        void error(int seq, int from, String text) {
            if (done || seq < 1 || seq > transmitted || outcomes[seq] != null) {
                return;
            }
            outcomes[seq] = PingResult.Outcome.ERROR;
            errors[seq] = text;
            errorCount++;
            pipe = Math.max(pipe, transmitted - seq + 1);
            cancel(seq);
            resolved++;
            lines.add("From " + Addresses.formatIpv4(from) + " icmp_seq=" + seq + " " + text);
            checkDone();
        }

        void timedOut(int seq) {
            timeouts[seq] = null;
            if (done || outcomes[seq] != null) {
                return;
            }
            outcomes[seq] = PingResult.Outcome.LOST;
            resolved++;
            checkDone();
        }

        private void cancel(int seq) {
            if (timeouts[seq] != null) {
                timeouts[seq].cancel();
                timeouts[seq] = null;
            }
        }

        private void checkDone() {
            if (transmitted == count && resolved == count) {
                finish();
            }
        }

        void finish() {
            if (done) {
                return;
            }
            done = true;
            sessions.remove(ident);
            cancelTimers();
            List<PingResult.Probe> probes = new ArrayList<>();
            for (int seq = 1; seq <= transmitted; seq++) {
                PingResult.Outcome o = outcomes[seq] == null ? PingResult.Outcome.LOST : outcomes[seq];
                probes.add(new PingResult.Probe(seq, o, o == PingResult.Outcome.REPLIED ? rtts[seq] : -1,
                        o == PingResult.Outcome.REPLIED ? ttls[seq] : -1, errors[seq]));
            }
            Inet4Address d = Addresses.inet4(dst);
            future.complete(new PingResult(d, payloadSize, probes, lines, transmitted, received, duplicates, 0,
                    errorCount, (lastSendNanos - startNanos) / 1000, pipe, tmin, tmax, tsum, tsum2));
        }

        private void cancelTimers() {
            if (nextSend != null) {
                nextSend.cancel();
                nextSend = null;
            }
            for (int i = 0; i < timeouts.length; i++) {
                if (timeouts[i] != null) {
                    timeouts[i].cancel();
                    timeouts[i] = null;
                }
            }
        }
    }
}
