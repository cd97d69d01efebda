package dev.ofswitch.ofswitch;

import dev.ofswitch.conntrack.ConnFilter;
import dev.ofswitch.ofswitch.channel.MessageType;
import dev.ofswitch.ofswitch.codec.AsyncConfig;
import dev.ofswitch.ofswitch.codec.AsyncMessages;
import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.ErrorMessages;
import dev.ofswitch.ofswitch.codec.ExperimenterActions;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.FlowModCodec;
import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.GroupMod;
import dev.ofswitch.ofswitch.codec.Instruction;
import dev.ofswitch.ofswitch.codec.PacketOut;
import dev.ofswitch.ofswitch.pipeline.GroupTable;
import dev.ofswitch.ofswitch.codec.NiciraMessages;
import dev.ofswitch.ofswitch.codec.OfHeader;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.codec.PacketIn;
import dev.ofswitch.ofswitch.codec.PortModCheck;
import dev.ofswitch.ofswitch.pipeline.PacketContext;
import dev.ofswitch.ofswitch.table.FlowEntry;
import dev.ofswitch.ofswitch.table.FlowTables;
import dev.ofswitch.ofswitch.channel.OfConnection;
import dev.ofswitch.ofswitch.channel.OfVersion;
import dev.ofswitch.ofswitch.channel.OpenFlowDispatcher;
import dev.ofswitch.ofswitch.channel.RawMessage;
import dev.ofswitch.ofswitch.port.Port;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFAsyncSet;
import org.projectfloodlight.openflow.protocol.OFCapabilities;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortMod;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFTableStatsEntry;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.OFPortStatsRequest;
import org.projectfloodlight.openflow.protocol.OFStatsType;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFAuxId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switch's side of every OpenFlow session (OVS's {@code ofproto/connmgr.c} and {@code handle_openflow()}): it
 * answers requests, applies modifications and sends asynchronous messages.
 *
 * <h2>Thread-safety</h2> Every request runs on the switch's control executor ({@link SerialExecutor}: one task at a
 * time, a thread of its own or a shared pool's), in the order the connections delivered them, so a barrier is answered only after everything before it on its connection was done
 * and sent. The control thread is the only writer of the flow tables; datapath threads read them.
 */
