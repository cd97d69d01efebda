package dev.ofswitch.lab.cli;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.host.ArpEntry;
import dev.ofswitch.lab.host.EmulatedHost;
import dev.ofswitch.lab.host.Iperf;
import dev.ofswitch.lab.host.PingResult;
import dev.ofswitch.lab.topo.Host;
import dev.ofswitch.lab.topo.Link;
import dev.ofswitch.lab.topo.MininetFormat;
import dev.ofswitch.lab.topo.Switch;
import dev.ofswitch.lab.topo.Topology;
import dev.ofswitch.ofswitch.FlowLoader;
import dev.ofswitch.ofswitch.OfSwitch;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The lab's command interpreter, Mininet's CLI: one command line in, Mininet-shaped text out. The interactive console
 * ({@link LabMain}) and the tests drive it the same way.
 *
 * <pre>
 * nodes | net | links | intfs | ports | dump          what Mininet prints
 * pingall [TIMEOUT_S] | pingpair                    reachability, "*** Results: 0% dropped (6/6 received)"
 * iperf [H1 H2] | iperfudp [BW] [H1 H2]             throughput between two hosts
 * link N1 N2 up|down                                take a link down or up
 * H1 ping [-c N] [-W S] H2|IP                       Linux ping's output;  H1 arp   H1 ifconfig
 * add-flow S FLOW                                   add a flow in ovs-ofctl syntax (our parser; no OVS needed)
 * dump-flows [S] | dpctl dump-flows                 the flow table, as ovs-ofctl -O OpenFlow13 dump-flows prints it
 * dump-conntrack [S]                                ovs-appctl dpctl/dump-conntrack
 * pcap INTF on|off                                  write INTF's transmitted frames to a pcap file
 * warp SECONDS                                      advance the switches' clock (timeouts, conntrack expiry)
 * help | exit | quit
 * </pre>
 *
 * Errors name what was wrong and never end the session.
 *
 * <h2>Thread-safety</h2> One caller at a time.
 */
public final class LabShell {
    private final Lab lab;
    private final PrintStream out;
    private final List<String> controllers;
    private final Path pcapDir;

    public LabShell(Lab lab, PrintStream out, List<String> controllers, Path pcapDir) {
        this.lab = lab;
        this.out = out;
        this.controllers = controllers;
        this.pcapDir = pcapDir;
    }

    /** The command names, for completion. */
    public static final List<String> COMMANDS = List.of("nodes", "net", "links", "intfs", "ports", "dump", "pingall",
            "pingpair", "iperf", "iperfudp", "link", "add-flow", "dump-flows", "dpctl", "dump-conntrack", "pcap", "warp", "help",
            "exit", "quit");

    /** Every node and switch interface name, for completion. */
    public List<String> nodeNames() {
        List<String> out = new ArrayList<>(lab.hosts().keySet());
        out.addAll(lab.switches().keySet());
        for (Link l : lab.topology().links()) {
            out.add(MininetFormat.intfName(l.node1(), l.portOn(l.node1())));
            out.add(MininetFormat.intfName(l.node2(), l.portOn(l.node2())));
        }
        return out;
    }

    /**
     * Runs one command line; returns false when the session should end ({@code exit}, {@code quit}).
     */
    public boolean run(String line) {
        String[] w = line.trim().split("\\s+");
        if (w.length == 0 || w[0].isEmpty() || w[0].startsWith("#")) {
            return true;
        }
        try {
            return dispatch(w, line.trim());
        } catch (IllegalArgumentException | IllegalStateException | CompletionException e) {
            Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            out.println("*** Error: " + c.getMessage());
            return true;
        }
    }

    /**
     * {@code add-flow S FLOW}: the flow is the rest of the line (quotes around it, as a shell would need, are
     * removed), parsed as {@code ovs-ofctl -O OpenFlow13 add-flow} parses it and installed through the switch's
     * FLOW_MOD handling.
     */
    private void addFlow(String line) {
        String[] parts = line.split("\\s+", 3);
        if (parts.length < 3) {
            throw new IllegalArgumentException("usage: add-flow SWITCH FLOW");
        }
        String flow = parts[2].strip();
        if (flow.length() >= 2 && (flow.charAt(0) == '\'' || flow.charAt(0) == '"')
                && flow.charAt(flow.length() - 1) == flow.charAt(0)) {
            flow = flow.substring(1, flow.length() - 1);
        }
        try {
            FlowLoader.addFlow(lab.switchNode(parts[1]), flow);
        } catch (FlowLoader.FlowLoadException e) {
            throw new IllegalArgumentException("add-flow " + parts[1] + ": " + e.getMessage());
        }
    }

