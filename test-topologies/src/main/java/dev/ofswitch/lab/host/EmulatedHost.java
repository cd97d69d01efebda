package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Addresses;
import dev.ofswitch.lab.host.wire.Bytes;
import dev.ofswitch.lab.host.wire.Checksum;
import dev.ofswitch.lab.host.wire.Ethernet;
import dev.ofswitch.lab.host.wire.FrameFormat;
import dev.ofswitch.lab.host.wire.Icmp;
import dev.ofswitch.lab.host.wire.Ipv4;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An emulated host: one NIC, one IPv4 address, and a network stack good enough that a controller sees realistic
 * traffic and a connection tracker sees real TCP.
 *
 * <pre>{@code
 * EmulatedHost h1 = new EmulatedHost(HostConfig.builder("h1").mac("00:00:00:00:00:01").ipv4("10.0.0.1", 8).build(),
 *         scheduler, frame -> link.transmit(frame));
 * h1.start();
 * // the runtime calls h1.receive(frame) on the scheduler thread for every frame the link delivers
 * System.out.println(h1.ping(Addresses.inet4("10.0.0.2"), 3).join().format());
 * }</pre>
 *
 * <h2>What the stack does</h2>
 * <table>
 * <caption>Protocols</caption>
 * <tr><th>layer</th><th>supported</th><th>deliberately not</th></tr>
 * <tr><td>Ethernet</td><td>Ethernet II, frames for our MAC and broadcast, padding to 60 bytes</td><td>VLAN tags,
 * multicast, promiscuous mode</td></tr>
 * <tr><td>ARP</td><td>requests, replies, Linux's neighbour states and timers, bounded pending queue, failure
 * reported as host unreachable, optional gratuitous ARP ({@link Neighbors})</td><td>proxy ARP, ARP probes for
 * duplicate addresses</td></tr>
 * <tr><td>IPv4</td><td>one address, on-link routing plus a default gateway, header checksums, TTL 64, incrementing
 * IP ids, loopback to our own address</td><td>options, fragmentation and reassembly (fragments are dropped;
 * oversized UDP and ping fail with EMSGSIZE), forwarding, IPv6 (the address types are {@link InetAddress} so it can
 * come later)</td></tr>
 * <tr><td>ICMP</td><td>echo reply, ping with iputils' statistics and output, port and protocol unreachable
 * (rate-limited), errors delivered to the sending socket ({@link IcmpLayer})</td><td>redirects, timestamps,
 * replying to broadcast echo</td></tr>
 * <tr><td>UDP</td><td>bind, send, checksums, port unreachable, error reporting ({@link UdpLayer})</td><td>multicast,
 * connected sockets</td></tr>
 * <tr><td>TCP</td><td>see {@link TcpSocket}</td><td>SACK, timestamps, Nagle, urgent data, keep-alive</td></tr>
 * </table>
 *
 * <h2>DF and IP ids</h2> As Linux with its default {@code ip_no_pmtu_disc=0}: TCP segments, UDP datagrams and echo
 * requests carry DF (path MTU discovery is wanted for all of them); echo replies and ICMP errors do not. IP ids come
 * from one counter per host that starts at a random value and increments for every packet, which is what the lab
 * asks for; Linux keeps per-socket or per-destination counters instead.
 *
 * <h2>Threading</h2> All state is confined to the {@link HostScheduler}'s thread. {@link #receive(byte[])} must be
 * called on it. A {@link FrameSender} may deliver synchronously (calling some host's {@code receive} from inside
 * {@code send}): a frame that re-enters a host while it is busy waits until the host's current work is done, so
 * the stack never sees itself half-way through an update. Every other public method may be called from any thread: it enqueues its work with
 * {@link HostScheduler#execute} and returns a {@link CompletableFuture} that the scheduler thread completes, so it
 * never blocks that thread (do not {@code join()} such a future on the scheduler thread itself). {@link #counters()}
 * reads volatile counters directly. Callbacks (handlers, accept handlers) run on the scheduler thread.
 *
 * <h2>Robustness</h2> A frame that cannot be parsed, is truncated, or fails a checksum is dropped and counted in
 * {@link HostCounters#rxMalformed()}; {@link #receive(byte[])} never throws. A handler that throws is logged and the
 * stack carries on.
 */
public final class EmulatedHost {
    /** Where the L4 header starts in frames this host builds: Ethernet plus an option-less IPv4 header. */
    static final int L4_OFFSET = Ethernet.HEADER_LEN + Ipv4.HEADER_LEN;

    private final HostConfig config;
    private final HostScheduler scheduler;
    private final FrameSender nic;
    private final int ip;
    private final int mask;
    private final long mac;
    private final Random random;
    final Counters counters = new Counters();
    final Neighbors neighbors;
    final IcmpLayer icmp;
    final UdpLayer udp;
    final TcpLayer tcp;
    private final Iperf.ServerRegistry iperfServers;

    /** Written on the scheduler thread; read anywhere. */
    private volatile boolean up;
    /** How deep the scheduler thread is inside this host's code; frames arriving while it is above 0 wait. */
    private int depth;
    /** Frames that arrived re-entrantly (a NIC that delivers synchronously), processed when the stack is idle. */
    private final ArrayDeque<byte[]> deferred = new ArrayDeque<>();
    private int nextIpId;
    /** ICMP error token bucket: credit in messages, refilled with time (Linux's icmp_global_allow()). */
    private long icmpCredit;
    private long icmpCreditStampNanos;

    /**
     * Creates a host that is down until {@link #start()}.
     *
     * @param config    identity and stack settings
     * @param scheduler the thread and clock of the stack
     * @param nic       where frames go
     */
    public EmulatedHost(HostConfig config, HostScheduler scheduler, FrameSender nic) {
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nic = Objects.requireNonNull(nic, "nic");
        this.ip = config.ipv4Int();
        this.mask = Addresses.netmask(config.prefixLength());
        this.mac = config.mac();
        this.random = new Random(config.seed());
        this.nextIpId = random.nextInt(0x10000);
        this.neighbors = new Neighbors(this, config);
        this.icmp = new IcmpLayer(this);
        this.udp = new UdpLayer(this);
        this.tcp = new TcpLayer(this, config);
        this.iperfServers = new Iperf.ServerRegistry(this);
        this.icmpCredit = config.icmpMsgsBurst;
    }

    // ============================================================================================ identity

    public String name() {
        return config.name();
    }

    public HostConfig config() {
        return config;
    }

    public Inet4Address ip() {
        return config.ipv4();
    }

    public String mac() {
        return config.macString();
    }

    /** Whether the host is up (between {@link #start()} and {@link #stop()}). */
    public boolean isUp() {
        return up;
    }

    @Override
    public String toString() {
        return config.toString();
    }

    // ============================================================================================ lifecycle

    /** Brings the host up; sends a gratuitous ARP if configured. */
    public CompletableFuture<Void> start() {
        return submit("start", () -> {
            if (!up) {
                up = true;
                icmpCreditStampNanos = now();
                if (config.gratuitousArp()) {
                    neighbors.announce();
                }
                log("up");
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Takes the host down as if its cable were pulled: connections end with {@link SocketError#ENETDOWN} without
     * sending anything, sockets and listeners close, pings end with what they have, the neighbour table is flushed.
     */
    public CompletableFuture<Void> stop() {
        return submit("stop", () -> {
            if (up) {
                up = false;
                tcp.shutdown();
                udp.closeAll();
                icmp.stopAll();
                neighbors.clear();
                iperfServers.clear();
                log("down");
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** The counters, read without marshalling. */
    public HostCounters counters() {
        return counters.snapshot();
    }

    /** The neighbour table ({@code ip neigh}). */
    public CompletableFuture<List<ArpEntry>> arpTable() {
        return submit("arp table", () -> CompletableFuture.completedFuture(neighbors.snapshot()));
    }

    /**
     * The host's sockets as {@code netstat -tun} lists them: {@code tcp ESTABLISHED 10.0.0.1:40000 10.0.0.2:5001},
     * listeners as {@code tcp LISTEN 10.0.0.1:80}, bound UDP ports as {@code udp 10.0.0.1:53}.
     */
    public CompletableFuture<List<String>> netstat() {
        return submit("netstat", () -> {
            List<String> out = new ArrayList<>();
            String me = Addresses.formatIpv4(ip);
            for (int port : tcp.listeningPorts()) {
                out.add("tcp LISTEN " + me + ":" + port);
            }
            for (TcpSocket s : tcp.connections()) {
                out.add("tcp " + s.state() + " " + me + ":" + s.localPort + " " + Addresses.formatIpv4(s.remoteIp)
                        + ":" + s.remotePort);
            }
            for (int port : udp.ports()) {
                out.add("udp " + me + ":" + port);
            }
            out.sort(null);
            return CompletableFuture.completedFuture(out);
        });
    }

    /** Forgets every neighbour ({@code ip neigh flush all}). */
    public CompletableFuture<Void> flushArp() {
        return submit("arp flush", () -> {
            neighbors.clear();
            return CompletableFuture.completedFuture(null);
        });
    }

    // ============================================================================================ ping

    /**
     * {@code ping -c count -i interval -W timeout -s payloadSize dst}.
     *
     * @param dst         destination
     * @param count       requests to send, at least 1
     * @param intervalMs  time between requests
     * @param timeoutMs   how long each request waits for its reply
     * @param payloadSize ICMP data bytes (56 by default in iputils), at most {@code mtu - 28}
     * @return the result once every request has a reply, an error or a timeout; fails with
     *     {@link SocketError#ENETUNREACH} when there is no route, {@link SocketError#EMSGSIZE} for a payload that
     *     needs fragmentation
     */
    public CompletableFuture<PingResult> ping(InetAddress dst, int count, long intervalMs, long timeoutMs,
            int payloadSize) {
        int d = Addresses.ipv4(dst);
        if (count < 1 || intervalMs < 0 || timeoutMs < 1 || payloadSize < 0) {
            throw new IllegalArgumentException("count >= 1, intervalMs >= 0, timeoutMs >= 1, payloadSize >= 0");
        }
        return submitUp("ping", () -> {
            if (payloadSize > config.mtu() - Ipv4.HEADER_LEN - Icmp.HEADER_LEN) {
                return CompletableFuture.failedFuture(new HostNetworkException(SocketError.EMSGSIZE, "ping"));
            }
            return icmp.ping(d, count, intervalMs * 1_000_000L, timeoutMs * 1_000_000L, payloadSize);
        });
    }

    /** {@code ping -c count dst}: one request a second, 56 bytes, each waiting up to 10 s (iputils' linger). */
    public CompletableFuture<PingResult> ping(InetAddress dst, int count) {
        return ping(dst, count, 1000, 10_000, 56);
    }

    // ============================================================================================ UDP

    /**
     * Binds a UDP port.
     *
     * @param port    1..65535, or 0 for an ephemeral port
     * @param handler receives datagrams and errors on the scheduler thread
     * @return the socket; fails with {@link SocketError#EADDRINUSE}
     */
    public CompletableFuture<UdpSocket> bind(int port, UdpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        return submitUp("udp bind", () -> {
            try {
                return CompletableFuture.completedFuture(udp.bind(port, handler));
            } catch (HostNetworkException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * Sends one UDP datagram from {@code srcPort}, bound or not. Errors that come back by ICMP go to the socket bound
     * to {@code srcPort}, if any.
     *
     * @return completes once the datagram is handed to IP (it may still wait for ARP); fails with
     *     {@link SocketError#ENETUNREACH} or {@link SocketError#EMSGSIZE}
     */
    public CompletableFuture<Void> sendUdp(int srcPort, InetAddress dst, int dstPort, byte[] payload) {
        int d = Addresses.ipv4(dst);
        byte[] copy = payload.clone();
        return submitUp("udp send", () -> {
            SocketError err = udp.send(srcPort, d, dstPort, copy);
            return err == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new HostNetworkException(err,
                            "udp send to " + Addresses.formatIpv4(d) + ":" + dstPort));
        });
    }

    // ============================================================================================ TCP

    /**
     * Listens on a TCP port.
     *
     * @param acceptHandler called on the scheduler thread with each connection once its handshake completes; the
     *     connection is in pull mode until the handler calls {@link TcpConnection#setHandler}
     */
    public CompletableFuture<TcpListener> listen(int port, Consumer<TcpConnection> acceptHandler) {
        Objects.requireNonNull(acceptHandler, "acceptHandler");
        return submitUp("tcp listen", () -> {
            try {
                return CompletableFuture.completedFuture(tcp.listen(port, acceptHandler));
            } catch (HostNetworkException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** Opens a TCP connection in pull mode; see {@link #connect(InetAddress, int, TcpHandler)}. */
    public CompletableFuture<TcpConnection> connect(InetAddress dst, int port) {
        return connect(dst, port, null);
    }

    /**
     * Opens a TCP connection from an ephemeral port.
     *
     * @param handler push-mode handler, installed before the SYN goes out; null for pull mode
     * @return the connection once established; fails with {@link SocketError#ECONNREFUSED} (RST or port
     *     unreachable), {@link SocketError#EHOSTUNREACH} (ARP failed), {@link SocketError#ETIMEDOUT} (no answer
     *     after {@code tcpSynRetries}) or {@link SocketError#ENETUNREACH}
     */
    public CompletableFuture<TcpConnection> connect(InetAddress dst, int port, TcpHandler handler) {
        int d = Addresses.ipv4(dst);
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        return submitUp("tcp connect", () -> tcp.connect(d, port, handler));
    }

    // ============================================================================================ iperf

    /**
     * Starts an iperf server (TCP and UDP) on {@code port}, replacing one already there, as Mininet's
     * {@code iperf()} kills and restarts the server.
     */
    public CompletableFuture<Iperf.Server> iperfServer(int port) {
        return submitUp("iperf server", () -> iperfServers.start(port));
    }

    /**
     * An iperf TCP client: sends for {@code durationMs} of scheduler time, then closes.
     *
     * @return the client's report once the connection is closed
     */
    public CompletableFuture<Iperf.Report> iperfTcp(InetAddress server, int port, long durationMs) {
        int d = Addresses.ipv4(server);
        if (durationMs <= 0) {
            throw new IllegalArgumentException("durationMs must be positive: " + durationMs);
        }
        return submitUp("iperf tcp", () -> Iperf.tcpClient(this, d, port, durationMs * 1_000_000L, -1));
    }

    /** An iperf TCP client that sends exactly {@code bytes} ({@code iperf -n}), then closes. */
    public CompletableFuture<Iperf.Report> iperfTcpBytes(InetAddress server, int port, long bytes) {
        int d = Addresses.ipv4(server);
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be positive: " + bytes);
        }
        return submitUp("iperf tcp", () -> Iperf.tcpClient(this, d, port, -1, bytes));
    }

    /**
     * An iperf UDP client: {@value Iperf#UDP_DATAGRAM}-byte datagrams at {@code rateBitsPerSecond} for
     * {@code durationMs}.
     *
     * @return the client's report, including what the server reported back (received, lost, jitter) if its report
     *     arrived
     */
    public CompletableFuture<Iperf.Report> iperfUdp(InetAddress server, int port, long rateBitsPerSecond,
            long durationMs) {
        int d = Addresses.ipv4(server);
        if (rateBitsPerSecond <= 0 || durationMs <= 0) {
            throw new IllegalArgumentException("rate and duration must be positive");
        }
        return submitUp("iperf udp", () -> Iperf.udpClient(this, d, port, rateBitsPerSecond,
                durationMs * 1_000_000L));
    }

    void iperfServerClosed(Iperf.Server s) {
        iperfServers.remove(s);
    }

    // ============================================================================================ receive path

    /**
     * A frame arrived from the link. Must be called on the scheduler thread. Never throws: frames that cannot be
     * parsed are dropped and counted. The host takes the array: a frame that re-enters a busy host is kept until the
     * host is done, so the caller must not reuse it.
     */
    public void receive(byte[] frame) {
        if (depth > 0) {
            // Re-entered from our own transmit (a FrameSender that delivers synchronously): finish first.
            deferred.add(frame);
            return;
        }
        depth++;
        try {
            receiveGuarded(frame);
        } finally {
            exit();
        }
    }

    private void receiveGuarded(byte[] frame) {
        try {
            receive0(frame);
        } catch (RuntimeException e) {
            counters.rxMalformed++;
            if (logging()) {
                log("dropped frame that broke the parser (" + e + "): " + FrameFormat.describe(frame));
            }
        }
    }

    /** Leaves the stack; the outermost exit processes the frames that arrived meanwhile. */
    private void exit() {
        if (depth == 1) {
            while (!deferred.isEmpty()) {
                receiveGuarded(deferred.poll());
            }
        }
        depth--;
    }

    private void receive0(byte[] f) {
        counters.rxFrames++;
        counters.rxBytes += f.length;
        if (!up) {
            counters.rxNotForUs++;
            return;
        }
        if (f.length < Ethernet.HEADER_LEN) {
            malformed("runt frame of " + f.length + " bytes");
            return;
        }
        long dst = Ethernet.dst(f);
        if (dst != mac && dst != Addresses.BROADCAST_MAC) {
            counters.rxNotForUs++;
            return;
        }
        int type = Ethernet.etherType(f);
        if (type == Ethernet.TYPE_ARP) {
            neighbors.receive(f);
        } else if (type == Ethernet.TYPE_IPV4) {
            ipReceive(f);
        } else {
            counters.rxNotForUs++;
        }
    }

    private void ipReceive(byte[] f) {
        int o = Ethernet.HEADER_LEN;
        if (f.length < o + Ipv4.HEADER_LEN) {
            malformed("ipv4: truncated header");
            return;
        }
        if (Ipv4.version(f, o) != 4) {
            malformed("ipv4: version " + Ipv4.version(f, o));
            return;
        }
        int ihl = Ipv4.headerLength(f, o);
        int total = Ipv4.totalLength(f, o);
        if (ihl < Ipv4.HEADER_LEN || total < ihl || o + total > f.length) {
            malformed("ipv4: bad lengths ihl=" + ihl + " total=" + total + " frame=" + f.length);
            return;
        }
        if (Checksum.compute(f, o, ihl) != 0) {
            malformed("ipv4: bad header checksum");
            return;
        }
        int frag = Ipv4.fragWord(f, o);
        if ((frag & (Ipv4.FLAG_MF | Ipv4.FRAG_OFFSET_MASK)) != 0) {
            counters.rxNotForUs++;
            if (logging()) {
                log("ipv4: fragment dropped (no reassembly): " + FrameFormat.describe(f));
            }
            return;
        }
        int src = Ipv4.src(f, o);
        int dst = Ipv4.dst(f, o);
        boolean broadcast = isBroadcast(dst);
        if (dst != ip && !broadcast) {
            counters.rxNotForUs++;
            return;
        }
        if (src == ip && Ethernet.src(f) != mac) {
            malformed("ipv4: martian source (our own address)");
            return;
        }
        if (isBroadcast(src) || (src >>> 28) == 0xe) {
            malformed("ipv4: martian source " + Addresses.formatIpv4(src));
            return;
        }
        int l4 = o + ihl;
        int l4Len = total - ihl;
        switch (Ipv4.protocol(f, o)) {
            case Ipv4.PROTO_ICMP:
                icmp.receive(f, o, l4, l4Len, src, broadcast);
                return;
            case Ipv4.PROTO_UDP:
                udp.receive(f, o, l4, l4Len, src, dst, broadcast);
                return;
            case Ipv4.PROTO_TCP:
                if (!broadcast) {
                    tcp.receive(f, o, l4, l4Len, src, dst);
                }
                return;
            default:
                if (!broadcast) {
                    sendIcmpError(Icmp.TYPE_DEST_UNREACHABLE, Icmp.CODE_PROTOCOL_UNREACHABLE, f, o);
                }
        }
    }

    // ============================================================================================ send path

    /**
     * A frame for an IPv4 packet to {@code dstIp}: Ethernet header (destination MAC still zero) and a complete IPv4
     * header with its checksum; the L4 header and data start at {@link #L4_OFFSET}.
     */
    byte[] newIpFrame(int protocol, int dstIp, int l4Length, boolean dontFragment) {
        byte[] f = Ethernet.allocate(Ipv4.HEADER_LEN + l4Length);
        Ethernet.writeHeader(f, 0, mac, Ethernet.TYPE_IPV4);
        int id = nextIpId;
        nextIpId = (nextIpId + 1) & 0xffff;
        Ipv4.writeHeader(f, Ethernet.HEADER_LEN, Ipv4.HEADER_LEN + l4Length, id, dontFragment, Ipv4.DEFAULT_TTL,
                protocol, ip, dstIp);
        return f;
    }

    /**
     * Routes and sends an IPv4 frame built by {@link #newIpFrame}.
     *
     * @return null if it was sent or queued for ARP, else why not
     */
    SocketError ipOutput(byte[] f, int dstIp) {
        if (!up) {
            return SocketError.ENETDOWN;
        }
        if (dstIp == ip) {
            Addresses.writeMac(f, Ethernet.DST, mac);
            scheduler.execute(() -> receive(f));
            return null;
        }
        if (isBroadcast(dstIp)) {
            Addresses.writeMac(f, Ethernet.DST, Addresses.BROADCAST_MAC);
            transmit(f);
            return null;
        }
        int hop = nextHop(dstIp);
        if (hop == 0) {
            return SocketError.ENETUNREACH;
        }
        neighbors.output(hop, f);
        return null;
    }

    /** The next hop toward {@code dstIp}: itself when on-link, the gateway otherwise, or 0 for no route. */
    int nextHop(int dstIp) {
        if ((dstIp & mask) == (ip & mask)) {
            return dstIp;
        }
        return config.hasGateway() ? config.gatewayInt() : 0;
    }

    /** {@link #nextHop}, or 0 for our own address (which needs no neighbour). */
    int nextHopOrSelf(int dstIp) {
        return dstIp == ip ? 0 : nextHop(dstIp);
    }

    boolean isBroadcast(int addr) {
        return addr == -1 || (mask != -1 && addr == (ip | ~mask));
    }

    void transmit(byte[] f) {
        counters.txFrames++;
        counters.txBytes += f.length;
        nic.send(f);
    }

    /**
     * Sends an ICMP error about the packet at {@code ipOff} in {@code offending}, quoting its IP header and 8 bytes,
     * unless the rate limit or RFC 1122 §3.2.2 forbids it (errors about ICMP errors, broadcasts, fragments).
     */
    void sendIcmpError(int type, int code, byte[] offending, int ipOff) {
        int ihl = Ipv4.headerLength(offending, ipOff);
        int total = Ipv4.totalLength(offending, ipOff);
        int src = Ipv4.src(offending, ipOff);
        if (src == 0 || isBroadcast(src) || (src >>> 28) == 0xe) {
            return;
        }
        if (Ipv4.protocol(offending, ipOff) == Ipv4.PROTO_ICMP && total >= ihl + 1) {
            int t = offending[ipOff + ihl] & 0xff;
            if (t != Icmp.TYPE_ECHO_REQUEST && t != Icmp.TYPE_ECHO_REPLY) {
                return;
            }
        }
        if (!icmpAllowed()) {
            counters.icmpRateLimited++;
            return;
        }
        int quoted = Math.min(total, ihl + Icmp.QUOTED_PAYLOAD);
        int len = Icmp.HEADER_LEN + quoted;
        byte[] f = newIpFrame(Ipv4.PROTO_ICMP, src, len, false);
        int o = L4_OFFSET;
        f[o + Icmp.TYPE] = (byte) type;
        f[o + Icmp.CODE] = (byte) code;
        System.arraycopy(offending, ipOff, f, o + Icmp.HEADER_LEN, quoted);
        Bytes.put16(f, o + Icmp.CSUM, Checksum.compute(f, o, len));
        counters.icmpErrorsSent++;
        ipOutput(f, src);
    }

    private boolean icmpAllowed() {
        long now = now();
        long elapsed = now - icmpCreditStampNanos;
        long refill = elapsed / (1_000_000_000L / config.icmpMsgsPerSec);
        if (refill > 0) {
            icmpCredit = Math.min(config.icmpMsgsBurst, icmpCredit + refill);
            icmpCreditStampNanos = now;
        }
        if (icmpCredit > 0) {
            icmpCredit--;
            return true;
        }
        return false;
    }

    // ============================================================================================ plumbing

    long now() {
        return scheduler.nanoTime();
    }

    Cancellable schedule(long delayNanos, Runnable task) {
        return scheduler.schedule(delayNanos, () -> {
            depth++;
            try {
                task.run();
            } catch (RuntimeException e) {
                callbackFailed("timer task", e);
            } finally {
                exit();
            }
        });
    }

    HostScheduler scheduler() {
        return scheduler;
    }

    Random random() {
        return random;
    }

    int ipInt() {
        return ip;
    }

    long macLong() {
        return mac;
    }

    /** Runs {@code op} on the scheduler thread and relays its future. */
    <T> CompletableFuture<T> submit(String what, Supplier<CompletableFuture<T>> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.execute(() -> {
            depth++;
            try {
                op.get().whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                if (logging()) {
                    log(what + " failed: " + e);
                }
                result.completeExceptionally(e);
            } finally {
                exit();
            }
        });
        return result;
    }

    /** {@link #submit}, failing with {@link SocketError#ENETDOWN} while the host is down. */
    <T> CompletableFuture<T> submitUp(String what, Supplier<CompletableFuture<T>> op) {
        return submit(what, () -> up ? op.get()
                : CompletableFuture.failedFuture(new HostNetworkException(SocketError.ENETDOWN, what)));
    }

    void malformed(String why) {
        counters.rxMalformed++;
        if (logging()) {
            log("dropped malformed frame: " + why);
        }
    }

    void callbackFailed(String where, RuntimeException e) {
        if (logging()) {
            log(where + " threw " + e);
        }
    }

    boolean logging() {
        return config.logger != null;
    }

    void log(String message) {
        HostLogger l = config.logger;
        if (l != null) {
            l.log(config.name(), now(), message);
        }
    }
}
