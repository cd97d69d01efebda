package dev.ofswitch.ofswitch;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.conntrack.time.SwitchClock;
import dev.ofswitch.ofswitch.channel.ChannelManager;
import dev.ofswitch.ofswitch.channel.Target;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.datapath.Datapath;
import dev.ofswitch.ofswitch.pipeline.GroupTable;
import dev.ofswitch.ofswitch.pipeline.MacTable;
import dev.ofswitch.ofswitch.pipeline.PacketContext;
import dev.ofswitch.ofswitch.pipeline.Pipeline;
import dev.ofswitch.ofswitch.pipeline.PipelineHost;
import dev.ofswitch.ofswitch.pipeline.ProgramCompiler;
import dev.ofswitch.ofswitch.table.FlowTables;
import dev.ofswitch.ofswitch.port.PcapWriter;
import dev.ofswitch.ofswitch.port.Port;
import dev.ofswitch.ofswitch.unixctl.UnixctlServer;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenFlow switch (OVS's bridge plus its ofproto): ports, flow tables, the datapath threads, the conntrack
 * engine, the OpenFlow channel and the unixctl socket, all on one clock.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * OfSwitch sw = new OfSwitch(SwitchConfig.defaults().ports(4).listen("ptcp:6634:127.0.0.1"));
 * sw.start();
 * ...
 * sw.close();
 * }</pre>
 *
 * <h2>Threads</h2> Netty event loops ({@code ofswitch-NAME-io}) frame messages, answer echoes and keep the controller
 * links (reconnection, inactivity probes); the control work (every OpenFlow request of a connection in arrival order,
 * flow expiry, fail-open) runs one task at a time on a {@link SerialExecutor}, the only writer of the flow tables,
 * which on a standalone switch is the one event loop itself; datapath threads ({@code <name>-datapath-N}) run
 * packets; the conntrack cleaner ({@code ct_clean}); unixctl threads.
 */