    private boolean dispatch(String[] w, String line) {
        Topology topo = lab.topology();
        switch (w[0]) {
            case "exit":
            case "quit":
                return false;
            case "help":
                out.print(HELP);
                return true;
            case "nodes":
                out.print(MininetFormat.nodes(topo, controllers));
                return true;
            case "net":
                out.print(MininetFormat.net(topo, controllers));
                return true;
            case "links":
                out.print(MininetFormat.links(topo));
                return true;
            case "intfs":
                out.print(MininetFormat.intfs(topo, controllers));
                return true;
            case "ports":
                out.print(MininetFormat.ports(topo));
                return true;
            case "dump":
                dump();
                return true;
            case "pingall":
                pingAll(hostNames(), w.length > 1 ? (long) (Double.parseDouble(w[1]) * 1000) : 1000, true);
                return true;
            case "pingpair": {
                List<String> hs = hostNames();
                if (hs.size() < 2) {
                    throw new IllegalArgumentException("pingpair needs two hosts");
                }
                pingAll(hs.subList(0, 2), 1000, false);
                return true;
            }
            case "iperf":
            case "iperfudp":
                iperf(w);
                return true;
            case "link":
                if (w.length != 4 || !(w[3].equals("up") || w[3].equals("down"))) {
                    throw new IllegalArgumentException("usage: link end1 end2 [up down]");
                }
                lab.setLink(w[1], w[2], w[3].equals("up"));
                return true;
            case "add-flow":
                addFlow(line);
                return true;
            case "dump-flows":
                for (String s : switchArgs(w, 1)) {
                    out.print(FlowDump.dump(lab, s));
                }
                return true;
            case "dpctl":
                if (w.length < 2 || !w[1].equals("dump-flows")) {
                    throw new IllegalArgumentException("dpctl: only dump-flows is supported; use dump-conntrack S"
                            + " for the conntrack table");
                }
                for (String s : switchArgs(w, 2)) {
                    out.println("*** " + s + " ------------------------------------------------------------------"
                            + "------");
                    out.print(FlowDump.dump(lab, s));
                }
                return true;
            case "dump-conntrack":
                for (String s : switchArgs(w, 1)) {
                    for (String e : lab.dumpConntrack(s)) {
                        out.println(e);
                    }
                }
                return true;
            case "pcap":
                if (w.length != 3 || !(w[2].equals("on") || w[2].equals("off"))) {
                    throw new IllegalArgumentException("usage: pcap INTF on|off");
                }
                Path file = lab.pcap(w[1], w[2].equals("on"), pcapDir);
                if (file != null) {
                    out.println("*** Writing " + w[1] + " to " + file);
                }
                return true;
            case "warp":
                if (w.length != 2) {
                    throw new IllegalArgumentException("usage: warp SECONDS");
                }
                lab.warp((long) (Double.parseDouble(w[1]) * 1000));
                out.println("*** Switch clock advanced by " + w[1] + " s");
                return true;
            default:
                if (lab.hosts().containsKey(w[0]) && w.length >= 2) {
                    return hostCommand(w);
                }
                out.println("*** Unknown command: " + String.join(" ", w));
                return true;
        }
    }

    private List<String> hostNames() {
        List<String> out = new ArrayList<>();
        for (Host h : lab.topology().hostsInNetOrder()) {
            out.add(h.name());
        }
        return out;
    }

    private List<String> switchArgs(String[] w, int from) {
        if (w.length > from) {
            List<String> l = Arrays.asList(w).subList(from, w.length);
            for (String s : l) {
                lab.switchNode(s);
            }
            return l;
        }
        List<String> all = new ArrayList<>();
        for (Switch s : lab.topology().switchesInNetOrder()) {
            all.add(s.name());
        }
        return all;
    }

    /** Mininet's pingAll / pingpair output. */
    public Lab.PingAll pingAll(List<String> hosts, long timeoutMs, boolean header) {
        Lab.PingAll r = lab.pingAll(hosts, timeoutMs);
        if (header) {
            out.print("*** Ping: testing ping reachability\n");
        }
        out.print(MininetFormat.ping(hosts, (a, b) -> r.reached().get(a).contains(b)));
        return r;
    }

