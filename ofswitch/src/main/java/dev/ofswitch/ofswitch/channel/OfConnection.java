package dev.ofswitch.ofswitch.channel;

import dev.ofswitch.ofswitch.codec.AsyncConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * One OpenFlow connection and the per-connection state the switch keeps for it (OVS's {@code struct ofconn}):
 * negotiated version, role, {@code miss_send_len}, packet-in format, OF1.0 flow format, asynchronous-message
 * configuration.
 *
 * <h2>Flow control</h2> What OVS's {@code ofconn_run()} does with {@code OFCONN_REPLY_MAX} and
 * {@code rconn_send_with_limit()}, with Netty's means:
 * <ul>
 * <li>Requests wait in an inbox for the control thread. When it holds {@value #INBOX_PAUSE_MESSAGES} messages or
 * {@value #INBOX_PAUSE_BYTES} bytes, the channel stops reading (auto-read off) until the control thread has taken it
 * down to a quarter; TCP then pushes back on the peer. Memory per connection stays bounded whatever a peer sends.
 * <li>The control thread takes a connection's requests only while the channel is writable (its unsent output is
 * under Netty's high-water mark, 64 KiB): a peer that does not read its replies stops being served, as OVS stops
 * receiving from a connection with 100 replies queued, and the other connections go on.
 * <li>The channel also stops reading while it is not writable, so that echo replies, answered on the event loop,
 * cannot pile up either.
 * <li>Asynchronous packet-ins are dropped (and counted, {@link #asyncDropped()}) while the channel is not writable,
 * as OVS drops them beyond 100 queued.
 * </ul>
 *
 * <h2>Thread-safety</h2> The version is written once by the event loop during the handshake, before any message
 * reaches the control thread. The session settings are written and read on the switch's control thread, and read by
 * datapath threads deciding whether to send a packet-in; they are volatile. {@link #send} may be called from any
 * thread: Netty queues writes from other threads onto the event loop in order. The inbox has one producer, the event
 * loop, and one consumer, the control thread (the drain claim makes sure of the latter).
 */
public final class OfConnection {
    /** How the connection came about. */
    public enum Kind {
        /** Accepted on a passive listener (ptcp:, punix:), e.g. ovs-ofctl: a "service" connection in OVS. */
        PASSIVE,
        /** Opened by the switch to a configured controller (tcp:). */
        ACTIVE
    }

    /** OpenFlow controller roles. */
    public enum Role {
        EQUAL, MASTER, SLAVE
    }

    /** Which packet-in message this connection gets. */
    public enum PacketInFormat {
        STANDARD, NXT_PACKET_IN2
    }

    private static final AtomicLong IDS = new AtomicLong();

    /** Requests waiting for the control thread at which the channel stops reading. */
    static final int INBOX_PAUSE_MESSAGES = 1024;
    /** Bytes of requests waiting for the control thread at which the channel stops reading. */
    static final int INBOX_PAUSE_BYTES = 1 << 20;

    private final long id = IDS.incrementAndGet();
    private final Channel channel;
    private final Kind kind;
    private final String target;
    volatile int version;
    private volatile Role role = Role.EQUAL;
    private volatile int missSendLen;
    private volatile int configFlags;
    private volatile PacketInFormat packetInFormat = PacketInFormat.STANDARD;
    /** OF1.0 only: whether flow mods and stats use NXM (NXT_SET_FLOW_FORMAT nxm) rather than ofp_match. */
    private volatile boolean nxmFlowFormat;
    /** OF1.0 only: NXT_FLOW_MOD_TABLE_ID enabled: the high byte of the flow-mod command is a table id. */
    private volatile boolean flowModTableId;
    private volatile int controllerId;
    /**
     * The switch's per-connection bundle state (OVS's {@code ofconn->bundles}), opaque here; it goes away with the
     * connection. Control thread only.
     */
    private Object bundles;
    /**
     * Asynchronous-message masks ({@code ofp_async_config}): [0] for master/equal, [1] for slave; per array the reasons
     * of the {@link AsyncConfig#KINDS} kinds (packet-in, port status, flow removed, role status, table status,
     * requestforward), in the wire version's reason numbers. The version's defaults once it is negotiated.
     */
    private volatile int[][] asyncMasks = defaultAsyncMasks(0);

    // Flow control (see the class comment).
    private final ConcurrentLinkedQueue<RawMessage> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inboxMessages = new AtomicInteger();
    private final AtomicLong inboxBytes = new AtomicLong();
    /** Set while the inbox is over its limits and the channel must not read. */
    private volatile boolean inboxFull;
    /** Held by whoever has scheduled or is running the control thread's drain of this inbox. */
    private final AtomicBoolean drainClaimed = new AtomicBoolean();
    private final LongAdder asyncDropped = new LongAdder();

    OfConnection(Channel channel, Kind kind, String target) {
        this.channel = channel;
        this.kind = kind;
        this.target = target;
        this.missSendLen = kind == Kind.ACTIVE ? 128 : 0;
    }

    /**
     * OVS 3.1's defaults ({@code ofputil_async_cfg_default()}): master/equal get every packet-in reason but invalid
     * TTL, every port status and every flow-removed reason of the version; a slave only port status. Up to OpenFlow
     * 1.3 that is packet-in no_match and action, flow removed idle, hard, delete, group delete; 1.4 adds packet-in
     * action_set, group, packet_out and flow removed meter delete, eviction (GET_ASYNC_REPLY shows 0x3b and 0x3f).
     */
    static int[][] defaultAsyncMasks(int version) {
        if (version >= OfVersion.OF14) {
            return new int[][] {{0x3b, 0b111, 0x3f, 0, 0, 0}, {0, 0b111, 0, 0, 0, 0}};
        }
        return new int[][] {{0b011, 0b111, 0b1111, 0, 0, 0}, {0, 0b111, 0, 0, 0, 0}};
    }

    /** The handshake's outcome: the version, and the version's default asynchronous configuration. */
    void negotiated(int version) {
        this.asyncMasks = defaultAsyncMasks(version);
        this.version = version;
    }

    public long id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public Kind kind() {
        return kind;
    }

    /** The peer, as {@code tcp:127.0.0.1:40000} / {@code unix:...}, for logs. */
    public String target() {
        return target;
    }

    /** The negotiated wire version, 0 before HELLO. */
    public int version() {
        return version;
    }

    public Role role() {
        return role;
    }

    public void setRole(Role role) {
        this.role = role;
    }

    public int missSendLen() {
        return missSendLen;
    }

    public int configFlags() {
        return configFlags;
    }

    public void setConfig(int flags, int missSendLen) {
        this.configFlags = flags;
        this.missSendLen = missSendLen;
    }

    public PacketInFormat packetInFormat() {
        return packetInFormat;
    }

    public void setPacketInFormat(PacketInFormat f) {
        this.packetInFormat = f;
    }

    public boolean nxmFlowFormat() {
        return nxmFlowFormat;
    }

    public void setNxmFlowFormat(boolean nxm) {
        this.nxmFlowFormat = nxm;
    }

    public boolean flowModTableId() {
        return flowModTableId;
    }

    public void setFlowModTableId(boolean enabled) {
        this.flowModTableId = enabled;
    }

    public int controllerId() {
        return controllerId;
    }

    public void setControllerId(int id) {
        this.controllerId = id;
    }

    /** The switch's bundle state for this connection, or null (see the field). Control thread only. */
    public Object bundles() {
        return bundles;
    }

    /** Sets (null: drops) the switch's bundle state for this connection. Control thread only. */
    public void setBundles(Object bundles) {
        this.bundles = bundles;
    }

    /** [0] master/equal, [1] slave; each the reason bitmaps of the {@link AsyncConfig#KINDS} kinds. */
    public int[][] asyncMasks() {
        return asyncMasks;
    }

    /**
     * Replaces the first {@code masks[r].length} kinds' masks of each role {@code r}; the other kinds keep theirs
     * (OpenFlow 1.3's SET_ASYNC and Nicira's NXT_SET_ASYNC_CONFIG set only packet-in, port status and flow removed).
     */
    public void setAsyncMasks(int[][] masks) {
        int[][] next = {asyncMasks[0].clone(), asyncMasks[1].clone()};
        for (int r = 0; r < 2; r++) {
            System.arraycopy(masks[r], 0, next[r], 0, masks[r].length);
        }
        this.asyncMasks = next;
    }

    /**
     * Whether this connection gets an asynchronous message of {@code kind} (0 packet-in, 1 port status, 2 flow
     * removed) for {@code reason}, as OVS's {@code ofconn_receives_async_msg()} decides: a service connection only
     * after it set a non-zero miss_send_len, and then by role and the async masks.
     */
    public boolean receivesAsync(int kind, int reason) {
        if (version == 0 || !channel.isActive()) {
            return false;
        }
        if (this.kind == Kind.PASSIVE && missSendLen == 0) {
            return false;
        }
        int[] masks = asyncMasks[role == Role.SLAVE ? 1 : 0];
        return (masks[kind] & (1 << reason)) != 0;
    }

    // ------------------------------------------------------------------------------------------ flow control

    /**
     * Event loop: queues a request for the control thread; stops reading if the inbox is full. Returns true if the
     * caller must have the inbox drained (it claimed the drain).
     */
    boolean offer(RawMessage msg) {
        inbox.add(msg);
        int n = inboxMessages.incrementAndGet();
        long bytes = inboxBytes.addAndGet(msg.length());
        if (!inboxFull && (n >= INBOX_PAUSE_MESSAGES || bytes >= INBOX_PAUSE_BYTES)) {
            inboxFull = true;
            updateReading();
        }
        return drainClaimed.compareAndSet(false, true);
    }

    /**
     * Control thread, holding the drain claim: the next request, or null if there is none. The caller owns (and
     * releases) it.
     */
    public RawMessage pollRequest() {
        RawMessage m = inbox.poll();
        if (m == null) {
            return null;
        }
        int n = inboxMessages.decrementAndGet();
        long bytes = inboxBytes.addAndGet(-m.length());
        if (inboxFull && n <= INBOX_PAUSE_MESSAGES / 4 && bytes <= INBOX_PAUSE_BYTES / 4) {
            inboxFull = false;
            channel.eventLoop().execute(this::updateReading);
        }
        return m;
    }

    /**
     * Whether the control thread may handle this connection's next request now: its output is below the high-water
     * mark, or it is closed (requests sent before a close are still carried out, as OVS reads them before the EOF).
     */
    public boolean mayProcess() {
        return channel.isWritable() || !channel.isActive();
    }

    /**
     * Control thread, holding the drain claim: gives it up. Returns true if it took it back because requests arrived
     * meanwhile and may be processed, in which case the caller must go on draining (or schedule a drain).
     */
    public boolean endDrain() {
        drainClaimed.set(false);
        return !inbox.isEmpty() && mayProcess() && drainClaimed.compareAndSet(false, true);
    }

    /** Event loop: the channel is writable again; returns true if the caller must have the inbox drained. */
    boolean claimDrainIfWaiting() {
        return !inbox.isEmpty() && drainClaimed.compareAndSet(false, true);
    }

    /** Releases every waiting request (the switch is closing). */
    public void discardRequests() {
        RawMessage m;
        while ((m = inbox.poll()) != null) {
            inboxMessages.decrementAndGet();
            inboxBytes.addAndGet(-m.length());
            m.release();
        }
    }

    /** Requests waiting for the control thread. */
    public int pendingRequests() {
        return inboxMessages.get();
    }

    /** Event loop: reads only while the inbox has room and the output is below the high-water mark. */
    void updateReading() {
        boolean want = !inboxFull && channel.isWritable();
        if (channel.config().isAutoRead() != want) {
            channel.config().setAutoRead(want);
        }
    }

    /**
     * Whether an asynchronous message (packet-in) may be queued now; if not, it is counted as dropped. Any thread.
     */
    public boolean mayQueueAsync() {
        if (channel.isWritable()) {
            return true;
        }
        asyncDropped.increment();
        return false;
    }

    /** Packet-ins dropped because the peer did not read fast enough. */
    public long asyncDropped() {
        return asyncDropped.sum();
    }

    /** Sends an already encoded message (ownership of {@code buf} passes to Netty). */
    public void send(ByteBuf buf) {
        channel.writeAndFlush(buf, channel.voidPromise());
    }

    /**
     * Returns once every message sent so far from another thread is in this connection's outbound buffer, in order:
     * a send from outside the event loop is a task queued on it, and a message the loop sends later (a barrier
     * reply) must not overtake it. Waits at most {@code timeoutMillis}; a closed connection does not wait.
     */
    public void awaitQueuedSends(long timeoutMillis) {
        io.netty.channel.EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop() || !channel.isOpen()) {
            return;
        }
        loop.submit(() -> { }).awaitUninterruptibly(timeoutMillis);
    }

    /** Sends a Loxi-built message. */
    public void send(OFMessage msg) {
        ByteBuf buf = Unpooled.buffer(64);
        msg.writeTo(buf);
        send(buf);
    }

    /** Closes the connection. */
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "conn#" + id + "(" + target + (version == 0 ? "" : "," + OfVersion.name(version)) + ")";
    }
}
