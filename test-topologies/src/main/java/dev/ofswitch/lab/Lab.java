package dev.ofswitch.lab;

import dev.ofswitch.conntrack.ConnEntry;
import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.lab.controller.EmbeddedController;
import dev.ofswitch.lab.controller.FirewallApp;
import dev.ofswitch.lab.host.EmulatedHost;
import dev.ofswitch.lab.host.HostConfig;
import dev.ofswitch.lab.host.PingResult;
import dev.ofswitch.lab.topo.FailMode;
import dev.ofswitch.lab.topo.Host;
import dev.ofswitch.lab.topo.Link;
import dev.ofswitch.lab.topo.MininetFormat;
import dev.ofswitch.lab.topo.OpenFlowVersion;
import dev.ofswitch.lab.topo.Switch;
import dev.ofswitch.lab.topo.Topology;
import dev.ofswitch.lab.topo.TopologyException;
import dev.ofswitch.ofswitch.OfSwitch;
import dev.ofswitch.ofswitch.SwitchConfig;
import dev.ofswitch.ofswitch.SwitchRuntime;
import dev.ofswitch.ofswitch.channel.OfVersion;
import dev.ofswitch.ofswitch.port.PcapWriter;
import dev.ofswitch.ofswitch.port.Port;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running lab: the switches, hosts and links of a {@link Topology}, in this process, and the controller they talk
 * to. What Mininet's {@code Mininet} object is to {@code mn}, without root, kernel or namespaces.
 *
 * <h2>What runs where</h2>
 * <ul>
 * <li>Switches are {@link OfSwitch}es sharing one {@link SwitchRuntime}: two event loops for all OpenFlow
 * connections, a control pool, a timer; each is connected to the lab's controller (the embedded {@link FirewallApp}
 * by default, or the remote targets given) and, if the topology says so, listens for {@code ovs-ofctl} and answers
 * {@code ovs-appctl} on a unix socket.
 * <li>Hosts are {@link EmulatedHost}s. Links are {@link LabLink}s. Every frame, every switch's datapath work and every
 * host's stack run on the {@link Wire} thread.
 * <li>The switches' clock ({@link #clock()}) runs in real time and can be warped, which is how the demo shows an
 * expiry without waiting.
 * </ul>
 *
 * <h2>Life cycle</h2> {@link #start} builds and starts everything or nothing (a failure closes what was started);
 * {@link #awaitConnected} waits for the controller; {@link #close} stops it all.
 *
 * <h2>Thread-safety</h2> The methods may be called from any thread; node state is read on the wire.
 */
public final class Lab implements AutoCloseable {
    /** How a lab is started. Mutable builder; not thread-safe. */
    public static final class Options {
        List<String> controllers = List.of();
        boolean embeddedController = true;
        List<FirewallApp.Tenant> tenants = List.of(new FirewallApp.Tenant(1, 0x0a000000L, 8));
        List<String> insideHosts = List.of("h1");
        Path runDir;
        Path pcapDir;
        boolean unixctl = true;
        int ioThreads = 2;
        int controlThreads = 2;
        long seed = 1;
        Consumer<String> progress = s -> { };

        /** Remote controllers ({@code tcp:IP:PORT}); none means the embedded firewall controller. */
        public Options controllers(List<String> targets) {
            this.controllers = List.copyOf(targets);
            this.embeddedController = targets.isEmpty();
            return this;
        }

        /** The embedded firewall's tenants (zone per subnet); default one tenant, zone 1, 10.0.0.0/8. */
        public Options tenants(List<FirewallApp.Tenant> t) {
            this.tenants = List.copyOf(t);
            return this;
        }

        /** The hosts the embedded firewall protects from new inbound connections (ICMP echo allowed). */
        public Options insideHosts(List<String> hosts) {
            this.insideHosts = List.copyOf(hosts);
            return this;
        }

        /**
         * Where switches' unixctl sockets ({@code NAME.ctl}, {@code NAME.mgmt}) go; default a fresh directory on a
         * tmpfs ({@code $XDG_RUNTIME_DIR} or {@code /dev/shm}) if there is one, else in {@code java.io.tmpdir},
         * removed on close if empty.
         */
        public Options runDir(Path dir) {
            this.runDir = dir;
            return this;
        }

        /** Write every switch port's transmitted frames to {@code DIR/PORT-tx.pcap} from the start. */
        public Options pcapDir(Path dir) {
            this.pcapDir = dir;
            return this;
        }

        /** Whether switches answer ovs-appctl (one socket and one thread each); default yes. */
        public Options unixctl(boolean on) {
            this.unixctl = on;
            return this;
        }

        /** Seed of the links' loss. */
        public Options seed(long s) {
            this.seed = s;
            return this;
        }

        /** Where progress lines of long operations go (e.g. "started 500/1000 switches"). */
        public Options progress(Consumer<String> p) {
            this.progress = p;
            return this;
        }
    }

    private final Topology topo;
    private final Options opts;
    private final SwitchRuntime runtime;
    private final Wire wire;
    private final ControllableClock clock = ControllableClock.running();
    private final Map<String, OfSwitch> switches = new LinkedHashMap<>();
    private final Map<String, EmulatedHost> hosts = new LinkedHashMap<>();
    private final List<LabLink> links = new ArrayList<>();
    /** node -> port -> the link plugged in there, in the topology's link order (a validated topology has one). */
    private final Map<String, Map<Integer, LabLink>> linkEnds = new HashMap<>();
    private EmbeddedController controller;
    private int controllerPort;
    private Path runDir;
    private boolean closed;

    private Lab(Topology topo, Options opts) {
        this.topo = topo;
        this.opts = opts;
        this.runtime = SwitchRuntime.shared(opts.ioThreads, opts.controlThreads);
        this.wire = new Wire();
    }

    /**
     * Builds and starts the lab for a validated topology. Either everything starts or nothing stays running.
     *
     * @throws TopologyException if the topology is invalid
     * @throws IOException       if a socket cannot be bound
     */
    public static Lab start(Topology topology, Options opts) throws IOException {
        Topology topo = topology.validate();
        Lab lab = new Lab(topo, opts);
        try {
            lab.build();
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build() throws IOException {
        runDir = opts.runDir != null ? opts.runDir : Files.createTempDirectory(socketBase(), "ofswitch-lab-");
        Files.createDirectories(runDir);
        if (opts.embeddedController) {
            List<Long> inside = new ArrayList<>();
            for (String h : opts.insideHosts) {
                topo.hosts().stream().filter(x -> x.name().equals(h)).findFirst()
                        .ifPresent(x -> inside.add(ipv4(x.ipAddress())));
            }
            controller = new EmbeddedController(runtime.io(), new FirewallApp(opts.tenants, inside));
            controllerPort = controller.start("127.0.0.1", 0);
        }
        Map<String, List<Link>> linksByNode = new HashMap<>();
        for (Link l : topo.links()) {
            linksByNode.computeIfAbsent(l.node1(), k -> new ArrayList<>()).add(l);
            linksByNode.computeIfAbsent(l.node2(), k -> new ArrayList<>()).add(l);
        }
        int n = 0;
        int total = topo.switches().size();
        for (Switch s : topo.switchesInNetOrder()) {
            OfSwitch sw = new OfSwitch(switchConfig(s, linksByNode.getOrDefault(s.name(), List.of())));
            switches.put(s.name(), sw);
            installFlows(s, sw);
            if (++n % 200 == 0 && n < total) {
                opts.progress.accept("*** Started " + n + "/" + total + " switches");
            }
        }
        for (Host h : topo.hostsInNetOrder()) {
            hosts.put(h.name(), null);
        }
        long seed = opts.seed;
        for (Link l : topo.links()) {
            LabLink link = new LabLink(wire, endpoint(l.node1(), l.port1()), endpoint(l.node2(), l.port2()),
                    l.up() == null || l.up(), l.delayMs(), l.lossPercent(), seed++);
            links.add(link);
            for (LabLink.End end : link.ends()) {
                linkEnds.computeIfAbsent(end.node(), k -> new LinkedHashMap<>()).putIfAbsent(end.port(), link);
            }
        }
        int hostIndex = 0;
        for (Host h : topo.hostsInNetOrder()) {
            hostIndex++;
            LabLink link = linkOfHost(h.name());
            HostConfig.Builder b = HostConfig.builder(h.name()).ipv4(h.ipAddress(), h.prefixLength())
                    .seed(opts.seed * 7919 + hostIndex);
            b.mac(h.mac() != null && !h.mac().isEmpty() ? h.mac() : defaultMac(hostIndex));
            if (h.gateway() != null && !h.gateway().isEmpty()) {
                b.gateway(h.gateway());
            }
            EmulatedHost host = new EmulatedHost(b.build(), new WireScheduler(wire), link == null ? f -> { }
                    : f -> link.send(h.name(), f));
            hosts.put(h.name(), host);
        }
        for (LabLink l : links) {
            l.bind(this::deliverToSwitch, this::deliverToHost);
        }
        for (Map.Entry<String, OfSwitch> e : switches.entrySet()) {
            OfSwitch sw = e.getValue();
            for (Port p : sw.ports()) {
                if (p.number() == Port.LOCAL) {
                    continue;
                }
                LabLink l = linkAt(e.getKey(), p.number());
                if (l != null) {
                    String me = e.getKey();
                    p.setSink((frame, off, len) -> l.send(me, java.util.Arrays.copyOfRange(frame, off, off + len)));
                    if (!l.isUp()) {
                        sw.setPortLinkUp(p.number(), false);
                    }
                }
            }
        }
        startSwitches();
        for (EmulatedHost h : hosts.values()) {
            h.start();
        }
    }

    /**
     * Where the run directory is made when none is given: a tmpfs, as OVS's {@code /var/run/openvswitch} is, namely
     * {@code $XDG_RUNTIME_DIR} or else {@code /dev/shm}, when writable; else {@code java.io.tmpdir}. Binding a unix
     * socket creates a file, and on the ext4 {@code /tmp} of the project machine that costs about 1.3 ms of CPU
     * (0.15 ms on tmpfs): with two sockets per switch, 1 000 switches spent 2.7 s of CPU on them.
     */
    static Path socketBase() {
        for (String dir : new String[] {System.getenv("XDG_RUNTIME_DIR"), "/dev/shm"}) {
            if (dir != null && !dir.isEmpty() && Files.isDirectory(Path.of(dir)) && Files.isWritable(Path.of(dir))) {
                return Path.of(dir);
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Threads that start switches at once; see {@link #startSwitches}. */
    static final int STARTERS = 16;

    /**
     * Starts every switch, {@value #STARTERS} at a time. Each {@link OfSwitch#start} hands work to other threads and
     * waits for it (the unixctl acceptor thread's start, the bind of its {@code .mgmt} listener on an event loop, busy
     * with the handshakes of the switches already started): milliseconds each on a loaded two-core machine. One
     * after the other, 1 000 switches took 16 to 38 s to start there (load average 13); 16 at a time, 11 to 14 s
     * and a quarter less CPU time. Started together, the waits overlap.
     */
    private void startSwitches() throws IOException {
        List<OfSwitch> all = new ArrayList<>(switches.values());
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(STARTERS, Math.max(1, all.size())), r -> {
                    Thread t = new Thread(r, "lab-start");
                    t.setDaemon(true);
                    return t;
                });
        Throwable failure = null;
        try {
            List<Future<Void>> started = new ArrayList<>();
            for (OfSwitch sw : all) {
                started.add(pool.submit(() -> {
                    sw.start();
                    return null;
                }));
            }
            // Every start is waited for, failed or not, so that close() finds no switch still starting.
            for (Future<Void> f : started) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IOException("interrupted while starting switches", e);
        } finally {
            pool.shutdown();
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** {@code s}'s configuration; {@code itsLinks} are the topology's links that end on it. */
    private SwitchConfig switchConfig(Switch s, List<Link> itsLinks) {
        List<SwitchConfig.PortSpec> ports = new ArrayList<>();
        for (Link l : itsLinks) {
            int p = l.portOn(s.name());
            ports.add(new SwitchConfig.PortSpec(p, MininetFormat.intfName(s.name(), p)));
        }
        ports.sort((a, b) -> Integer.compare(a.number(), b.number()));
        SwitchConfig c = SwitchConfig.defaults().dpid(s.dpid()).name(s.name()).ports(ports).runtime(runtime)
                .conntrackBuckets(16).clock(clock).probeIntervalMillis(0);
        int versions = 0;
        for (OpenFlowVersion v : s.protocols()) {
            versions |= 1 << wireVersion(v);
        }
        if (versions != 0) {
            c.versions(versions);
        }
        c.failMode(s.failMode() == FailMode.STANDALONE ? SwitchConfig.FailMode.STANDALONE
                : SwitchConfig.FailMode.SECURE);
        List<String> targets = !s.controllers().isEmpty() ? s.controllers()
                : opts.embeddedController ? List.of("tcp:127.0.0.1:" + controllerPort) : opts.controllers;
        for (String t : targets) {
            c.controller(t);
        }
        if (s.listenPort() != null) {
            c.listen("ptcp:" + s.listenPort() + ":127.0.0.1");
        }
        if (opts.unixctl) {
            // As OVS's br0.mgmt and ovs-vswitchd.ctl: ovs-ofctl ... unix:RUNDIR/s1.mgmt, ovs-appctl -t RUNDIR/s1.ctl.
            c.unixctl(runDir.resolve(s.name() + ".ctl"));
            c.listen("punix:" + runDir.resolve(s.name() + ".mgmt"));
        }
        if (opts.pcapDir != null) {
            c.pcapDir(opts.pcapDir, false);
        }
        return c;
    }

    private static int wireVersion(OpenFlowVersion v) {
        switch (v) {
            case OF10:
                return OfVersion.OF10;
            case OF13:
                return OfVersion.OF13;
            case OF14:
                return OfVersion.OF14;
            default:
                return OfVersion.OF15;
        }
    }

    /** A deterministic, locally administered MAC for the i-th host (Mininet picks random ones without --mac). */
    static String defaultMac(int i) {
        return String.format("02:00:00:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
    }

    private LabLink.End endpoint(String node, int port) {
        return new LabLink.End(node, port, switches.containsKey(node));
    }

    private void deliverToSwitch(LabLink.End to, byte[] frame) {
        OfSwitch sw = switches.get(to.node());
        if (sw != null) {
            sw.receive(to.port(), frame, frame.length);
        }
    }

    private void deliverToHost(LabLink.End to, byte[] frame) {
        EmulatedHost h = hosts.get(to.node());
        if (h != null) {
            h.receive(frame);
        }
    }

    /** Installs the topology's flows for {@code s} (validated already) before the switch starts. */
    private static void installFlows(Switch s, OfSwitch sw) {
        for (int i = 0; i < s.flows().size(); i++) {
            try {
                dev.ofswitch.ofswitch.FlowLoader.addFlow(sw, s.flows().get(i));
            } catch (dev.ofswitch.ofswitch.FlowLoader.FlowLoadException e) {
                throw new IllegalStateException("switch " + s.name() + ": \"flows\" line " + (i + 1) + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** The host's first link in the topology's order, or null. */
    private LabLink linkOfHost(String host) {
        Map<Integer, LabLink> ends = linkEnds.get(host);
        return ends == null || ends.isEmpty() ? null : ends.values().iterator().next();
    }

    private LabLink linkAt(String node, int port) {
        Map<Integer, LabLink> ends = linkEnds.get(node);
        return ends == null ? null : ends.get(port);
    }

    // ================================================================================================ accessors

    public Topology topology() {
        return topo;
    }

    /** The switches' clock: warp it to make time pass for conntrack and flow timeouts. */
    public ControllableClock clock() {
        return clock;
    }

    public Wire wire() {
        return wire;
    }

    /** The switch called {@code name}. */
    public OfSwitch switchNode(String name) {
        OfSwitch s = switches.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no switch named \"" + name + "\" (switches: "
                    + String.join(" ", switches.keySet()) + ")");
        }
        return s;
    }

    /** The host called {@code name}. */
    public EmulatedHost host(String name) {
        EmulatedHost h = hosts.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no host named \"" + name + "\" (hosts: "
                    + String.join(" ", hosts.keySet()) + ")");
        }
        return h;
    }

    public Map<String, OfSwitch> switches() {
        return Collections.unmodifiableMap(switches);
    }

    public Map<String, EmulatedHost> hosts() {
        return Collections.unmodifiableMap(hosts);
    }

    /** The directory of the switches' unixctl sockets ({@code NAME.ctl}). */
    public Path runDir() {
        return runDir;
    }

    /** The embedded controller's port, or 0 with remote controllers. */
    public int controllerPort() {
        return controllerPort;
    }

    /**
     * Waits until every switch has its flows from the embedded controller, or (remote controllers) an OpenFlow session
     * with one; returns false on timeout.
     */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (controller != null) {
            List<Long> dpids = new ArrayList<>();
            for (Switch s : topo.switches()) {
                if (s.controllers().isEmpty()) {
                    dpids.add(s.dpid());
                }
            }
            if (!controller.awaitReady(dpids, timeout)) {
                return false;
            }
        }
        for (OfSwitch sw : switches.values()) {
            while (sw.controllerSessions() == 0) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                Thread.sleep(10);
            }
        }
        return true;
    }

    /** Switches with an OpenFlow session to a controller. */
    public int connectedSwitches() {
        int n = 0;
        for (OfSwitch sw : switches.values()) {
            if (sw.controllerSessions() > 0) {
                n++;
            }
        }
        return n;
    }

    // ================================================================================================ operations

    /** {@code link A B up|down}: both ends' carrier; switches report OFPT_PORT_STATUS. */
    public void setLink(String a, String b, boolean up) {
        LabLink found = null;
        for (LabLink l : links) {
            if (l.hasEnd(a) && l.hasEnd(b)) {
                found = l;
                break;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no link between " + a + " and " + b);
        }
        found.setUp(up);
        for (LabLink.End e : found.ends()) {
            if (e.isSwitch()) {
                switches.get(e.node()).setPortLinkUp(e.port(), up);
            }
        }
    }

    /** Whether the link between {@code a} and {@code b} is up. */
    public boolean isLinkUp(String a, String b) {
        for (LabLink l : links) {
            if (l.hasEnd(a) && l.hasEnd(b)) {
                return l.isUp();
            }
        }
        throw new IllegalArgumentException("no link between " + a + " and " + b);
    }

    /** One ping from {@code src} to {@code dst} with Linux ping's result. */
    public CompletableFuture<PingResult> ping(String src, String dst, int count, long intervalMs, long timeoutMs) {
        return host(src).ping(inet(host(dst).config().ipv4().getHostAddress()), count, intervalMs, timeoutMs, 56);
    }

    /** Pings of a {@link #pingAll} in flight at once: enough to overlap round trips, few enough to keep ARP sane. */
    static final int PING_WINDOW = 16;

    /**
     * Mininet's {@code pingAll}: every host pings every other host once ({@code timeoutMs} each); returns the pairs
     * that got an answer, in Mininet's order. At most {@value #PING_WINDOW} pings are in flight at a time (Mininet runs
     * them one after the other; all at once would flood a big topology with ARP requests).
     */
    public PingAll pingAll(List<String> among, long timeoutMs) {
        List<String[]> pairs = new ArrayList<>();
        for (String s : among) {
            for (String d : among) {
                if (!s.equals(d)) {
                    pairs.add(new String[] {s, d});
                }
            }
        }
        Map<String, Set<String>> reached = new LinkedHashMap<>();
        for (String s : among) {
            reached.put(s, new TreeSet<>());
        }
        java.util.ArrayDeque<Map.Entry<String[], CompletableFuture<PingResult>>> inFlight = new java.util.ArrayDeque<>();
        int received = 0;
        int next = 0;
        while (next < pairs.size() || !inFlight.isEmpty()) {
            while (next < pairs.size() && inFlight.size() < PING_WINDOW) {
                String[] p = pairs.get(next++);
                inFlight.add(Map.entry(p, ping(p[0], p[1], 1, 1000, timeoutMs)));
            }
            Map.Entry<String[], CompletableFuture<PingResult>> e = inFlight.poll();
            PingResult r;
            try {
                r = e.getValue().orTimeout(timeoutMs + 10_000, TimeUnit.MILLISECONDS).join();
            } catch (java.util.concurrent.CompletionException ex) {
                r = null;       // no route, or the ping could not be sent: lost
            }
            if (r != null && r.received() > 0) {
                received++;
                reached.get(e.getKey()[0]).add(e.getKey()[1]);
            }
        }
        return new PingAll(among, reached, pairs.size(), received);
    }

    /** The result of {@link #pingAll}. */
    public record PingAll(List<String> hosts, Map<String, Set<String>> reached, int sent, int received) {
        /** Dropped percentage as Mininet computes it. */
        public int droppedPercent() {
            return sent == 0 ? 0 : (int) (100.0 * (sent - received) / sent);
        }
    }

    /**
     * Advances the switches' clock by {@code ms} and runs what is due: flow timeouts and a conntrack cleaner pass on
     * every switch (ovs-appctl {@code time/warp} for the whole lab).
     */
    public void warp(long ms) {
        clock.warp(ms);
        for (OfSwitch sw : switches.values()) {
            sw.runTimers();
        }
    }

    /** The conntrack table of switch {@code sw}, as {@code ovs-appctl dpctl/dump-conntrack} prints it. */
    public List<String> dumpConntrack(String sw) {
        return dumpConntrack(sw, false);
    }

    /** {@link #dumpConntrack(String)}, with {@code timeout=} as {@code -s} adds it when {@code stats}. */
    public List<String> dumpConntrack(String sw, boolean stats) {
        List<String> out = new ArrayList<>();
        for (ConnEntry e : switchNode(sw).conntrack().dump(-1)) {
            out.add(e.format(false, stats));
        }
        return out;
    }

    /** Starts or stops writing interface {@code intf}'s transmitted frames to {@code DIR/INTF.pcap}. */
    public Path pcap(String intf, boolean on, Path dir) {
        for (Map.Entry<String, OfSwitch> e : switches.entrySet()) {
            for (Port p : e.getValue().ports()) {
                if (p.name().equals(intf)) {
                    try {
                        if (!on) {
                            if (p.txPcap() != null) {
                                p.txPcap().close();
                            }
                            p.setPcap(null, null);
                            return null;
                        }
                        Files.createDirectories(dir);
                        Path file = dir.resolve(intf + ".pcap");
                        p.setPcap(new PcapWriter(file), null);
                        return file;
                    } catch (IOException ex) {
                        throw new UncheckedIOException("pcap " + intf + ": " + ex.getMessage(), ex);
                    }
                }
            }
        }
        throw new IllegalArgumentException("no switch interface named \"" + intf + "\"");
    }

    /**
     * Stops everything and removes the run directory if the lab made it and it is empty; a second call does
     * nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EmulatedHost h : hosts.values()) {
            if (h != null) {
                try {
                    h.stop().get(2, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // a host that cannot stop cleanly is dropped with the wire below
                }
            }
        }
        for (OfSwitch sw : switches.values()) {
            sw.close();
        }
        if (controller != null) {
            controller.close();
        }
        wire.close();
        runtime.close();
        if (opts.runDir == null && runDir != null) {
            try {
                Files.deleteIfExists(runDir);   // the temporary directory made in build(), once the sockets are gone
            } catch (IOException e) {
                // not empty (a pcap written there) or already gone: leave it
            }
        }
    }

    static long ipv4(String dotted) {
        String[] p = dotted.split("\\.");
        long v = 0;
        for (String x : p) {
            v = (v << 8) | Integer.parseInt(x);
        }
        return v;
    }

    static InetAddress inet(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad IP address " + ip, e);
        }
    }
}
