package dev.ofswitch.ofswitch;

import dev.ofswitch.ofswitch.channel.MessageType;
import dev.ofswitch.ofswitch.channel.OfConnection;
import dev.ofswitch.ofswitch.channel.OfVersion;
import dev.ofswitch.ofswitch.channel.OpenFlowDispatcher;
import dev.ofswitch.ofswitch.channel.RawMessage;
import dev.ofswitch.ofswitch.datapath.PacketProcessor;
import dev.ofswitch.ofswitch.port.Port;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <h2>Thread-safety</h2> Every request runs on the single control thread ({@code ofswitch-control}), in the order the
 * connections delivered them, so a barrier is answered only after everything before it on its connection was done
 * and sent. The control thread is the only writer of the flow tables; datapath threads read them.
 */
final class ControlAgent implements OpenFlowDispatcher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlAgent.class);

    private final OfSwitch sw;
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ofswitch-control");
        t.setDaemon(true);
        return t;
    });
    private final List<OfConnection> connections = new CopyOnWriteArrayList<>();
    /** The largest role-request generation id seen, or null before any (OF1.3 §6.3.6). Control thread only. */
    private Long generationId;
    private final Pipeline pipeline;

    ControlAgent(OfSwitch sw) {
        this.sw = sw;
        this.pipeline = new Pipeline(sw);
    }

    void start() {
        // Nothing to start yet beyond the executor; flow expiry is driven by runTimers().
    }

    PacketProcessor packetProcessor() {
        return pipeline;
    }

    List<OfConnection> connections() {
        return connections;
    }

    // ------------------------------------------------------------------------------------------ dispatcher

    @Override
    public void connected(OfConnection conn) {
        control.execute(() -> {
            connections.add(conn);
            log.info("{}: connected", conn);
        });
    }

    @Override
    public void received(OfConnection conn, RawMessage msg) {
        control.execute(() -> {
            try {
                handle(conn, msg);
            } catch (RequestError e) {
                sendError(conn, msg, e.type, e.code);
            } catch (RuntimeException e) {
                log.error("{}: internal error handling {}", conn, msg, e);
                sendError(conn, msg, 1, 5);     // OFPBRC_EPERM
            } finally {
                msg.release();
            }
        });
    }

    @Override
    public void disconnected(OfConnection conn) {
        control.execute(() -> {
            connections.remove(conn);
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

    /** Expires flows due now and sends their FLOW_REMOVED, on the control thread; returns when done. */
    void expireFlowsSync() {
        runOnControl(() -> { });
    }

    // ------------------------------------------------------------------------------------------ requests

    /** A request that gets an OFPT_ERROR of (type, code). */
    static final class RequestError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int type;
        final int code;

        RequestError(int type, int code, String why) {
            super(why, null, false, false);
            this.type = type;
            this.code = code;
        }
    }

    private void handle(OfConnection conn, RawMessage msg) {
        MessageType type = MessageType.of(msg.version(), msg.type());
        switch (type) {
            case FEATURES_REQUEST:
            case GET_CONFIG_REQUEST:
            case SET_CONFIG:
            case BARRIER_REQUEST:
            case ROLE_REQUEST:
            case GET_ASYNC_REQUEST:
            case SET_ASYNC:
            case PORT_MOD:
            case TABLE_MOD:
                handleSession(conn, parse(msg));
                return;
            case MULTIPART_REQUEST:
                handleMultipart(conn, msg);
                return;
            case ERROR:
            case FEATURES_REPLY:
            case GET_CONFIG_REPLY:
            case MULTIPART_REPLY:
            case BARRIER_REPLY:
            case ROLE_REPLY:
            case GET_ASYNC_REPLY:
                return;     // replies to requests we never send: ignore, as OVS does
            default:
                throw new RequestError(1, 1, "unsupported message type " + type);   // OFPBRC_BAD_TYPE
        }
    }

    private static OFMessage parse(RawMessage msg) {
        ByteBuf b = msg.buf().duplicate();
        try {
            OFMessage m = OFFactories.getGenericReader().readFrom(b);
            if (m == null) {
                throw new RequestError(1, 6, "truncated message");      // OFPBRC_BAD_LEN
            }
            return m;
        } catch (OFParseError | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new RequestError(1, 6, "cannot parse: " + e.getMessage());   // OFPBRC_BAD_LEN
        }
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
                OFAsyncSet s = (OFAsyncSet) m;
                conn.setAsyncMasks(new int[][] {
                    {(int) s.getPacketInMaskEqualMaster(), (int) s.getPortStatusMaskEqualMaster(),
                        (int) s.getFlowRemovedMaskEqualMaster()},
                    {(int) s.getPacketInMaskSlave(), (int) s.getPortStatusMaskSlave(),
                        (int) s.getFlowRemovedMaskSlave()}});
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
                throw new RequestError(1, 1, "unsupported message " + m.getType());
        }
    }

    /** OFPBRC_IS_SLAVE for a modification from a slave (OF1.2+ role semantics). */
    static void checkMaster(OfConnection conn) {
        if (conn.role() == OfConnection.Role.SLAVE) {
            throw new RequestError(1, 10, "slave");
        }
    }

    private void handleRole(OfConnection conn, OFRoleRequest r, OFFactory f) {
        OFControllerRole role = r.getRole();
        if (role == OFControllerRole.ROLE_MASTER || role == OFControllerRole.ROLE_SLAVE) {
            long gen = r.getGenerationId().getValue();
            if (generationId != null && gen - generationId < 0) {
                throw new RequestError(11, 1, "stale generation id");  // OFPRRFC_STALE
            }
            generationId = gen;
        }
        switch (role) {
            case ROLE_MASTER:
                for (OfConnection c : connections) {
                    if (c != conn && c.role() == OfConnection.Role.MASTER) {
                        c.setRole(OfConnection.Role.SLAVE);
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
                .setGenerationId(U64.of(generationId == null ? 0 : generationId)).build());
    }

    private void handlePortMod(OFPortMod pm) {
        Port p = sw.port(pm.getPortNo().getPortNumber());
        if (p == null || p.number() == Port.LOCAL && pm.getPortNo() != OFPort.LOCAL) {
            throw new RequestError(7, 0, "no such port");  // OFPPMFC_BAD_PORT
        }
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

    private void handleMultipart(OfConnection conn, RawMessage msg) {
        int statsType = msg.buf().getUnsignedShort(msg.buf().readerIndex() + 8);
        OFStatsType t = statsTypeOf(conn.version(), statsType);
        if (t == null) {
            throw new RequestError(1, 2, "unknown multipart type " + statsType);   // OFPBRC_BAD_MULTIPART
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
                throw new RequestError(1, 2, "unsupported multipart type " + t);
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
                    throw new RequestError(1, 9, "no such port");     // OFPBRC_BAD_PORT
                }
                conn.send(f.buildPortStatsReply().setXid(xid).setFlags(none).setEntries(entries).build());
                return;
            }
            case TABLE: {
                List<OFTableStatsEntry> entries = new ArrayList<>();
                for (int t = 0; t < 254; t++) {
                    var e = f.buildTableStatsEntry().setTableId(TableId.of(t)).setActiveCount(0)
                            .setLookupCount(U64.ZERO).setMatchedCount(U64.ZERO);
                    if (conn.version() == OfVersion.OF10) {
                        e.setName("table" + t).setMaxEntries(1000000)
                                .setWildcards(org.projectfloodlight.openflow.protocol.OFFactories
                                        .getFactory(OFVersion.OF_10).buildMatch().build().getVersion() == null ? 0
                                        : 0x3fffff);
                    }
                    entries.add(e.build());
                }
                conn.send(f.buildTableStatsReply().setXid(xid).setFlags(none).setEntries(entries).build());
                return;
            }
            case TABLE_FEATURES:
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
            case GROUP:
                conn.send(f.buildGroupStatsReply().setXid(xid).setFlags(none).build());
                return;
            case GROUP_DESC:
                conn.send(f.buildGroupDescStatsReply().setXid(xid).setFlags(none).build());
                return;
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
                throw new RequestError(1, 2, "unsupported multipart type " + req.getStatsType());
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

    /** Sends OFPT_ERROR (type, code) answering {@code msg}: same version and xid, the request's bytes as data. */
    void sendError(OfConnection conn, RawMessage msg, int type, int code) {
        byte[] data = msg.head(Math.min(msg.length(), 0xffff - 12));
        ByteBuf b = Unpooled.buffer(12 + data.length);
        b.writeByte(conn.version()).writeByte(1).writeShort(12 + data.length).writeInt(msg.xid());
        b.writeShort(type).writeShort(code).writeBytes(data);
        conn.send(b);
    }

    @Override
    public void close() {
        control.shutdownNow();
    }
}
