package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Addresses;
import dev.ofswitch.lab.host.wire.Bytes;
import dev.ofswitch.lab.host.wire.Checksum;
import dev.ofswitch.lab.host.wire.Icmp;
import dev.ofswitch.lab.host.wire.Ipv4;
import dev.ofswitch.lab.host.wire.Udp;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * UDP: bound ports, datagram input and output, port unreachable for closed ports, and ICMP errors reported to the
 * sending socket.
 *
 * <p>Checksums are always computed on output (a computed 0 is sent as {@code 0xffff}) and verified on input unless
 * the field is 0. Datagrams to a closed port are answered with ICMP port unreachable (type 3 code 3) quoting the IP
 * header and 8 bytes, unless they were sent to a broadcast address (RFC 1122 §3.2.2). Payloads larger than
 * {@code mtu - 28} fail with {@link SocketError#EMSGSIZE}: the stack does not fragment.
 *
 * <h2>Thread-safety</h2> Confined to the host's scheduler thread; {@link SocketImpl}'s public methods marshal.
 */
final class UdpLayer {
    static final int EPHEMERAL_LOW = 32768;
    static final int EPHEMERAL_HIGH = 60999;

    private final EmulatedHost host;
    private final Map<Integer, SocketImpl> sockets = new HashMap<>();

    UdpLayer(EmulatedHost host) {
        this.host = host;
    }

    SocketImpl bind(int port, UdpHandler handler) throws HostNetworkException {
        if (port == 0) {
            int span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
            int start = host.random().nextInt(span);
            for (int i = 0; i < span && port == 0; i++) {
                int p = EPHEMERAL_LOW + (start + i) % span;
                if (!sockets.containsKey(p)) {
                    port = p;
                }
            }
            if (port == 0) {
                throw new HostNetworkException(SocketError.EADDRNOTAVAIL, "bind udp");
            }
        } else if (sockets.containsKey(port)) {
            throw new HostNetworkException(SocketError.EADDRINUSE, "bind udp " + port);
        }
        SocketImpl s = new SocketImpl(port, handler);
        sockets.put(port, s);
        return s;
    }

    void receive(byte[] f, int ipOff, int l4, int l4Len, int srcIp, int dstIp, boolean toBroadcast) {
        if (l4Len < Udp.HEADER_LEN) {
            host.malformed("udp: shorter than its header");
            return;
        }
        int ulen = Udp.length(f, l4);
        if (ulen < Udp.HEADER_LEN || ulen > l4Len) {
            host.malformed("udp: bad length " + ulen);
            return;
        }
        if (Udp.checksum(f, l4) != 0) {
            long sum = Checksum.addIpv4PseudoHeader(0, srcIp, dstIp, Ipv4.PROTO_UDP, ulen);
            if (Checksum.finish(Checksum.add(sum, f, l4, ulen)) != 0) {
                host.malformed("udp: bad checksum");
                return;
            }
        }
        int dstPort = Udp.dstPort(f, l4);
        SocketImpl s = sockets.get(dstPort);
        if (s == null) {
            host.counters.udpNoPort++;
            if (!toBroadcast) {
                host.sendIcmpError(Icmp.TYPE_DEST_UNREACHABLE, Icmp.CODE_PORT_UNREACHABLE, f, ipOff);
            }
            return;
        }
        byte[] payload = new byte[ulen - Udp.HEADER_LEN];
        System.arraycopy(f, l4 + Udp.HEADER_LEN, payload, 0, payload.length);
        try {
            s.handler.onDatagram(s, Addresses.inet4(srcIp), Udp.srcPort(f, l4), payload);
        } catch (RuntimeException e) {
            host.callbackFailed("udp handler on port " + dstPort, e);
        }
    }

    /** Sends a datagram; returns the error that prevented it, or null. */
    SocketError send(int srcPort, int dstIp, int dstPort, byte[] payload) {
        if (payload.length > host.config().mtu() - Ipv4.HEADER_LEN - Udp.HEADER_LEN) {
            return SocketError.EMSGSIZE;
        }
        if (srcPort < 1 || srcPort > 0xffff || dstPort < 1 || dstPort > 0xffff) {
            throw new IllegalArgumentException("ports must be 1..65535: " + srcPort + " -> " + dstPort);
        }
        int ulen = Udp.HEADER_LEN + payload.length;
        byte[] f = host.newIpFrame(Ipv4.PROTO_UDP, dstIp, ulen, true);
        int o = EmulatedHost.L4_OFFSET;
        Bytes.put16(f, o + Udp.SRC_PORT, srcPort);
        Bytes.put16(f, o + Udp.DST_PORT, dstPort);
        Bytes.put16(f, o + Udp.LENGTH, ulen);
        System.arraycopy(payload, 0, f, o + Udp.HEADER_LEN, payload.length);
        long sum = Checksum.addIpv4PseudoHeader(0, host.ipInt(), dstIp, Ipv4.PROTO_UDP, ulen);
        int csum = Checksum.finish(Checksum.add(sum, f, o, ulen));
        Bytes.put16(f, o + Udp.CSUM, csum == 0 ? 0xffff : csum);
        return host.ipOutput(f, dstIp);
    }

    /** An ICMP error quoting a datagram we sent from {@code srcPort}. */
    void error(int srcPort, int dstIp, int dstPort, SocketError err) {
        SocketImpl s = sockets.get(srcPort);
        if (s == null) {
            return;
        }
        try {
            s.handler.onError(s, Addresses.inet4(dstIp), dstPort, err);
        } catch (RuntimeException e) {
            host.callbackFailed("udp error handler on port " + srcPort, e);
        }
    }

    void closeAll() {
        sockets.clear();
    }

    final class SocketImpl implements UdpSocket {
        private final int port;
        final UdpHandler handler;

        SocketImpl(int port, UdpHandler handler) {
            this.port = port;
            this.handler = handler;
        }

        @Override
        public int localPort() {
            return port;
        }

        @Override
        public CompletableFuture<Void> send(InetAddress dst, int dstPort, byte[] payload) {
            int d = Addresses.ipv4(dst);
            byte[] copy = payload.clone();
            return host.submit("udp send", () -> {
                if (sockets.get(port) != this) {
                    return CompletableFuture.failedFuture(new HostNetworkException(SocketError.EPIPE,
                            "udp send from closed port " + port));
                }
                SocketError err = UdpLayer.this.send(port, d, dstPort, copy);
                return err == null ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.failedFuture(new HostNetworkException(err,
                                "udp send to " + Addresses.formatIpv4(d) + ":" + dstPort));
            });
        }

        @Override
        public CompletableFuture<Void> close() {
            return host.submit("udp close", () -> {
                sockets.remove(port, this);
                return CompletableFuture.completedFuture(null);
            });
        }

        @Override
        public String toString() {
            return "udp " + host.name() + ":" + port;
        }
    }

    /** Bound ports, for diagnostics. */
    List<Integer> ports() {
        return new ArrayList<>(sockets.keySet());
    }
}
