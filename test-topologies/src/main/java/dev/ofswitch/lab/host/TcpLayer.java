package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Addresses;
import dev.ofswitch.lab.host.wire.Bytes;
import dev.ofswitch.lab.host.wire.Checksum;
import dev.ofswitch.lab.host.wire.Ipv4;
import dev.ofswitch.lab.host.wire.Tcp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * TCP demultiplexing: the connection table, listeners, ephemeral ports, segment construction, and the answers to
 * segments that belong to no connection.
 *
 * <p>A segment is checked (length, data offset, checksum with the pseudo-header, non-zero ports) and handed to the
 * connection with its 4-tuple, else to a listener if it is a bare SYN, else answered with a RST as RFC 9293
 * §3.10.7.1 says for a CLOSED port: {@code <SEQ=SEG.ACK><CTL=RST>} if it carried an ACK, else
 * {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}. A RST is never answered.
 *
 * <h2>Thread-safety</h2> Confined to the host's scheduler thread.
 */
final class TcpLayer {
    final EmulatedHost host;
    final HostConfig cfg;
    private final Map<Long, TcpSocket> connections = new HashMap<>();
    private final Map<Integer, ListenerImpl> listeners = new HashMap<>();

    TcpLayer(EmulatedHost host, HostConfig cfg) {
        this.host = host;
        this.cfg = cfg;
    }

    static long key(int remoteIp, int localPort, int remotePort) {
        return ((remoteIp & 0xffff_ffffL) << 32) | ((long) localPort << 16) | remotePort;
    }

    void receive(byte[] f, int ipOff, int l4, int l4Len, int srcIp, int dstIp) {
        if (l4Len < Tcp.HEADER_LEN) {
            host.malformed("tcp: shorter than its header");
            return;
        }
        int hl = Tcp.headerLength(f, l4);
        if (hl < Tcp.HEADER_LEN || hl > l4Len) {
            host.malformed("tcp: bad data offset " + hl);
            return;
        }
        long sum = Checksum.addIpv4PseudoHeader(0, srcIp, dstIp, Ipv4.PROTO_TCP, l4Len);
        if (Checksum.finish(Checksum.add(sum, f, l4, l4Len)) != 0) {
            host.malformed("tcp: bad checksum");
            return;
        }
        int srcPort = Tcp.srcPort(f, l4);
        int dstPort = Tcp.dstPort(f, l4);
        if (srcPort == 0 || dstPort == 0) {
            host.malformed("tcp: port 0");
            return;
        }
        int flags = Tcp.flags(f, l4);
        TcpSocket s = connections.get(key(srcIp, dstPort, srcPort));
        if (s != null) {
            s.segmentArrives(f, l4, hl, l4Len - hl);
            return;
        }
        ListenerImpl l = listeners.get(dstPort);
        if (l != null && (flags & (Tcp.SYN | Tcp.ACK_FLAG | Tcp.RST | Tcp.FIN)) == Tcp.SYN) {
            l.synArrives(f, l4, hl, srcIp, srcPort);
            return;
        }
        if ((flags & Tcp.RST) != 0) {
            return;
        }
        int segLen = l4Len - hl + ((flags & Tcp.SYN) != 0 ? 1 : 0) + ((flags & Tcp.FIN) != 0 ? 1 : 0);
        if ((flags & Tcp.ACK_FLAG) != 0) {
            sendReset(srcIp, dstPort, srcPort, Tcp.ack(f, l4), 0, Tcp.RST);
        } else {
            sendReset(srcIp, dstPort, srcPort, 0, Tcp.seq(f, l4) + segLen, Tcp.RST | Tcp.ACK_FLAG);
        }
    }

    void sendReset(int remoteIp, int localPort, int remotePort, int seq, int ack, int flags) {
        byte[] f = segmentFrame(remoteIp, localPort, remotePort, seq, ack, flags, 0, null, 0);
        finishSegment(f, remoteIp, 0);
        host.counters.tcpResetsSent++;
        if (host.logging()) {
            host.log("tcp: RST to " + Addresses.formatIpv4(remoteIp) + ":" + remotePort + " from port " + localPort);
        }
        host.ipOutput(f, remoteIp);
    }

    /**
     * A frame holding a TCP segment with its header written and room for {@code dataLength} bytes of data after it;
     * the caller copies the data in and calls {@link #finishSegment}.
     *
     * @param options the options, a multiple of 4 bytes, or null
     */
    byte[] segmentFrame(int remoteIp, int localPort, int remotePort, int seq, int ack, int flags, int window,
            byte[] options, int dataLength) {
        int optLen = options == null ? 0 : options.length;
        int hl = Tcp.HEADER_LEN + optLen;
        byte[] f = host.newIpFrame(Ipv4.PROTO_TCP, remoteIp, hl + dataLength, true);
        int o = EmulatedHost.L4_OFFSET;
        Bytes.put16(f, o + Tcp.SRC_PORT, localPort);
        Bytes.put16(f, o + Tcp.DST_PORT, remotePort);
        Bytes.put32(f, o + Tcp.SEQ, seq);
        Bytes.put32(f, o + Tcp.ACK, (flags & Tcp.ACK_FLAG) != 0 ? ack : 0);
        f[o + Tcp.DATA_OFFSET] = (byte) ((hl / 4) << 4);
        f[o + Tcp.FLAGS] = (byte) flags;
        Bytes.put16(f, o + Tcp.WINDOW, window);
        if (optLen > 0) {
            System.arraycopy(options, 0, f, o + Tcp.HEADER_LEN, optLen);
        }
        return f;
    }