final class ControlAgent implements OpenFlowDispatcher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlAgent.class);

    private final OfSwitch sw;
    /** This switch's control work, in order (one request at a time). */
    private final SerialExecutor control;
    private final List<OfConnection> connections = new CopyOnWriteArrayList<>();
    /** The largest role-request generation id seen, or null before any (OF1.3 §6.3.6). Control thread only. */
    private Long generationId;
    /** Where conntrack actions (ct, nat, ct_clear) are decoded. */
    final ExperimenterActions ctActions = dev.ofswitch.ofswitch.codec.CtActionDecoder.INSTANCE;
    private final java.util.concurrent.ScheduledExecutorService timers;
    private volatile java.util.concurrent.ScheduledFuture<?> expiryTick;
    /**
     * Requests that failed with an unexpected exception, our bug (answered with OFPBRC_EPERM, as OVS answers what it
     * cannot handle): OVS's {@code COVERAGE_INC} idea, so that tests and fuzzing can tell them from refusals.
     */
    private final LongAdder internalErrors = new LongAdder();
    /** What happens without a controller. Control thread only. */
    private final FailOpen failOpen;
    /** OpenFlow bundles: every connection's, kept on the connection. Control thread only. */
    private final Bundles bundles;

    ControlAgent(OfSwitch sw, SwitchRuntime runtime) {
        this.sw = sw;
        this.control = runtime.serialExecutor();
        this.timers = runtime.timers();
        this.failOpen = new FailOpen(sw, this);
        this.bundles = new Bundles(sw, this);
    }

    /**
     * Starts the periodic expiry and fail-open checks (every 500 ms of real time, at the switch clock's reading).
     */
    void start() {
        expiryTick = timers.scheduleWithFixedDelay(() -> post(this::runTimers), 500, 500,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Control thread: flow expiry, bundle expiry, then fail-open. */
    private void runTimers() {
        expireFlows();
        bundles.expire(sw.clock().nanoTime());
        runFailOpen();
    }

    List<OfConnection> connections() {
        return connections;
    }

    /** How many requests failed with an unexpected exception (each logged as an ERROR with its stack trace). */
    long internalErrors() {
        return internalErrors.sum();
    }

    // ------------------------------------------------------------------------------------------ dispatcher

    @Override
    public void connected(OfConnection conn) {
        post(() -> {
            connections.add(conn);
            log.info("{}: connected", conn);
        });
    }

    /** Queues control work; after close() it is dropped. */
    private void post(Runnable task) {
        try {
            control.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("switch closing: dropped control work");
        }
    }

    /** Requests of one connection handled in a row before the others get a turn (OVS ofconn_run()'s 50). */
    static final int REQUESTS_PER_TURN = 50;

    @Override
    public void requestsWaiting(OfConnection conn) {
        try {
            control.execute(() -> drain(conn));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            conn.discardRequests();     // the switch is closing
        }
    }

    /**
     * Control thread, holding {@code conn}'s drain claim: handles its waiting requests in order, at most
     * {@link #REQUESTS_PER_TURN} before letting other work run, and only while the connection's output is below the
     * high-water mark (a peer that reads nothing is not served more; the writability event resumes it).
     */
    private void drain(OfConnection conn) {
        for (int i = 0; i < REQUESTS_PER_TURN; i++) {
            RawMessage msg = conn.mayProcess() ? conn.pollRequest() : null;
            if (msg == null) {
                if (conn.endDrain()) {
                    requestsWaiting(conn);
                }
                return;
            }
            handleNow(conn, msg);
            if (conn.kind() == OfConnection.Kind.ACTIVE) {
                // As OVS connmgr_run(): leave fail-open as soon as a controller has taken control.
                dev.ofswitch.ofswitch.channel.ChannelManager ch = sw.channels();
                if (ch != null) {
                    failOpen.maybeRecover(ch);
                }
            }
        }
        requestsWaiting(conn);
    }

    private void handleNow(OfConnection conn, RawMessage msg) {
        try {
            handle(conn, msg);
        } catch (OpenFlowException e) {
            log.debug("{}: {} refused: {} ({})", conn, msg, e.code(), e.getMessage());
            sendError(conn, msg, e.code());
        } catch (RequestError e) {
            sendError(conn, msg, e.code);
        } catch (RuntimeException e) {
            internalErrors.increment();
            log.error("{}: internal error handling {}", conn, msg, e);
            sendError(conn, msg, ErrorCode.OFPBRC_EPERM);
        } finally {
            msg.release();
        }
    }

    @Override
    public void disconnected(OfConnection conn) {
        post(() -> {
            connections.remove(conn);
            bundles.discardAll(conn);
            log.info("{}: disconnected", conn);
        });
    }

    /** Runs {@code task} on the control thread and waits for it. */
    void runOnControl(Runnable task) {
        Future<?> f = control.submit(task);
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Expires flows due now and sends their FLOW_REMOVED, then runs fail-open, on the control thread. */
    void runTimersSync() {
        runOnControl(this::runTimers);
    }

    /** Control thread: removes flows whose timeouts passed and reports them. */
    private void expireFlows() {
        long now = sw.clock().nanoTime();
        for (FlowTables.Expired x : sw.flowTables().expire(now)) {
            flowRemoved(x.entry(), x.reason(), now);
        }
    }

    // ------------------------------------------------------------------------------------------ requests

    /** A request that gets an OFPT_ERROR (thrown from places that cannot throw the checked exception). */
    static final class RequestError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final ErrorCode code;

        RequestError(ErrorCode code, String why) {
            super(why, null, false, false);
            this.code = code;
        }
    }

    private void handle(OfConnection conn, RawMessage msg) throws OpenFlowException {
        MessageType type = MessageType.of(msg.version(), msg.type());
        switch (type) {
            case FLOW_MOD:
                checkMaster(conn);
                flowMod(conn, FlowModCodec.decode(msg.buf(), conn.flowModTableId(), ctActions));
                return;
            case EXPERIMENTER:
                experimenter(conn, msg);
                return;
            case PACKET_OUT:
                checkMaster(conn);
                packetOut(conn, PacketOut.decode(msg.buf(), ctActions));
                return;
            case GROUP_MOD:
                checkMaster(conn);
                groupMod(GroupMod.decode(msg.buf(), ctActions));
                return;
            case ROLE_REQUEST:
                checkRoleValue(msg);
                handleSession(conn, parse(msg));
                return;
            case GET_ASYNC_REQUEST:
            case SET_ASYNC:
                if (conn.version() >= OfVersion.OF14) {
                    asyncConfig14(conn, msg, type);
                } else {
                    handleSession(conn, parse(msg));
                }
                return;
            case FEATURES_REQUEST:
            case GET_CONFIG_REQUEST:
            case SET_CONFIG:
            case BARRIER_REQUEST:
            case TABLE_MOD:
                handleSession(conn, parse(msg));
                return;
            case PORT_MOD:
                PortModCheck.check(msg.buf());
                handleSession(conn, parse(msg));
                return;
            case MULTIPART_REQUEST:
                handleMultipart(conn, msg);
                return;
            case BUNDLE_CONTROL:
                bundles.control(conn, msg);
                return;
            case BUNDLE_ADD_MESSAGE:
                bundles.add(conn, msg);
                return;
            default:
                // As OVS handle_openflow__(): HELLO after the handshake, ERROR, replies and asynchronous messages
                // included.
                throw new OpenFlowException(ErrorCode.OFPBRC_BAD_TYPE, "unsupported message type " + type);
        }
    }

    private static OFMessage parse(RawMessage msg) {
        return parse(msg.buf());
    }

    /** Parses one whole message with Loxi; OFPBRC_BAD_LEN if it cannot (see the comment inside). */
    static OFMessage parse(ByteBuf buf) {
        ByteBuf b = buf.duplicate();
        OFMessage m;
        try {
            m = OFFactories.getGenericReader().readFrom(b);
        } catch (OFParseError | RuntimeException e) {
            // Loxi's readers fail in more ways than OFParseError on malformed bytes (a NullPointerException for an
            // unknown OFPMP_TABLE_FEATURES property, found by fuzzing): whatever they throw, the message does not
            // parse, and OVS 3.1 answers such a message with OFPBRC_BAD_LEN too.
            throw new RequestError(ErrorCode.OFPBRC_BAD_LEN, "cannot parse: " + e);
        }
        if (m == null) {
            throw new RequestError(ErrorCode.OFPBRC_BAD_LEN, "truncated message");
        }
        return m;
    }

    static OFFactory factory(int version) {
        return OFFactories.getFactory(OFVersion.values()[version - 1]);
    }

    private void handleSession(OfConnection conn, OFMessage m) {
        OFFactory f = factory(conn.version());
        switch (m.getType()) {
            case FEATURES_REQUEST: {
                var b = f.buildFeaturesReply().setXid(m.getXid()).setDatapathId(DatapathId.of(sw.config().dpid))
                        .setNBuffers(0).setNTables((short) 254)
                        .setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
                                OFCapabilities.PORT_STATS, OFCapabilities.QUEUE_STATS));
                if (conn.version() == OfVersion.OF10) {
                    b.setActions(EnumSet.allOf(org.projectfloodlight.openflow.protocol.OFActionType.class).stream()
                            .filter(a -> a.ordinal() <= org.projectfloodlight.openflow.protocol.OFActionType.ENQUEUE
                                    .ordinal()).collect(java.util.stream.Collectors.toSet()));
                    b.setPorts(portDescs(f));
                    // As OVS: OpenFlow 1.0 also announces OFPC_ARP_MATCH_IP (matching IP addresses in ARP).
                    b.setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
                            OFCapabilities.PORT_STATS, OFCapabilities.QUEUE_STATS, OFCapabilities.ARP_MATCH_IP));
                } else {
                    b.setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
                            OFCapabilities.PORT_STATS, OFCapabilities.GROUP_STATS, OFCapabilities.QUEUE_STATS));
                    b.setAuxiliaryId(OFAuxId.MAIN);
                }
                conn.send(b.build());
                return;
            }
            case GET_CONFIG_REQUEST:
                conn.send(f.buildGetConfigReply().setXid(m.getXid()).setMissSendLen(conn.missSendLen())
                        .setFlags(EnumSet.noneOf(org.projectfloodlight.openflow.protocol.OFConfigFlags.class))
                        .build());
                return;
            case SET_CONFIG: {
                OFSetConfig sc = (OFSetConfig) m;
                conn.setConfig(0, sc.getMissSendLen() & 0xffff);
                return;
            }
            case BARRIER_REQUEST:
                conn.send(f.buildBarrierReply().setXid(m.getXid()).build());
                return;
            case ROLE_REQUEST:
                handleRole(conn, (OFRoleRequest) m, f);
                return;
            case GET_ASYNC_REQUEST: {
                int[][] a = conn.asyncMasks();
                conn.send(f.buildAsyncGetReply().setXid(m.getXid())
                        .setPacketInMaskEqualMaster(a[0][0]).setPacketInMaskSlave(a[1][0])
                        .setPortStatusMaskEqualMaster(a[0][1]).setPortStatusMaskSlave(a[1][1])
                        .setFlowRemovedMaskEqualMaster(a[0][2]).setFlowRemovedMaskSlave(a[1][2]).build());
                return;
            }
            case SET_ASYNC: {
                // OpenFlow 1.3: as OVS 3.1, reasons the version does not have are dropped, not refused (set
                // 0xffffffff everywhere and OVS reports 7, 7 and 0x3f).
                OFAsyncSet s = (OFAsyncSet) m;
                conn.setAsyncMasks(new int[][] {
                    {(int) s.getPacketInMaskEqualMaster() & 0x7, (int) s.getPortStatusMaskEqualMaster() & 0x7,
                        (int) s.getFlowRemovedMaskEqualMaster() & 0x3f},
                    {(int) s.getPacketInMaskSlave() & 0x7, (int) s.getPortStatusMaskSlave() & 0x7,
                        (int) s.getFlowRemovedMaskSlave() & 0x3f}});
                return;
            }
            case PORT_MOD:
                checkMaster(conn);
                handlePortMod((OFPortMod) m);
                return;
            case TABLE_MOD:
                checkMaster(conn);
                return;     // table config (vacancy events, eviction) is not supported; accepted as OVS accepts it
            default:
                throw new RequestError(ErrorCode.OFPBRC_BAD_TYPE, "unsupported message " + m.getType());
        }
    }

    /**
     * OFPT_GET_ASYNC_REQUEST and OFPT_SET_ASYNC in OpenFlow 1.4+, whose properties Loxi's 1.3-style accessors cannot
     * give (they threw UnsupportedOperationException: found by OpenFlowSessionFuzzTest).
     */
    private void asyncConfig14(OfConnection conn, RawMessage msg, MessageType type) throws OpenFlowException {
        if (type == MessageType.GET_ASYNC_REQUEST) {
            if (msg.length() != OfHeader.LEN) {
                throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "GET_ASYNC_REQUEST of " + msg.length()
                        + " bytes");
            }
            ByteBuf out = Unpooled.buffer(8 + 2 * AsyncConfig.KINDS * AsyncConfig.PROP_LEN);
            AsyncConfig.encodeReply(out, conn.version(), msg.xid(), conn.asyncMasks());
            conn.send(out);
        } else {
            conn.setAsyncMasks(AsyncConfig.decodeSet(msg.buf(), conn.asyncMasks()));
        }
    }

    /** OFPBRC_IS_SLAVE for a modification from a slave (OF1.2+ role semantics). */
    static void checkMaster(OfConnection conn) {
        if (conn.role() == OfConnection.Role.SLAVE) {
            throw new RequestError(ErrorCode.OFPBRC_IS_SLAVE, "slave");
        }
    }

    private void handleRole(OfConnection conn, OFRoleRequest r, OFFactory f) {
        OFControllerRole role = r.getRole();
        if (role == OFControllerRole.ROLE_MASTER || role == OFControllerRole.ROLE_SLAVE) {
            long gen = r.getGenerationId().getValue();
            if (generationId != null && gen - generationId < 0) {
                throw new RequestError(ErrorCode.OFPRRFC_STALE, "stale generation id");
            }
            generationId = gen;
        }
        switch (role) {
            case ROLE_MASTER:
                for (OfConnection c : connections) {
                    if (c != conn && c.role() == OfConnection.Role.MASTER) {
                        c.setRole(OfConnection.Role.SLAVE);
                        sendRoleStatus(c);
                    }
                }
                conn.setRole(OfConnection.Role.MASTER);
                break;
            case ROLE_SLAVE:
                conn.setRole(OfConnection.Role.SLAVE);
                break;
            case ROLE_EQUAL:
                conn.setRole(OfConnection.Role.EQUAL);
                break;
            default:
                break;  // NOCHANGE
        }
        OFControllerRole now = conn.role() == OfConnection.Role.MASTER ? OFControllerRole.ROLE_MASTER
                : conn.role() == OfConnection.Role.SLAVE ? OFControllerRole.ROLE_SLAVE : OFControllerRole.ROLE_EQUAL;
        conn.send(f.buildRoleReply().setXid(r.getXid()).setRole(now)
                .setGenerationId(U64.of(generationId == null ? UNDEFINED_GENERATION_ID : generationId)).build());
    }

    /** The generation id a role reply carries before any master or slave request set one (OVS: UINT64_MAX). */
    private static final long UNDEFINED_GENERATION_ID = -1L;

    /** OFPRRFC_BAD_ROLE for a role other than nochange, equal, master, slave (Loxi cannot even parse it). */
    private static void checkRoleValue(RawMessage msg) throws OpenFlowException {
        ByteBuf b = msg.buf();
        if (msg.length() >= 12 && b.getUnsignedInt(b.readerIndex() + 8) > 3) {
            throw new OpenFlowException(ErrorCode.OFPRRFC_BAD_ROLE, "role " + b.getUnsignedInt(b.readerIndex() + 8));
        }
    }

    /**
     * Tells a master that another connection became master and it is now a slave, as OVS
     * {@code ofconn_send_role_status()}: ONFT_ROLE_STATUS (ONF experimenter 1911) in OpenFlow 1.3, OFPT_ROLE_STATUS in
     * 1.4+, nothing in 1.0. Body: role(4) = slave, reason(1) = OFPCRR_MASTER_REQUEST, pad(3), generation_id(8).
     */
    private void sendRoleStatus(OfConnection c) {
        ByteBuf b = Unpooled.buffer(32);
        if (c.version() == OfVersion.OF13) {
            b.writeByte(c.version()).writeByte(4).writeShort(0).writeInt(0);     // OFPT_EXPERIMENTER
            b.writeInt(0x4f4e4600).writeInt(1911);                               // ONF_VENDOR_ID, ONFT_ROLE_STATUS
        } else if (c.version() >= OfVersion.OF14) {
            b.writeByte(c.version()).writeByte(30).writeShort(0).writeInt(0);    // OFPT_ROLE_STATUS
        } else {
            b.release();
            return;
        }
        b.writeInt(3).writeByte(0).writeZero(3).writeLong(generationId == null ? UNDEFINED_GENERATION_ID
                : generationId);
        b.setShort(2, b.readableBytes());
        c.send(b);
    }

    private void handlePortMod(OFPortMod pm) {
        applyPortMod(portOf(pm), pm);
    }

    /**
     * The port a PORT_MOD is for: OFPPMFC_BAD_PORT if there is none, OFPPMFC_BAD_HW_ADDR if the request's hw_addr is
     * not the port's (as OVS {@code port_mod_start()}, in every version; nothing of the request is applied then).
     */
    Port portOf(OFPortMod pm) {
        Port p = sw.port(pm.getPortNo().getPortNumber());
        if (p == null || p.number() == Port.LOCAL && pm.getPortNo() != OFPort.LOCAL) {
            throw new RequestError(ErrorCode.OFPPMFC_BAD_PORT, "no such port");
        }
        if (!Arrays.equals(pm.getHwAddr().getBytes(), p.hwAddr())) {
            throw new RequestError(ErrorCode.OFPPMFC_BAD_HW_ADDR, "hw_addr " + pm.getHwAddr() + " is not port "
                    + p.number() + "'s " + Port.formatMac(p.hwAddr()));
        }
        return p;
    }

    /** Changes {@code p}'s configuration as {@code pm} says, and reports a change with PORT_STATUS. */
    void applyPortMod(Port p, OFPortMod pm) {
        int mask = 0;
        int value = 0;
        for (OFPortConfig c : pm.getMask()) {
            mask |= configBit(c);
        }
        for (OFPortConfig c : pm.getConfig()) {
            value |= configBit(c);
        }
        int before = p.config();
        p.setConfig((before & ~mask) | (value & mask));
        if (p.config() != before) {
            portStatus(p, OFPortReason.MODIFY);
        }
    }

    private static int configBit(OFPortConfig c) {
        switch (c) {
            case PORT_DOWN:
                return Port.CONFIG_PORT_DOWN;
            case NO_RECV:
                return Port.CONFIG_NO_RECV;
            case NO_FWD:
                return Port.CONFIG_NO_FWD;
            case NO_PACKET_IN:
                return Port.CONFIG_NO_PACKET_IN;
            default:
                return 0;
        }
    }

    /** Sends OFPT_PORT_STATUS for {@code p} to every connection that wants it. Any thread. */
    void portStatus(Port p, OFPortReason reason) {
        int r = reason == OFPortReason.ADD ? 0 : reason == OFPortReason.DELETE ? 1 : 2;
        for (OfConnection c : connections) {
            if (c.receivesAsync(1, r)) {
                OFFactory f = factory(c.version());
                c.send(f.buildPortStatus().setReason(reason).setDesc(portDesc(f, p)).build());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ multipart

    private void handleMultipart(OfConnection conn, RawMessage msg) throws OpenFlowException {
        // ofp_stats_request is 12 bytes in OpenFlow 1.0, ofp_multipart_request 16 in 1.3+: a shorter one has no type
        // to read (as OVS 3.1: OFPBRC_BAD_LEN).
        int headerLen = conn.version() == OfVersion.OF10 ? 12 : 16;
        if (msg.length() < headerLen) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "multipart request of " + msg.length() + " bytes");
        }
        int statsType = msg.buf().getUnsignedShort(msg.buf().readerIndex() + 8);
        if (conn.version() == OfVersion.OF10 && statsType == FlowStats.OFPST_VENDOR && nxGroupStats(conn, msg)) {
            return;
        }
        if (conn.version() == OfVersion.OF10 && statsType == OFPST10_PORT_DESC) {
            portDesc10(conn, msg);
            return;
        }
        if (statsType == FlowStats.OFPST_FLOW || statsType == FlowStats.OFPST_AGGREGATE
                || statsType == FlowStats.OFPST_VENDOR) {
            flowStats(conn, FlowStats.decodeRequest(msg.buf()));
            return;
        }
        OFStatsType t = statsTypeOf(conn.version(), statsType);
        if (t == null) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_STAT, "unknown multipart type " + statsType);
        }
        switch (t) {
            case DESC:
            case TABLE:
            case PORT:
            case PORT_DESC:
            case TABLE_FEATURES:
            case GROUP_FEATURES:
            case METER_FEATURES:
            case GROUP:
            case GROUP_DESC:
            case QUEUE:
            case METER:
            case METER_CONFIG:
                replyStats(conn, (OFStatsRequest<?>) parse(msg));
                return;
            default:
                throw new OpenFlowException(ErrorCode.OFPBRC_BAD_STAT, "unsupported multipart type " + t);
        }
    }

    /** OVS's OpenFlow 1.0 port description request, {@code OFPST 1.0 (13)} with no body (ovs-ofctl dump-ports-desc). */
    static final int OFPST10_PORT_DESC = 13;

    /** Answers OFPST10_PORT_DESC with the ports as OpenFlow 1.0 {@code ofp_phy_port}s. */
    private void portDesc10(OfConnection conn, RawMessage msg) throws OpenFlowException {
        if (msg.length() != 12) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "OFPST_PORT_DESC request of " + msg.length()
                    + " bytes");
        }
        OFFactory f = factory(OfVersion.OF10);
        ByteBuf b = Unpooled.buffer(12 + 48 * sw.ports().size());
        b.writeByte(OfVersion.OF10).writeByte(17).writeShort(0).writeInt(msg.xid());   // OFPT_STATS_REPLY
        b.writeShort(OFPST10_PORT_DESC).writeShort(0);
        for (OFPortDesc d : portDescs(f)) {
            d.writeTo(b);
        }
        b.setShort(2, b.readableBytes());
        conn.send(b);
    }

    /**
     * OpenFlow 1.0's Nicira group statistics: NXST_GROUP_DESC and NXST_GROUP (body: group_id(4) pad(4)) and
     * NXST_GROUP_FEATURES (no body). Returns false for other vendor statistics (the flow statistics).
     */
    private boolean nxGroupStats(OfConnection conn, RawMessage msg) throws OpenFlowException {
        ByteBuf b = msg.buf();
        int at = b.readerIndex();
        if (msg.length() < GroupReplies.NXST_HEADER_LEN || b.getInt(at + 12) != ErrorCode.NX_VENDOR_ID) {
            return false;
        }
        int subtype = b.getInt(at + 16);
        switch (subtype) {
            case GroupReplies.NXST_GROUP:
            case GroupReplies.NXST_GROUP_DESC: {
                if (msg.length() != GroupReplies.NXST_HEADER_LEN + 8) {
                    throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "NXST group request of " + msg.length()
                            + " bytes");
                }
                List<GroupTable.Group> gs = selectGroups(b.getUnsignedInt(at + GroupReplies.NXST_HEADER_LEN));
                List<ByteBuf> parts = subtype == GroupReplies.NXST_GROUP
                        ? GroupReplies.stats(OfVersion.OF10, msg.xid(), gs, sw.clock().nanoTime(), 0)
                        : GroupReplies.desc(OfVersion.OF10, msg.xid(), gs);
                for (ByteBuf part : parts) {
                    conn.send(part);
                }
                return true;
            }
            case GroupReplies.NXST_GROUP_FEATURES:
                if (msg.length() != GroupReplies.NXST_HEADER_LEN) {
                    throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "NXST_GROUP_FEATURES request of "
                            + msg.length() + " bytes");
                }
                conn.send(GroupReplies.nxFeatures(msg.xid()));
                return true;
            default:
                return false;
        }
    }

    private static OFStatsType statsTypeOf(int version, int code) {
        for (OFStatsType t : OFStatsType.values()) {
            try {
                if (version == OfVersion.OF10) {
                    if (org.projectfloodlight.openflow.protocol.ver10.OFStatsTypeSerializerVer10.toWireValue(t)
                            == (short) code) {
                        return t;
                    }
                } else if (org.projectfloodlight.openflow.protocol.ver13.OFStatsTypeSerializerVer13.toWireValue(t)
                        == (short) code) {
                    return t;
                }
            } catch (IllegalArgumentException e) {
                // not in this version
            }
        }
        return null;
    }

    private void replyStats(OfConnection conn, OFStatsRequest<?> req) {
        OFFactory f = factory(conn.version());
        long xid = req.getXid();
        Set<OFStatsReplyFlags> none = EnumSet.noneOf(OFStatsReplyFlags.class);
        switch (req.getStatsType()) {
            case DESC: {
                boolean ovs = sw.config().descProfile.equals("ovs");
                conn.send(f.buildDescStatsReply().setXid(xid).setFlags(none)
                        .setMfrDesc(ovs ? "Nicira, Inc." : "ofswitch project")
                        .setHwDesc(ovs ? "Open vSwitch" : "ofswitch")
                        .setSwDesc(ovs ? "3.1.0" : "0.1.0")
                        .setSerialNum("None")
                        .setDpDesc(ovs ? "None" : sw.config().name).build());
                return;
            }
            case PORT_DESC:
                conn.send(f.buildPortDescStatsReply().setXid(xid).setFlags(none).setEntries(portDescs(f)).build());
                return;
            case PORT: {
                OFPort which = ((OFPortStatsRequest) req).getPortNo();
                List<OFPortStatsEntry> entries = new ArrayList<>();
                long now = sw.clock().nanoTime();
                for (Port p : sw.ports()) {
                    if (which.equals(OFPort.ANY) || which.getPortNumber() == p.number()) {
                        entries.add(portStats(f, p, now));
                    }
                }
                if (entries.isEmpty() && !which.equals(OFPort.ANY)) {
                    throw new RequestError(ErrorCode.OFPBRC_BAD_PORT, "no such port");
                }
                conn.send(f.buildPortStatsReply().setXid(xid).setFlags(none).setEntries(entries).build());
                return;
            }
            case TABLE: {
                List<OFTableStatsEntry> entries = new ArrayList<>();
                FlowTables ft = sw.flowTables();
                for (int t = 0; t < 254; t++) {
                    var e = f.buildTableStatsEntry().setTableId(TableId.of(t)).setActiveCount(ft.activeCount(t))
                            .setLookupCount(U64.of(ft.lookupCount(t))).setMatchedCount(U64.of(ft.matchedCount(t)));
                    if (conn.version() == OfVersion.OF10) {
                        // As OVS: no table names unless configured (ovs-ofctl then prints none and says "ditto").
                        e.setName("").setMaxEntries(1000000).setWildcards(0x3fffff);
                    }
                    entries.add(e.build());
                }
                conn.send(f.buildTableStatsReply().setXid(xid).setFlags(none).setEntries(entries).build());
                return;
            }
            case TABLE_FEATURES:
                if (conn.version() >= OfVersion.OF15) {
                    for (ByteBuf part : TableFeatures.reply15(conn.version(), (int) xid)) {
                        conn.send(part);
                    }
                    return;
                }
                for (OFMessage part : TableFeatures.reply(f, xid)) {
                    conn.send(part);
                }
                return;
            case GROUP_FEATURES:
                conn.send(f.buildGroupFeaturesStatsReply().setXid(xid).setFlags(none)
                        .setTypes(0xf).setCapabilities(EnumSet.of(
                                org.projectfloodlight.openflow.protocol.OFGroupCapabilities.SELECT_WEIGHT,
                                org.projectfloodlight.openflow.protocol.OFGroupCapabilities.SELECT_LIVENESS,
                                org.projectfloodlight.openflow.protocol.OFGroupCapabilities.CHAINING))
                        .setMaxGroupsAll(0xffffff00L).setMaxGroupsSelect(0xffffff00L)
                        .setMaxGroupsIndirect(0xffffff00L).setMaxGroupsFf(0xffffff00L)
                        .setActionsAll(GROUP_ACTIONS).setActionsSelect(GROUP_ACTIONS)
                        .setActionsIndirect(GROUP_ACTIONS).setActionsFf(GROUP_ACTIONS).build());
                return;
            case METER_FEATURES:
                conn.send(f.buildMeterFeaturesStatsReply().setXid(xid).setFlags(none)
                        .setFeatures(f.buildMeterFeatures().setMaxMeter(0).setBandTypes(0).setCapabilities(0)
                                .setMaxBands((short) 0).setMaxColor((short) 0).build()).build());
                return;
            case GROUP: {
                List<GroupTable.Group> gs = selectGroups(((org.projectfloodlight.openflow.protocol.OFGroupStatsRequest)
                        req).getGroup().getGroupNumber() & 0xffffffffL);
                for (ByteBuf part : GroupReplies.stats(conn.version(), (int) xid, gs, sw.clock().nanoTime(), 0)) {
                    conn.send(part);
                }
                return;
            }
            case GROUP_DESC: {
                List<GroupTable.Group> gs = selectGroups(OFPG_ALL);
                for (ByteBuf part : GroupReplies.desc(conn.version(), (int) xid, gs)) {
                    conn.send(part);
                }
                return;
            }
            case QUEUE:
                conn.send(f.buildQueueStatsReply().setXid(xid).setFlags(none).build());
                return;
            case METER:
                conn.send(f.buildMeterStatsReply().setXid(xid).setFlags(none).build());
                return;
            case METER_CONFIG:
                conn.send(f.buildMeterConfigStatsReply().setXid(xid).setFlags(none).build());
                return;
            default:
                throw new RequestError(ErrorCode.OFPBRC_BAD_STAT, "unsupported multipart type "
                        + req.getStatsType());
        }
    }

    /**
     * Actions groups support, as OVS reports them: output, copy_ttl_out/in (no), set_mpls_ttl, dec_mpls_ttl,
     * push_vlan, pop_vlan, push_mpls, pop_mpls, set_queue, group, set_nw_ttl, dec_nw_ttl, set_field.
     */
    private static final long GROUP_ACTIONS = (1L << 0) | (1L << 15) | (1L << 16) | (1L << 17) | (1L << 18)
            | (1L << 19) | (1L << 20) | (1L << 21) | (1L << 22) | (1L << 23) | (1L << 24) | (1L << 25);

    private List<OFPortDesc> portDescs(OFFactory f) {
        List<OFPortDesc> out = new ArrayList<>();
        for (Port p : sw.ports()) {
            out.add(portDesc(f, p));
        }
        return out;
    }

    static OFPortDesc portDesc(OFFactory f, Port p) {
        Set<OFPortConfig> config = EnumSet.noneOf(OFPortConfig.class);
        if ((p.config() & Port.CONFIG_PORT_DOWN) != 0) {
            config.add(OFPortConfig.PORT_DOWN);
        }
        if ((p.config() & Port.CONFIG_NO_RECV) != 0) {
            config.add(OFPortConfig.NO_RECV);
        }
        if ((p.config() & Port.CONFIG_NO_FWD) != 0) {
            config.add(OFPortConfig.NO_FWD);
        }
        if ((p.config() & Port.CONFIG_NO_PACKET_IN) != 0) {
            config.add(OFPortConfig.NO_PACKET_IN);
        }
        Set<OFPortState> state = EnumSet.noneOf(OFPortState.class);
        if (p.state() == Port.STATE_LIVE) {
            if (f.getVersion() != OFVersion.OF_10) {
                state.add(OFPortState.LIVE);
            }
        } else {
            state.add(OFPortState.LINK_DOWN);
        }
        var b = f.buildPortDesc().setPortNo(OFPort.of(p.number())).setHwAddr(MacAddress.of(p.hwAddr()))
                .setName(p.name()).setConfig(config).setState(state);
        if (f.getVersion().compareTo(OFVersion.OF_14) < 0) {
            b.setCurr(EnumSet.noneOf(org.projectfloodlight.openflow.protocol.OFPortFeatures.class))
                    .setAdvertised(EnumSet.noneOf(org.projectfloodlight.openflow.protocol.OFPortFeatures.class))
                    .setSupported(EnumSet.noneOf(org.projectfloodlight.openflow.protocol.OFPortFeatures.class))
                    .setPeer(EnumSet.noneOf(org.projectfloodlight.openflow.protocol.OFPortFeatures.class));
            if (f.getVersion() != OFVersion.OF_10) {
                b.setCurrSpeed(0).setMaxSpeed(0);
            }
        } else {
            b.setProperties(List.of(f.buildPortDescPropEthernet()
                    .setCurr(0).setAdvertised(0).setSupported(0).setPeer(0).setCurrSpeed(0).setMaxSpeed(0).build()));
        }
        return b.build();
    }

    private static OFPortStatsEntry portStats(OFFactory f, Port p, long now) {
        long dur = Math.max(0, now - p.createdNanos());
        U64 unknown = U64.NO_MASK;
        var b = f.buildPortStatsEntry().setPortNo(OFPort.of(p.number()))
                .setRxPackets(U64.of(p.rxPackets.sum())).setTxPackets(U64.of(p.txPackets.sum()))
                .setRxBytes(U64.of(p.rxBytes.sum())).setTxBytes(U64.of(p.txBytes.sum()))
                .setRxDropped(U64.of(p.rxDropped.sum())).setTxDropped(U64.of(p.txDropped.sum()));
        if (f.getVersion().compareTo(OFVersion.OF_14) < 0) {
            b.setRxErrors(unknown).setTxErrors(unknown).setRxFrameErr(unknown).setRxOverErr(unknown)
                    .setRxCrcErr(unknown).setCollisions(unknown);
        } else {
            b.setRxErrors(unknown).setTxErrors(unknown).setProperties(List.of(f.buildPortStatsPropEthernet()
                    .setRxFrameErr(unknown).setRxOverErr(unknown).setRxCrcErr(unknown).setCollisions(unknown)
                    .build()));
        }
        if (f.getVersion() != OFVersion.OF_10) {
            b.setDurationSec(dur / 1_000_000_000L).setDurationNsec(dur % 1_000_000_000L);
        }
        return b.build();
    }

    // ------------------------------------------------------------------------------------------ errors

    /** Sends OFPT_ERROR answering {@code msg}: same version and xid, its first bytes as data (OVS's encoding). */
    void sendError(OfConnection conn, RawMessage msg, ErrorCode code) {
        conn.send(ErrorMessages.encode(ByteBufAllocator.DEFAULT, code, msg.buf()));
    }

    // ------------------------------------------------------------------------------------------ flows

    private void flowMod(OfConnection conn, FlowMod fm) throws OpenFlowException {
        FlowTables.checkWritable(fm);
        checkBuffer(fm);
        checkReferences(fm);
        long now = sw.clock().nanoTime();
        FlowTables.Result r = sw.flowTables().apply(fm, now);
        for (FlowEntry e : r.removed()) {
            flowRemoved(e, AsyncMessages.FlowRemoved.OFPRR_DELETE, now);
        }
    }

    /** OFPBRC_BUFFER_UNKNOWN for an add or modify that names a buffer (this switch buffers no packets). */
    static void checkBuffer(FlowMod fm) throws OpenFlowException {
        if (fm.bufferId() != PacketIn.NO_BUFFER && fm.command() != FlowMod.OFPFC_DELETE
                && fm.command() != FlowMod.OFPFC_DELETE_STRICT) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BUFFER_UNKNOWN, "this switch buffers no packets");
        }
    }

    /**
     * The groups and meters an add or modify refers to must exist (OVS {@code ofproto_check_ofpacts()}, which runs
     * when the change starts: for a bundle, at commit, after the bundle's earlier group mods).
     */
    void checkReferences(FlowMod fm) throws OpenFlowException {
        if (fm.command() != FlowMod.OFPFC_DELETE && fm.command() != FlowMod.OFPFC_DELETE_STRICT) {
            for (Instruction i : fm.instructions().list()) {
                if (i instanceof Instruction.ApplyActions a) {
                    checkGroups(a.actions().actions());
                } else if (i instanceof Instruction.WriteActions w) {
                    checkGroups(w.actions().actions());
                } else if (i instanceof Instruction.Meter m) {
                    throw new OpenFlowException(ErrorCode.OFPMMFC_INVALID_METER, "meter " + m.meterId()
                            + " does not exist");
                }
            }
        }
    }

    /**
     * Applies a FLOW_MOD made inside the process ({@code bin/ofswitch --flows}, the lab's {@code add-flow}): the same
     * checks and table update as one read from a connection, on the control thread; returns when it is done.
     *
     * @throws OpenFlowException with the error a controller would have been sent
     */
    void applyFlowMod(FlowMod fm) throws OpenFlowException {
        OpenFlowException[] refused = new OpenFlowException[1];
        runOnControl(() -> {
            try {
                flowMod(null, fm);
            } catch (OpenFlowException e) {
                refused[0] = e;
            } catch (RequestError e) {
                refused[0] = new OpenFlowException(e.code, e.getMessage());
            }
        });
        if (refused[0] != null) {
            throw refused[0];
        }
    }

    /** Sends FLOW_REMOVED for {@code e} (if it asked for it) to every connection that wants it. */
    void flowRemoved(FlowEntry e, int reason, long now) {
        if ((e.flags() & FlowMod.OFPFF_SEND_FLOW_REM) == 0) {
            return;
        }
        long ms = Math.max(0, now - e.installNanos()) / 1_000_000L;
        AsyncMessages.FlowRemoved fr = new AsyncMessages.FlowRemoved(e.cookie(), e.priority(), reason, e.tableId(),
                ms / 1000, (ms % 1000) * 1_000_000L, e.idleTimeout(), e.hardTimeout(), e.packets(), e.bytes(),
                e.match());
        for (OfConnection c : connections) {
            if (c.receivesAsync(2, reason)) {
                ByteBuf b = Unpooled.buffer(128);
                if (c.version() == OfVersion.OF10 && c.nxmFlowFormat()) {
                    AsyncMessages.encodeNxFlowRemoved(b, c.version(), 0, fr);
                } else {
                    AsyncMessages.encodeFlowRemoved(b, c.version(), 0, fr);
                }
                c.send(b);
            }
        }
    }

    private void flowStats(OfConnection conn, FlowStats.Request req) throws OpenFlowException {
        List<FlowEntry> flows = sw.flowTables().select(req.tableId(), req.match(), false, 0, req.cookie(),
                req.cookieMask(), req.outPort(), req.outGroup());
        if (req.aggregate()) {
            long packets = 0;
            long bytes = 0;
            for (FlowEntry e : flows) {
                packets += e.packets();
                bytes += e.bytes();
            }
            conn.send(FlowStats.encodeAggregateReply(ByteBufAllocator.DEFAULT, req, packets, bytes, flows.size()));
            return;
        }
        for (ByteBuf part : flowStatsReply(req, flows)) {
            conn.send(part);
        }
    }

    /** Control thread: the flow stats reply messages to {@code req} (never an aggregate request). */
    List<ByteBuf> flowStatsReply(FlowStats.Request req) {
        return flowStatsReply(req, sw.flowTables().select(req.tableId(), req.match(), false, 0, req.cookie(),
                req.cookieMask(), req.outPort(), req.outGroup()));
    }

    private List<ByteBuf> flowStatsReply(FlowStats.Request req, List<FlowEntry> flows) {
        long now = sw.clock().nanoTime();
        List<FlowStats.Entry> entries = new ArrayList<>(flows.size());
        for (FlowEntry e : flows) {
            // As OVS calc_duration(): milliseconds, so the nanoseconds field is a whole number of ms.
            long dur = Math.max(0, now - e.installNanos()) / 1_000_000L * 1_000_000L;
            long idleAge = Math.max(0, now - e.lastUsedNanos()) / 1_000_000_000L;
            int flags = e.flags();
            if (e.instructions().isActionsOnly() && req.version() != OfVersion.OF10) {
                // Added with OpenFlow 1.0 (whose flag 4 is EMERG), where an add always resets the counters: OVS
                // reports reset_counts to OpenFlow 1.1+ (ofputil_decode_flow_mod_flags()).
                flags = (flags & (FlowMod.OFPFF_SEND_FLOW_REM | FlowMod.OFPFF_CHECK_OVERLAP))
                        | FlowMod.OFPFF12_RESET_COUNTS;
            }
            entries.add(new FlowStats.Entry(e.tableId(), dur / 1_000_000_000L, dur % 1_000_000_000L, e.priority(),
                    e.idleTimeout(), e.hardTimeout(), flags, e.importance(), e.cookie(), e.packets(),
                    e.bytes(), (int) idleAge, (int) (dur / 1_000_000_000L), e.match(), e.instructions()));
        }
        return FlowStats.encodeReply(ByteBufAllocator.DEFAULT, req, entries);
    }

    // ------------------------------------------------------------------------------------------ packet-out, groups

    static final long OFPG_ALL = 0xfffffffcL;
    static final long OFPG_MAX = 0xffffff00L;

    private void packetOut(OfConnection conn, PacketOut po) throws OpenFlowException {
        preparePacketOut(conn, po).run();
    }

    /**
     * Checks a packet-out and compiles it; the result runs it through the datapath. A bundle checks its packet-outs
     * at commit and runs them once the commit is published, as OVS's {@code ofproto_packet_out_start()} and
     * {@code _finish()}.
     */
    Runnable preparePacketOut(OfConnection conn, PacketOut po) throws OpenFlowException {
        if (po.bufferId() != PacketIn.NO_BUFFER) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BUFFER_UNKNOWN, "this switch buffers no packets");
        }
        byte[] data = po.data();
        if (data.length < 14) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_PACKET, "packet of " + data.length + " bytes");
        }
        checkGroups(po.actions().actions());
        int in = po.inPort();
        int in32 = in >= 0xff00 ? in | 0xffff0000 : in;
        long[] key = dev.ofswitch.ofswitch.flow.FlowKey.newKey();
        dev.ofswitch.ofswitch.pipeline.FlowExtractor.extract(data, data.length, in32, key);
        dev.ofswitch.ofswitch.codec.ActionChecker.checkPacketActions(po.actions().actions(), key, conn.version());
        Object program = sw.compiler().compileActionList(po.actions().actions());
        return () -> sw.datapath().runSync(in32, data, data.length, program);
    }

    private void checkGroups(List<dev.ofswitch.ofswitch.codec.Action> actions) throws OpenFlowException {
        for (dev.ofswitch.ofswitch.codec.Action a : actions) {
            if (a instanceof dev.ofswitch.ofswitch.codec.Action.Group g && sw.groups().current(g.groupId()) == null) {
                throw new OpenFlowException(ErrorCode.OFPBAC_BAD_OUT_GROUP, "group " + g.groupId() + " does not exist");
            }
        }
    }

    private void groupMod(GroupMod gm) throws OpenFlowException {
        long now = sw.clock().nanoTime();
        for (FlowEntry e : applyGroupMod(gm)) {
            flowRemoved(e, AsyncMessages.FlowRemoved.OFPRR_GROUP_DELETE, now);
        }
    }

    /**
     * Applies a GROUP_MOD (inside an open transaction, if any); returns the flows a delete removed with their groups,
     * whose FLOW_REMOVED (reason GROUP_DELETE) the caller sends.
     */
    List<FlowEntry> applyGroupMod(GroupMod gm) throws OpenFlowException {
        GroupTable groups = sw.groups();
        long id = gm.groupId();
        switch (gm.command()) {
            case 0: { // OFPGC_ADD
                if (Long.compareUnsigned(id, OFPG_MAX) > 0) {
                    throw new OpenFlowException(ErrorCode.OFPGMFC_INVALID_GROUP, "group id " + id);
                }
                if (groups.current(id) != null) {
                    throw new OpenFlowException(ErrorCode.OFPGMFC_GROUP_EXISTS, "group " + id + " exists");
                }
                groups.put(build(gm));
                return List.of();
            }
            case 1: { // OFPGC_MODIFY
                if (groups.current(id) == null) {
                    throw new OpenFlowException(ErrorCode.OFPGMFC_UNKNOWN_GROUP, "no group " + id);
                }
                groups.put(build(gm));
                return List.of();
            }
            case 2: { // OFPGC_DELETE: the group, and the flows that use it
                List<Long> ids = id == OFPG_ALL ? new ArrayList<>(groups.all().keySet()) : List.of(id);
                List<FlowEntry> removed = new ArrayList<>();
                for (long g : ids) {
                    if (groups.remove(g) != null) {
                        for (FlowEntry e : sw.flowTables().select(FlowTables.TABLE_ALL,
                                dev.ofswitch.ofswitch.codec.Match.EMPTY_OXM, false, 0, 0, 0, FlowTables.OFPP_ANY, g)) {
                            sw.flowTables().remove(e);
                            removed.add(e);
                        }
                    }
                }
                return removed;
            }
            default:
                throw new OpenFlowException(ErrorCode.OFPGMFC_BAD_COMMAND, "group command " + gm.command());
        }
    }

    private GroupTable.Group build(GroupMod gm) throws OpenFlowException {
        if (gm.type() == GroupTable.INDIRECT && gm.buckets().size() != 1) {
            throw new OpenFlowException(ErrorCode.OFPGMFC_INVALID_GROUP, "indirect group needs exactly one bucket");
        }
        List<GroupTable.Bucket> buckets = new ArrayList<>();
        for (GroupMod.Bucket b : gm.buckets()) {
            checkGroups(b.actions().actions());
            int weight = gm.type() == GroupTable.SELECT ? (b.weight() == 0 ? 1 : b.weight()) : b.weight();
            buckets.add(GroupTable.bucket(weight, b.watchPort(), b.watchGroup(),
                    sw.compiler().compileActionList(b.actions().actions()),
                    new GroupReplies.BucketSource(gm.version(), b)));
        }
        return GroupTable.group(gm.groupId(), gm.type(), buckets, sw.clock().nanoTime());
    }

    private List<GroupTable.Group> selectGroups(long id) {
        List<GroupTable.Group> out = new ArrayList<>();
        sw.groups().all().forEach((gid, g) -> {
            if (id == OFPG_ALL || gid == id) {
                out.add(g);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------------------------------ Nicira

    private void experimenter(OfConnection conn, RawMessage msg) throws OpenFlowException {
        ByteBuf b = msg.buf();
        if (msg.length() < dev.ofswitch.ofswitch.codec.OfHeader.NICIRA_LEN) {
            // As OVS ofphdrs_decode(): shorter than ofp_vendor_header (header, vendor, subtype).
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_LEN, "experimenter message of " + msg.length()
                    + " bytes");
        }
        switch (dev.ofswitch.ofswitch.codec.BundleCodec.kind(b)) {
            case CONTROL:
                bundles.control(conn, msg);
                return;
            case ADD:
                bundles.add(conn, msg);
                return;
            default:
                break;
        }
        if (b.getInt(b.readerIndex() + 8) == ErrorCode.ONF_VENDOR_ID) {
            // As OVS 3.1: ONF is a known experimenter; its types other than OpenFlow 1.3's bundle messages are not.
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_SUBTYPE, "ONF experimenter type "
                    + b.getUnsignedInt(b.readerIndex() + 12));
        }
        if (!NiciraMessages.isNicira(b)) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_VENDOR, "unknown experimenter");
        }
        int subtype = NiciraMessages.subtype(b);
        switch (subtype) {
            case NiciraMessages.NXT_SET_FLOW_FORMAT:
                conn.setNxmFlowFormat(NiciraMessages.decodeSetFlowFormat(b) == NiciraMessages.NXFF_NXM);
                return;
            case FlowModCodec.NXT_FLOW_MOD:
                checkMaster(conn);
                flowMod(conn, FlowModCodec.decode(b, conn.flowModTableId(), ctActions));
                return;
            case NiciraMessages.NXT_FLOW_MOD_TABLE_ID:
                conn.setFlowModTableId(NiciraMessages.decodeFlowModTableId(b));
                return;
            case NiciraMessages.NXT_SET_PACKET_IN_FORMAT: {
                int fmt = NiciraMessages.decodeSetPacketInFormat(b);
                conn.setPacketInFormat(fmt == NiciraMessages.NXPIF_NXT_PACKET_IN2
                        ? OfConnection.PacketInFormat.NXT_PACKET_IN2 : OfConnection.PacketInFormat.STANDARD);
                return;
            }
            case NiciraMessages.NXT_SET_CONTROLLER_ID:
                conn.setControllerId(NiciraMessages.decodeSetControllerId(b));
                return;
            case NiciraMessages.NXT_SET_ASYNC_CONFIG: {
                long[] m = NiciraMessages.decodeSetAsyncConfig(b);
                conn.setAsyncMasks(new int[][] {{(int) m[0], (int) m[2], (int) m[4]}, {(int) m[1], (int) m[3],
                    (int) m[5]}});
                return;
            }
            case GroupMod.NXT_GROUP_MOD:
                checkMaster(conn);
                groupMod(GroupMod.decode(b, ctActions));
                return;
            case NiciraMessages.NXT_CT_FLUSH_ZONE:
                checkMaster(conn);
                sw.conntrack().flush(ConnFilter.zone(NiciraMessages.decodeCtFlushZone(b)));
                return;
            case NiciraMessages.NXT_CT_FLUSH:
                checkMaster(conn);
                sw.conntrack().flush(CtFlushFilters.of(NiciraMessages.decodeCtFlush(b)));
                return;
            default:
                throw new OpenFlowException(ErrorCode.OFPBRC_BAD_SUBTYPE, "Nicira subtype " + subtype);
        }
    }

    // ------------------------------------------------------------------------------------------ packet-in

    /**
     * Sends a packet-in for the packet in {@code ctx} to every connection that wants it (OVS {@code connmgr}):
     * by role and async masks, the miss rule only to OpenFlow 1.0 connections, controller id, format and version of
     * each connection. Called on a datapath thread.
     */
    void packetIn(PacketContext ctx, int reason, boolean missRule, int tableId, long cookie, int maxLen,
                  int controllerId, byte[] userdata) {
        for (OfConnection c : connections) {
            if (missRule && c.version() >= OfVersion.OF13) {
                continue;   // OpenFlow 1.3+ drops on a table miss unless a flow says otherwise
            }
            if (!c.receivesAsync(0, reason) || c.controllerId() != controllerId || !c.mayQueueAsync()) {
                continue;
            }
            // Always the whole frame: OVS 3.1 buffers no packets and ignores max_len and miss_send_len for the
            // data (checked with ovs-vswitchd: controller:0, controller:30 and miss_send_len=25 all send 100 of 100
            // bytes); miss_send_len only decides whether a service connection gets packet-ins at all.
            sendPacketIn(c, ctx.frame(), ctx.length(), ctx.key(), reason, tableId, cookie, userdata);
        }
    }

    /**
     * Returns once the packet-ins and other messages sent so far from this thread are queued on their connections
     * in order: {@code netdev-dummy/receive} replies only after that, so that the barrier a peer sends next is
     * answered after them (SWITCH-CONTRACT 3.5), even when the event loop runs late.
     */
    void awaitQueuedSends() {
        for (OfConnection c : connections) {
            c.awaitQueuedSends(5_000);
        }
    }

    /**
     * Sends a packet-in the switch makes up (fail-open's bogus probe) to every connection that wants packet-ins of
     * {@code reason}. Control thread.
     */
    void sendPacketIn(byte[] frame, long[] key, int reason, int tableId, long cookie) {
        for (OfConnection c : connections) {
            if (c.receivesAsync(0, reason) && c.controllerId() == 0 && c.mayQueueAsync()) {
                sendPacketIn(c, frame, frame.length, key, reason, tableId, cookie, null);
            }
        }
    }

    private static void sendPacketIn(OfConnection c, byte[] frame, int length, long[] key, int reason, int tableId,
                                     long cookie, byte[] userdata) {
        int inPort = (int) dev.ofswitch.ofswitch.flow.FlowKey.get(key, dev.ofswitch.ofswitch.flow.MatchField.IN_PORT);
        byte[] data = java.util.Arrays.copyOf(frame, length);
        PacketIn pin = new PacketIn(PacketIn.NO_BUFFER, length, reason, tableId, cookie,
                PacketIn.metadataOf(key, c.version()), data,
                c.packetInFormat() == OfConnection.PacketInFormat.NXT_PACKET_IN2 ? userdata : null);
        ByteBuf b = Unpooled.buffer(64 + length);
        if (c.packetInFormat() == OfConnection.PacketInFormat.NXT_PACKET_IN2) {
            AsyncMessages.encodePacketIn2(b, c.version(), 0, pin);
        } else {
            AsyncMessages.encodePacketIn(b, c.version(), 0, pin, inPort);
        }
        c.send(b);
    }

    // ------------------------------------------------------------------------------------------ fail mode

    /** Control thread: the standalone flow (no controllers) at start. */
    void installStandaloneFlow() {
        runOnControl(() -> failOpen.installStandaloneFlow(sw.clock().nanoTime()));
    }

    /** Control thread: fail-open's periodic check at the clock's current reading. */
    private void runFailOpen() {
        dev.ofswitch.ofswitch.channel.ChannelManager ch = sw.channels();
        if (ch != null) {
            failOpen.run(ch, sw.clock().nanoTime());
        }
    }

    /** Whether fail-open is active; waits for the control thread. */
    boolean failOpenActive() {
        boolean[] out = new boolean[1];
        runOnControl(() -> out[0] = failOpen.isActive());
        return out[0];
    }

    /**
     * Control thread: deletes every flow and group (OVS {@code ofproto_flush__()}), sending FLOW_REMOVED (reason
     * DELETE) for the flows that asked for it.
     */
    void flushAll(long nowNanos) {
        for (FlowEntry e : sw.flowTables().clear()) {
            flowRemoved(e, AsyncMessages.FlowRemoved.OFPRR_DELETE, nowNanos);
        }
        for (Long id : new ArrayList<>(sw.groups().all().keySet())) {
            sw.groups().remove(id);
        }
    }

    @Override
    public void close() {
        java.util.concurrent.ScheduledFuture<?> tick = expiryTick;
        if (tick != null) {
            tick.cancel(false);
        }
        control.shutdownNow();
        for (OfConnection c : connections) {
            c.discardRequests();
        }
        // The channels are closed by now (OfSwitch.close() closes them first), but their disconnected() tasks may
        // have been queued behind others and dropped by shutdownNow(): a closed switch has no sessions.
        connections.clear();
    }
}