public final class OfSwitch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OfSwitch.class);

    private final SwitchConfig config;
    private final SwitchClock clock;
    private final ConnTracker conntrack;
    private final Map<Integer, Port> ports = new ConcurrentSkipListMap<>(Integer::compareUnsigned);
    private final ControlAgent agent;
    private final ProgramCompiler compiler = new ProgramCompiler();
    private final FlowTables flowTables = new FlowTables(compiler);
    private final GroupTable groups = new GroupTable();
    private final MacTable macTable = new MacTable();
    private final Pipeline pipeline;
    private final SwitchRuntime runtime;
    /** Whether this switch made {@link #runtime} (and closes it). */
    private final boolean ownsRuntime;
    /** With a shared runtime: the next scheduled conntrack cleaner pass. */
    private volatile java.util.concurrent.ScheduledFuture<?> cleaning;
    private Datapath datapath;
    private ChannelManager channels;
    private UnixctlServer unixctl;
    private volatile boolean started;

    public OfSwitch(SwitchConfig config) {
        this.config = config;
        this.clock = config.clock != null ? config.clock : ControllableClock.running();
        this.ownsRuntime = config.runtime == null;
        this.runtime = ownsRuntime ? SwitchRuntime.dedicated(config.name) : config.runtime;
        // A shared runtime cleans conntrack from its timer thread (see start()); a standalone switch has ct_clean.
        this.conntrack = new ConnTracker(ConnTrackerConfig.defaults().clock(clock).cleanerThread(ownsRuntime)
                .buckets(config.conntrackBuckets));
        long now = clock.nanoTime();
        for (SwitchConfig.PortSpec p : config.ports) {
            if (p.number() <= 0 || Integer.compareUnsigned(p.number(), 0xffffff00) >= 0) {
                throw new IllegalArgumentException("port " + p.name() + ": OpenFlow port number " + p.number()
                        + " out of range 1..0xfffffeff");
            }
            if (ports.put(p.number(), new Port(p.number(), p.name(), mac(config.dpid, p.number()), now)) != null) {
                throw new IllegalArgumentException("port number " + p.number() + " used twice");
            }
        }
        ports.put(Port.LOCAL, new Port(Port.LOCAL, config.name, mac(config.dpid, 0), now));
        this.agent = new ControlAgent(this, runtime);
        this.pipeline = new Pipeline(new Host(), runtime.inlineDatapath() ? INLINE_SLOTS
                : Datapath.pipelineWorkers(config.datapathThreads, false));
    }

    /**
     * Real time between two checks of the OpenFlow connections' deadlines (reconnection, inactivity probes): a tenth
     * of a second, finer than OVS's whole seconds; a lab's thousand switches on a shared runtime check less often.
     */
    private static final long TICK_MILLIS = 100;
    private static final long SHARED_TICK_MILLIS = 500;

    /**
     * Pipeline worker slots of a switch on a shared runtime: the thread that delivers received frames and the
     * control thread (packet-outs) each find one free; a third caller waits.
     */
    private static final int INLINE_SLOTS = 2;

    /** What the pipeline sees of this switch. */
    private final class Host implements PipelineHost {
        @Override
        public SwitchClock clock() {
            return clock;
        }

        @Override
        public ConnTracker conntrack() {
            return conntrack;
        }

        @Override
        public FlowTables flowTables() {
            return flowTables;
        }

        @Override
        public GroupTable groups() {
            return groups;
        }

        @Override
        public Port port(int ofp10Port) {
            return ports.get(ofp10Port == 0xfffe ? Port.LOCAL : ofp10Port);
        }

        @Override
        public Iterable<Port> ports() {
            return ports.values();
        }

        @Override
        public void packetIn(PacketContext ctx, int reason, boolean missRule, int tableId, long cookie, int maxLen,
                             int controllerId, byte[] userdata) {
            agent.packetIn(ctx, reason, missRule, tableId, cookie, maxLen, controllerId, userdata);
        }

        @Override
        public MacTable macTable() {
            return macTable;
        }
    }

    /** A locally administered MAC per (dpid, port): {@code aa:55:} + dpid low byte + port. */
    static byte[] mac(long dpid, int port) {
        return new byte[] {(byte) 0xaa, 0x55, (byte) (dpid >>> 8), (byte) dpid, (byte) (port >>> 8), (byte) port};
    }

    /**
     * Opens pcaps, the unixctl socket, the datapath and the OpenFlow listeners, and starts connecting to controllers.
     *
     * @throws IOException if a socket cannot be bound or a file created; nothing is left running then
     */
    public synchronized void start() throws IOException {
        if (started) {
            return;
        }
        try {
            if (config.pcapDir != null) {
                Files.createDirectories(config.pcapDir);
                for (Port p : ports.values()) {
                    String base = p.number() == Port.LOCAL ? "LOCAL" : p.name();
                    PcapWriter tx = new PcapWriter(config.pcapDir.resolve(base + "-tx.pcap"));
                    PcapWriter rx = config.pcapRx ? new PcapWriter(config.pcapDir.resolve(base + "-rx.pcap")) : null;
                    p.setPcap(tx, rx);
                }
            }
            datapath = runtime.inlineDatapath() ? new Datapath(pipeline, INLINE_SLOTS, config.name, true)
                    : new Datapath(pipeline, config.datapathThreads, config.name);
            if (config.unixctlPath != null) {
                unixctl = new UnixctlServer(config.unixctlPath);
                UnixctlCommands.registerAll(this, unixctl);
                unixctl.start();
            }
            agent.installStandaloneFlow();
            channels = new ChannelManager(runtime.io(), agent, config.versions, clock, config.probeIntervalMillis,
                    config.passiveProbeIntervalMillis, config.maxBackoffMillis, config.tls,
                    runtime.isShared() ? SHARED_TICK_MILLIS : TICK_MILLIS);
            for (Target t : config.listeners) {
                channels.listen(t);
            }
            for (Target t : config.controllers) {
                channels.connect(t);
            }
            agent.start();
            if (!ownsRuntime) {
                scheduleCleaning(ConnTracker.CT_CLEAN_INTERVAL_MS * 1_000_000L);
            }
            started = true;
            log.info("switch {} (dpid {}) started with {} ports", config.name, String.format("%016x", config.dpid),
                    config.ports.size());
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public SwitchConfig config() {
        return config;
    }

    public SwitchClock clock() {
        return clock;
    }

    public ConnTracker conntrack() {
        return conntrack;
    }

    /** Ports by OpenFlow number, LOCAL included. */
    public Collection<Port> ports() {
        return ports.values();
    }

    /** The port with OpenFlow number {@code number}, or null. */
    public Port port(int number) {
        return ports.get(number);
    }

    /** The port named {@code name}, or null. */
    public Port port(String name) {
        for (Port p : ports.values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    Datapath datapath() {
        return datapath;
    }

    ControlAgent agent() {
        return agent;
    }

    /** The unixctl server (ovs-appctl socket), or null when the config names no socket or before start(). */
    public UnixctlServer unixctl() {
        return unixctl;
    }

    /** The OpenFlow connections, or null before {@link #start()}. */
    ChannelManager channels() {
        return channels;
    }

    /** A snapshot of every configured controller connection (empty before {@link #start()}). */
    public java.util.List<dev.ofswitch.ofswitch.channel.ControllerStatus> controllerStatus() {
        return channels == null ? java.util.List.of() : channels.controllers();
    }

    /**
     * Whether the switch is in fail-open mode ({@code fail_mode=standalone}, no controller for a while: a hidden
     * NORMAL flow forwards; see {@link FailOpen}).
     */
    public boolean failOpenActive() {
        return agent.failOpenActive();
    }

    /** The local addresses of the TCP and TLS OpenFlow listeners. */
    public java.util.List<java.net.InetSocketAddress> listenerAddresses() {
        return channels == null ? java.util.List.of() : channels.boundAddresses();
    }

    /** The local port of the first {@code pssl:} listener, or -1. */
    public int boundTlsPort() {
        return channels == null ? -1 : channels.boundPort(Target.Scheme.PSSL);
    }

    /** The local TCP port of the first ptcp listener, or -1 (with {@code ptcp:0} the OS picks it). */
    public int boundOpenFlowPort() {
        return channels == null ? -1 : channels.boundTcpPort();
    }

    /**
     * OpenFlow sessions with a controller this switch connected to (active connections past the HELLO exchange);
     * passive ones (ovs-ofctl) are not counted.
     */
    public int controllerSessions() {
        int n = 0;
        for (dev.ofswitch.ofswitch.channel.OfConnection c : agent.connections()) {
            if (c.kind() == dev.ofswitch.ofswitch.channel.OfConnection.Kind.ACTIVE) {
                n++;
            }
        }
        return n;
    }

    /**
     * The port's link went up or down (a lab cable unplugged, {@code link s1 h1 down}): its state changes and every
     * controller that wants port-status messages gets OFPT_PORT_STATUS (reason MODIFY), as OVS reports a netdev's
     * carrier change. Returns false if there is no such port.
     */
    public boolean setPortLinkUp(int portNumber, boolean up) {
        Port p = ports.get(portNumber);
        if (p == null) {
            return false;
        }
        if (p.linkUp() != up) {
            p.setLinkUp(up);
            agent.portStatus(p, org.projectfloodlight.openflow.protocol.OFPortReason.MODIFY);
        }
        return true;
    }

    /**
     * Delivers a frame arriving on port {@code inPort} from outside (a link, a host) to the datapath, without waiting.
     * Returns false if the port does not exist, cannot receive, or the datapath is full.
     */
    public boolean receive(int inPort, byte[] frame, int len) {
        Port p = ports.get(inPort);
        if (p == null || datapath == null) {
            return false;
        }
        return datapath.submit(inPort, frame, len);
    }

    /**
     * Returns once the messages this thread caused so far (packet-ins of {@link #receiveSync}, flow-removed of a
     * clock warp) are queued on their OpenFlow connections, so that nothing the peers send next is answered before
     * them. The unixctl commands that inject packets or move the clock call it before they reply.
     */
    public void awaitQueuedSends() {
        agent.awaitQueuedSends();
    }

    /** Runs a frame arriving on {@code inPort} through the pipeline and waits until it is done. */
    public void receiveSync(int inPort, byte[] frame, int len) {
        datapath.runSync(inPort, frame, len, null);
    }

    /** The flow tables. */
    public FlowTables flowTables() {
        return flowTables;
    }

    /**
     * The flow stats reply messages this switch sends for {@code req}, byte for byte what a controller would receive
     * ({@link FlowStats.Request#all} asks for every flow, as {@code ovs-ofctl dump-flows} does). Computed on the
     * control thread; the caller releases the buffers.
     */
    public List<ByteBuf> flowStats(FlowStats.Request req) {
        List<List<ByteBuf>> out = new ArrayList<>(1);
        agent.runOnControl(() -> out.add(agent.flowStatsReply(req)));
        return out.get(0);
    }

    /**
     * Applies a FLOW_MOD as if a controller had sent it (same checks, same table update, FLOW_REMOVED for flows it
     * deletes), on the control thread; returns when it is done. {@link FlowLoader} feeds it ovs-ofctl flow text.
     *
     * @throws OpenFlowException the error a controller would have received; the tables are unchanged then
     */
    public void applyFlowMod(FlowMod fm) throws OpenFlowException {
        agent.applyFlowMod(fm);
    }

    /** The group table. */
    public GroupTable groups() {
        return groups;
    }

    ProgramCompiler compiler() {
        return compiler;
    }

    /**
     * Does every piece of time-driven work due at the clock's current time: controller reconnection and inactivity
     * probes (whose effects, a connection attempt or a close, follow asynchronously), flow idle/hard timeouts
     * (FLOW_REMOVED sent), fail-open, and a conntrack cleaner pass. ovs-appctl {@code time/warp} calls this before it
     * replies.
     */
    public void runTimers() {
        if (channels != null) {
            channels.runNow();
        }
        agent.runTimersSync();
        conntrack.sweepNow();
    }

    /** Shared runtime: one cleaner pass after {@code delayNanos}, then the next as the pass says. */
    private void scheduleCleaning(long delayNanos) {
        try {
            cleaning = runtime.timers().schedule(() -> {
                if (started) {
                    scheduleCleaning(conntrack.cleanOnce());
                }
            }, Math.max(1_000_000L, delayNanos), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("runtime closed: conntrack cleaning stops");
        }
    }

    @Override
    public synchronized void close() {
        started = false;
        java.util.concurrent.ScheduledFuture<?> c = cleaning;
        if (c != null) {
            c.cancel(false);
        }
        if (channels != null) {
            channels.close();
        }
        agent.close();
        if (datapath != null) {
            datapath.close();
        }
        if (unixctl != null) {
            unixctl.close();
        }
        conntrack.close();
        if (ownsRuntime) {
            runtime.close();
        }
        for (Port p : ports.values()) {
            try {
                if (p.txPcap() != null) {
                    p.txPcap().close();
                }
            } catch (IOException e) {
                log.debug("closing pcap of {}: {}", p, e.toString());
            }
        }
    }
}