    /** Data offset of a segment built by {@link #segmentFrame}. */
    static int dataOffset(byte[] f) {
        int o = EmulatedHost.L4_OFFSET;
        return o + Tcp.headerLength(f, o);
    }

    /** Computes the checksum of a segment built by {@link #segmentFrame} once its data is in place. */
    void finishSegment(byte[] f, int remoteIp, int dataLength) {
        int o = EmulatedHost.L4_OFFSET;
        int len = Tcp.headerLength(f, o) + dataLength;
        long sum = Checksum.addIpv4PseudoHeader(0, host.ipInt(), remoteIp, Ipv4.PROTO_TCP, len);
        Bytes.put16(f, o + Tcp.CSUM, Checksum.finish(Checksum.add(sum, f, o, len)));
    }

    /** Registers a connection under its 4-tuple. */
    void add(TcpSocket s) {
        connections.put(s.key, s);
    }

    void remove(TcpSocket s) {
        connections.remove(s.key, s);
    }

    /** Picks a free ephemeral port for {@code remoteIp:remotePort}, from a random start, as Linux's range. */
    int ephemeralPort(int remoteIp, int remotePort) throws HostNetworkException {
        int span = UdpLayer.EPHEMERAL_HIGH - UdpLayer.EPHEMERAL_LOW + 1;
        int start = host.random().nextInt(span);
        for (int i = 0; i < span; i++) {
            int p = UdpLayer.EPHEMERAL_LOW + (start + i) % span;
            if (!listeners.containsKey(p) && !connections.containsKey(key(remoteIp, p, remotePort))) {
                return p;
            }
        }
        throw new HostNetworkException(SocketError.EADDRNOTAVAIL, "connect");
    }

    CompletableFuture<TcpConnection> connect(int remoteIp, int remotePort, TcpHandler handler) {
        int localPort;
        try {
            localPort = ephemeralPort(remoteIp, remotePort);
        } catch (HostNetworkException e) {
            return CompletableFuture.failedFuture(e);
        }
        // Linux's tcp_v4_connect(): no route, or a broadcast destination, is ENETUNREACH.
        if ((host.nextHop(remoteIp) == 0 && remoteIp != host.ipInt()) || host.isBroadcast(remoteIp)) {
            return CompletableFuture.failedFuture(new HostNetworkException(SocketError.ENETUNREACH,
                    "connect " + Addresses.formatIpv4(remoteIp) + ":" + remotePort));
        }
        TcpSocket s = new TcpSocket(this, localPort, remoteIp, remotePort, null);
        s.setHandlerNow(handler);
        add(s);
        host.counters.tcpActiveOpens++;
        s.openActive();
        return s.connectFuture();
    }

    TcpListener listen(int port, Consumer<TcpConnection> acceptHandler) throws HostNetworkException {
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        if (listeners.containsKey(port)) {
            throw new HostNetworkException(SocketError.EADDRINUSE, "listen " + port);
        }
        ListenerImpl l = new ListenerImpl(port, acceptHandler);
        listeners.put(port, l);
        return l;
    }

    /** An ICMP error quoting a segment we sent. */
    void icmpError(int localPort, int remoteIp, int remotePort, int seq, SocketError err) {
        TcpSocket s = connections.get(key(remoteIp, localPort, remotePort));
        if (s != null) {
            s.icmpError(seq, err);
        }
    }

    /** Drops every connection and listener without sending anything (the host went down). */
    void shutdown() {
        for (TcpSocket s : new ArrayList<>(connections.values())) {
            s.terminate(SocketError.ENETDOWN, false);
        }
        listeners.clear();
    }

    List<TcpSocket> connections() {
        return new ArrayList<>(connections.values());
    }

    List<Integer> listeningPorts() {
        return new ArrayList<>(listeners.keySet());
    }

    final class ListenerImpl implements TcpListener {
        final int port;
        final Consumer<TcpConnection> acceptHandler;
        /** Connections in SYN_RECEIVED that came from this listener. */
        int halfOpen;

        ListenerImpl(int port, Consumer<TcpConnection> acceptHandler) {
            this.port = port;
            this.acceptHandler = acceptHandler;
        }

        void synArrives(byte[] f, int l4, int hl, int srcIp, int srcPort) {
            if (halfOpen >= cfg.tcpBacklog) {
                if (host.logging()) {
                    host.log("tcp: listen queue of port " + port + " full, SYN dropped");
                }
                return;
            }
            halfOpen++;
            TcpSocket s = new TcpSocket(TcpLayer.this, port, srcIp, srcPort, this);
            add(s);
            s.openPassive(f, l4, hl);
        }

        void accepted(TcpSocket s) {
            halfOpen--;
            host.counters.tcpPassiveOpens++;
            if (listeners.get(port) != this) {
                return;
            }
            try {
                acceptHandler.accept(s);
            } catch (RuntimeException e) {
                host.callbackFailed("accept handler of port " + port, e);
            }
        }

        void abandoned() {
            halfOpen--;
        }

        @Override
        public int localPort() {
            return port;
        }

        @Override
        public CompletableFuture<Void> close() {
            return host.submit("tcp listener close", () -> {
                if (listeners.remove(port, this)) {
                    for (TcpSocket s : connections()) {
                        if (s.listener == this && s.state() == TcpState.SYN_RECEIVED) {
                            s.terminate(null, false);
                        }
                    }
                }
                return CompletableFuture.completedFuture(null);
            });
        }

        @Override
        public String toString() {
            return "tcp listener " + host.name() + ":" + port;
        }
    }
}
