package dev.ofswitch.lab.topo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Topology#validate()}: checks a topology and fills in its dependent defaults, or throws one
 * {@link TopologyException} for the first problem.
 *
 * <h2>Design</h2>
 * One pass per list, in a fixed order (topology, switches, hosts, links, each in list order), so that the same
 * topology always gets the same message. Every message is {@code SOURCE: CONTEXT: PROBLEM}: the file or topology,
 * then the node ({@code switch "s1"}, {@code host #3} when it has no name) or the link ({@code link 3 (s1:2 -
 * h9:0)}, numbered from 1 in list order, its ends as written), then what is wrong with which field. Duplicates
 * (names, dpids, IPs, MACs, listen ports, ports on a node) are reported at the second occurrence and name the first.
 *
 * <h2>Defaults that depend on the rest (as Mininet computes them)</h2>
 * <ul>
 *   <li>dpid: {@link Switch#defaultDpid(String)}, Mininet's {@code Switch.defaultDpid()}.</li>
 *   <li>host IP: {@code 10.0.0.N/8}, N the host's place from 1 in the natural order of host names, because
 *       {@code Mininet.buildFromTopo()} adds {@code topo.hosts()} (sorted) and {@code Mininet.addHost()} takes
 *       {@code ipAdd(self.nextIP)} for each, given an IP or not.</li>
 *   <li>ports: {@code Topo.addPort()}: the number of ports the node has so far, plus 1 on a switch or 0 on a host,
 *       computed for both ends before either is recorded, link by link in list order.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * <table>
 * <caption>Limits</caption>
 * <tr><th>what</th><th>limit</th><th>why</th></tr>
 * <tr><td>nodes</td><td>{@value #MAX_NODES}</td><td>one JVM runs them all</td></tr>
 * <tr><td>node name</td><td>a letter, then letters, digits, {@code _}; at most {@value #MAX_NAME_LENGTH}</td>
 *     <td>it starts interface names ({@code s1-eth1}) and CLI commands ({@code h1 ping h2})</td></tr>
 * <tr><td>switch port</td><td>1..{@value #MAX_SWITCH_PORT}</td><td>OpenFlow 1.0 reserves {@code OFPP_MAX} =
 *     0xff00 and up; port 0 is not a port (Mininet shows the switch's {@code lo} there)</td></tr>
 * <tr><td>host port</td><td>0..{@value #MAX_SWITCH_PORT}</td><td>hosts count from {@code eth0}</td></tr>
 * </table>
 */
final class Validator {
    static final int MAX_NODES = 10_000;
    static final int MAX_NAME_LENGTH = 32;
    static final int MAX_SWITCH_PORT = 0xfeff;

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern CONTROLLER = Pattern.compile("tcp:([^:]+)(?::([0-9]+))?");

    private final String source;

    private Validator(String source) {
        this.source = source;
    }

    static Topology validate(Topology t, String source) {
        return new Validator(source).run(t);
    }

    private Topology run(Topology t) {
        if (t.name() == null || t.name().isBlank()) {
            throw problem("missing \"name\"");
        }
        int nodeCount = t.switches().size() + t.hosts().size();
        if (nodeCount == 0) {
            throw problem("has no switches and no hosts");
        }
        if (nodeCount > MAX_NODES) {
            throw problem("has " + nodeCount + " nodes; the lab runs at most " + MAX_NODES);
        }
        Map<String, Node> byName = new HashMap<>();
        List<Switch> switches = checkSwitches(t.switches(), byName);
        List<Host> hosts = checkHosts(t.hosts(), byName);
        List<Link> links = checkLinks(t.links(), byName);
        checkFlows(switches, links);
        return new Topology(t.name(), t.description(), switches, hosts, links);
    }

    /**
     * Parses every switch's {@code flows} as {@code ovs-ofctl -O OpenFlow13 add-flow} would for that switch, whose
     * port names are its interfaces ({@code s1-eth1}), so that a bad flow stops the lab before anything starts.
     */
    private void checkFlows(List<Switch> switches, List<Link> links) {
        for (int i = 0; i < switches.size(); i++) {
            Switch s = switches.get(i);
            if (s.flows().isEmpty()) {
                continue;
            }
            java.util.Map<String, Integer> portNames = new HashMap<>();
            for (Link l : links) {
                if (l.hasEnd(s.name())) {
                    int port = l.portOn(s.name());
                    portNames.put(MininetFormat.intfName(s.name(), port), port);
                }
            }
            java.util.Map<String, Integer> names = dev.ofswitch.ofswitch.FlowLoader.portNames(s.name(), portNames);
            for (int f = 0; f < s.flows().size(); f++) {
                try {
                    dev.ofswitch.ofswitch.FlowLoader.parse(s.flows().get(f),
                            dev.ofswitch.ofswitch.codec.FlowMod.OFPFC_ADD, names);
                } catch (dev.ofswitch.ofswitch.FlowLoader.FlowLoadException e) {
                    throw problem(nodeContext("switch", s.name(), i), "\"flows\" line " + (f + 1) + " ("
                            + s.flows().get(f) + "): " + e.getMessage());
                }
            }
        }
    }

    // ---------------------------------------------------------------- switches

    private List<Switch> checkSwitches(List<Switch> in, Map<String, Node> byName) {
        Map<Long, String> dpidOwner = new HashMap<>();
        Map<Integer, String> listenOwner = new HashMap<>();
        List<Switch> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            Switch s = in.get(i);
            String ctx = nodeContext("switch", s.name(), i);
            checkName(ctx, s, byName);

            Long dpid = s.dpid();
            if (dpid == null) {
                OptionalLong derived = Switch.defaultDpid(s.name());
                if (derived.isEmpty()) {
                    throw problem(ctx, "no \"dpid\", and none can be derived from the name: Mininet's "
                            + "Switch.defaultDpid() takes the name's first number (s23 gets 0x17), and \""
                            + s.name() + "\" has " + (s.name().matches(".*[0-9].*")
                                    ? "a number too big for 64 bits" : "none")
                            + "; give a \"dpid\" or rename the switch");
                }
                dpid = derived.getAsLong();
            }
            if (dpid == 0) {
                throw problem(ctx, "dpid 0000000000000000 is all zeros, which OVS refuses "
                        + "(other_config:datapath-id); " + (s.dpid() == null
                                ? "the name's number is 0, so give a \"dpid\"" : "use another dpid"));
            }
            String owner = dpidOwner.putIfAbsent(dpid, ctx);
            if (owner != null) {
                throw problem(ctx, "dpid " + JsonSupport.dpidHex(dpid) + " is also the dpid of " + owner
                        + (s.dpid() == null ? " (derived from the name, as Mininet's Switch.defaultDpid())" : ""));
            }

            if (s.protocols().isEmpty()) {
                throw problem(ctx, "\"protocols\" is empty; leave it out for all of "
                        + String.join(", ", OpenFlowVersion.ALL.stream().map(OpenFlowVersion::ovsName).toList()));
            }
            Set<OpenFlowVersion> seen = EnumSet.noneOf(OpenFlowVersion.class);
            for (OpenFlowVersion v : s.protocols()) {
                if (!seen.add(v)) {
                    throw problem(ctx, "\"protocols\" lists " + v.ovsName() + " twice");
                }
            }

            Set<String> targets = new HashSet<>();
            for (String c : s.controllers()) {
                checkController(ctx, c);
                if (!targets.add(c)) {
                    throw problem(ctx, "\"controllers\" lists " + c + " twice");
                }
            }

            Integer listen = s.listenPort();
            if (listen != null) {
                if (listen < 1 || listen > 65535) {
                    throw problem(ctx, "listenPort " + listen + " is not a TCP port (1 to 65535)");
                }
                String other = listenOwner.putIfAbsent(listen, ctx);
                if (other != null) {
                    throw problem(ctx, "listenPort " + listen + " is also the listenPort of " + other);
                }
            }
            out.add(s.withDpid(dpid));
        }
        return out;
    }

    private void checkController(String ctx, String target) {
        Matcher m = CONTROLLER.matcher(target);
        String why = null;
        if (!m.matches()) {
            why = "expected tcp:IP:PORT, e.g. tcp:127.0.0.1:6653";
        } else {
            try {
                Addresses.parseIpv4(m.group(1));
                if (m.group(2) != null) {
                    int port = m.group(2).length() > 5 ? 0 : Integer.parseInt(m.group(2));
                    if (port < 1 || port > 65535) {
                        why = "port " + m.group(2) + " is not a TCP port (1 to 65535)";
                    }
                }
            } catch (IllegalArgumentException e) {
                why = "bad IP address \"" + m.group(1) + "\": " + e.getMessage();
            }
        }
        if (why != null) {
            throw problem(ctx, "bad controller \"" + target + "\": " + why);
        }
    }

    // ---------------------------------------------------------------- hosts

    /** Where an address came from, to explain a clash. */
    private record Owner(String ctx, boolean defaulted) {
    }

    private List<Host> checkHosts(List<Host> in, Map<String, Node> byName) {
        for (int i = 0; i < in.size(); i++) {
            Host h = in.get(i);
            checkName(nodeContext("host", h.name(), i), h, byName);
        }
        // Mininet numbers host addresses in the natural order of host names, whatever the creation order.
        List<String> names = new ArrayList<>(in.stream().map(Host::name).toList());
        names.sort(NaturalOrder.INSTANCE);
        Map<String, Integer> place = Topology.places(names);

        Map<Integer, Owner> ipOwner = new HashMap<>();
        Map<Long, Owner> macOwner = new HashMap<>();
        List<Host> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            Host h = in.get(i);
            String ctx = nodeContext("host", h.name(), i);

            boolean defaulted = h.ip() == null;
            int prefix;
            int ip;
            if (defaulted) {
                prefix = Addresses.DEFAULT_PREFIX_LENGTH;
                ip = Addresses.ipAdd(place.get(h.name()) + 1, prefix, Addresses.DEFAULT_IP_BASE);
            } else {
                String[] parts = h.ip().split("/", -1);
                ip = parseAddress(ctx, "IP", h.ip(), parts[0]);
                prefix = parts.length == 1 ? Addresses.DEFAULT_PREFIX_LENGTH : parsePrefix(ctx, h.ip(), parts);
                checkUsable(ctx, "IP", Addresses.ipv4(ip) + "/" + prefix, ip, prefix);
            }
            Owner other = ipOwner.putIfAbsent(ip, new Owner(ctx, defaulted));
            if (other != null) {
                throw problem(ctx, "IP " + Addresses.ipv4(ip) + " is also the IP of " + other.ctx()
                        + defaultHint(ctx, defaulted, other));
            }

            String mac = null;
            if (h.mac() != null) {
                long value;
                try {
                    value = Addresses.parseMac(h.mac());
                } catch (IllegalArgumentException e) {
                    throw problem(ctx, "bad MAC \"" + h.mac() + "\": " + e.getMessage());
                }
                mac = Addresses.mac(value);
                if (value == 0) {
                    throw problem(ctx, "MAC " + mac + " is all zeros");
                }
                if ((value & (1L << 40)) != 0) {
                    throw problem(ctx, "MAC " + mac + " is a multicast address (its first byte is odd), "
                            + "which no host can have");
                }
                Owner previous = macOwner.putIfAbsent(value, new Owner(ctx, false));
                if (previous != null) {
                    throw problem(ctx, "MAC " + mac + " is also the MAC of " + previous.ctx());
                }
            }

            String gateway = null;
            if (h.gateway() != null) {
                int gw = parseAddress(ctx, "gateway", h.gateway(), h.gateway());
                int mask = Addresses.mask(prefix);
                gateway = Addresses.ipv4(gw);
                String subnet = Addresses.ipv4(ip & mask) + "/" + prefix;
                if ((gw & mask) != (ip & mask)) {
                    throw problem(ctx, "gateway " + gateway + " is outside the host's subnet " + subnet);
                }
                if (gw == ip) {
                    throw problem(ctx, "gateway " + gateway + " is the host's own address");
                }
                checkUsable(ctx, "gateway", gateway, gw, prefix);
            }
            out.add(new Host(h.name(), Addresses.ipv4(ip) + "/" + prefix, mac, gateway));
        }
        return out;
    }

    private static String defaultHint(String ctx, boolean defaulted, Owner other) {
        if (!defaulted && !other.defaulted()) {
            return "";
        }
        return " (a host without \"ip\" gets 10.0.0.N/8, N being its place in the natural order of host names, "
                + "as in Mininet's buildFromTopo(); " + (defaulted ? ctx : other.ctx()) + " has no \"ip\")";
    }

    private int parseAddress(String ctx, String field, String whole, String address) {
        try {
            return Addresses.parseIpv4(address);
        } catch (IllegalArgumentException e) {
            throw problem(ctx, "bad " + field + " \"" + whole + "\": " + e.getMessage());
        }
    }

    private int parsePrefix(String ctx, String whole, String[] parts) {
        String p = parts[1];
        if (parts.length > 2 || p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 32) {
            throw problem(ctx, "bad IP \"" + whole + "\": the prefix length must be a number from 1 to 32");
        }
        return Integer.parseInt(p);
    }

    /** Refuses addresses a host interface cannot have. */
    private void checkUsable(String ctx, String field, String shown, int ip, int prefix) {
        int top = ip >>> 24;
        String why = null;
        if (top == 0) {
            why = "is in 0.0.0.0/8 (\"this network\")";
        } else if (top == 127) {
            why = "is a loopback address";
        } else if (top >= 224 && top < 240) {
            why = "is a multicast address";
        } else if (top >= 240) {
            why = "is reserved (240.0.0.0/4) or the broadcast address";
        } else if (prefix <= 30) {
            int hostBits = ~Addresses.mask(prefix);
            if ((ip & hostBits) == 0) {
                why = "is the network address of its subnet";
            } else if ((ip & hostBits) == hostBits) {
                why = "is the broadcast address of its subnet";
            }
        }
        if (why != null) {
            throw problem(ctx, field + " " + shown + " " + why);
        }
    }

    // ---------------------------------------------------------------- links

    private List<Link> checkLinks(List<Link> in, Map<String, Node> byName) {
        // ports.get(node).get(port) = the link holding that port, as shown in messages.
        Map<String, Map<Integer, String>> ports = new HashMap<>();
        List<Link> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            Link l = in.get(i);
            String ctx = "link " + (i + 1) + " (" + l.label() + ")";
            Node n1 = endNode(ctx, "node1", l.node1(), byName);
            Node n2 = endNode(ctx, "node2", l.node2(), byName);
            if (n1 == n2) {
                throw problem(ctx, "links " + describe(n1) + " to itself");
            }
            Map<Integer, String> used1 = ports.computeIfAbsent(n1.name(), k -> new HashMap<>());
            Map<Integer, String> used2 = ports.computeIfAbsent(n2.name(), k -> new HashMap<>());
            // Topo.addPort(): both numbers are computed before either port is recorded.
            int p1 = l.port1() != null ? l.port1() : used1.size() + base(n1);
            int p2 = l.port2() != null ? l.port2() : used2.size() + base(n2);
            String resolved = "link " + (i + 1) + " (" + Link.end(n1.name(), p1) + " - " + Link.end(n2.name(), p2)
                    + ")";
            claimPort(ctx, resolved, n1, p1, l.port1() == null, "port1", used1);
            claimPort(ctx, resolved, n2, p2, l.port2() == null, "port2", used2);

            if (!Double.isFinite(l.delayMs()) || l.delayMs() < 0) {
                throw problem(ctx, "delayMs is " + number(l.delayMs())
                        + "; a delay is a number of milliseconds, 0 or more");
            }
            if (!(l.lossPercent() >= 0 && l.lossPercent() <= 100)) {
                throw problem(ctx, "lossPercent is " + number(l.lossPercent()) + "; a loss is a percentage from 0 "
                        + "to 100");
            }
            Double bw = l.bandwidthMbps();
            if (bw != null && !(Double.isFinite(bw) && bw > 0)) {
                throw problem(ctx, "bandwidthMbps is " + number(bw) + "; a bandwidth is a number of Mbit/s above 0");
            }
            out.add(new Link(n1.name(), p1, n2.name(), p2, l.up(), l.delayMs(), l.lossPercent(), bw));
        }
        return out;
    }

    private Node endNode(String ctx, String field, String name, Map<String, Node> byName) {
        if (name == null) {
            throw problem(ctx, "missing \"" + field + "\"");
        }
        Node n = byName.get(name);
        if (n == null) {
            throw problem(ctx, "unknown node \"" + name + "\" in \"" + field + "\"");
        }
        return n;
    }

    private static int base(Node n) {
        return n instanceof Switch ? 1 : 0;
    }

    private void claimPort(String ctx, String resolved, Node n, int port, boolean numbered, String field,
            Map<Integer, String> used) {
        int min = base(n);
        // A port given in the file names its field; a numbered one is explained after the problem instead.
        String shown = numbered ? "port " + port : "port " + port + " (\"" + field + "\")";
        if (port < min || port > MAX_SWITCH_PORT) {
            String why = port == 0 && n instanceof Switch
                    ? "; switch ports start at 1 (OpenFlow port numbers; Mininet lists the switch's lo as port 0)"
                    : "; " + (n instanceof Switch ? "switch" : "host") + " ports are " + min + " to "
                            + MAX_SWITCH_PORT + (n instanceof Switch ? " (OpenFlow 1.0's OFPP_MAX is 0xff00)" : "");
            throw problem(ctx, shown + " on " + describe(n) + " is out of range" + why);
        }
        String owner = used.putIfAbsent(port, resolved);
        if (owner != null) {
            throw problem(ctx, shown + " on " + describe(n) + " is already used by " + owner
                    + (numbered ? " (\"" + field + "\" was left out, so it was numbered as Mininet's Topo.addPort() "
                            + "does: the node's ports so far, plus " + min + ")" : ""));
        }
    }

    // ---------------------------------------------------------------- shared

    private void checkName(String ctx, Node n, Map<String, Node> byName) {
        String name = n.name();
        if (name == null || name.isEmpty()) {
            throw problem(ctx, "missing \"name\"");
        }
        if (!NAME.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
            throw problem(ctx, "bad name \"" + name + "\": a node name is a letter followed by letters, digits "
                    + "or '_', at most " + MAX_NAME_LENGTH + " in all (it starts interface names such as s1-eth1)");
        }
        Node other = byName.putIfAbsent(name, n);
        if (other != null) {
            throw problem(ctx, "another " + (other instanceof Switch ? "switch" : "host") + " is also named \""
                    + name + "\"");
        }
    }

    private static String nodeContext(String kind, String name, int index) {
        return name == null || name.isEmpty() ? kind + " #" + (index + 1) : kind + " \"" + name + "\"";
    }

    private static String describe(Node n) {
        return (n instanceof Switch ? "switch" : "host") + " \"" + n.name() + "\"";
    }

    /** 5 for 5.0, 2.5 for 2.5, NaN and Infinity as Java writes them. */
    static String number(double d) {
        if (!Double.isFinite(d)) {
            return Double.toString(d);
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private TopologyException problem(String what) {
        return new TopologyException(source + ": " + what);
    }

    private TopologyException problem(String ctx, String what) {
        return new TopologyException(source + ": " + ctx + ": " + what);
    }
}
