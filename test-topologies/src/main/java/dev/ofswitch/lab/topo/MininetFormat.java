package dev.ofswitch.lab.topo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * The text Mininet's CLI prints about a network, character for character, for a {@link Topology}: what a Mininet
 * user sees after {@code nodes}, {@code net}, {@code links}, {@code intfs}, {@code ports} and {@code pingall}.
 * Pure functions of their arguments; every result ends with a newline, as Mininet's output does.
 *
 * <h2>Interface names and port numbers</h2>
 * Port {@code N} of a node is its interface {@code NODE-ethN} ({@link #intfName(String, int)}; Mininet's
 * {@code Link.intfName()}), and on a switch also its OpenFlow port {@code N}. Hosts count from {@code h1-eth0},
 * switches from {@code s1-eth1}, because Mininet's {@code Topo.addPort()} starts hosts at 0 and switches at 1. A
 * switch also shows {@code lo} as port 0: Mininet's {@code Switch.__init__()} adds the loopback as the control
 * interface of a switch in the root namespace, and {@code net}, {@code intfs} and {@code ports} list it.
 *
 * <h2>Order</h2>
 * As {@code Mininet.buildFromTopo()} creates the network: hosts, then switches, each in the natural order of their
 * names ({@link Topology#hostsInNetOrder()}), then controllers; links in {@link Topology#linksInNetOrder()}.
 * {@code nodes} alone sorts plainly ({@code sorted(self.mn)} in {@code CLI.do_nodes()}), so there {@code h10}
 * comes before {@code h2}.
 *
 * <h2>Link state</h2>
 * Mininet's {@code net} does not show whether a link is up, and its {@code links} prints {@code (OK OK)} for a
 * link taken down with {@code link s1 h1 down} too: {@code Intf.status()} only reports whether the interface
 * exists ({@code OK}) or not ({@code MISSING}), and {@code ifconfig down} does not remove it. These printers do
 * the same, so they need no link state; reachability shows in {@link #pingAll}.
 */
public final class MininetFormat {
    /** The controllers {@code mn} starts by default: one, {@code c0} ({@code 'c%d' % i} in buildFromTopo). */
    public static final List<String> DEFAULT_CONTROLLERS = List.of("c0");

    private MininetFormat() {
    }

    /** {@code h1-eth0}, {@code s1-eth3}: Mininet's {@code node.name + '-eth' + repr(n)}. */
    public static String intfName(String node, int port) {
        return node + "-eth" + port;
    }

    /** {@link #nodes(Topology, List)} with controller {@code c0}. */
    public static String nodes(Topology topo) {
        return nodes(topo, DEFAULT_CONTROLLERS);
    }

    /**
     * {@code nodes}, as {@code CLI.do_nodes()}: {@code 'available nodes are: \n%s\n'} with every node name in
     * plain sorted order.
     *
     * <pre>
     * available nodes are: 
     * c0 h1 h2 s1
     * </pre>
     */
    public static String nodes(Topology topo, List<String> controllers) {
        List<String> names = new ArrayList<>(controllers);
        topo.hosts().forEach(h -> names.add(h.name()));
        topo.switches().forEach(s -> names.add(s.name()));
        names.sort(null);
        return "available nodes are: \n" + String.join(" ", names) + "\n";
    }

    /** {@link #net(Topology, List)} with controller {@code c0}. */
    public static String net(Topology topo) {
        return net(topo, DEFAULT_CONTROLLERS);
    }

    /**
     * {@code net}, as {@code CLI.do_net()} and {@code dumpNodeConnections()} in {@code mininet/util.py}: one line
     * per node (hosts, switches, controllers); after the name, each interface by port number as
     * {@code ' INTF:PEERINTF'}, or {@code ' INTF: '} when it has no link (a switch's {@code lo}, hence the two
     * spaces). For {@code single,2}:
     *
     * <pre>
     * h1 h1-eth0:s1-eth1
     * h2 h2-eth0:s1-eth2
     * s1 lo:  s1-eth1:h1-eth0 s1-eth2:h2-eth0
     * c0
     * </pre>
     *
     * @param topo a validated topology
     */
    public static String net(Topology topo, List<String> controllers) {
        Map<String, TreeMap<Integer, String>> peers = peerIntfs(topo);
        StringBuilder sb = new StringBuilder();
        for (Host h : topo.hostsInNetOrder()) {
            connections(sb, h.name(), peers.get(h.name()), false);
        }
        for (Switch s : topo.switchesInNetOrder()) {
            connections(sb, s.name(), peers.get(s.name()), true);
        }
        for (String c : controllers) {
            sb.append(c).append('\n');
        }
        return sb.toString();
    }

    private static void connections(StringBuilder sb, String node, TreeMap<Integer, String> peers, boolean lo) {
        sb.append(node);
        if (lo) {
            sb.append(" lo: ");
        }
        if (peers != null) {
            peers.forEach((port, peer) -> sb.append(' ').append(intfName(node, port)).append(':').append(peer));
        }
        sb.append('\n');
    }

    /**
     * {@code links}, as {@code CLI.do_links()}: {@code output(link, link.status(), '\n')}, which Mininet's
     * {@code output()} joins with spaces, so each line ends in a space before the newline. For {@code single,2}:
     *
     * <pre>
     * h1-eth0&lt;-&gt;s1-eth1 (OK OK) 
     * h2-eth0&lt;-&gt;s1-eth2 (OK OK) 
     * </pre>
     *
     * @param topo a validated topology
     */
    public static String links(Topology topo) {
        StringBuilder sb = new StringBuilder();
        for (Link l : topo.linksInNetOrder()) {
            sb.append(intfName(l.node1(), l.port1())).append("<->").append(intfName(l.node2(), l.port2()))
                    .append(" (OK OK) \n");
        }
        return sb.toString();
    }

    /** {@link #intfs(Topology, List)} with controller {@code c0}. */
    public static String intfs(Topology topo) {
        return intfs(topo, DEFAULT_CONTROLLERS);
    }

    /**
     * {@code intfs}, as {@code CLI.do_intfs()}: {@code '%s: %s\n' % (name, ','.join(intfNames))} for hosts,
     * switches and controllers ({@code h1: h1-eth0}, {@code s1: lo,s1-eth1,s1-eth2}, {@code c0: }).
     *
     * @param topo a validated topology
     */
    public static String intfs(Topology topo, List<String> controllers) {
        Map<String, TreeMap<Integer, String>> peers = peerIntfs(topo);
        StringBuilder sb = new StringBuilder();
        for (Host h : topo.hostsInNetOrder()) {
            sb.append(h.name()).append(": ").append(String.join(",", intfNames(h.name(), peers, false))).append('\n');
        }
        for (Switch s : topo.switchesInNetOrder()) {
            sb.append(s.name()).append(": ").append(String.join(",", intfNames(s.name(), peers, true))).append('\n');
        }
        for (String c : controllers) {
            sb.append(c).append(": \n");
        }
        return sb.toString();
    }

    private static List<String> intfNames(String node, Map<String, TreeMap<Integer, String>> peers, boolean lo) {
        List<String> names = new ArrayList<>();
        if (lo) {
            names.add("lo");
        }
        TreeMap<Integer, String> mine = peers.get(node);
        if (mine != null) {
            mine.keySet().forEach(port -> names.add(intfName(node, port)));
        }
        return names;
    }

    /**
     * {@code ports}, as {@code CLI.do_ports()} and {@code dumpPorts()}: per switch, {@code '%s ' % name} then
     * {@code '%s:%d ' % (intf, port)} for each interface, {@code lo} being port 0
     * ({@code s1 lo:0 s1-eth1:1 s1-eth2:2 }).
     *
     * @param topo a validated topology
     */
    public static String ports(Topology topo) {
        Map<String, TreeMap<Integer, String>> peers = peerIntfs(topo);
        StringBuilder sb = new StringBuilder();
        for (Switch s : topo.switchesInNetOrder()) {
            sb.append(s.name()).append(" lo:0 ");
            TreeMap<Integer, String> mine = peers.get(s.name());
            if (mine != null) {
                mine.keySet().forEach(port -> sb.append(intfName(s.name(), port)).append(':').append(port)
                        .append(' '));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * {@code pingall}, as {@code Mininet.ping()} without a host list: a header, then for each host in
     * {@link Topology#hostsInNetOrder()} {@code 'h1 -> '} and, for every other host, its name and a space if the
     * one ping ({@code ping -c1}) got an answer or {@code 'X '} if not, then the results line.
     *
     * <pre>
     * *** Ping: testing ping reachability
     * h1 -&gt; h2 X 
     * h2 -&gt; h1 X 
     * h3 -&gt; X X 
     * *** Results: 66% dropped (2/6 received)
     * </pre>
     *
     * @param reached whether a ping from the first host to the second was answered
     */
    public static String pingAll(Topology topo, BiPredicate<String, String> reached) {
        Set<String> unplugged = new HashSet<>();
        for (Host h : topo.hosts()) {
            if (topo.linksOf(h.name()).isEmpty()) {
                unplugged.add(h.name());
            }
        }
        return "*** Ping: testing ping reachability\n"
                + ping(topo.hostsInNetOrder().stream().map(Host::name).toList(), reached, unplugged);
    }

    /**
     * {@code Mininet.ping(hosts)} for the given hosts, in order, without the header: what {@code pingpair} prints
     * for the first two hosts. See {@link #pingAll}.
     */
    public static String ping(List<String> hosts, BiPredicate<String, String> reached) {
        return ping(hosts, reached, Set.of());
    }

    /**
     * @param unplugged hosts without an interface: Mininet prints {@code X} for them as destinations but sends
     *                  nothing ({@code if dest.intfs: ... else: sent, received = 0, 0}), so they do not count
     */
    private static String ping(List<String> hosts, BiPredicate<String, String> reached, Set<String> unplugged) {
        StringBuilder sb = new StringBuilder();
        int sent = 0;
        int received = 0;
        for (String src : hosts) {
            sb.append(src).append(" -> ");
            for (String dst : hosts) {
                if (!src.equals(dst)) {
                    if (unplugged.contains(dst)) {
                        sb.append("X ");
                        continue;
                    }
                    sent++;
                    if (reached.test(src, dst)) {
                        received++;
                        sb.append(dst).append(' ');
                    } else {
                        sb.append("X ");
                    }
                }
            }
            sb.append('\n');
        }
        return sb.append(pingResults(received, sent)).toString();
    }

    /**
     * The last line of a ping test, as {@code Mininet.ping()}:
     * {@code "*** Results: %i%% dropped (%d/%d received)\n"}, the percentage of lost pings truncated to a whole
     * number as Python's {@code %i} does ({@code 1/3} lost is 33%, {@code 2/3} is 66%); with nothing sent,
     * {@code "*** Warning: No packets sent\n"}.
     */
    public static String pingResults(int received, int sent) {
        if (sent <= 0) {
            return "*** Warning: No packets sent\n";
        }
        long lostPercent = 100L * (sent - received) / sent;
        return "*** Results: " + lostPercent + "% dropped (" + received + "/" + sent + " received)\n";
    }

    /** Node name to (port to the interface at the other end). */
    private static Map<String, TreeMap<Integer, String>> peerIntfs(Topology topo) {
        Map<String, TreeMap<Integer, String>> peers = new HashMap<>();
        for (Link l : topo.links()) {
            peers.computeIfAbsent(l.node1(), k -> new TreeMap<>()).put(l.port1(), intfName(l.node2(), l.port2()));
            peers.computeIfAbsent(l.node2(), k -> new TreeMap<>()).put(l.port2(), intfName(l.node1(), l.port1()));
        }
        return peers;
    }
}
