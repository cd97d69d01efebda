package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Addresses;
import dev.ofswitch.lab.host.wire.Bytes;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * iperf between emulated hosts, reported the way Mininet's {@code iperf()} ({@code mininet/net.py}) prints it:
 * {@code *** Results: ['5.2 Gbits/sec', '5.3 Gbits/sec']}, server first, then client; for UDP the requested
 * bandwidth comes first: {@code *** Results: ['10M', '9.98 Mbits/sec', '10.0 Mbits/sec']}.
 *
 * <pre>{@code
 * Iperf.Result r = Iperf.tcp(h1, h2, 5001, 5000).join();   // while the scheduler runs
 * System.out.println(r.format());
 * }</pre>
 *
 * <h2>What is measured</h2> Goodput, in scheduler time. The TCP client counts bytes the server acknowledged, from
 * the handshake until its FIN is acknowledged; the TCP server counts bytes received in order, from accept until the
 * client's FIN. The UDP client sends {@value #UDP_DATAGRAM}-byte datagrams (iperf2's default) at the requested rate,
 * each starting with iperf2's header (a 32-bit sequence number and the send time as 32-bit seconds and
 * microseconds), then a negative sequence number as FIN up to {@value #UDP_FIN_TRIES} times until the server's
 * report comes back. The UDP server counts datagrams, losses (gaps in the sequence), reordering and jitter (RFC 3550
 * §6.4.1, in scheduler time) per client, and reports them when the FIN arrives. Rates are printed as iperf2 does
 * ({@code byte_snprintf()} for adaptive bits): SI units, two decimals below 10, one below 100, none above.
 *
 * <h2>Thread-safety</h2> The static helpers may be called from any thread; the work runs on the hosts' scheduler
 * threads.
 */
public final class Iperf {
    /** The UDP payload iperf2 sends by default (1470 bytes, so that the frame fits a 1500-byte MTU). */
    public static final int UDP_DATAGRAM = 1470;
    /** The size of one TCP write (iperf2's default {@code -l} for TCP). */
    public static final int TCP_WRITE = 128 * 1024;
    /** Writes kept outstanding by the TCP client. */
    static final int TCP_WRITES_IN_FLIGHT = 4;
    /** FIN datagrams the UDP client sends before giving up on the server's report (iperf2 tries 10 times). */
    public static final int UDP_FIN_TRIES = 10;
    /** Time between UDP FIN retries. */
    static final long UDP_FIN_INTERVAL_NANOS = 250_000_000L;
    /** Marks the datagram the server sends back with its report. */
    private static final int REPORT_MAGIC = 0x49505246;
    private static final int REPORT_LEN = 56;

    private Iperf() {
    }

    /**
     * One side's measurement.
     *
     * @param protocol      "TCP" or "UDP"
     * @param role          "client" or "server"
     * @param local         this side's address
     * @param remote        the other side's address
     * @param bytes         payload bytes counted (acknowledged for a TCP client, received for a server, sent for a
     *                      UDP client)
     * @param durationNanos the measurement interval in scheduler time
     * @param datagrams     UDP datagrams sent (client) or received (server); 0 for TCP
     * @param lost          UDP datagrams lost (server view); 0 otherwise
     * @param outOfOrder    UDP datagrams that arrived out of order (server view)
     * @param jitterMicros  UDP jitter (server view), microseconds
     * @param peer          for a UDP client, the report the server sent back, or null
     */
    public record Report(String protocol, String role, InetSocketAddress local, InetSocketAddress remote, long bytes,
            long durationNanos, long datagrams, long lost, long outOfOrder, long jitterMicros, Report peer) {

        /** Goodput in bits per second; 0 for an empty interval. */
        public double bitsPerSecond() {
            return durationNanos <= 0 ? 0 : bytes * 8.0 * 1e9 / durationNanos;
        }

        /** {@link #bitsPerSecond()} as iperf prints it: {@code 9.43 Gbits/sec}. */
        public String rate() {
            return formatRate(bitsPerSecond());
        }

        /** UDP loss as a percentage of the datagrams the server expected, or 0. */
        public double lossPercent() {
            Report server = "server".equals(role) ? this : peer;
            if (server == null || server.datagrams + server.lost == 0) {
                return 0;
            }
            return 100.0 * server.lost / (server.datagrams + server.lost);
        }

        @Override
        public String toString() {
            String s = protocol + " " + role + " " + format(local) + " <-> " + format(remote) + ": " + bytes + " bytes in "
                    + String.format(Locale.ROOT, "%.3f", durationNanos / 1e9) + " s, " + rate();
            if ("UDP".equals(protocol)) {
                s += ", " + datagrams + " datagrams, " + lost + " lost, " + outOfOrder + " out of order, jitter "
                        + String.format(Locale.ROOT, "%.3f", jitterMicros / 1000.0) + " ms";
            }
            return s;
        }

        private static String format(InetSocketAddress a) {
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }
    }

    /**
     * A run of Mininet's {@code net.iperf()}: both sides' reports.
     *
     * @param protocol     "TCP" or "UDP"
     * @param udpBandwidth the requested UDP rate as Mininet's {@code udpBw} string ("10M"), or null for TCP
     * @param server       the server's report
     * @param client       the client's report
     */
    public record Result(String protocol, String udpBandwidth, Report server, Report client) {
        /** The list Mininet's {@code iperf()} returns: {@code [server, client]}, with the UDP bandwidth first. */
        public List<String> values() {
            List<String> v = new ArrayList<>();
            if (udpBandwidth != null) {
                v.add(udpBandwidth);
            }
            v.add(server.rate());
            v.add(client.rate());
            return v;
        }

        /** {@code *** Results: ['5.2 Gbits/sec', '5.3 Gbits/sec']}. */
        public String format() {
            StringBuilder sb = new StringBuilder("*** Results: [");
            List<String> v = values();
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append('\'').append(v.get(i)).append('\'');
            }
            return sb.append(']').toString();
        }

        @Override
        public String toString() {
            return format();
        }
    }

    /** Formats a rate as iperf2's adaptive bits: {@code 943 Mbits/sec}, {@code 9.43 Gbits/sec}, {@code 12.5 Kbits/sec}. */
    public static String formatRate(double bitsPerSecond) {
        String[] units = {"bits/sec", "Kbits/sec", "Mbits/sec", "Gbits/sec", "Tbits/sec"};
        double v = bitsPerSecond;
        int u = 0;
        while (v >= 1000.0 && u < units.length - 1) {
            v /= 1000.0;
            u++;
        }
        String num;
        if (v < 9.995) {
            num = String.format(Locale.ROOT, "%.2f", v);
        } else if (v < 99.95) {
            num = String.format(Locale.ROOT, "%.1f", v);
        } else {
            num = String.format(Locale.ROOT, "%.0f", v);
        }
        return num + " " + units[u];
    }

    /** Mininet's {@code udpBw} spelling of a rate: {@code 10M}, {@code 500K}, or plain bits. */
    public static String formatBandwidthArg(long bitsPerSecond) {
        if (bitsPerSecond % 1_000_000_000L == 0) {
            return bitsPerSecond / 1_000_000_000L + "G";
        }
        if (bitsPerSecond % 1_000_000L == 0) {
            return bitsPerSecond / 1_000_000L + "M";
        }
        if (bitsPerSecond % 1000L == 0) {
            return bitsPerSecond / 1000L + "K";
        }
        return Long.toString(bitsPerSecond);
    }

    /**
     * {@code net.iperf([client, server], l4Type='TCP', seconds=...)}: restarts the server's iperf on {@code port},
     * runs the client for {@code durationMs}, and returns both reports.
     */
    public static CompletableFuture<Result> tcp(EmulatedHost client, EmulatedHost server, int port, long durationMs) {
        return server.iperfServer(port).thenCompose(srv -> {
            CompletableFuture<Report> serverReport = srv.nextReport();
            CompletableFuture<Report> clientReport = client.iperfTcp(server.ip(), port, durationMs);
            return clientReport.thenCombine(serverReport, (c, s) -> new Result("TCP", null, s, c))
                    .whenComplete((r, e) -> srv.close());
        });
    }

    /** {@code net.iperf([client, server], l4Type='UDP', udpBw=...)}. */
    public static CompletableFuture<Result> udp(EmulatedHost client, EmulatedHost server, int port,
            long rateBitsPerSecond, long durationMs) {
        return server.iperfServer(port).thenCompose(srv -> {
            CompletableFuture<Report> serverReport = srv.nextReport();
            CompletableFuture<Report> clientReport = client.iperfUdp(server.ip(), port, rateBitsPerSecond,
                    durationMs);
            return clientReport.thenCombine(serverReport,
                    (c, s) -> new Result("UDP", formatBandwidthArg(rateBitsPerSecond), s, c))
                    .whenComplete((r, e) -> srv.close());
        });
    }

    // ============================================================================================ server

    /** An iperf server on one host: a TCP listener and a UDP socket on the same port. */
    public static final class Server {
        private final EmulatedHost host;
        private final int port;
        private TcpListener listener;
        private UdpSocket udp;
        /** Finished sessions nobody asked for yet. */
        private final ArrayDeque<Report> reports = new ArrayDeque<>();
        private final ArrayDeque<CompletableFuture<Report>> waiting = new ArrayDeque<>();
        private final Map<Long, UdpSession> udpSessions = new HashMap<>();
        private boolean closed;

        Server(EmulatedHost host, int port) {
            this.host = host;
            this.port = port;
        }

        public int port() {
            return port;
        }

        /** The report of the next session to finish (or the oldest finished one nobody took). */
        public CompletableFuture<Report> nextReport() {
            return host.submit("iperf report", () -> {
                if (!reports.isEmpty()) {
                    return CompletableFuture.completedFuture(reports.poll());
                }
                CompletableFuture<Report> f = new CompletableFuture<>();
                waiting.add(f);
                return f;
            });
        }

        /** Stops the server; sessions in progress are abandoned. */
        public CompletableFuture<Void> close() {
            return host.submit("iperf server close", () -> {
                closeNow();
                return CompletableFuture.completedFuture(null);
            });
        }

        void closeNow() {
            if (closed) {
                return;
            }
            closed = true;
            host.iperfServerClosed(this);
            if (listener != null) {
                listener.close();
            }
            if (udp != null) {
                udp.close();
            }
            for (CompletableFuture<Report> f : waiting) {
                f.completeExceptionally(new HostNetworkException(SocketError.ECONNABORTED, "iperf server closed"));
            }
            waiting.clear();
        }

        private void publish(Report r) {
            if (!waiting.isEmpty()) {
                waiting.poll().complete(r);
            } else {
                reports.add(r);
            }
        }

        CompletableFuture<Server> start() {
            try {
                listener = host.tcp.listen(port, this::accepted);
                udp = host.udp.bind(port, this::udpDatagram);
            } catch (HostNetworkException e) {
                if (listener != null) {
                    listener.close();
                }
                return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.completedFuture(this);
        }

        private void accepted(TcpConnection c) {
            TcpSocket s = (TcpSocket) c;
            long start = host.now();
            long[] bytes = {0};
            s.setHandlerNow(new TcpHandler() {
                @Override
                public void onData(TcpConnection conn, byte[] data) {
                    bytes[0] += data.length;
                }

                @Override
                public void onEof(TcpConnection conn) {
                    long end = host.now();
                    publish(new Report("TCP", "server", conn.localAddress(), conn.remoteAddress(), bytes[0],
                            end - start, 0, 0, 0, 0, null));
                    conn.close();
                }
            });
        }

        private void udpDatagram(UdpSocket sock, Inet4Address src, int srcPort, byte[] payload) {
            if (payload.length < 12) {
                return;
            }
            long key = ((Addresses.ipv4(src) & 0xffff_ffffL) << 16) | srcPort;
            int id = Bytes.u32(payload, 0);
            UdpSession s = udpSessions.get(key);
            long now = host.now();
            if (id < 0) {
                if (s == null) {
                    s = new UdpSession(now);
                }
                if (s.report == null) {
                    s.report = new Report("UDP", "server", new InetSocketAddress(host.ip(), port),
                            new InetSocketAddress(src, srcPort), s.bytes, s.lastNanos - s.firstNanos, s.datagrams,
                            Math.max(0, (long) (-id - 1) - s.datagrams), s.outOfOrder,
                            (long) (s.jitterNanos / 1000), null);
                    udpSessions.put(key, s);
                    publish(s.report);
                }
                // Every FIN gets the report back, as iperf2's server acknowledges each one.
                sock.send(src, srcPort, encodeReport(id, s.report));
                return;
            }
            if (s == null || s.report != null) {
                s = new UdpSession(now);
                udpSessions.put(key, s);
            }
            s.datagrams++;
            s.bytes += payload.length;
            s.lastNanos = now;
            if (id < s.expected) {
                s.outOfOrder++;
            } else {
                s.expected = id + 1;
            }
            long sentNanos = (Bytes.u32(payload, 4) & 0xffff_ffffL) * 1_000_000_000L
                    + (Bytes.u32(payload, 8) & 0xffff_ffffL) * 1000L;
            long transit = now - sentNanos;
            if (s.hasTransit) {
                double d = Math.abs(transit - s.lastTransit);
                s.jitterNanos += (d - s.jitterNanos) / 16.0;
            }
            s.lastTransit = transit;
            s.hasTransit = true;
        }

        private static final class UdpSession {
            final long firstNanos;
            long lastNanos;
            long datagrams;
            long bytes;
            long outOfOrder;
            int expected;
            long lastTransit;
            boolean hasTransit;
            double jitterNanos;
            Report report;

            UdpSession(long now) {
                this.firstNanos = now;
                this.lastNanos = now;
            }
        }
    }

    private static byte[] encodeReport(int finId, Report r) {
        byte[] b = new byte[REPORT_LEN];
        Bytes.put32(b, 0, finId);
        Bytes.put32(b, 4, REPORT_MAGIC);
        putLong(b, 8, r.bytes());
        putLong(b, 16, r.datagrams());
        putLong(b, 24, r.lost());
        putLong(b, 32, r.outOfOrder());
        putLong(b, 40, r.jitterMicros());
        putLong(b, 48, r.durationNanos());
        return b;
    }

    private static void putLong(byte[] b, int i, long v) {
        Bytes.put32(b, i, (int) (v >>> 32));
        Bytes.put32(b, i + 4, (int) v);
    }

    private static long getLong(byte[] b, int i) {
        return ((long) Bytes.u32(b, i) << 32) | (Bytes.u32(b, i + 4) & 0xffff_ffffL);
    }

    /** The servers of one host, by port. Confined to the host's scheduler thread. */
    static final class ServerRegistry {
        private final EmulatedHost host;
        private final Map<Integer, Server> servers = new HashMap<>();

        ServerRegistry(EmulatedHost host) {
            this.host = host;
        }

        CompletableFuture<Server> start(int port) {
            Server old = servers.remove(port);
            if (old != null) {
                old.closeNow();
            }
            Server s = new Server(host, port);
            servers.put(port, s);
            return s.start().whenComplete((v, e) -> {
                if (e != null) {
                    servers.remove(port, s);
                }
            });
        }

        void remove(Server s) {
            servers.remove(s.port, s);
        }

        void clear() {
            for (Server s : new ArrayList<>(servers.values())) {
                s.closeNow();
            }
            servers.clear();
        }
    }

    // ============================================================================================ clients

    /** Runs on the client host's scheduler thread. */
    static CompletableFuture<Report> tcpClient(EmulatedHost h, int dst, int port, long durationNanos, long bytes) {
        return h.tcp.connect(dst, port, new TcpHandler() {
        }).thenCompose(c -> new TcpClient(h, (TcpSocket) c, durationNanos, bytes).run());
    }

    private static final class TcpClient {
        private final EmulatedHost host;
        private final TcpSocket conn;
        private final long durationNanos;
        private final long bytesLimit;
        private final long start;
        private long written;
        private int inFlight;
        private boolean closing;
        private final CompletableFuture<Report> result = new CompletableFuture<>();
        private static final byte[] CHUNK = new byte[TCP_WRITE];

        static {
            for (int i = 0; i < CHUNK.length; i++) {
                CHUNK[i] = (byte) ('0' + i % 10);
            }
        }

        TcpClient(EmulatedHost host, TcpSocket conn, long durationNanos, long bytesLimit) {
            this.host = host;
            this.conn = conn;
            this.durationNanos = durationNanos;
            this.bytesLimit = bytesLimit;
            this.start = host.now();
        }

        CompletableFuture<Report> run() {
            fill();
            return result;
        }

        private boolean done() {
            if (bytesLimit >= 0) {
                return written >= bytesLimit;
            }
            return host.now() - start >= durationNanos;
        }

        private void fill() {
            while (!closing && inFlight < TCP_WRITES_IN_FLIGHT && !done()) {
                int n = bytesLimit >= 0 ? (int) Math.min(TCP_WRITE, bytesLimit - written) : TCP_WRITE;
                byte[] chunk = n == TCP_WRITE ? CHUNK : Arrays.copyOf(CHUNK, n);
                written += n;
                inFlight++;
                conn.write(chunk).whenComplete((v, e) -> {
                    inFlight--;
                    if (e != null) {
                        result.completeExceptionally(e);
                        return;
                    }
                    fill();
                });
            }
            if (!closing && inFlight == 0 && done()) {
                closing = true;
                conn.close().whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                        return;
                    }
                    long end = host.now();
                    result.complete(new Report("TCP", "client", conn.localAddress(), conn.remoteAddress(),
                            conn.stats().bytesAcked(), end - start, 0, 0, 0, 0, null));
                });
            }
        }
    }

    /** Runs on the client host's scheduler thread. */
    static CompletableFuture<Report> udpClient(EmulatedHost h, int dst, int port, long rateBitsPerSecond,
            long durationNanos) {
        UdpClient client = new UdpClient(h, dst, port, rateBitsPerSecond, durationNanos);
        try {
            client.socket = h.udp.bind(0, client::datagram);
        } catch (HostNetworkException e) {
            return CompletableFuture.failedFuture(e);
        }
        client.sendNext();
        return client.result;
    }

    private static final class UdpClient {
        private final EmulatedHost host;
        private final int dst;
        private final int port;
        private final long intervalNanos;
        private final long durationNanos;
        private final long start;
        private UdpLayer.SocketImpl socket;
        private int nextId;
        private long bytes;
        private int finTries;
        private long end;
        private Cancellable timer;
        private final CompletableFuture<Report> result = new CompletableFuture<>();

        UdpClient(EmulatedHost host, int dst, int port, long rateBitsPerSecond, long durationNanos) {
            this.host = host;
            this.dst = dst;
            this.port = port;
            this.intervalNanos = Math.max(1, (long) (UDP_DATAGRAM * 8 * 1e9 / rateBitsPerSecond));
            this.durationNanos = durationNanos;
            this.start = host.now();
        }

        void sendNext() {
            timer = null;
            long now = host.now();
            if (now - start >= durationNanos) {
                end = now;
                sendFin();
                return;
            }
            byte[] d = new byte[UDP_DATAGRAM];
            for (int i = 12; i < d.length; i++) {
                d[i] = (byte) ('0' + i % 10);
            }
            Bytes.put32(d, 0, nextId++);
            long micros = Math.floorDiv(now, 1000L);
            Bytes.put32(d, 4, (int) Math.floorDiv(micros, 1_000_000L));
            Bytes.put32(d, 8, (int) Math.floorMod(micros, 1_000_000L));
            SocketError err = host.udp.send(socket.localPort(), dst, port, d);
            if (err != null) {
                fail(err);
                return;
            }
            bytes += d.length;
            long next = start + (long) nextId * intervalNanos;
            timer = host.schedule(Math.max(0, next - now), this::sendNext);
        }

        private void sendFin() {
            if (result.isDone()) {
                return;
            }
            if (finTries >= UDP_FIN_TRIES) {
                finish(null);
                return;
            }
            finTries++;
            byte[] d = new byte[UDP_DATAGRAM];
            Bytes.put32(d, 0, -(nextId + 1));
            host.udp.send(socket.localPort(), dst, port, d);
            timer = host.schedule(UDP_FIN_INTERVAL_NANOS, this::sendFin);
        }

        void datagram(UdpSocket s, Inet4Address src, int srcPort, byte[] p) {
            if (p.length < REPORT_LEN || Bytes.u32(p, 4) != REPORT_MAGIC || result.isDone()) {
                return;
            }
            Report server = new Report("UDP", "server", new InetSocketAddress(src, srcPort), local(), getLong(p, 8),
                    getLong(p, 48), getLong(p, 16), getLong(p, 24), getLong(p, 32), getLong(p, 40), null);
            finish(server);
        }

        private InetSocketAddress local() {
            return new InetSocketAddress(host.ip(), socket.localPort());
        }

        private void finish(Report server) {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            socket.close();
            result.complete(new Report("UDP", "client", local(), new InetSocketAddress(Addresses.inet4(dst), port),
                    bytes, end - start, nextId, 0, 0, 0, server));
        }

        private void fail(SocketError err) {
            if (timer != null) {
                timer.cancel();
            }
            socket.close();
            result.completeExceptionally(new HostNetworkException(err, "iperf udp"));
        }
    }
}
