package dev.ofswitch.ofswitch.channel;

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
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the switch's OpenFlow connections: passive listeners that accept any number of peers (ovs-ofctl opens
 * several at once), and active connections to controllers that are re-established after a failure with exponential
 * backoff (1 s doubling to {@code maxBackoffMillis}, 8 s by default, as OVS's rconn).
 *
 * <h2>Thread-safety</h2> {@link #listen} and {@link #connect} are called by the switch's startup thread; reconnects
 * are scheduled on the event loop. The lists of channels are concurrent.
 */
public final class ChannelManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelManager.class);

    private final EventLoopGroup group;
    private final OpenFlowDispatcher dispatcher;
    private final int allowedVersions;
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final List<Channel> active = new CopyOnWriteArrayList<>();
    /** The socket files of punix listeners, removed on close as OVS unlinks them (Netty leaves them). */
    private final List<Path> socketFiles = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private final long probeIntervalMillis;
    private final long passiveProbeIntervalMillis;
    private final long maxBackoffMillis;

    /**
     * @param group                      the event loops (the switch's runtime's; not shut down here)
     * @param probeIntervalMillis        inactivity probe on controller connections, 0 for none
     * @param passiveProbeIntervalMillis inactivity probe on accepted connections, 0 for none
     * @param maxBackoffMillis           longest wait between reconnection attempts
     */
    public ChannelManager(EventLoopGroup group, OpenFlowDispatcher dispatcher, int allowedVersions,
                          long probeIntervalMillis, long passiveProbeIntervalMillis, long maxBackoffMillis) {
        this.group = group;
        this.dispatcher = dispatcher;
        this.allowedVersions = allowedVersions;
        this.probeIntervalMillis = probeIntervalMillis;
        this.passiveProbeIntervalMillis = passiveProbeIntervalMillis;
        this.maxBackoffMillis = maxBackoffMillis;
    }

    private ChannelInitializer<Channel> initializer(OfConnection.Kind kind) {
        long probe = kind == OfConnection.Kind.ACTIVE ? probeIntervalMillis : passiveProbeIntervalMillis;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                addHandlers(ch, dispatcher, allowedVersions, kind, probe);
            }
        };
    }

    /**
     * Puts the handlers of one OpenFlow connection on {@code ch}: the inactivity probe (if {@code probeMillis > 0}),
     * the frame decoder and the connection handler that hands messages to {@code dispatcher}. Every accepted and
     * opened channel gets exactly these; tests put them on an {@code EmbeddedChannel} to drive the real path.
     */
    public static void addHandlers(Channel ch, OpenFlowDispatcher dispatcher, int allowedVersions,
                                   OfConnection.Kind kind, long probeMillis) {
        if (probeMillis > 0) {
            ch.pipeline().addLast("idle", new IdleStateHandler(probeMillis, 0, 0, TimeUnit.MILLISECONDS));
        }
        ch.pipeline().addLast("frame", new OpenFlowFrameDecoder());
        ch.pipeline().addLast("openflow", new ConnectionHandler(dispatcher, allowedVersions, kind));
    }

    /**
     * Starts a passive listener; returns once it is bound.
     *
     * @throws IOException if the address cannot be bound (e.g. already in use)
     */
    public void listen(Target t) throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(group).childHandler(initializer(OfConnection.Kind.PASSIVE));
        ChannelFuture f;
        if (t.kind() == Target.Scheme.PTCP) {
            b.channel(NioServerSocketChannel.class).option(ChannelOption.SO_REUSEADDR, true);
            f = b.bind(t.socketAddress());
        } else if (t.kind() == Target.Scheme.PUNIX) {
            Files.deleteIfExists(t.path());
            b.channel(NioServerDomainSocketChannel.class);
            f = b.bind(UnixDomainSocketAddress.of(t.path()));
        } else {
            throw new IllegalArgumentException(t + " is not a passive target");
        }
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException(t + ": " + f.cause().getMessage(), f.cause());
        }
        listeners.add(f.channel());
        if (t.kind() == Target.Scheme.PUNIX) {
            socketFiles.add(t.path());
        }
        log.info("listening for OpenFlow on {}", t);
    }

    /** The local TCP port of the first ptcp listener (useful with {@code ptcp:0}), or -1. */
    public int boundTcpPort() {
        for (Channel c : listeners) {
            if (c.localAddress() instanceof java.net.InetSocketAddress a) {
                return a.getPort();
            }
        }
        return -1;
    }

    /** Starts connecting to a controller, and keeps reconnecting until {@link #close()}. */
    public void connect(Target t) {
        if (t.kind() != Target.Scheme.TCP) {
            throw new IllegalArgumentException(t + " is not an active target");
        }
        attempt(t, 1000);
    }

    private void attempt(Target t, long backoffMillis) {
        if (closed) {
            return;
        }
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1000, backoffMillis))
                .handler(initializer(OfConnection.Kind.ACTIVE));
        b.connect(t.socketAddress()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                log.info("connected to controller {}", t);
                active.add(f.channel());
                f.channel().closeFuture().addListener(cf -> {
                    active.remove(f.channel());
                    if (!closed) {
                        log.info("connection to controller {} closed; reconnecting", t);
                        group.schedule(() -> attempt(t, 1000), 1000, TimeUnit.MILLISECONDS);
                    }
                });
            } else if (!closed) {
                long next = Math.min(backoffMillis * 2, maxBackoffMillis);
                log.debug("connecting to {} failed ({}); retrying in {} ms", t, f.cause().toString(), backoffMillis);
                group.schedule(() -> attempt(t, next), backoffMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly();
        }
        for (Channel c : active) {
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
}
