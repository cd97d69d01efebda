package dev.ofswitch.lab.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each built-in against what Mininet builds for it. The expected text is derived by hand from Mininet's source:
 * the {@code build()} methods in {@code mininet/topo.py} and {@code mininet/topolib.py} (creation order, hence ports
 * through {@code Topo.addPort()}), {@code Mininet.buildFromTopo()} and {@code addHost()} in {@code mininet/net.py}
 * (natural order of names, hence IPs), {@code Switch.defaultDpid()} in {@code mininet/node.py}, and the printers
 * {@code dumpNodeConnections()} ({@code net}) and {@code CLI.do_links()} ({@code links}).
 */
class BuiltInTopologiesTest {

    /** {@code name ip [mac]} per host in Mininet's order, then {@code name dpid} per switch. */
    private static String addressing(Topology t) {
        return t.hostsInNetOrder().stream().map(h -> h.name() + " " + h.ip() + (h.mac() == null ? "" : " " + h.mac()))
                .collect(Collectors.joining("\n", "", "\n"))
                + t.switchesInNetOrder().stream().map(s -> s.name() + " " + s.dpidHex())
                        .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void minimal_isTwoHostsOnOneSwitch() {
        Topology t = Topologies.minimal();
        assertEquals("minimal", t.name());
        assertEquals("""
                h1 h1-eth0:s1-eth1
                h2 h2-eth0:s1-eth2
                s1 lo:  s1-eth1:h1-eth0 s1-eth2:h2-eth0
                c0
                """, MininetFormat.net(t));
        assertEquals("""
                h1-eth0<->s1-eth1 (OK OK)\s
                h2-eth0<->s1-eth2 (OK OK)\s
                """, MininetFormat.links(t));
        assertEquals("""
                h1 10.0.0.1/8
                h2 10.0.0.2/8
                s1 0000000000000001
                """, addressing(t));
    }

    @Test
    void single3_putsHostNOnSwitchPortN() {
        Topology t = Topologies.parseSpec("single,3", false);
        assertEquals("single,3", t.name());
        assertEquals("""
                h1 h1-eth0:s1-eth1
                h2 h2-eth0:s1-eth2
                h3 h3-eth0:s1-eth3
                s1 lo:  s1-eth1:h1-eth0 s1-eth2:h2-eth0 s1-eth3:h3-eth0
                c0
                """, MininetFormat.net(t));
        assertEquals("""
                h1-eth0<->s1-eth1 (OK OK)\s
                h2-eth0<->s1-eth2 (OK OK)\s
                h3-eth0<->s1-eth3 (OK OK)\s
                """, MininetFormat.links(t));
    }

    @Test
    void reversed3_putsTheLowestHostOnTheHighestPort() {
        Topology t = Topologies.parseSpec("reversed,3", false);
        assertEquals("""
                h1 h1-eth0:s1-eth3
                h2 h2-eth0:s1-eth2
                h3 h3-eth0:s1-eth1
                s1 lo:  s1-eth1:h3-eth0 s1-eth2:h2-eth0 s1-eth3:h1-eth0
                c0
                """, MininetFormat.net(t));
        assertEquals("""
                h1-eth0<->s1-eth3 (OK OK)\s
                h2-eth0<->s1-eth2 (OK OK)\s
                h3-eth0<->s1-eth1 (OK OK)\s
                """, MininetFormat.links(t));
        assertEquals("""
                h1 10.0.0.1/8
                h2 10.0.0.2/8
                h3 10.0.0.3/8
                s1 0000000000000001
                """, addressing(t));
    }

    @Test
    void linear3_givesEachSwitchItsHostOnPort1AndItsNeighboursAfter() {
        Topology t = Topologies.parseSpec("linear,3", false);
        assertEquals("linear,3", t.name());
        assertEquals("""
                h1 h1-eth0:s1-eth1
                h2 h2-eth0:s2-eth1
                h3 h3-eth0:s3-eth1
                s1 lo:  s1-eth1:h1-eth0 s1-eth2:s2-eth2
                s2 lo:  s2-eth1:h2-eth0 s2-eth2:s1-eth2 s2-eth3:s3-eth2
                s3 lo:  s3-eth1:h3-eth0 s3-eth2:s2-eth3
                c0
                """, MininetFormat.net(t));
        // LinearTopo links each switch to the previous one as addLink(switch, lastSwitch): node1 is the later one.
        assertEquals("""
                h1-eth0<->s1-eth1 (OK OK)\s
                h2-eth0<->s2-eth1 (OK OK)\s
                h3-eth0<->s3-eth1 (OK OK)\s
                s2-eth2<->s1-eth2 (OK OK)\s
                s3-eth2<->s2-eth3 (OK OK)\s
                """, MininetFormat.links(t));
        assertEquals("""
                h1 10.0.0.1/8
                h2 10.0.0.2/8
                h3 10.0.0.3/8
                s1 0000000000000001
                s2 0000000000000002
                s3 0000000000000003
                """, addressing(t));
    }

    @Test
    void linear2x2_namesHostsHjSiAndNumbersThemInNaturalOrder() {
        // Created h1s1, h2s1, h1s2, h2s2; Mininet adds (and addresses) them sorted: h1s1, h1s2, h2s1, h2s2.
        Topology t = Topologies.parseSpec("linear,2,2", false);
        assertEquals("linear,2,2", t.name());
        assertEquals(List.of("h1s1", "h2s1", "h1s2", "h2s2"), t.hosts().stream().map(Host::name).toList());
        assertEquals("""
                h1s1 10.0.0.1/8
                h1s2 10.0.0.2/8
                h2s1 10.0.0.3/8
                h2s2 10.0.0.4/8
                s1 0000000000000001
                s2 0000000000000002
                """, addressing(t));
        assertEquals("""
                h1s1 h1s1-eth0:s1-eth1
                h1s2 h1s2-eth0:s2-eth1
                h2s1 h2s1-eth0:s1-eth2
                h2s2 h2s2-eth0:s2-eth2
                s1 lo:  s1-eth1:h1s1-eth0 s1-eth2:h2s1-eth0 s1-eth3:s2-eth3
                s2 lo:  s2-eth1:h1s2-eth0 s2-eth2:h2s2-eth0 s2-eth3:s1-eth3
                c0
                """, MininetFormat.net(t));
        assertEquals("""
                h1s1-eth0<->s1-eth1 (OK OK)\s
                h1s2-eth0<->s2-eth1 (OK OK)\s
                h2s1-eth0<->s1-eth2 (OK OK)\s
                h2s2-eth0<->s2-eth2 (OK OK)\s
                s2-eth3<->s1-eth3 (OK OK)\s
                """, MininetFormat.links(t));
    }

    @Test
    void linear12_derivesDpidsFromNamesInDecimal() {
        Topology t = Topologies.linear(12, 1);
        assertEquals("000000000000000c", t.switchesInNetOrder().get(11).dpidHex());
        assertEquals(12L, t.switchesInNetOrder().get(11).dpid());
        // Natural order: s2 before s10, h2 before h10.
        assertEquals("s1 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 s12",
                t.switchesInNetOrder().stream().map(Switch::name).collect(Collectors.joining(" ")));
        assertEquals("10.0.0.10/8", t.node("h10").map(n -> ((Host) n).ip()).orElseThrow());
    }

    @Test
    void tree22_isMininetsNetAndLinksListing() {
        Topology t = Topologies.parseSpec("tree,2,2", false);
        assertEquals("tree,2,2", t.name());
        assertEquals("""
                h1 h1-eth0:s2-eth1
                h2 h2-eth0:s2-eth2
                h3 h3-eth0:s3-eth1
                h4 h4-eth0:s3-eth2
                s1 lo:  s1-eth1:s2-eth3 s1-eth2:s3-eth3
                s2 lo:  s2-eth1:h1-eth0 s2-eth2:h2-eth0 s2-eth3:s1-eth1
                s3 lo:  s3-eth1:h3-eth0 s3-eth2:h4-eth0 s3-eth3:s1-eth2
                c0
                """, MininetFormat.net(t));
        // TreeTopo links parent to child as addLink(node, child), each after the child's subtree is complete.
        assertEquals("""
                s1-eth1<->s2-eth3 (OK OK)\s
                s1-eth2<->s3-eth3 (OK OK)\s
                s2-eth1<->h1-eth0 (OK OK)\s
                s2-eth2<->h2-eth0 (OK OK)\s
                s3-eth1<->h3-eth0 (OK OK)\s
                s3-eth2<->h4-eth0 (OK OK)\s
                """, MininetFormat.links(t));
        assertEquals("""
                h1 10.0.0.1/8
                h2 10.0.0.2/8
                h3 10.0.0.3/8
                h4 10.0.0.4/8
                s1 0000000000000001
                s2 0000000000000002
                s3 0000000000000003
                """, addressing(t));
        assertEquals("""
                available nodes are:\s
                c0 h1 h2 h3 h4 s1 s2 s3
                """, MininetFormat.nodes(t));
    }

    @Test
    void tree23_givesTheRootOnePortPerChildAndEachChildItsUplinkLast() {
        Topology t = Topologies.parseSpec("tree,depth=2,fanout=3", false);
        assertEquals("tree,2,3", t.name());
        assertEquals("""
                h1 h1-eth0:s2-eth1
                h2 h2-eth0:s2-eth2
                h3 h3-eth0:s2-eth3
                h4 h4-eth0:s3-eth1
                h5 h5-eth0:s3-eth2
                h6 h6-eth0:s3-eth3
                h7 h7-eth0:s4-eth1
                h8 h8-eth0:s4-eth2
                h9 h9-eth0:s4-eth3
                s1 lo:  s1-eth1:s2-eth4 s1-eth2:s3-eth4 s1-eth3:s4-eth4
                s2 lo:  s2-eth1:h1-eth0 s2-eth2:h2-eth0 s2-eth3:h3-eth0 s2-eth4:s1-eth1
                s3 lo:  s3-eth1:h4-eth0 s3-eth2:h5-eth0 s3-eth3:h6-eth0 s3-eth4:s1-eth2
                s4 lo:  s4-eth1:h7-eth0 s4-eth2:h8-eth0 s4-eth3:h9-eth0 s4-eth4:s1-eth3
                c0
                """, MininetFormat.net(t));
    }

    @Test
    void tree32_numbersSwitchesDepthFirst() {
        // addTree(3): s1, then addTree(2): s2, then addTree(1): s3 with h1 h2, s4 with h3 h4; then s5: s6, s7.
        Topology t = Topologies.tree(3, 2);
        assertEquals("""
                h1 h1-eth0:s3-eth1
                h2 h2-eth0:s3-eth2
                h3 h3-eth0:s4-eth1
                h4 h4-eth0:s4-eth2
                h5 h5-eth0:s6-eth1
                h6 h6-eth0:s6-eth2
                h7 h7-eth0:s7-eth1
                h8 h8-eth0:s7-eth2
                s1 lo:  s1-eth1:s2-eth3 s1-eth2:s5-eth3
                s2 lo:  s2-eth1:s3-eth3 s2-eth2:s4-eth3 s2-eth3:s1-eth1
                s3 lo:  s3-eth1:h1-eth0 s3-eth2:h2-eth0 s3-eth3:s2-eth1
                s4 lo:  s4-eth1:h3-eth0 s4-eth2:h4-eth0 s4-eth3:s2-eth2
                s5 lo:  s5-eth1:s6-eth3 s5-eth2:s7-eth3 s5-eth3:s1-eth2
                s6 lo:  s6-eth1:h5-eth0 s6-eth2:h6-eth0 s6-eth3:s5-eth1
                s7 lo:  s7-eth1:h7-eth0 s7-eth2:h8-eth0 s7-eth3:s5-eth2
                c0
                """, MininetFormat.net(t));
    }

    @Test
    void tree_withoutArguments_isMininetsDefaultDepth1Fanout2() {
        Topology t = Topologies.parseSpec("tree", false);
        assertEquals("tree,1,2", t.name());
        assertEquals("""
                h1 h1-eth0:s1-eth1
                h2 h2-eth0:s1-eth2
                s1 lo:  s1-eth1:h1-eth0 s1-eth2:h2-eth0
                c0
                """, MininetFormat.net(t));
    }

    @Test
    void torus33_isMininetsNetAndLinksListing() {
        Topology t = Topologies.parseSpec("torus,3,3", false);
        assertEquals("torus,3,3", t.name());
        assertEquals("""
                h1x1 h1x1-eth0:s1x1-eth1
                h1x2 h1x2-eth0:s1x2-eth1
                h1x3 h1x3-eth0:s1x3-eth1
                h2x1 h2x1-eth0:s2x1-eth1
                h2x2 h2x2-eth0:s2x2-eth1
                h2x3 h2x3-eth0:s2x3-eth1
                h3x1 h3x1-eth0:s3x1-eth1
                h3x2 h3x2-eth0:s3x2-eth1
                h3x3 h3x3-eth0:s3x3-eth1
                s1x1 lo:  s1x1-eth1:h1x1-eth0 s1x1-eth2:s1x2-eth2 s1x1-eth3:s2x1-eth2 s1x1-eth4:s1x3-eth3 s1x1-eth5:s3x1-eth4
                s1x2 lo:  s1x2-eth1:h1x2-eth0 s1x2-eth2:s1x1-eth2 s1x2-eth3:s1x3-eth2 s1x2-eth4:s2x2-eth2 s1x2-eth5:s3x2-eth5
                s1x3 lo:  s1x3-eth1:h1x3-eth0 s1x3-eth2:s1x2-eth3 s1x3-eth3:s1x1-eth4 s1x3-eth4:s2x3-eth2 s1x3-eth5:s3x3-eth5
                s2x1 lo:  s2x1-eth1:h2x1-eth0 s2x1-eth2:s1x1-eth3 s2x1-eth3:s2x2-eth3 s2x1-eth4:s3x1-eth2 s2x1-eth5:s2x3-eth4
                s2x2 lo:  s2x2-eth1:h2x2-eth0 s2x2-eth2:s1x2-eth4 s2x2-eth3:s2x1-eth3 s2x2-eth4:s2x3-eth3 s2x2-eth5:s3x2-eth2
                s2x3 lo:  s2x3-eth1:h2x3-eth0 s2x3-eth2:s1x3-eth4 s2x3-eth3:s2x2-eth4 s2x3-eth4:s2x1-eth5 s2x3-eth5:s3x3-eth2
                s3x1 lo:  s3x1-eth1:h3x1-eth0 s3x1-eth2:s2x1-eth4 s3x1-eth3:s3x2-eth3 s3x1-eth4:s1x1-eth5 s3x1-eth5:s3x3-eth4
                s3x2 lo:  s3x2-eth1:h3x2-eth0 s3x2-eth2:s2x2-eth5 s3x2-eth3:s3x1-eth3 s3x2-eth4:s3x3-eth3 s3x2-eth5:s1x2-eth5
                s3x3 lo:  s3x3-eth1:h3x3-eth0 s3x3-eth2:s2x3-eth5 s3x3-eth3:s3x2-eth4 s3x3-eth4:s3x1-eth5 s3x3-eth5:s1x3-eth5
                c0
                """, MininetFormat.net(t));
        assertEquals("""
                h1x1-eth0<->s1x1-eth1 (OK OK)\s
                h1x2-eth0<->s1x2-eth1 (OK OK)\s
                h1x3-eth0<->s1x3-eth1 (OK OK)\s
                h2x1-eth0<->s2x1-eth1 (OK OK)\s
                h2x2-eth0<->s2x2-eth1 (OK OK)\s
                h2x3-eth0<->s2x3-eth1 (OK OK)\s
                h3x1-eth0<->s3x1-eth1 (OK OK)\s
                h3x2-eth0<->s3x2-eth1 (OK OK)\s
                h3x3-eth0<->s3x3-eth1 (OK OK)\s
                s1x1-eth2<->s1x2-eth2 (OK OK)\s
                s1x1-eth3<->s2x1-eth2 (OK OK)\s
                s1x2-eth3<->s1x3-eth2 (OK OK)\s
                s1x2-eth4<->s2x2-eth2 (OK OK)\s
                s1x3-eth3<->s1x1-eth4 (OK OK)\s
                s1x3-eth4<->s2x3-eth2 (OK OK)\s
                s2x1-eth3<->s2x2-eth3 (OK OK)\s
                s2x1-eth4<->s3x1-eth2 (OK OK)\s
                s2x2-eth4<->s2x3-eth3 (OK OK)\s
                s2x2-eth5<->s3x2-eth2 (OK OK)\s
                s2x3-eth4<->s2x1-eth5 (OK OK)\s
                s2x3-eth5<->s3x3-eth2 (OK OK)\s
                s3x1-eth4<->s1x1-eth5 (OK OK)\s
                s3x1-eth3<->s3x2-eth3 (OK OK)\s
                s3x2-eth5<->s1x2-eth5 (OK OK)\s
                s3x2-eth4<->s3x3-eth3 (OK OK)\s
                s3x3-eth5<->s1x3-eth5 (OK OK)\s
                s3x3-eth4<->s3x1-eth5 (OK OK)\s
                """, MininetFormat.links(t));
    }

    @Test
    void torus33_givesSwitchesDpidsFromTheirGridPlace() {
        // TorusTopo passes dpid = (i + 1) * 256 + (j + 1); the name's first number alone would clash (s1x1, s1x2).
        Topology t = Topologies.torus(3, 3, 1);
        assertEquals("""
                h1x1 10.0.0.1/8
                h1x2 10.0.0.2/8
                h1x3 10.0.0.3/8
                h2x1 10.0.0.4/8
                h2x2 10.0.0.5/8
                h2x3 10.0.0.6/8
                h3x1 10.0.0.7/8
                h3x2 10.0.0.8/8
                h3x3 10.0.0.9/8
                s1x1 0000000000000101
                s1x2 0000000000000102
                s1x3 0000000000000103
                s2x1 0000000000000201
                s2x2 0000000000000202
                s2x3 0000000000000203
                s3x1 0000000000000301
                s3x2 0000000000000302
                s3x3 0000000000000303
                """, addressing(t));
    }

    @Test
    void torus332_namesHostsHixjxk() {
        Topology t = Topologies.parseSpec("torus,3,3,2", false);
        assertEquals("torus,3,3,2", t.name());
        assertEquals(18, t.hosts().size());
        assertEquals(List.of("h1x1x1", "h1x1x2", "h1x2x1"),
                t.hostsInNetOrder().stream().limit(3).map(Host::name).toList());
        assertEquals("s1x1 lo:  s1x1-eth1:h1x1x1-eth0 s1x1-eth2:h1x1x2-eth0 s1x1-eth3:s1x2-eth3 "
                + "s1x1-eth4:s2x1-eth3 s1x1-eth5:s1x3-eth4 s1x1-eth6:s3x1-eth5",
                MininetFormat.net(t).lines().filter(l -> l.startsWith("s1x1 ")).findFirst().orElseThrow());
    }

    @Test
    void macFlag_givesHostNTheMacNInHex() {
        Topology t = Topologies.parseSpec("single,16", true);
        assertEquals("00:00:00:00:00:01", ((Host) t.node("h1").orElseThrow()).mac());
        assertEquals("00:00:00:00:00:0a", ((Host) t.node("h10").orElseThrow()).mac());
        assertEquals("00:00:00:00:00:10", ((Host) t.node("h16").orElseThrow()).mac());
    }

    @Test
    void macFlag_followsTheNaturalHostOrderLikeTheIps() {
        Topology t = Topologies.parseSpec("linear,2,2", true);
        assertEquals("""
                h1s1 10.0.0.1/8 00:00:00:00:00:01
                h1s2 10.0.0.2/8 00:00:00:00:00:02
                h2s1 10.0.0.3/8 00:00:00:00:00:03
                h2s2 10.0.0.4/8 00:00:00:00:00:04
                s1 0000000000000001
                s2 0000000000000002
                """, addressing(t));
    }

    @Test
    void withoutMacFlag_hostsHaveNoMac() {
        assertEquals(null, ((Host) Topologies.minimal().node("h1").orElseThrow()).mac());
    }

    @Test
    void host256_gets10_0_1_0AsInMininetsIpAdd() {
        Topology t = Topologies.single(257);
        assertEquals("10.0.0.255/8", ((Host) t.node("h255").orElseThrow()).ip());
        assertEquals("10.0.1.0/8", ((Host) t.node("h256").orElseThrow()).ip());
        assertEquals("10.0.1.1/8", ((Host) t.node("h257").orElseThrow()).ip());
    }

    @Test
    void builtIns_offerEveryOpenFlowVersionSecureAndTheLabsController() {
        for (Switch s : Topologies.tree(2, 2).switches()) {
            assertEquals(OpenFlowVersion.ALL, s.protocols());
            assertEquals(FailMode.SECURE, s.failMode());
            assertEquals(List.of(), s.controllers());
            assertEquals(null, s.listenPort());
        }
    }

    @Test
    void withListenPorts_countsUpInMininetsSwitchOrder() {
        Topology t = Topologies.linear(10, 1).withListenPorts(6654);
        assertEquals(6654, ((Switch) t.node("s1").orElseThrow()).listenPort());
        assertEquals(6655, ((Switch) t.node("s2").orElseThrow()).listenPort());
        assertEquals(6663, ((Switch) t.node("s10").orElseThrow()).listenPort());
    }
}
