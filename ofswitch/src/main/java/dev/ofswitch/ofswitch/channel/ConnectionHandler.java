package dev.ofswitch.ofswitch.channel;

import dev.ofswitch.conntrack.time.SwitchClock;
import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.ErrorMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel side of one OpenFlow connection: the HELLO handshake, echo keepalives and the inactivity probe, the
 * version check, flow control, and the hand-off of every other message to the {@link OpenFlowDispatcher}.
 *
 * <h2>States</h2>
 * <ol>
 * <li>{@code HELLO_WAIT}: our HELLO (highest version we allow, plus a version bitmap) is sent on activation; the
 * peer's first message must be its HELLO. The version is the highest both bitmaps share; a HELLO without a bitmap
 * stands for every version up to its own (OVS {@code ofputil_decode_hello()}). No common version, or another message
 * first: OFPT_ERROR HELLO_FAILED, then close.
 * <li>{@code CONNECTED}: ECHO_REQUEST is answered here, on the event loop, so a busy control thread never makes a peer
 * think we are dead (an echo reply can therefore overtake the replies to earlier requests; a barrier cannot); a message
 * of another version gets OFPBRC_BAD_VERSION, except HELLO, ERROR and the echoes (see {@link #passesVersionCheck});
 * everything else, a second HELLO included, goes to the connection's inbox for the dispatcher, in order.
 * </ol>
 * A frame whose length is below 8 bytes loses the framing and closes the connection; any other bad message is the
 * dispatcher's to answer, and the connection stays up.
 *
 * <h2>Inactivity probe</h2> OVS rconn's ACTIVE and IDLE states, on the switch clock: after {@code probeInterval}
 * without activity (a message received, or everything queued written to the socket, as rconn's {@code last_activity})
 * an ECHO_REQUEST is sent (if the version is known) and the connection is idle; if nothing is received for another
 * interval, the connection is closed ("no response to inactivity probe"). A peer that never says HELLO is closed the
 * same way. {@link #tick} checks the deadlines; the channel manager calls it.
 *
 * <p>Not {@code @Sharable}: one instance per channel, confined to its event loop.
 */
final class ConnectionHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    static final int TYPE_HELLO = 0;
    static final int TYPE_ERROR = 1;
    static final int TYPE_ECHO_REQUEST = 2;
    static final int TYPE_ECHO_REPLY = 3;

    private final OpenFlowDispatcher dispatcher;
    private final int allowedVersions;
    private final OfConnection.Kind kind;
    private final SwitchClock clock;
    private final long probeNanos;
    /** The controller link this connection serves, or null for an accepted connection. */
    private final ControllerLink link;
    /**
     * How connections are named in logs: {@code tcp} or {@code ssl} (followed by the peer's address), or the whole
     * name of a unix-socket connection ({@code unix:PATH}).
     */
    private final String scheme;
    /** The switch's limit on warnings a peer can trigger. */
    private final LogRateLimit warnings;
    private OfConnection conn;
    private long lastActivityNanos;
    private boolean idle;
    private long idleSinceNanos;

    ConnectionHandler(OpenFlowDispatcher dispatcher, int allowedVersions, OfConnection.Kind kind, SwitchClock clock,
                      long probeNanos, ControllerLink link, String scheme, LogRateLimit warnings) {
        this.dispatcher = dispatcher;
        this.allowedVersions = allowedVersions;
        this.kind = kind;
        this.clock = clock;
        this.probeNanos = probeNanos;
        this.link = link;
        this.scheme = scheme;
        this.warnings = warnings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        conn = new OfConnection(ctx.channel(), kind, describe(ctx));
        lastActivityNanos = clock.nanoTime();
        ctx.writeAndFlush(hello(allowedVersions));
        ctx.fireChannelActive();
    }

    private String describe(ChannelHandlerContext ctx) {
        Object remote = ctx.channel().remoteAddress();
        if (scheme.startsWith("unix:")) {
            return scheme;
        }
        return remote == null ? scheme + ":?" : scheme + ":" + remote.toString().replace("/", "");
    }

    /** Our HELLO: the highest allowed version in the header and a VERSIONBITMAP element. */
    static ByteBuf hello(int allowedVersions) {
        ByteBuf b = Unpooled.buffer(16);
        b.writeByte(OfVersion.highest(allowedVersions)).writeByte(TYPE_HELLO).writeShort(16).writeInt(0);
        b.writeShort(1).writeShort(8).writeInt(allowedVersions);    // ofp_hello_elem_versionbitmap
        return b;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object obj) {
        RawMessage msg = (RawMessage) obj;
        long now = clock.nanoTime();
        lastActivityNanos = now;
        idle = false;
        boolean handedOff = false;
        try {
            if (conn.version == 0) {
                handshake(ctx, msg);
                return;
            }
            if (link != null) {
                link.received(msg, now);
            }
            if (msg.version() != conn.version && !passesVersionCheck(msg)) {
                // As OVS vconn_recv(): OFPBRC_BAD_VERSION, in the request's version (1.0 if OpenFlow has no such
                // version), the whole request as data.
                ctx.writeAndFlush(ErrorMessages.encode(ctx.alloc(), ErrorCode.OFPBRC_BAD_VERSION, msg.buf()));
                return;
            }
            if (msg.type() == TYPE_ECHO_REQUEST) {
                ByteBuf reply = Unpooled.buffer(msg.length());
                reply.writeBytes(msg.buf(), msg.buf().readerIndex(), msg.length());
                reply.setByte(1, TYPE_ECHO_REPLY);
                ctx.writeAndFlush(reply);
                return;
            }
            if (msg.type() == TYPE_ECHO_REPLY) {
                return;     // liveness already noted
            }
            handedOff = true;
            if (conn.offer(msg)) {
                dispatcher.requestsWaiting(conn);
            }
        } finally {
            if (!handedOff) {
                msg.release();
            }
        }
    }

    /**
     * Whether a message of another version than the negotiated one is handled anyway: as OVS {@code vconn_recv()},
     * HELLO, ERROR, ECHO_REQUEST and ECHO_REPLY (the same type numbers in every version) of any version but 0. The echo
     * is answered in the request's version; HELLO and ERROR reach the dispatcher, which refuses them with
     * OFPBRC_BAD_TYPE like any message a switch does not expect.
     */
    private static boolean passesVersionCheck(RawMessage msg) {
        return msg.version() != 0 && msg.type() <= TYPE_ECHO_REPLY;
    }

    private void handshake(ChannelHandlerContext ctx, RawMessage msg) {
        if (msg.type() != TYPE_HELLO) {
            warnings.warn(log, "{}: received message type {} while expecting HELLO; closing", conn, msg.type());
            ctx.writeAndFlush(error(OfVersion.highest(allowedVersions), msg.xid(), 0, 1,
                    "received message while expecting hello".getBytes(StandardCharsets.US_ASCII)))
                    .addListener(f -> ctx.close());
            return;
        }
        int theirs = peerVersions(msg);
        int common = theirs & allowedVersions;
        if (common == 0) {
            String text = "We support versions " + versionsText(allowedVersions) + ", you support "
                    + versionsText(theirs) + ", no common versions";
            warnings.warn(log, "{}: version negotiation failed: {}", conn, text);
            // As OVS vcs_send_error(): in the peer's highest version, 1.0 if OpenFlow has no such version.
            int theirHighest = OfVersion.highest(theirs);
            int errorVersion = theirHighest >= OfVersion.OF10 && theirHighest <= OfVersion.OF15 ? theirHighest
                    : OfVersion.OF10;
            ctx.writeAndFlush(error(errorVersion, msg.xid(), 0, 0, text.getBytes(StandardCharsets.US_ASCII)))
                    .addListener(f -> ctx.close());
            return;
        }
        conn.negotiated(OfVersion.highest(common));
        log.debug("{}: negotiated {}", conn, OfVersion.name(conn.version));
        dispatcher.connected(conn);
        if (link != null) {
            link.handshakeDone(this, ctx.channel());
        }
    }

    /** The versions a peer's HELLO stands for: its bitmap, or every version up to its header's. */
    static int peerVersions(RawMessage hello) {
        ByteBuf b = hello.buf();
        int base = b.readerIndex();
        int end = base + hello.length();
        int p = base + RawMessage.HEADER_LEN;
        while (end - p >= 4) {
            int type = b.getUnsignedShort(p);
            int len = b.getUnsignedShort(p + 2);
            if (len < 4 || p + len > end) {
                break;
            }
            if (type == 1 && len >= 8) {
                // As OVS ofputil_decode_hello_bitmap(): bit 0 is no version, and a bitmap without any version is
                // ignored (the header's version stands).
                int bitmap = b.getInt(p + 4) & ~1;
                if (bitmap != 0) {
                    return bitmap;
                }
                break;
            }
            p += (len + 7) & ~7;
        }
        int v = hello.version();
        return v >= 31 ? -1 : (1 << (v + 1)) - 2;     // versions 1..v
    }

    private static String versionsText(int bitmap) {
        StringBuilder sb = new StringBuilder();
        for (int v = 1; v < 32; v++) {
            if ((bitmap & (1 << v)) != 0) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(OfVersion.name(v));
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /** An OFPT_ERROR with {@code data}. */
    static ByteBuf error(int version, int xid, int type, int code, byte[] data) {
        ByteBuf b = Unpooled.buffer(12 + data.length);
        b.writeByte(version).writeByte(TYPE_ERROR).writeShort(12 + data.length).writeInt(xid);
        b.writeShort(type).writeShort(code).writeBytes(data);
        return b;
    }

    /**
     * Event loop: the inactivity probe's deadlines at {@code now} (see the class comment). The connection must be
     * active (this handler's {@code channelActive} ran).
     */
    void tick(long now) {
        if (probeNanos <= 0 || conn == null || !conn.channel().isActive()) {
            return;
        }
        if (!idle) {
            if (now - lastActivityNanos >= probeNanos) {
                idle = true;
                idleSinceNanos = now;
                if (conn.version != 0) {
                    log.debug("{}: idle {} seconds, sending inactivity probe", conn,
                            (now - lastActivityNanos) / 1_000_000_000L);
                    ByteBuf echo = Unpooled.buffer(8);
                    echo.writeByte(conn.version).writeByte(TYPE_ECHO_REQUEST).writeShort(8).writeInt(0);
                    conn.channel().writeAndFlush(echo, conn.channel().voidPromise());
                }
            }
        } else if (now - idleSinceNanos >= probeNanos) {
            String why = "no response to inactivity probe after " + ((now - idleSinceNanos) / 1_000_000_000.0)
                    + " seconds";
            if (kind == OfConnection.Kind.ACTIVE) {
                log.error("{}: {}, disconnecting", conn, why);
            } else {
                log.info("{}: {}, disconnecting", conn, why);
            }
            if (link != null) {
                link.failed(conn.channel(), new IOException(why));
            }
            conn.channel().close();
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
        // As rconn's do_tx_work(): output that left for the socket is activity.
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (!idle && (out == null || out.isEmpty())) {
            lastActivityNanos = clock.nanoTime();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (conn != null) {
            conn.updateReading();
            if (ctx.channel().isWritable()) {
                if (!idle) {
                    lastActivityNanos = clock.nanoTime();
                }
                if (conn.claimDrainIfWaiting()) {
                    dispatcher.requestsWaiting(conn);
                }
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            // The SslHandler closes the connection; say why.
            warnings.warn(log, "{}: TLS handshake failed: {}", conn, rootMessage(e.cause()));
            if (link != null) {
                link.failed(ctx.channel(), e.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (conn != null && conn.version != 0) {
            dispatcher.disconnected(conn);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (link != null) {
            link.failed(ctx.channel(), cause);
        }
        if (cause instanceof CorruptedFrameException
                || (cause instanceof DecoderException && cause.getCause() instanceof CorruptedFrameException)) {
            warnings.warn(log, "{}: {}; closing", conn, cause.getMessage());
        } else if (cause instanceof IOException) {
            log.debug("{}: {}", conn, cause.toString());
        } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            log.debug("{}: TLS: {}", conn, rootMessage(cause));
        } else {
            log.error("{}: unexpected error; closing", conn, cause);
        }
        ctx.close();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    OfConnection connection() {
        return conn;
    }
}
