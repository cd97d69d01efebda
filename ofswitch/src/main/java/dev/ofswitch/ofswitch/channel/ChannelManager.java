package dev.ofswitch.ofswitch.channel;

import dev.ofswitch.conntrack.time.SwitchClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the switch's OpenFlow connections: passive listeners ({@code ptcp:}, {@code pssl:}, {@code punix:}) that
 * accept any number of peers (ovs-ofctl opens several at once), and one {@link ControllerLink} per configured
 * controller ({@code tcp:}, {@code ssl:}), which reconnects with OVS's backoff.
 *
 * <h2>Time</h2> Reconnection and inactivity probes run on the switch clock. A timer on the event loops
 * ({@code tickMillis} of real time apart) evaluates every link's and every accepted connection's deadlines, each on
 * its own event loop; {@link #runNow()} does the same at once and waits (ovs-appctl {@code time/warp}).
 *
 * <h2>Local only</h2> {@code punix:} sockets are created for their owner only ({@link UnixSockets}); a passive TCP
 * target without an address listens on 127.0.0.1 ({@link Target}).
 *
 * <h2>Thread-safety</h2> {@link #listen} and {@link #connect} are called by the switch's startup thread; links and
 * connections live on their event loops. The collections are concurrent.
 */
public final class ChannelManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelManager.class);

    private final EventLoopGroup group;
    private final OpenFlowDispatcher dispatcher;
    private final int allowedVersions;
    private final SwitchClock clock;
    private final long probeNanos;
    private final long passiveProbeNanos;
    private final long maxBackoffNanos;
    private final long tickMillis;
    private final TlsSettings tls;
    private final Map<Channel, Target> listeners = new ConcurrentHashMap<>();
    private final List<ControllerLink> links = new CopyOnWriteArrayList<>();
    /** The socket files of punix listeners, removed on close as OVS unlinks them (Netty leaves them). */
    private final List<Path> socketFiles = new CopyOnWriteArrayList<>();
    /** Accepted connections and their handlers, for the probe. */
    private final Map<Channel, ConnectionHandler> accepted = new ConcurrentHashMap<>();
    /** Warnings peers can trigger, limited for the whole switch. */
    private final LogRateLimit warnings;
    private SslContext serverTls;
    private SslContext clientTls;
    private volatile ScheduledFuture<?> tick;
    private volatile boolean closed;

    /**
     * @param group                      the event loops (the switch's runtime's; not shut down here)
     * @param clock                      the switch clock, on which reconnection and probes are timed
     * @param probeIntervalMillis        inactivity probe on controller connections, 0 for none
     * @param passiveProbeIntervalMillis inactivity probe on accepted connections, 0 for none
     * @param maxBackoffMillis           longest wait between reconnection attempts (at least 1 s)
     * @param tls                        key, certificate and CA for {@code ssl:} and {@code pssl:} targets (may be
     *                                   null if there are none)
     * @param tickMillis                 real time between two evaluations of the deadlines
     */
    public ChannelManager(EventLoopGroup group, OpenFlowDispatcher dispatcher, int allowedVersions, SwitchClock clock,
                          long probeIntervalMillis, long passiveProbeIntervalMillis, long maxBackoffMillis,
                          TlsSettings tls, long tickMillis) {
        this.group = group;
        this.dispatcher = dispatcher;
        this.allowedVersions = allowedVersions;
        this.clock = clock;
        this.probeNanos = TimeUnit.MILLISECONDS.toNanos(probeIntervalMillis);
        this.passiveProbeNanos = TimeUnit.MILLISECONDS.toNanos(passiveProbeIntervalMillis);
        this.maxBackoffNanos = TimeUnit.MILLISECONDS.toNanos(maxBackoffMillis);
        this.tls = tls;
        this.tickMillis = tickMillis;
        this.warnings = new LogRateLimit(clock);
    }

    private ChannelInitializer<Channel> initializer(OfConnection.Kind kind, SslContext ssl, ControllerLink link,
                                                    String scheme) {
        // As OVS stream_or_pstream_needs_probes(): TCP and TLS peers are probed, unix-socket peers (ovs-ofctl on the
        // bridge's mgmt socket) are not.
        long probe = scheme.startsWith("unix:") ? 0 : kind == OfConnection.Kind.ACTIVE ? probeNanos : passiveProbeNanos;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (ssl != null) {
                    ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                }
                ConnectionHandler h = new ConnectionHandler(dispatcher, allowedVersions, kind, clock, probe, link,
                        scheme, warnings);
                ch.pipeline().addLast("frame", new OpenFlowFrameDecoder());
                ch.pipeline().addLast("openflow", h);
                if (link == null) {
                    accepted.put(ch, h);
                    ch.closeFuture().addListener(f -> accepted.remove(ch));
                }
            }
        };
    }

    private synchronized SslContext serverTls() throws IOException {
        if (serverTls == null) {
            serverTls = requireTls().serverContext();
        }
        return serverTls;
    }

    private synchronized SslContext clientTls() throws IOException {
        if (clientTls == null) {
            clientTls = requireTls().clientContext();
        }
        return clientTls;
    }

    private TlsSettings requireTls() {
        if (tls == null) {
            TlsSettings.of(null, null, null, null).requireComplete();
        }
        return tls;
    }

    /**
     * Starts a passive listener; returns once it is bound.
     *
     * @throws IOException if the address cannot be bound (e.g. already in use), or TLS files cannot be read
     */
    public void listen(Target t) throws IOException {
        Channel ch;
        switch (t.kind()) {
            case PTCP:
            case PSSL: {
                SslContext ssl = t.kind() == Target.Scheme.PSSL ? serverTls() : null;
                ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(initializer(OfConnection.Kind.PASSIVE, ssl, null, t.kind() == Target.Scheme.PSSL
                                ? "ssl" : "tcp"));
                ch = await(b.bind(t.socketAddress()), t);
                break;
            }
            case PUNIX: {
                ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerDomainSocketChannel.class)
                        .childHandler(initializer(OfConnection.Kind.PASSIVE, null, null, "unix:" + t.path()));
                ch = UnixSockets.bindPrivately(t.path(), tmp -> await(b.bind(UnixDomainSocketAddress.of(tmp)), t));
                socketFiles.add(t.path());
                break;
            }
            default:
                throw new IllegalArgumentException(t + " is not a passive target");
        }
        listeners.put(ch, t);
        log.info("listening for OpenFlow on {}", t);
        startTicking();
    }

    private static Channel await(ChannelFuture f, Target t) throws IOException {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException(t + ": " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    /** The local TCP port of the first {@code ptcp:} listener (useful with {@code ptcp:0}), or -1. */
    public int boundTcpPort() {
        return boundPort(Target.Scheme.PTCP);
    }

    /** The local TCP port of the first listener of {@code scheme} ({@code PTCP} or {@code PSSL}), or -1. */
    public int boundPort(Target.Scheme scheme) {
        for (Map.Entry<Channel, Target> e : listeners.entrySet()) {
            if (e.getValue().kind() == scheme && e.getKey().localAddress() instanceof InetSocketAddress a) {
                return a.getPort();
            }
        }
        return -1;
    }

    /** The local addresses of the TCP listeners ({@code ptcp:} and {@code pssl:}). */
    public List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : listeners.keySet()) {
            if (c.localAddress() instanceof InetSocketAddress a) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Starts connecting to a controller, and keeps reconnecting until {@link #close()}.
     *
     * @throws IOException if the TLS files of an {@code ssl:} target cannot be read
     */
    public void connect(Target t) throws IOException {
        if (t.kind() != Target.Scheme.TCP && t.kind() != Target.Scheme.SSL) {
            throw new IllegalArgumentException(t + " is not an active target");
        }
        SslContext ssl = t.kind() == Target.Scheme.SSL ? clientTls() : null;
        ControllerLink link = new ControllerLink(t, group.next(), clock, maxBackoffNanos, l -> open(l, ssl));
        links.add(link);
        link.start();
        startTicking();
    }

    private ChannelFuture open(ControllerLink link, SslContext ssl) {
        Bootstrap b = new Bootstrap().group(link.loop()).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                // The link gives up on the switch clock; this only bounds a connect nobody is waiting for any more.
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000)
                .handler(initializer(OfConnection.Kind.ACTIVE, ssl, link, ssl != null ? "ssl" : "tcp"));
        return b.connect(link.target().socketAddress());
    }

    private synchronized void startTicking() {
        if (tick == null && !closed && tickMillis > 0) {
            tick = group.next().scheduleWithFixedDelay(this::runAll, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Hands every link and accepted connection its deadline check, each on its event loop; returns the tasks. */
    private List<Future<?>> runAll() {
        List<Future<?>> tasks = new ArrayList<>();
        for (ControllerLink l : links) {
            tasks.add(l.loop().submit(() -> l.run(clock.nanoTime())));
        }
        for (Map.Entry<Channel, ConnectionHandler> e : accepted.entrySet()) {
            ConnectionHandler h = e.getValue();
            tasks.add(e.getKey().eventLoop().submit(() -> h.tick(clock.nanoTime())));
        }
        return tasks;
    }

    /**
     * Evaluates every reconnection and probe deadline now, at the clock's current reading, and waits until that is
     * done (the consequences, a connection attempt or a close, follow asynchronously). Not from an event loop.
     */
    public void runNow() {
        for (Future<?> f : runAll()) {
            f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Whether any controller ({@code tcp:}, {@code ssl:}) is configured. */
    public boolean hasControllers() {
        return !links.isEmpty();
    }

    /** Whether some configured controller is connected. Any thread. */
    public boolean anyControllerConnected() {
        for (ControllerLink l : links) {
            if (l.isConnected()) {
                return true;
            }
        }
        return false;
    }

    /** Whether some configured controller is connected and has taken control (OVS connmgr). Any thread. */
    public boolean anyControllerAdmitted() {
        for (ControllerLink l : links) {
            if (l.isAdmitted()) {
                return true;
            }
        }
        return false;
    }

    /**
     * How long, at {@code nowNanos}, every controller has been without an admitted connection (OVS
     * {@code connmgr_failure_duration()}): 0 if one is admitted or none is configured. Any thread.
     */
    public long failureDurationNanos(long nowNanos) {
        if (links.isEmpty()) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        for (ControllerLink l : links) {
            min = Math.min(min, l.isAdmitted() ? 0 : Math.max(0, nowNanos - l.lastAdmittedNanos()));
        }
        return min;
    }

    /** The inactivity probe interval of controller connections, in nanoseconds (0: none). */
    public long probeIntervalNanos() {
        return probeNanos;
    }

    /** A snapshot of every configured controller. Not from an event loop. */
    public List<ControllerStatus> controllers() {
        List<ControllerStatus> out = new ArrayList<>();
        for (ControllerLink l : links) {
            try {
                out.add(l.loop().submit(l::status).get(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("controller status of " + l.target() + ": " + e, e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (tick != null) {
                tick.cancel(false);
            }
        }
        for (Channel c : listeners.keySet()) {
            c.close().awaitUninterruptibly();
        }
        for (ControllerLink l : links) {
            if (!l.loop().isShuttingDown()) {
                l.loop().submit(l::close).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        for (Channel c : accepted.keySet()) {
            c.close().awaitUninterruptibly();
        }
        for (Path p : socketFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                log.debug("cannot remove {}: {}", p, e.toString());
            }
        }
    }

    /**
     * Puts the handlers of one accepted, unprobed OpenFlow connection on {@code ch}: the frame decoder and the
     * connection handler that hands messages to {@code dispatcher}, as a {@code punix:} listener does (no TLS, no
     * inactivity probe unless {@code probeMillis > 0}). Tests put them on an {@code EmbeddedChannel} to drive the real
     * path.
     */
    public static void addHandlers(Channel ch, OpenFlowDispatcher dispatcher, int allowedVersions,
                                   OfConnection.Kind kind, long probeMillis) {
        SwitchClock clock = SwitchClock.system();
        ch.pipeline().addLast("frame", new OpenFlowFrameDecoder());
        ch.pipeline().addLast("openflow", new ConnectionHandler(dispatcher, allowedVersions, kind, clock,
                TimeUnit.MILLISECONDS.toNanos(probeMillis), null, "unix:test", new LogRateLimit(clock)));
    }
}
