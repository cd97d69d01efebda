package dev.ofswitch.lab.controller;

import dev.ofswitch.ofswitch.channel.OpenFlowFrameDecoder;
import dev.ofswitch.ofswitch.channel.RawMessage;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small OpenFlow 1.3 controller inside the lab process, for the lab's default (embedded) controller apps: it
 * accepts switch connections on a TCP port, does the handshake (HELLO, FEATURES), answers echo requests, hands each
 * switch to its {@link ControllerApp}, and marks the switch ready once a barrier after the app's messages is answered.
 * Errors the switches send are counted and logged.
 *
 * <h2>Thread-safety</h2> Connections are handled on the given event loops; {@link #awaitReady} and the accessors may
 * be called from any thread.
 */
public final class EmbeddedController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedController.class);
    private static final int OF13 = 4;
    private static final int HELLO = 0;
    private static final int ERROR = 1;
    private static final int ECHO_REQUEST = 2;
    private static final int ECHO_REPLY = 3;
    private static final int FEATURES_REQUEST = 5;
    private static final int FEATURES_REPLY = 6;
    private static final int PACKET_IN = 10;
    private static final int BARRIER_REQUEST = 20;
    private static final int BARRIER_REPLY = 21;

    private final EventLoopGroup group;
    private final ControllerApp app;
    private final Set<Long> ready = ConcurrentHashMap.newKeySet();
    private final Set<Long> connected = ConcurrentHashMap.newKeySet();
    private final LongAdder errors = new LongAdder();
    private final Object readyMonitor = new Object();
    private Channel server;

    public EmbeddedController(EventLoopGroup group, ControllerApp app) {
        this.group = group;
        this.app = app;
    }

    /**
     * Listens on {@code host:port} (port 0 picks a free one); returns the bound port.
     *
     * @throws IOException if it cannot bind
     */
    public int start(String host, int port) throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new OpenFlowFrameDecoder(), new Session());
                    }
                });
        try {
            server = b.bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + host + ":" + port, e);
        } catch (RuntimeException e) {
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Waits until every datapath id in {@code dpids} is ready; returns false on timeout. */
    public boolean awaitReady(Collection<Long> dpids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (readyMonitor) {
            while (!ready.containsAll(dpids)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                readyMonitor.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** Datapath ids whose flows are installed (barrier answered). */
    public Set<Long> readyDpids() {
        return Set.copyOf(ready);
    }

    /** Datapath ids with a live connection. */
    public Set<Long> connectedDpids() {
        return Set.copyOf(connected);
    }

    /** OFPT_ERROR messages received from switches. */
    public long errors() {
        return errors.sum();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
    }

    /** One switch connection. Confined to its event loop. */
    private final class Session extends ChannelInboundHandlerAdapter {
        private SwitchHandle handle;
        private int barrierXid = -1;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(header(HELLO, 1, 8));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            RawMessage m = (RawMessage) msg;
            try {
                handle(ctx, m);
            } finally {
                m.release();
            }
        }

        private void handle(ChannelHandlerContext ctx, RawMessage m) {
            ByteBuf b = m.buf();
            switch (m.type()) {
                case HELLO:
                    ctx.writeAndFlush(header(FEATURES_REQUEST, 2, 8));
                    break;
                case ECHO_REQUEST: {
                    ByteBuf reply = Unpooled.buffer(m.length());
                    reply.writeBytes(b, b.readerIndex(), m.length());
                    reply.setByte(1, ECHO_REPLY);
                    ctx.writeAndFlush(reply);
                    break;
                }
                case FEATURES_REPLY: {
                    long dpid = b.getLong(b.readerIndex() + 8);
                    handle = new SwitchHandle(dpid, ctx.channel());
                    connected.add(dpid);
                    try {
                        app.switchConnected(handle);
                    } catch (RuntimeException e) {
                        log.error("controller app failed on {}", handle, e);
                    }
                    barrierXid = handle.nextXid();
                    ctx.writeAndFlush(header(BARRIER_REQUEST, barrierXid, 8));
                    break;
                }
                case BARRIER_REPLY:
                    if (handle != null && m.xid() == barrierXid) {
                        synchronized (readyMonitor) {
                            ready.add(handle.dpid());
                            readyMonitor.notifyAll();
                        }
                    }
                    break;
                case ERROR:
                    errors.increment();
                    log.warn("{}: OFPT_ERROR type {} code {}", handle, b.getUnsignedShort(b.readerIndex() + 8),
                            b.getUnsignedShort(b.readerIndex() + 10));
                    break;
                case PACKET_IN:
                    if (handle != null) {
                        byte[] copy = new byte[m.length()];
                        b.getBytes(b.readerIndex(), copy);
                        app.packetIn(handle, copy);
                    }
                    break;
                default:
                    break;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (handle != null) {
                connected.remove(handle.dpid());
                ready.remove(handle.dpid());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("controller connection {}: {}", ctx.channel(), cause.toString());
            ctx.close();
        }
    }

    private static ByteBuf header(int type, int xid, int len) {
        return Unpooled.buffer(len).writeByte(OF13).writeByte(type).writeShort(len).writeInt(xid);
    }
}
