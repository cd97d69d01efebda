package dev.ofswitch.ofswitch.channel;

import dev.ofswitch.ofswitch.codec.AsyncConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicLong;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * One OpenFlow connection and the per-connection state the switch keeps for it (OVS's {@code struct ofconn}):
 * negotiated version, role, {@code miss_send_len}, packet-in format, OF1.0 flow format, asynchronous-message
 * configuration.
 *
 * <h2>Thread-safety</h2> The version is written once by the event loop during the handshake, before any message
 * reaches the control thread. The session settings are written and read on the switch's control thread, and read by
 * datapath threads deciding whether to send a packet-in; they are volatile. {@link #send} may be called from any
 * thread: Netty queues writes from other threads onto the event loop in order.
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
     * Asynchronous-message masks ({@code ofp_async_config}): [0] for master/equal, [1] for slave; per array the reasons
     * of the {@link AsyncConfig#KINDS} kinds (packet-in, port status, flow removed, role status, table status,
     * requestforward), in the wire version's reason numbers. The version's defaults once it is negotiated.
     */
    private volatile int[][] asyncMasks = defaultAsyncMasks(0);

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

    /** Sends an already encoded message (ownership of {@code buf} passes to Netty). */
    public void send(ByteBuf buf) {
        channel.writeAndFlush(buf, channel.voidPromise());
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
