package dev.ofswitch.lab.topo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Mininet's built-in topologies, with its names, numbering, addressing and port numbers, and {@code mn --topo}
 * spec parsing.
 *
 * <h2>The built-ins</h2>
 * Each is built by the same {@code addSwitch}/{@code addHost}/{@code addLink} calls, in the same order, as its
 * Mininet class, so ports come out as Mininet numbers them ({@code Topo.addPort()}: hosts from 0, switches from 1,
 * in link order), and {@link Topology#validate()} then gives hosts {@code 10.0.0.N/8} in the natural order of their
 * names and switches their dpids from their names, as {@code Mininet.buildFromTopo()} does.
 * <table>
 * <caption>Built-in topologies</caption>
 * <tr><th>spec</th><th>Mininet class</th><th>what</th></tr>
 * <tr><td>{@code minimal}</td><td>{@code MinimalTopo} (topo.py)</td><td>{@code single,2}; the default</td></tr>
 * <tr><td>{@code single[,k]}</td><td>{@code SingleSwitchTopo}</td><td>s1 with hosts h1..hk on s1-eth1..k;
 *     k = 2</td></tr>
 * <tr><td>{@code reversed[,k]}</td><td>{@code SingleSwitchReversedTopo}</td><td>as single, but hN is on port
 *     k-N+1</td></tr>
 * <tr><td>{@code linear[,k[,n]]}</td><td>{@code LinearTopo}</td><td>s1..sk in a line, n hosts on each (h1..hk if
 *     n = 1, else hJsI: host J of switch I); k = 2, n = 1</td></tr>
 * <tr><td>{@code tree[,depth[,fanout]]}</td><td>{@code TreeTopo} (topolib.py)</td><td>switches numbered depth-first
 *     from the root s1, hosts h1.. left to right; depth = 1, fanout = 2</td></tr>
 * <tr><td>{@code torus,x,y[,n]}</td><td>{@code TorusTopo} (topolib.py)</td><td>an x by y grid of switches sIxJ
 *     (dpid 0xIJJ: I * 256 + J) wrapped both ways, n hosts each (hIxJ, or hIxJxK if n > 1); x, y at least 3;
 *     it has loops, so it needs STP or a controller that copes</td></tr>
 * </table>
 *
 * <h2>Spec syntax</h2>
 * As Mininet's {@code splitArgs()}: {@code name,arg,...,key=value,...}. Arguments without {@code =} fill the
 * parameters in order, the others by name: {@code tree,2,3}, {@code tree,depth=2,fanout=3} and
 * {@code tree,fanout=3,depth=2} are the same. Differences from Mininet, all of them errors there or degenerate
 * networks: arguments must be whole numbers, counts must be at least 1 (Mininet accepts {@code single,0} and
 * {@code tree,0}, which have no hosts or no switch), and a topology may have at most {@value #MAX_NODES} nodes.
 */
public final class Topologies {
    /** The most nodes (switches plus hosts) a built-in may have. */
    public static final int MAX_NODES = Validator.MAX_NODES;

    /** The spec {@code mn} uses without {@code --topo}. */
    public static final String DEFAULT_SPEC = "minimal";

    /** One built-in: its parameters (null default: required), size and constructor. */
    private record Kind(String name, List<String> params, Integer[] defaults, int[] minimums,
            ToLongFunction<int[]> nodes, Function<int[], Topology> build) {
    }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        add(new Kind("linear", List.of("k", "n"), new Integer[] {2, 1}, new int[] {1, 1},
                a -> times(a[0], a[1] + 1L), a -> buildLinear(a[0], a[1])));
        add(new Kind("minimal", List.of(), new Integer[0], new int[0], a -> 3, a -> singleSwitch("minimal", 2)));
        add(new Kind("reversed", List.of("k"), new Integer[] {2}, new int[] {1}, a -> a[0] + 1L,
                a -> buildReversed(a[0])));
        add(new Kind("single", List.of("k"), new Integer[] {2}, new int[] {1}, a -> a[0] + 1L,
                a -> singleSwitch("single," + a[0], a[0])));
        add(new Kind("torus", List.of("x", "y", "n"), new Integer[] {null, null, 1}, new int[] {3, 3, 1},
                a -> times(times(a[0], a[1]), a[2] + 1L), a -> buildTorus(a[0], a[1], a[2])));
        add(new Kind("tree", List.of("depth", "fanout"), new Integer[] {1, 2}, new int[] {1, 1},
                a -> treeNodes(a[0], a[1]), a -> buildTree(a[0], a[1])));
    }

    private static void add(Kind k) {
        KINDS.put(k.name(), k);
    }

    private Topologies() {
    }

    /** The built-in names, sorted as {@code mn -h} lists them: linear, minimal, reversed, single, torus, tree. */
    public static List<String> names() {
        return List.copyOf(KINDS.keySet());
    }

    /**
     * Builds the topology an {@code mn --topo} spec names, such as {@code linear,4}, {@code single,3} or
     * {@code tree,depth=2,fanout=3}.
     *
     * @param spec a built-in name and its arguments
     * @param macs Mininet's {@code --mac}: give host N the MAC {@code 00:00:00:00:00:0N} (hex)
     * @return the validated topology, named by its canonical spec ({@code tree,2,3})
     * @throws TopologyException for an unknown name, a bad argument or a topology too big, e.g.
     *                           {@code topology spec "tree,depth=x": depth must be a whole number, got "x"}
     */
    public static Topology parseSpec(String spec, boolean macs) {
        String where = "topology spec \"" + spec + "\": ";
        String[] parts = spec.split(",", -1);
        String name = parts[0].trim();
        Kind kind = KINDS.get(name);
        if (kind == null) {
            throw new TopologyException(where + (name.isEmpty() ? "no topology name" : "unknown topology \"" + name
                    + "\"") + "; the built-ins are " + String.join(", ", KINDS.keySet())
                    + " (a JSON file is loaded by path)");
        }
        Integer[] values = new Integer[kind.params().size()];
        int positional = 0;
        for (int i = 1; i < parts.length; i++) {
            String arg = parts[i].trim();
            int eq = arg.indexOf('=');
            int slot;
            String text;
            if (eq < 0) {
                slot = positional++;
                if (slot >= values.length) {
                    throw new TopologyException(where + name + " takes " + (values.length == 0 ? "no arguments"
                            : "at most " + values.length + " arguments (" + String.join(", ", kind.params()) + ")")
                            + ", got " + (parts.length - 1));
                }
                text = arg;
            } else {
                String key = arg.substring(0, eq).trim();
                slot = kind.params().indexOf(key);
                if (slot < 0) {
                    throw new TopologyException(where + name + " has no parameter \"" + key + "\""
                            + (kind.params().isEmpty() ? "" : " (its parameters: "
                                    + String.join(", ", kind.params()) + ")"));
                }
                text = arg.substring(eq + 1).trim();
            }
            String param = kind.params().get(slot);
            if (values[slot] != null) {
                throw new TopologyException(where + param + " is given twice");
            }
            values[slot] = parseWhole(where, param, text);
        }
        int[] args = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            Integer v = values[i] != null ? values[i] : kind.defaults()[i];
            if (v == null) {
                throw new TopologyException(where + name + " needs " + String.join(" and ", missing(kind, values))
                        + ", e.g. " + name + ",3,3");
            }
            args[i] = v;
        }
        check(where, kind, args);
        Topology t = kind.build().apply(args);
        return macs ? t.withAutoMacs() : t;
    }

    /** Refuses arguments below their minimum and topologies over {@link #MAX_NODES}. */
    private static void check(String where, Kind kind, int[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i] < kind.minimums()[i]) {
                throw new TopologyException(where + kind.params().get(i) + " must be at least " + kind.minimums()[i]
                        + ", got " + args[i] + (kind.name().equals("torus") && i < 2 ? " (Mininet's TorusTopo: "
                                + "\"Please use 3x3 or greater for compatibility with 2.1\")" : ""));
            }
        }
        long nodes = kind.nodes().applyAsLong(args);
        if (nodes > MAX_NODES) {
            throw new TopologyException(where + "too big: more than " + MAX_NODES + " nodes, the most the lab runs");
        }
    }

    /** Checks the arguments of a direct call such as {@code tree(2, 2)} and builds. */
    private static Topology call(String name, int... args) {
        StringBuilder spec = new StringBuilder(name);
        for (int a : args) {
            spec.append(',').append(a);
        }
        Kind kind = KINDS.get(name);
        check("topology \"" + spec + "\": ", kind, args);
        return kind.build().apply(args);
    }

    private static List<String> missing(Kind kind, Integer[] values) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null && kind.defaults()[i] == null) {
                out.add(kind.params().get(i));
            }
        }
        return out;
    }

    private static int parseWhole(String where, String param, String text) {
        if (text.matches("[+-]?[0-9]{1,9}")) {
            return Integer.parseInt(text);
        }
        throw new TopologyException(where + param + " must be a whole number, got \"" + text + "\"");
    }

    /** {@code a * b}, or {@link Long#MAX_VALUE} if that overflows. */
    private static long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /** Switches plus hosts of a tree, or a number above {@link #MAX_NODES} as soon as it is clear it is. */
    private static long treeNodes(int depth, int fanout) {
        long level = 1;
        long total = 0;
        for (int d = 0; d <= depth; d++) {
            total += level;
            if (total > MAX_NODES) {
                return total;
            }
            level *= fanout;
            if (level > MAX_NODES) {
                return level;
            }
        }
        return total;
    }

    // ---------------------------------------------------------------- the built-ins

    /** Mininet's {@code MinimalTopo}: {@code single,2}, named {@code minimal}. */
    public static Topology minimal() {
        return call("minimal");
    }

    /** Mininet's {@code SingleSwitchTopo(k)}: s1 and h1..hk, hN on s1-ethN. */
    public static Topology single(int k) {
        return call("single", k);
    }

    private static Topology singleSwitch(String name, int k) {
        TopologyBuilder b = Topology.builder(name).addSwitch("s1");
        for (int h = 1; h <= k; h++) {
            b.addHost("h" + h).addLink("h" + h, "s1");
        }
        return b.build().validate();
    }

    /**
     * Mininet's {@code SingleSwitchReversedTopo(k)}: as {@link #single(int)}, but the lowest-numbered host is on the
     * highest-numbered port: hN is on s1 port k-N+1, and on its own port 0.
     */
    public static Topology reversed(int k) {
        return call("reversed", k);
    }

    private static Topology buildReversed(int k) {
        TopologyBuilder b = Topology.builder("reversed," + k).addSwitch("s1");
        for (int h = 1; h <= k; h++) {
            b.addHost("h" + h).addLink("h" + h, 0, "s1", k - h + 1);
        }
        return b.build().validate();
    }

    /**
     * Mininet's {@code LinearTopo(k, n)}: switches s1..sk, each linked to the one before it, with n hosts each. For
     * each switch in turn: the switch, its hosts each linked host-first to it, then its link to the previous switch
     * ({@code addLink(switch, lastSwitch)}), so host ports come first on every switch.
     */
    public static Topology linear(int k, int n) {
        return call("linear", k, n);
    }

    private static Topology buildLinear(int k, int n) {
        TopologyBuilder b = Topology.builder(n == 1 ? "linear," + k : "linear," + k + "," + n);
        String last = null;
        for (int i = 1; i <= k; i++) {
            String sw = "s" + i;
            b.addSwitch(sw);
            for (int j = 1; j <= n; j++) {
                String host = n == 1 ? "h" + i : "h" + j + "s" + i;
                b.addHost(host).addLink(host, sw);
            }
            if (last != null) {
                b.addLink(sw, last);
            }
            last = sw;
        }
        return b.build().validate();
    }

    /**
     * Mininet's {@code TreeTopo(depth, fanout)}: {@code addTree()} adds a switch, then for each of its
     * {@code fanout} children builds the child's whole subtree before linking parent to child
     * ({@code addLink(node, child)}). So switches are numbered depth-first from the root s1, hosts h1.. left to
     * right, a switch's ports 1..fanout go to its children in order and port fanout+1 to its parent.
     */
    public static Topology tree(int depth, int fanout) {
        return call("tree", depth, fanout);
    }

    private static Topology buildTree(int depth, int fanout) {
        TopologyBuilder b = Topology.builder("tree," + depth + "," + fanout);
        addTree(b, depth, fanout, new int[] {1, 1});
        return b.build().validate();
    }

    /** @param next {next host number, next switch number} */
    private static String addTree(TopologyBuilder b, int depth, int fanout, int[] next) {
        if (depth == 0) {
            String host = "h" + next[0]++;
            b.addHost(host);
            return host;
        }
        String sw = "s" + next[1]++;
        b.addSwitch(sw);
        for (int i = 0; i < fanout; i++) {
            String child = addTree(b, depth - 1, fanout, next);
            b.addLink(sw, child);
        }
        return sw;
    }

    /**
     * Mininet's {@code TorusTopo(x, y, n)}: for I in 1..x, J in 1..y, switch sIxJ with dpid I * 256 + J and its n
     * hosts (each linked host-first); then for each switch in the same order, a link to its neighbour in y
     * (sIx(J+1), wrapping) and then to its neighbour in x (s(I+1)xJ, wrapping).
     */
    public static Topology torus(int x, int y, int n) {
        return call("torus", x, y, n);
    }

    private static Topology buildTorus(int x, int y, int n) {
        TopologyBuilder b = Topology.builder(n == 1 ? "torus," + x + "," + y : "torus," + x + "," + y + "," + n);
        String[][] switches = new String[x][y];
        for (int i = 0; i < x; i++) {
            for (int j = 0; j < y; j++) {
                String loc = (i + 1) + "x" + (j + 1);
                switches[i][j] = "s" + loc;
                b.addSwitch(new Switch("s" + loc).withDpid((i + 1) * 256L + (j + 1)));
                for (int k = 1; k <= n; k++) {
                    String host = n == 1 ? "h" + loc : "h" + loc + "x" + k;
                    b.addHost(host).addLink(host, "s" + loc);
                }
            }
        }
        for (int i = 0; i < x; i++) {
            for (int j = 0; j < y; j++) {
                b.addLink(switches[i][j], switches[i][(j + 1) % y]);
                b.addLink(switches[i][j], switches[(i + 1) % x][j]);
            }
        }
        return b.build().validate();
    }
}