    private void iperf(String[] w) {
        boolean udp = w[0].equals("iperfudp");
        int i = 1;
        String bw = "10M";
        if (udp && w.length > 1 && !lab.hosts().containsKey(w[1])) {
            bw = w[1];
            i = 2;
        }
        List<String> hs = hostNames();
        String c = w.length > i + 1 ? w[i] : hs.get(0);
        String s = w.length > i + 1 ? w[i + 1] : hs.get(hs.size() - 1);
        out.println("*** Iperf: testing " + (udp ? "UDP" : "TCP") + " bandwidth between " + c + " and " + s + " ");
        Iperf.Result r = LabOps.iperf(lab, c, s, udp, udp ? parseRate(bw) : 0, 5000, bw);
        out.println(r.format());
    }

    static long parseRate(String bw) {
        String t = bw.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("K")) {
            mult = 1_000;
        } else if (t.endsWith("M")) {
            mult = 1_000_000;
        } else if (t.endsWith("G")) {
            mult = 1_000_000_000;
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return (long) (Double.parseDouble(t) * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad bandwidth \"" + bw + "\" (e.g. 10M)");
        }
    }

    /** {@code h1 ping [-c N] [-W S] h2}, {@code h1 arp}, {@code h1 ifconfig}. */
    private boolean hostCommand(String[] w) {
        EmulatedHost h = lab.host(w[0]);
        switch (w[1]) {
            case "ping": {
                int count = 1;
                long timeoutMs = 1000;
                String dst = null;
                for (int i = 2; i < w.length; i++) {
                    if (w[i].equals("-c") && i + 1 < w.length) {
                        count = Integer.parseInt(w[++i]);
                    } else if (w[i].equals("-W") && i + 1 < w.length) {
                        timeoutMs = (long) (Double.parseDouble(w[++i]) * 1000);
                    } else {
                        dst = w[i];
                    }
                }
                if (dst == null) {
                    throw new IllegalArgumentException("usage: " + w[0] + " ping [-c N] [-W SECONDS] HOST|IP");
                }
                InetAddress ip = LabOps.address(lab, dst);
                PingResult r = h.ping(ip, count, 1000, timeoutMs, 56)
                        .orTimeout(count * 1000L + timeoutMs + 10_000, TimeUnit.MILLISECONDS).join();
                out.println(r.format());
                return true;
            }
            case "arp":
                for (ArpEntry e : h.arpTable().join()) {
                    out.println(e);
                }
                return true;
            case "ifconfig":
                out.println(w[0] + "-eth0: inet " + h.config().ipv4().getHostAddress() + "/"
                        + h.config().prefixLength() + "  ether " + h.config().macString());
                return true;
            default:
                throw new IllegalArgumentException(w[0] + ": only ping, arp and ifconfig run on emulated hosts");
        }
    }

    /** Mininet's {@code dump}: one line per node. */
    private void dump() {
        Topology topo = lab.topology();
        for (Host h : topo.hostsInNetOrder()) {
            EmulatedHost eh = lab.host(h.name());
            out.println("<Host " + h.name() + ": " + h.name() + "-eth0:" + h.ipAddress() + " mac="
                    + eh.config().macString() + ">");
        }
        for (Switch s : topo.switchesInNetOrder()) {
            OfSwitch sw = lab.switchNode(s.name());
            StringBuilder sb = new StringBuilder("<OfSwitch " + s.name() + ": lo:127.0.0.1");
            for (Link l : topo.linksOf(s.name())) {
                sb.append(',').append(MininetFormat.intfName(s.name(), l.portOn(s.name()))).append(":None");
            }
            out.println(sb.append(" dpid=").append(s.dpidHex()).append(" connected=")
                    .append(sw.controllerSessions() > 0).append('>'));
        }
        for (String c : controllers) {
            out.println("<Controller " + c + ": " + (lab.controllerPort() != 0 ? "127.0.0.1:" + lab.controllerPort()
                    + " (embedded firewall)" : "remote") + ">");
        }
    }

    static final String HELP = "\n"
            + "Documented commands (type help <topic>):\n"
            + "========================================\n"
            + "nodes net links intfs ports dump                 the network, as Mininet prints it\n"
            + "pingall [TIMEOUT_S]  pingpair                     ping reachability\n"
            + "iperf [H1 H2]  iperfudp [BW] [H1 H2]              throughput between two hosts\n"
            + "link N1 N2 up|down                                take a link down or up\n"
            + "H ping [-c N] [-W S] H2|IP   H arp   H ifconfig     commands on emulated hosts\n"
            + "add-flow S FLOW                                   add a flow (ovs-ofctl syntax)\n"
            + "dump-flows [S...]  dpctl dump-flows               flow tables\n"
            + "dump-conntrack [S...]                             connection tracking tables\n"
            + "pcap INTF on|off                                  capture a switch interface's output\n"
            + "warp SECONDS                                      advance the switches' clock\n"
            + "exit | quit                                       stop the lab\n\n";
}
