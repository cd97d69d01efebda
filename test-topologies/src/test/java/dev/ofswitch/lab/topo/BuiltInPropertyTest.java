package dev.ofswitch.lab.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every built-in, with random small arguments and {@code --mac} or not, is a network the lab can start: it
 * validates (to itself), every port on a node is used once and in range, IPs, MACs and dpids are unique, the
 * network is connected, the sizes are those of Mininet's classes, and it survives a JSON round trip.
 */
class BuiltInPropertyTest {

    @Provide
    Arbitrary<String> specs() {
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 6);
        return Arbitraries.oneOf(
                Arbitraries.just("minimal"),
                small.map(k -> "single," + k),
                small.map(k -> "reversed," + k),
                Combinators.combine(small, Arbitraries.integers().between(1, 3)).as((k, n) -> "linear," + k + "," + n),
                Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 3))
                        .as((d, f) -> "tree,depth=" + d + ",fanout=" + f),
                Combinators.combine(Arbitraries.integers().between(3, 5), Arbitraries.integers().between(3, 5),
                        Arbitraries.integers().between(1, 2)).as((x, y, n) -> "torus," + x + "," + y + "," + n));
    }

    @Property(tries = 300)
    void everyBuiltIn_isAValidConnectedNetworkWithUniqueAddresses(@ForAll("specs") String spec,
            @ForAll boolean macs) {
        Topology t = Topologies.parseSpec(spec, macs);
        assertEquals(t, t.validate(), spec);

        Map<String, Set<Integer>> ports = new HashMap<>();
        for (Link l : t.links()) {
            assertTrue(ports.computeIfAbsent(l.node1(), k -> new HashSet<>()).add(l.port1()), spec + " " + l);
            assertTrue(ports.computeIfAbsent(l.node2(), k -> new HashSet<>()).add(l.port2()), spec + " " + l);
        }
        for (Switch s : t.switches()) {
            assertTrue(ports.get(s.name()).stream().allMatch(p -> p >= 1), spec + " " + s.name());
        }
        for (Host h : t.hosts()) {
            assertEquals(Set.of(0), ports.get(h.name()), spec + " " + h.name());
        }

        assertEquals(t.hosts().size(), t.hosts().stream().map(Host::ipAddress).distinct().count(), spec);
        assertEquals(t.switches().size(), t.switches().stream().map(Switch::dpid).distinct().count(), spec);
        if (macs) {
            assertEquals(t.hosts().size(), t.hosts().stream().map(Host::mac).distinct().count(), spec);
        }

        assertEquals(t.switches().size() + t.hosts().size(), reachableFrom(t, t.switches().get(0).name()), spec);
        assertEquals(expectedSize(spec), List.of(t.switches().size(), t.hosts().size(), t.links().size()), spec);
        assertEquals(t, TopologyFiles.parse(TopologyFiles.toJson(t), spec + ".json"), spec);
    }

    /** Switches, hosts and links of Mininet's class for this spec. */
    private static List<Integer> expectedSize(String spec) {
        String[] p = spec.split(",");
        int[] a = new int[p.length - 1];
        for (int i = 1; i < p.length; i++) {
            a[i - 1] = Integer.parseInt(p[i].substring(p[i].indexOf('=') + 1));
        }
        switch (p[0]) {
            case "minimal":
                return List.of(1, 2, 2);
            case "single":
            case "reversed":
                return List.of(1, a[0], a[0]);
            case "linear":
                return List.of(a[0], a[0] * a[1], a[0] * a[1] + a[0] - 1);
            case "tree": {
                int switches = 0;
                int level = 1;
                for (int d = 0; d < a[0]; d++) {
                    switches += level;
                    level *= a[1];
                }
                return List.of(switches, level, switches + level - 1);
            }
            default: {
                int cells = a[0] * a[1];
                return List.of(cells, cells * a[2], cells * a[2] + 2 * cells);
            }
        }
    }

    private static int reachableFrom(Topology t, String start) {
        Set<String> seen = new HashSet<>(Set.of(start));
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            for (Link l : t.linksOf(n)) {
                if (seen.add(l.peerOf(n))) {
                    todo.push(l.peerOf(n));
                }
            }
        }
        return seen.size();
    }
}
